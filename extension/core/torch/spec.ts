// What one torch op spec holds, and the small kit the family files build specs with. A spec is one
// `torch.nn` layer: its constructor signature (torch's positional order and defaults), how torch stores
// the arguments, the parameter tensors it registers, the child modules it creates itself, its forward
// shape rule with torch's error messages, the functional twin(s) its forward calls (`nn.Conv2d` ↔
// `F.conv2d`), the tensor inputs of its forward, and the cost family the counting conventions read.
// The specs themselves live one file per op family next to this one; index.ts is the registry.
// Nothing here counts MACs.
import { shownValue } from '../messageText';
import type { JsonValue, Shape } from '../resultTypes';

/** A constructor argument value: known JSON, or unknown with the reason. `float` marks a Python float in it. */
export type ArgValue =
  | { readonly known: true; readonly value: JsonValue; readonly float?: boolean | readonly boolean[] }
  | { readonly known: false; readonly reason: string };

/** A parameter tensor registered by a layer; `shape` null when unknown. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: number[] | null;
}

/** A child module a catalog layer creates in its own __init__. */
export interface ChildSpec {
  readonly name: string;
  readonly type: string;
  readonly args: Record<string, JsonValue>;
}

export interface BuiltLayer {
  readonly hyperparams: Record<string, JsonValue>;
  readonly weights: WeightSpec[];
  readonly children?: ChildSpec[];
  /** Parameter count formula with symbols and with its terms filled in. */
  readonly formula: string;
}

export class UnknownArg extends Error {
  constructor(
    readonly arg: string,
    readonly reason: string,
  ) {
    super(`${arg} is unknown: ${reason}`);
  }
}

/** A PyTorch-style error in constructor arguments (e.g. channels not divisible by groups), with torch's class and message. */
export class LayerArgError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

export const REQUIRED = Symbol('required');
export type Default = JsonValue | typeof REQUIRED;
export type Signature = readonly (readonly [string, Default])[];

type Dim = number | null;
export type Hyper = Readonly<Record<string, JsonValue>>;

/** The result of a shape rule: one tensor shape, several outputs (a tuple), or an error in torch's words. */
export type ShapeResult =
  | { readonly ok: true; readonly shape: Shape }
  | { readonly ok: true; readonly tuple: readonly (Shape | readonly Shape[] | null)[] }
  | { readonly ok: false; readonly error: string };

/** A forward shape rule: the layer type (for rank and messages), its stored hyperparameters, the input shapes. */
export type ShapeRule = (type: string, h: Hyper, inputs: readonly Shape[]) => ShapeResult;

/**
 * The cost family of an op: the group of layer types a counting convention gives one rule to
 * (cost/catalog.ts derives its type lists from it). Conventions still look types up by name, as the
 * tools do (ptflops and thop by exact type); the family is what keeps a new layer from falling through.
 */
export type CostFamily =
  | 'conv'
  | 'convTranspose'
  | 'linear'
  | 'bilinear'
  | 'embedding'
  | 'batchNorm'
  | 'instanceNorm'
  | 'layerNorm'
  | 'groupNorm'
  | 'localResponseNorm'
  | 'maxPool'
  | 'avgPool'
  | 'adaptiveAvgPool'
  | 'adaptiveMaxPool'
  | 'maxUnpool'
  | 'lpPool'
  | 'activation'
  | 'softmax'
  | 'padding'
  | 'upsample'
  | 'reshape'
  | 'dropout'
  | 'unfold'
  | 'rnn'
  | 'rnnCell'
  | 'attention'
  | 'transformer'
  | 'loss';

/** One torch.nn layer, everything the core knows about it. */
export interface OpSpec {
  readonly name: string;
  /** Constructor parameters in PyTorch's positional order with defaults. */
  readonly signature: Signature;
  /** Accepts any extra arguments (nn.Identity). */
  readonly varargs?: boolean;
  /** Stored hyperparameters, parameter tensors, children; throws LayerArgError with torch's message. */
  readonly build: (a: Args) => BuiltLayer;
  /** The forward shape rule. */
  readonly shape: ShapeRule;
  /** Tensor parameters of torch's forward, in order (default `['input']`); initial states are not listed. */
  readonly forwardInputs?: readonly string[];
  /** Non-tensor parameters of torch's forward after the inputs (MaxUnpool's `output_size`): given to the shape rule as hyperparameters. */
  readonly forwardArgs?: readonly string[];
  /** The torch.nn.functional op(s) this layer's forward calls, first the one that does its work (`conv2d`). */
  readonly functional?: readonly string[];
  readonly family: CostFamily;
  /**
   * The hyperparameters as torch stores them on a live module, for the runtime helper (runtimeSpecs.json);
   * absent when the helper should record the module's public scalar attributes instead.
   */
  readonly stored?: readonly StoredKey[];
}

