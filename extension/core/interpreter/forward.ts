// The abstract forward pass's hub: tensors are shapes. ForwardContext carries what every part of the
// forward model uses (the interpreter, the torch model, the recorder of module calls and functional ops, the
// helpers ops share); moduleCall.ts, operators.ts, functional.ts, torchFunctions.ts and tensorMethods.ts
// take it as a parameter, and domain.ts installs them as the interpreter's hooks. Counting MACs is cost/'s job.
import type { JsonValue, OutputShape, Shape } from '../resultTypes';
import type { FunctionalOp, FunctionalVia } from '../cost/costTypes';
import type { ShapeResult } from '../torch';
import { bindCall, paramIndex, type SigParam } from '../torch/signatures';
import {
  NONE,
  builtin,
  int,
  tuple,
  list,
  unknown,
  isUnknown,
  isNumber,
  type BuiltinV,
  numberOf,
  type CallArgs,
  type CallSite,
  type InstanceV,
  type ModuleData,
  type TensorV,
  type UnknownV,
  type Value,
} from './values';
import { PyRaise, type Interpreter } from './eval';
import type { TorchModel } from './torch';
import { toArg } from './torchArgs';
import { MAX_VALUE_ELEMENTS, type Dtype, type Values } from './tensorValues';

export type Dim = number | null;
export type Mod = InstanceV & { module: ModuleData };

export interface ForwardRecorder {
  /** True while the profiled forward pass runs; calls made while building the model are not recorded. */
  active: boolean;
  readonly functionals: FunctionalOp[];
  pathOf: Map<ModuleData, string>;
  /** Paths of the modules whose forward is running, innermost last. */
  readonly moduleStack: string[];
}

export const tensor = (shape: Shape, reason?: string): TensorV => ({ kind: 'tensor', shape, ...(reason ? { reason } : {}) });

/** A tensor with known values when they fit (see tensorValues.ts); else just the shape. */
export const valued = (shape: Shape, v: Values | undefined): TensorV =>
  v && v.values.length <= MAX_VALUE_ELEMENTS ? { kind: 'tensor', shape, values: v.values, dtype: v.dtype } : tensor(shape);

/** Known values of a tensor or a Python number (as a one-element operand). */
export function valuesOf(v: Value): Values | undefined {
  if (v.kind === 'tensor') return v.values ? { values: v.values, dtype: v.dtype ?? 'float' } : undefined;
  if (v.kind === 'int' || v.kind === 'bool') return { values: [numberOf(v)], dtype: 'int' };
  if (v.kind === 'float') return { values: [v.v], dtype: 'float' };
  return undefined;
}

/** Nested Python lists of the values (what `.tolist()` returns). */
export function toNested(values: readonly number[], shape: readonly number[], dtype: Dtype): Value {
  const scalar = (x: number): Value =>
    dtype === 'float' ? { kind: 'float', v: x } : dtype === 'bool' ? { kind: 'bool', v: x !== 0 } : int(x);
  if (shape.length === 0) return scalar(values[0]!);
  const [n, ...rest] = shape;
  const stride = rest.reduce((a, b) => a * b, 1);
  return list(Array.from({ length: n! }, (_, i) => toNested(values.slice(i * stride, (i + 1) * stride), rest, dtype)));
}

export const shapeStr = (s: Shape) => `[${s.map((d) => d ?? '?').join(', ')}]`;
export const known = (s: Shape): s is number[] => s.every((d) => d !== null);
export const normDim = (d: number, rank: number) => (d < 0 ? d + rank : d);

/**
 * What every part of the forward model works with: the interpreter, the torch model, the recorder, and the
 * helpers every op uses (pyright's evaluator, handed to operators.ts, functional.ts, tensorMethods.ts...).
 */
export class ForwardContext {
  readonly rec: ForwardRecorder = { active: false, functionals: [], pathOf: new Map(), moduleStack: [] };

  constructor(
    readonly interp: Interpreter,
    readonly torch: TorchModel,
  ) {}

  readonly f = (v: Value): Value => this.interp.force(v);

