// The abstract values the interpreter computes with: Python scalars and containers, functions,
// classes and instances, torch modules (with their registered children, parameters and buffers),
// tensors as shapes, and `unknown` carrying the reason why a value cannot be known.
// Pure data plus constructors and guards; evaluation lives in eval.ts.
import type { LazyBody, Param, Expr } from '../ast';
import type { JsonValue, OutputShape, Shape, SourceRange } from '../resultTypes';
import { noteAlloc } from './budget';

export interface Scope {
  readonly vars: Map<string, Value>;
  readonly parent: Scope | undefined;
  /** Names declared `global` / `nonlocal` in this scope. */
  readonly globals?: Set<string>;
  readonly nonlocals?: Set<string>;
  /** In a class body: annotated names in order (dataclass fields). */
  readonly annotations?: string[];
}

/** What the interpreter knows about one Python module (one file). */
export interface ModuleCtx {
  readonly name: string;
  readonly file: string;
  /** Package the module belongs to, for relative imports (`__package__`). */
  readonly packageName: string;
  readonly globals: Scope;
  readonly lineStarts: number[];
  /** A module evaluated name by name (binder.ts): runs the rest of its body (for `__dict__`, `globals()`). */
  readonly loadAll?: () => void;
}

export type Value =
  | IntV
  | FloatV
  | BoolV
  | NoneV
  | StrV
  | TupleV
  | ListV
  | DictV
  | SetV
  | RangeV
  | SliceV
  | FunctionV
  | BuiltinV
  | ClassV
  | InstanceV
  | PyModuleV
  | BoundV
  | PartialV
  | UnknownV
  | TensorV
  | LazyV
  | SuperV
  | WrapperV
  | EllipsisV;

export interface IntV {
  readonly kind: 'int';
  readonly v: number;
}
export interface FloatV {
  readonly kind: 'float';
  readonly v: number;
}
export interface BoolV {
  readonly kind: 'bool';
  readonly v: boolean;
}
export interface NoneV {
  readonly kind: 'none';
}
export interface EllipsisV {
  readonly kind: 'ellipsis';
}
/** A string. `opaque` strings (f-strings) are strings whose content is not known. */
export interface StrV {
  readonly kind: 'str';
  readonly v: string;
  readonly opaque?: boolean;
}
export interface TupleV {
  readonly kind: 'tuple';
  readonly items: Value[];
}
/** `unknownReason` (lists and dicts): a call that could not be followed was given this container and may have changed it. */
export interface ListV {
  readonly kind: 'list';
  items: Value[];
  unknownReason?: string;
  /**
   * A numpy array (1-D, or nested lists), modelled as a list: numpy's own rules apply to it, never a Python list's
   * (an integer-array index gathers, arithmetic is elementwise; what is not modelled is unknown).
   */
  readonly ndarray?: true;
}
export interface SetV {
  readonly kind: 'set';
  items: Value[];
}
/** A dict; keys are hashed by `keyOf`. `ordered` marks collections.OrderedDict. */
export interface DictV {
  readonly kind: 'dict';
  readonly map: Map<string, [Value, Value]>;
  readonly ordered?: boolean;
  unknownReason?: string;
}
export interface RangeV {
  readonly kind: 'range';
  readonly start: number;
  readonly stop: number;
  readonly step: number;
}
export interface SliceV {
  readonly kind: 'slice';
  readonly lower: Value;
  readonly upper: Value;
  readonly step: Value;
}

export interface FunctionV {
  readonly kind: 'function';
  readonly name: string;
  readonly qualname: string;
  readonly params: Param[];
  readonly defaults: Map<string, Value>;
  readonly body: LazyBody | { expr: Expr };
  readonly closure: Scope;
  readonly module: ModuleCtx;
  readonly range: SourceRange;
  /** The class whose body defined this function (for zero-argument `super()`). */
  definingClass?: ClassV;
  /** Attributes set on the function object (`fn.__name__`, functools.wraps). */
  readonly attrs: Map<string, Value>;
}

export interface CallArgs {
  readonly args: Value[];
  readonly kwargs: Map<string, Value>;
}

/** A function implemented by the interpreter (Python builtins, torch functions, catalog constructors). */
export interface BuiltinV {
  readonly kind: 'builtin';
  readonly name: string;
  readonly fn: (call: CallArgs, site: CallSite) => Value;
}

/** Where a call happens: the call expression's range and the evaluation context. */
export interface CallSite {
  readonly range: SourceRange;
}

export type TorchKind =
  | { readonly type: 'module' }
  | { readonly type: 'layer'; readonly name: string }
  | { readonly type: 'container'; readonly name: 'Sequential' | 'ModuleList' | 'ModuleDict' | 'ParameterList' | 'ParameterDict' };