/**
 * A hyperparameter the runtime helper reads off a live torch module: the attribute of that name, or
 * `attr` (default: the key) tested for being set (`bias` as `bias is not None`), or read with a default
 * when older torch versions lack it.
 */
export type StoredKey = string | { readonly key: string; readonly attr?: string; readonly isSet?: true; readonly default?: JsonValue };

/** Reads bound constructor arguments; throws UnknownArg when a needed one is unknown. */
export class Args {
  constructor(
    readonly layer: string,
    private readonly values: Map<string, ArgValue>,
  ) {}

  raw(name: string): JsonValue {
    const v = this.values.get(name);
    if (!v) return null;
    if (!v.known) throw new UnknownArg(name, v.reason);
    return v.value;
  }

  isKnown(name: string): boolean {
    return this.values.get(name)?.known !== false;
  }

  /** Whether the argument (or each of its elements, expanded to n) is a Python float. */
  floats(name: string, n = 1): boolean[] {
    const v = this.values.get(name);
    const f = v?.known ? v.float : undefined;
    if (Array.isArray(f)) return f.length === 1 && n > 1 ? Array<boolean>(n).fill(f[0]!) : [...f];
    return Array<boolean>(n).fill(f === true);
  }

  /** Known hyperparameters, as given (for the record even when others are unknown). */
  knownRaw(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of this.values) if (v.known) out[k] = v.value;
    return out;
  }

  int(name: string): number {
    const v = this.raw(name);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new LayerArgError('TypeError', `${this.layer}: ${name} must be an int, got ${shownValue(v)}`);
    return v;
  }

  /** A tensor size argument as given, float or not: torch rejects it only where it allocates (see checkEmpty). */
  size(name: string): SizeArg {
    const v = this.raw(name);
    if (typeof v === 'boolean') return { v: v ? 1 : 0, float: false };
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new LayerArgError('TypeError', `${this.layer}: ${name} must be an int, got ${shownValue(v)}`);
    return { v, float: this.floats(name)[0]! || !Number.isInteger(v) };
  }

  num(name: string): number {
    const v = this.raw(name);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v !== 'number') throw new LayerArgError('TypeError', `${this.layer}: ${name} must be a number, got ${shownValue(v)}`);
    return v;
  }

  bool(name: string): boolean {
    const v = this.raw(name);
    if (v === null) return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return v.length > 0;
    return true;
  }

  /** An int or a tuple, expanded to n values the way torch's `_ntuple` does. */
  tuple(name: string, n: number): number[] {
    const v = this.raw(name);
    if (typeof v === 'number') return Array(n).fill(v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
      if (v.length === 1 && n > 1) return Array(n).fill(v[0]);
      return v as number[];
    }
    throw new LayerArgError('TypeError', `${this.layer}: ${name} must be an int or a tuple of ints, got ${shownValue(v)}`);
  }
}

/** One dimension handed to `torch.empty`: its value and whether Python holds it as a float. */
export interface SizeArg {
  readonly v: number;
  readonly float: boolean;
}

const sizeRepr = (d: SizeArg): string => (d.float && Number.isInteger(d.v) ? `${d.v}.0` : String(d.v));

/**
 * What `torch.empty(size)` raises in torch 1.13 when a layer allocates a parameter: TypeError for a float
 * size (the first element float gives the "invalid combination" overload error, a later one names its
 * position), RuntimeError for a negative one. `scalar` is `torch.empty(n)` (BatchNorm, PReLU).
 */
