// Tensors made while a model is built: torch's factories (zeros, ones, randn, the legacy constructors,
// the *_like forms) as shapes, with the values of a few-element zeros/ones kept, torch.Tensor as a class
// and nn.Parameter. Tensor ops in the forward pass are the forward model's (forward.ts and its files).
import type { Shape } from '../resultTypes';
import {
  NONE,
  builtin,
  type BuiltinV,
  unknown,
  isUnknown,
  isNumber,
  numberOf,
  typeName,
  type CallArgs,
  type CallSite,
  type ClassV,
  type UnknownV,
  type Value,
} from './values';
import type { Interpreter } from './eval';
import { newParamId } from './nnModule';

function shapeFromArgs(interp: Interpreter, c: CallArgs, site: CallSite): Shape | UnknownV {
  const f = (v: Value) => interp.force(v);
  let dims: Value[] = c.args;
  const size = c.kwargs.get('size');
  if (size) dims = [size];
  if (dims.length === 1) {
    const d0 = f(dims[0]!);
    if (d0.kind === 'tuple' || d0.kind === 'list') dims = d0.items;
  }
  const out: (number | null)[] = [];
  for (const d of dims) {
    const x = f(d);
    if (isUnknown(x)) return unknown(`tensor size cannot be known: ${x.reason}`, x.range ?? site.range);
    if (!isNumber(x)) return unknown(`tensor size of type ${typeName(x)}`, site.range);
    out.push(numberOf(x));
  }
  return out;
}

/** How many elements a factory-made tensor may have and still carry its values. */
const SMALL_TENSOR = 16;

/** torch.zeros / ones / empty / randn / rand and the legacy constructors (torch.Tensor(3, 4), torch.FloatTensor([...])). */
export function tensorFactory(interp: Interpreter, extraTorch: ReadonlyMap<string, Value>, name: string): BuiltinV {
  const f = (v: Value) => interp.force(v);
  return builtin(`torch.${name}`, (c, site) => {
    // The legacy constructors take data too: torch.Tensor([1.0, 2.0]), torch.FloatTensor((0.4, 0.4, 0.4)).
    const d0 = c.args.length === 1 && !c.kwargs.has('size') ? f(c.args[0]!) : undefined;
    const fromData = extraTorch.get('tensor');
    if (['Tensor', 'FloatTensor', 'LongTensor'].includes(name) && d0 && (d0.kind === 'list' || d0.kind === 'tuple') && fromData) {
      return interp.callValue(fromData, { args: [d0], kwargs: new Map() }, site);
    }
    // torch.FloatTensor(t) / torch.Tensor(t) of a tensor: a copy with its shape.
    if (['Tensor', 'FloatTensor', 'LongTensor'].includes(name) && d0 && d0.kind === 'tensor') {
      return { kind: 'tensor', shape: d0.shape, ...(d0.reason ? { reason: d0.reason } : {}) };
    }
    const s = shapeFromArgs(interp, c, site);
    if (isUnknown(s)) return { kind: 'tensor', shape: [], reason: s.reason };
    // torch.zeros/ones of a few elements keep their values: `if torch.ones(1):` is True, as in torch.
    const fill = name === 'zeros' ? 0 : name === 'ones' ? 1 : undefined;
    const n = s.every((d) => typeof d === 'number') ? (s as number[]).reduce((a, b) => a * b, 1) : undefined;
    const dtype = valueDtype(interp, c.kwargs.get('dtype'));
    if (fill !== undefined && n !== undefined && n <= SMALL_TENSOR && dtype)
      return { kind: 'tensor', shape: s, values: Array<number>(n).fill(fill), dtype };
    // A boolean tensor indexes as a mask (operators.ts getItem), so its dtype is kept even without values.
    return { kind: 'tensor', shape: s, ...(dtype === 'bool' ? { dtype } : {}) };
  });
}

/** The kind of values a `dtype=` gives (float32 when absent); undefined when it cannot be known. */
function valueDtype(interp: Interpreter, d: Value | undefined): 'float' | 'int' | 'bool' | undefined {
  const v = d ? interp.force(d) : NONE;
  if (v.kind === 'none') return 'float';
  if (v.kind !== 'str') return undefined;
  return /float|double|half/.test(v.v) ? 'float' : /bool/.test(v.v) ? 'bool' : /int|long|short|uint8/.test(v.v) ? 'int' : undefined;
}

/** torch.zeros_like and friends: a tensor of the input's shape. */
export function likeFactory(interp: Interpreter, name: string): BuiltinV {
  const f = (v: Value) => interp.force(v);
  return builtin(`torch.${name}`, (c) => {
    const t = f(c.args[0] ?? c.kwargs.get('input') ?? NONE);
    if (isUnknown(t)) return t;
    return t.kind === 'tensor'
      ? { kind: 'tensor', shape: t.shape, ...(t.reason ? { reason: t.reason } : {}) }
      : { kind: 'tensor', shape: [], reason: `${name} of a value that is not a tensor` };
  });
}

/** torch.nn.Parameter: calling it makes a parameter tensor with a fresh id. */
export function createParameterClass(interp: Interpreter): ClassV {
  const f = (v: Value) => interp.force(v);
  const parameterCls: ClassV = {
    kind: 'class',
    name: 'Parameter',
    qualname: 'Parameter',
    bases: [],
    mro: [],
    attrs: new Map(),
    construct: (c, site) => {
      const t = f(c.args[0] ?? c.kwargs.get('data') ?? NONE);
      if (t.kind === 'tensor')
        return { kind: 'tensor', shape: t.shape, isParameter: true, paramId: newParamId(), ...(t.reason ? { reason: t.reason } : {}) };
      if (t.kind === 'none') return { kind: 'tensor', shape: [0], isParameter: true, paramId: newParamId() };
      return {
        kind: 'tensor',
        shape: [null],
        isParameter: true,
        paramId: newParamId(),
        reason: isUnknown(t) ? t.reason : `Parameter of ${typeName(t)}`,
        ...(site ? {} : {}),
      };
    },
  };
  parameterCls.mro = [parameterCls];
  return parameterCls;
}

/** torch.Tensor: both the class (isinstance checks, annotations) and a constructor of uninitialised tensors (`torch.Tensor(3, 4)`). */
export function createTensorClass(interp: Interpreter, extraTorch: ReadonlyMap<string, Value>): ClassV {
  const tensorClass: ClassV = {
    kind: 'class',
    name: 'Tensor',
    qualname: 'Tensor',
    bases: [],
    mro: [],
    attrs: new Map(),
    construct: (c, site) => tensorFactory(interp, extraTorch, 'Tensor').fn(c, site),
  };
  tensorClass.mro = [tensorClass];
  return tensorClass;
}