export interface ClassV {
  readonly kind: 'class';
  readonly name: string;
  readonly qualname: string;
  readonly bases: ClassV[];
  mro: ClassV[];
  readonly attrs: Map<string, Value>;
  readonly range?: SourceRange;
  readonly module?: ModuleCtx;
  /** Set on torch.nn.Module, its catalog layers and containers. */
  readonly torch?: TorchKind;
  /** Builtin exception classes and their subclasses. */
  readonly isException?: boolean;
  /** A base class that could not be resolved (an unknown library class): instances are still built. */
  readonly unknownBase?: string;
  /** Names annotated in the class body, in order (for dataclasses). */
  annotations?: string[];
  /** Set by @dataclass. */
  isDataclass?: boolean;
  /** Behaviour for builtin classes (int, list, dict, OrderedDict...): construct from call args. */
  readonly construct?: (call: CallArgs, site: CallSite) => Value;
}

/** Torch bookkeeping of an nn.Module instance (what `Module.__setattr__` maintains). */
export interface ModuleData {
  readonly id: number;
  /** Registered submodules in registration order; a value of None is a registered None. */
  readonly children: Map<string, InstanceV | NoneV | UnknownV>;
  /** Registered parameters: element count, or null if unknown; `shared` identity for tied weights. */
  readonly params: Map<string, ParamSlot | null>;
  readonly buffers: Map<string, TensorV | NoneV>;
  /** Catalog layers: resolved constructor arguments as torch stores them. */
  hyperparams: Record<string, JsonValue>;
  /** Catalog layers: the parameter count formula with its terms. */
  paramsFormula?: string;
  /** Why this module's structure is unknown (e.g. an argument of a catalog layer is unknown). */
  unknownReason?: string;
  readonly site: SourceRange;
  readonly stack: SourceRange[];
  /** Where the module was registered as a child (the `self.x = ...` statement, a Sequential item). */
  attach?: SourceRange;
  /** Forward-pass bookkeeping: calls recorded while running `forward` abstractly. */
  readonly calls: LayerCallRecord[];
}

export interface ParamSlot {
  readonly id: number;
  readonly numel: number | null;
  readonly shape: Shape;
  readonly reason?: string;
}

export interface LayerCallRecord {
  readonly inputShapes: Shape[];
  /** Null when the output is not a known tensor (then `reason` says why). */
  readonly outputShape: Shape | null;
  /** The whole result when forward returned a tuple or list holding tensors (`outputShape` is then its first tensor). */
  readonly output?: OutputShape;
  /** Why this call's output, or its input, is not known. */
  readonly reason?: string;
}

export interface InstanceV {
  readonly kind: 'instance';
  readonly cls: ClassV;
  readonly attrs: Map<string, Value>;
  /** Present when the class derives from torch.nn.Module. */
  readonly module?: ModuleData;
  /** Exception instances keep their message. */
  readonly message?: string;
}

export interface PyModuleV {
  readonly kind: 'module';
  readonly name: string;
  /** Attribute lookup; undefined if the module has no such attribute. */
  readonly get: (name: string) => Value | undefined;
  /** For star imports: the public names. */
  readonly names?: () => string[];
  readonly ctx?: ModuleCtx;
  /** Evaluated name by name: a star import binds each name lazily instead of reading them all. */
  readonly lazy?: boolean;
}

export interface BoundV {
  readonly kind: 'bound';
  readonly self: Value;
  readonly fn: Value;
  readonly viaClass?: ClassV;
}
export interface PartialV {
  readonly kind: 'partial';
  readonly fn: Value;
  readonly args: Value[];
  readonly kwargs: Map<string, Value>;
}
export interface SuperV {
  readonly kind: 'super';
  readonly cls: ClassV;
  readonly self: Value;
}
/** staticmethod / classmethod / property objects found in a class body. */
export interface WrapperV {
  readonly kind: 'staticmethod' | 'classmethod' | 'property';
  readonly fn: Value;
}

/** A value that cannot be known statically, and why. `maybeModule` marks results of unknown calls. */
export interface UnknownV {
  readonly kind: 'unknown';
  readonly reason: string;
  readonly range?: SourceRange;
  readonly maybeModule?: boolean;
}

/** A tensor as its shape (forward pass) — or an nn.Parameter / buffer at construction time. */
export interface TensorV {
  readonly kind: 'tensor';
  readonly shape: Shape;
  readonly isParameter?: boolean;
  readonly reason?: string;
  readonly paramId?: number;
  /** Known element values (row-major) of a small tensor, with torch's dtype (see tensorValues.ts). */
  readonly values?: readonly number[];
  readonly dtype?: 'int' | 'float' | 'bool';
}