export function checkEmpty(dims: readonly SizeArg[], scalar = false): void {
  const fi = dims.findIndex((d) => d.float || !Number.isInteger(d.v));
  if (fi >= 0) {
    if (scalar || fi === 0)
      throw new LayerArgError(
        'TypeError',
        `empty() received an invalid combination of arguments - got (${scalar ? 'float' : 'tuple'}, dtype=NoneType, device=NoneType), but expected one of:`,
      );
    throw new LayerArgError(
      'TypeError',
      `empty(): argument 'size' must be tuple of SymInts, but found element of type float at pos ${fi + 1}`,
    );
  }
  const neg = dims.find((d) => d.v < 0);
  if (neg)
    throw new LayerArgError('RuntimeError', `Trying to create tensor with negative dimension ${neg.v}: [${dims.map(sizeRepr).join(', ')}]`);
}

/** The values of checked sizes (call after checkEmpty). */
export const values = (dims: readonly SizeArg[]): number[] => dims.map((d) => d.v);

export const prod = (xs: readonly number[]): number => xs.reduce((x, y) => x * y, 1);
export const dot = (xs: readonly (number | string)[]): string => xs.join('·');

/** A spec for a layer without parameters: its stored hyperparameters are its signature (plus `extra`). */
export function noParams(
  name: string,
  family: CostFamily,
  shape: ShapeRule,
  signature: [string, Default][],
  more: {
    extra?: (a: Args) => Record<string, JsonValue>;
    functional?: readonly string[];
    stored?: readonly StoredKey[];
    forwardInputs?: readonly string[];
    forwardArgs?: readonly string[];
  } = {},
): OpSpec {
  const keys = signature.map(([k]) => k).filter((k) => k !== 'device' && k !== 'dtype' && k !== 'process_group');
  return {
    name,
    family,
    shape,
    signature,
    ...(more.functional ? { functional: more.functional } : {}),
    ...(more.forwardInputs ? { forwardInputs: more.forwardInputs } : {}),
    ...(more.forwardArgs ? { forwardArgs: more.forwardArgs } : {}),
    stored: more.stored ?? keys,
    build: (a) => {
      const hyperparams: Record<string, JsonValue> = {};
      for (const k of keys) hyperparams[k] = a.raw(k);
      return { hyperparams: { ...hyperparams, ...(more.extra ? more.extra(a) : {}) }, weights: [], formula: 'no parameters = 0' };
    },
  };
}

// ------------------------------------------------------------------ shape-rule helpers

export const ok = (shape: Shape): ShapeResult => ({ ok: true, shape });
export const err = (error: string): ShapeResult => ({ ok: false, error });
export const num = (h: Hyper, k: string): number => h[k] as number;
export const tup = (h: Hyper, k: string, n: number): number[] => {
  const v = h[k];
  if (typeof v === 'number') return Array(n).fill(v);
  if (Array.isArray(v)) return v.length === 1 && n > 1 ? Array(n).fill(v[0]) : (v as number[]);
  return Array(n).fill(0);
};
export const mapDim = (d: Dim, f: (x: number) => number): Dim => (d === null ? null : f(d));
export const prodDims = (ds: readonly Dim[]): Dim => (ds.some((d) => d === null) ? null : (ds as number[]).reduce((a, b) => a * b, 1));
export const normDim = (d: number, rank: number): number => (d < 0 ? d + rank : d);
export const same: ShapeRule = (_t, _h, inputs) => ok(inputs[0]!);

/** Number of spatial dims of a layer from its name (Conv2d → 2); 0 for rank-agnostic layers. */
export function spatialRank(type: string): number {
  const m = /([123])d$/.exec(type);
  return m ? Number(m[1]) : 0;
}

export interface ChannelsFirst {
  batch: Dim[];
  c: Dim;
  spatial: Dim[];
}

/** Splits a batched (N, C, *) or unbatched (C, *) input; `op` names the op in torch's rank message. */
export function channelsFirst(type: string, input: Shape, op: string = type): ShapeResult | ChannelsFirst {
  const nd = spatialRank(type);
  if (input.length !== nd + 2 && input.length !== nd + 1) {
    return err(
      `Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${op}, but got input of size: [${input.map((d) => d ?? '?').join(', ')}]`,
    );
  }
  const batch = input.length === nd + 2 ? [input[0]!] : [];
  return { batch, c: input[batch.length]!, spatial: input.slice(batch.length + 1) as Dim[] };
}