  readonly fail = (msg: string, site: CallSite): never => this.interp.raise('RuntimeError', msg, site.range);
  /** The unknown to return when an op gets something that is not a tensor: keeps an unknown input's own reason. */
  readonly notTensor = (what: string, ...vals: (Value | undefined)[]): UnknownV => {
    for (const v of vals) {
      const x = v ? this.f(v) : undefined;
      if (x && isUnknown(x)) return unknown(x.reason, x.range, x.maybeModule);
    }
    return unknown(`${what} of a value that is not a tensor`);
  };
  readonly asTensor = (v: Value): TensorV | undefined => {
    const x = this.f(v);
    return x.kind === 'tensor' ? x : undefined;
  };
  readonly shapeOf = (v: Value): Shape | null => this.asTensor(v)?.shape ?? null;
  readonly intOf = (v: Value | undefined): number | undefined => {
    if (!v) return undefined;
    const x = this.f(v);
    return isNumber(x) ? numberOf(x) : undefined;
  };
  /** The bound implementation of a declared op: the call in the form bindCall gives (keywords in their positional slots). */
  readonly declared = (name: string, sig: readonly SigParam[], impl: BuiltinV): BuiltinV =>
    builtin(impl.name, (c, site) => {
      const b = bindCall(name, sig, c.args, c.kwargs);
      if ('error' in b) return this.interp.raise('TypeError', b.error, site.range);
      return impl.fn(b, site);
    });
  /** Known arguments by torch's names, for the record: by keyword, or at the name's positional slot in `sig`. */
  readonly jsonArgs = (c: CallArgs, names: string[], sig?: readonly SigParam[]): Record<string, JsonValue> => {
    const out: Record<string, JsonValue> = {};
    for (const n of names) {
      const i = paramIndex(sig, n);
      const v = c.kwargs.get(n) ?? (i >= 0 ? c.args[i] : undefined);
      if (v) {
        const a = toArg(this.interp, v);
        if (a.known) out[n] = a.value;
      }
    }
    return out;
  };

  readonly record = (op: string, via: FunctionalVia, inputs: (Shape | null)[], out: Shape | null, args: Record<string, JsonValue> = {}) => {
    const rec = this.rec;
    if (!rec.active) return;
    rec.functionals.push({
      op,
      via,
      modulePath: rec.moduleStack[rec.moduleStack.length - 1] ?? '',
      inputShapes: inputs.map((s) => (s && known(s) ? s : null)),
      outputShape: out && known(out) ? out : null,
      args,
    });
  };

  readonly resultToValue = (r: ShapeResult, site: CallSite): Value => {
    if (!r.ok) return this.fail(r.error, site);
    if ('shape' in r) return tensor(r.shape);
    const conv = (x: Shape | readonly Shape[] | null): Value =>
      x === null
        ? NONE
        : Array.isArray(x) && (x.length === 0 || Array.isArray(x[0]))
          ? tuple((x as Shape[]).map((s) => tensor(s)))
          : tensor(x as Shape);
    return tuple(r.tuple.map(conv));
  };

  // A module's result as shapes (what torch's hooks see): the tensor, or each item of a returned tuple or list.
  readonly outputOf = (v: Value, depth = 0): OutputShape | null => {
    const o = this.f(v);
    if (o.kind === 'tensor') return o.shape;
    if ((o.kind !== 'tuple' && o.kind !== 'list') || depth > 3) return null;
    const items = o.items.map((i) => this.outputOf(i, depth + 1));
    return items.some((i) => i !== null) ? items : null;
  };
  // The shape cost rules read: the output itself, or the first tensor of a tuple, list or dict (depth first).
  readonly firstTensorShape = (v: Value, depth = 0): Shape | null => {
    const o = this.f(v);
    if (o.kind === 'tensor') return o.shape;
    if (depth > 3) return null;
    const items = o.kind === 'tuple' || o.kind === 'list' ? o.items : o.kind === 'dict' ? [...o.map.values()].map((e) => e[1]) : [];
    for (const i of items) {
      const s = this.firstTensorShape(i, depth + 1);
      if (s) return s;
    }
    return null;
  };
}

export { PyRaise, list };