/** A value imported lazily: the module is evaluated on first use. */
export interface LazyV {
  readonly kind: 'lazy';
  readonly resolve: () => Value;
  readonly label: string;
}

// ------------------------------------------------------------------ constructors

export const NONE: NoneV = { kind: 'none' };
export const ELLIPSIS: EllipsisV = { kind: 'ellipsis' };
export const TRUE: BoolV = { kind: 'bool', v: true };
export const FALSE: BoolV = { kind: 'bool', v: false };
export const int = (v: number): IntV => (noteAlloc(1), { kind: 'int', v });
export const float = (v: number): FloatV => (noteAlloc(1), { kind: 'float', v });
export const bool = (v: boolean): BoolV => (v ? TRUE : FALSE);
export const str = (v: string): StrV => (noteAlloc(0, v.length), { kind: 'str', v });
export const tuple = (items: Value[]): TupleV => (noteAlloc(items.length), { kind: 'tuple', items });
export const list = (items: Value[]): ListV => (noteAlloc(items.length), { kind: 'list', items });
export const ndarray = (items: Value[]): ListV => (noteAlloc(items.length), { kind: 'list', items, ndarray: true });
export const isNdarray = (v: Value): v is ListV & { readonly ndarray: true } => v.kind === 'list' && v.ndarray === true;
export const unknown = (reason: string, range?: SourceRange, maybeModule?: boolean): UnknownV => ({
  kind: 'unknown',
  reason,
  ...(range ? { range } : {}),
  ...(maybeModule ? { maybeModule } : {}),
});
export const builtin = (name: string, fn: BuiltinV['fn']): BuiltinV => ({ kind: 'builtin', name, fn });

export function dict(entries: [Value, Value][] = [], ordered = false): DictV {
  noteAlloc(2 * entries.length);
  const map = new Map<string, [Value, Value]>();
  for (const [k, v] of entries) map.set(keyOf(k), [k, v]);
  return { kind: 'dict', map, ...(ordered ? { ordered } : {}) };
}

/** A hash key for dict/set membership: equal Python values give equal keys (1 == 1.0 == True). */
export function keyOf(v: Value): string {
  switch (v.kind) {
    case 'int':
    case 'float':
      return `n:${v.v}`;
    case 'bool':
      return `n:${v.v ? 1 : 0}`;
    case 'str':
      return `s:${v.v}`;
    case 'none':
      return 'None';
    case 'tuple':
      return `t:(${v.items.map(keyOf).join(',')})`;
    case 'class':
      return `c:${v.qualname}@${v.range?.file ?? ''}:${v.range?.from ?? ''}`;
    default:
      return `o:${identity(v)}`;
  }
}

const ids = new WeakMap<object, number>();
let nextId = 1;
/** A stable identity number for a heap value (Python's `id()`). */
export function identity(v: object): number {
  let id = ids.get(v);
  if (id === undefined) {
    id = nextId++;
    ids.set(v, id);
  }
  return id;
}

export function isUnknown(v: Value | readonly unknown[] | object): v is UnknownV {
  return !Array.isArray(v) && (v as { kind?: string }).kind === 'unknown';
}

export function isModuleInstance(v: Value): v is InstanceV & { module: ModuleData } {
  return v.kind === 'instance' && v.module !== undefined;
}

export function isNumber(v: Value): v is IntV | FloatV | BoolV {
  return v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
}

export function numberOf(v: IntV | FloatV | BoolV): number {
  return v.kind === 'bool' ? (v.v ? 1 : 0) : v.v;
}

/** The Python type name of a value, for messages. */
export function typeName(v: Value): string {
  switch (v.kind) {
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'bool':
      return 'bool';
    case 'none':
      return 'NoneType';
    case 'str':
      return 'str';
    case 'tuple':
      return 'tuple';
    case 'list':
      return v.ndarray ? 'numpy.ndarray' : 'list';
    case 'dict':
      return 'dict';
    case 'set':
      return 'set';
    case 'range':
      return 'range';
    case 'slice':
      return 'slice';
    case 'function':
      return 'function';
    case 'builtin':
      return 'builtin_function_or_method';
    case 'class':
      return 'type';
    case 'instance':
      return v.cls.name;
    case 'module':
      return 'module';
    case 'bound':
      return 'method';
    case 'partial':
      return 'functools.partial';
    case 'unknown':
      return 'unknown';
    case 'tensor':
      return v.isParameter ? 'Parameter' : 'Tensor';
    case 'lazy':
      return 'lazy';
    case 'super':
      return 'super';
    case 'staticmethod':
    case 'classmethod':
    case 'property':
      return v.kind;
    case 'ellipsis':
      return 'ellipsis';
  }
}
