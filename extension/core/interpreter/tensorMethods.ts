// Tensor attributes and methods in the forward pass (`x.shape`, `x.view(...)`, `x.mean(dim)`, `x.softmax(-1)`...):
// shapes, known values where they are carried, and a record of the methods that do arithmetic. Each method is
// bound to torch's declared signature (torch/signatures.ts) when there is one. torch.* functions that are
// methods too (torch.flatten, torch.mean...) come here through torchFunctions.ts.
import type { Shape } from '../resultTypes';
import { SIGNATURES } from '../torch/signatures';
import {
  NONE,
  builtin,
  int,
  tuple,
  unknown,
  isUnknown,
  isNumber,
  numberOf,
  type CallArgs,
  type CallSite,
  type TensorV,
  type Value,
} from './values';
import { cast, clampValues, unaryValues, type Dtype } from './tensorValues';
import { known, normDim, tensor, toNested, valued, valuesOf, type ForwardContext } from './forward';
import { elementwise, matmul, setValues } from './operators';
import { reduce, reshape, sizeArgs, splitSizes } from './shapeOps';

/** `t.shape` / `t.size()`: a tuple of ints, an unknown where a dimension is not known. */
const sizeTuple = (s: Shape): Value => tuple(s.map((d) => (d === null ? unknown('a tensor dimension that cannot be known') : int(d))));

/** The bound method `t.name` (bound to its declared signature when torch/signatures.ts has one); undefined = not modelled. */
export function tensorMethod(fx: ForwardContext, t: TensorV, name: string): Value | undefined {
  const { f, fail, asTensor, intOf, declared, jsonArgs, record, interp } = fx;
  const sig = SIGNATURES.Tensor.get(name);
  const m = (fn: (c: CallArgs, site: CallSite) => Value) => {
    const b = builtin(`Tensor.${name}`, fn);
    return sig ? declared(name, sig, b) : b;
  };
  const rank = t.shape.length;
  switch (name) {
    case 'size':
      return m((c) => {
        const d = intOf(c.args[0] ?? c.kwargs.get('dim'));
        if (d === undefined) return sizeTuple(t.shape);
        const v = t.shape[normDim(d, rank)];
        return v === null || v === undefined ? unknown('a tensor dimension that cannot be known') : int(v);
      });
    case 'dim':
    case 'ndimension':
      return m(() => int(rank));
    case 'numel':
    case 'nelement':
      return m(() => (known(t.shape) ? int(t.shape.reduce((a, b) => a * b, 1)) : unknown('numel of a tensor whose shape cannot be known')));
    case 'view':
    case 'reshape':
      return m((c, site) => {
        const first = c.args[0] ? f(c.args[0]) : NONE;
        if (first.kind === 'str' || first.kind === 'class') return tensor(t.shape); // view(dtype)
        const target = sizeArgs(fx, c.args);
        if (isUnknown(target)) return tensor(t.shape.map(() => null));
        const r = reshape(fx, t, target, site);
        return r.kind === 'tensor' && t.values ? valued(r.shape, valuesOf(t)) : r;
      });
    case 'view_as':
    case 'reshape_as':
    case 'expand_as':
    case 'type_as':
      return m((c) => {
        const o = asTensor(c.args[0] ?? NONE);
        return name === 'type_as' ? tensor(t.shape) : tensor(o ? o.shape : t.shape.map(() => null));
      });
    case 'flatten':
      return m((c) => {
        const s = normDim(intOf(c.args[0] ?? c.kwargs.get('start_dim')) ?? 0, rank),
          e = normDim(intOf(c.args[1] ?? c.kwargs.get('end_dim')) ?? -1, rank);
        if (rank === 0) return valued([1], valuesOf(t));
        const mid = t.shape.slice(s, e + 1);
        return valued(
          [...t.shape.slice(0, s), known(mid) ? mid.reduce((a, b) => a * b, 1) : null, ...t.shape.slice(e + 1)],
          t.values ? valuesOf(t) : undefined,
        );
      });
    case 'permute':
      return m((c, site) => {
        const dims = sizeArgs(fx, c.args);
        if (isUnknown(dims) || dims.some((d) => d === null)) return tensor(t.shape.map(() => null));
        if (dims.length !== rank)
          return fail(
            `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${rank} is not equal to len(dims) = ${dims.length}`,
            site,
          );
        return tensor((dims as number[]).map((d) => t.shape[normDim(d, rank)] ?? null));
      });
    case 'transpose':
    case 'swapaxes':
    case 'swapdims':
      return m((c) => {
        const a = normDim(intOf(c.args[0]) ?? 0, rank),
          b = normDim(intOf(c.args[1]) ?? 1, rank);
        const out = [...t.shape];
        [out[a], out[b]] = [out[b] ?? null, out[a] ?? null];
        return tensor(out);
      });
    case 't':
      return m(() => tensor(rank < 2 ? t.shape : [t.shape[1]!, t.shape[0]!]));
    case 'unsqueeze':
      return m((c) => {
        const d = normDim(intOf(c.args[0] ?? c.kwargs.get('dim')) ?? 0, rank + 1);
        const out = [...t.shape];
        out.splice(d, 0, 1);
        return valued(out, t.values ? valuesOf(t) : undefined);
      });
    case 'squeeze':
      return m((c) => {
        const d = intOf(c.args[0] ?? c.kwargs.get('dim'));
        if (d === undefined) return tensor(t.shape.filter((x) => x !== 1));
        const i = normDim(d, rank);
        return tensor(t.shape[i] === 1 ? t.shape.filter((_, j) => j !== i) : t.shape);
      });
    case 'mean':
    case 'sum':
    case 'amax':
    case 'amin':
    case 'prod':
    case 'std':
    case 'var':
    case 'norm':
    case 'logsumexp':
      return m((c) => {
        const dimArg = name === 'norm' ? (c.args[1] ?? c.kwargs.get('dim')) : (c.args[0] ?? c.kwargs.get('dim'));
        const out = reduce(fx, t, dimArg, interp.truthy(c.args[name === 'norm' ? 2 : 1] ?? c.kwargs.get('keepdim') ?? NONE) === true);
        if (name === 'mean' || name === 'sum') record(name, 'method', [t.shape], out.shape);
        // A full reduction of a value tensor keeps its value (`t.sum()`, `t.mean()`).
        if ((name === 'sum' || name === 'mean') && t.values && !dimArg && t.values.length > 0) {
          const total = t.values.reduce((a, b) => a + b, 0);
          const dtype: Dtype = name === 'mean' ? 'float' : t.dtype === 'float' ? 'float' : 'int';
          return valued(out.shape, { values: cast([name === 'mean' ? total / t.values.length : total], dtype), dtype });
        }
        return out;
      });
    case 'max':
    case 'min':
      return m((c) => {
        const dimArg = c.args[0] ?? c.kwargs.get('dim');
        if (!dimArg || asTensor(dimArg)) return dimArg ? tensor(t.shape) : tensor([]);
        const out = reduce(fx, t, dimArg, interp.truthy(c.args[1] ?? c.kwargs.get('keepdim') ?? NONE) === true);
        return tuple([out, tensor(out.shape)]);
      });
    case 'argmax':
    case 'argmin':
      return m((c) => (c.args[0] ? reduce(fx, t, c.args[0], false) : tensor([])));
    case 'chunk':
      return m((c, site) => splitSizes(fx, t, c.args[0] ?? c.kwargs.get('chunks') ?? NONE, c.args[1] ?? c.kwargs.get('dim'), true, site));
    case 'split':
      return m((c, site) =>
        splitSizes(fx, t, c.args[0] ?? c.kwargs.get('split_size_or_sections') ?? NONE, c.args[1] ?? c.kwargs.get('dim'), false, site),
      );
    case 'narrow':
      return m((c) => {
        const d = normDim(intOf(c.args[0]) ?? 0, rank),
          len = intOf(c.args[2]);
        return tensor(t.shape.map((x, i) => (i === d ? (len ?? null) : x)));
      });
    case 'expand':
      return m((c) => {
        const target = sizeArgs(fx, c.args);
        if (isUnknown(target)) return tensor(t.shape.map(() => null));
        const off = target.length - rank;
        return tensor(target.map((d, i) => (d === -1 ? (t.shape[i - off] ?? null) : d)));
      });
    case 'repeat':
      return m((c) => {
        const reps = sizeArgs(fx, c.args);
        if (isUnknown(reps)) return tensor(t.shape.map(() => null));
        const off = reps.length - rank;
        return tensor(
          reps.map((r, i) => {
            const s = i - off >= 0 ? (t.shape[i - off] ?? 1) : 1;
            return r === null || s === null ? null : r * s;
          }),
        );
      });
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'add_':
    case 'sub_':
    case 'mul_':
    case 'div_':
      return m((c, site) => {
        const op = ({ add: '+', sub: '-', mul: '*', div: '/' } as Record<string, string>)[name.replace(/_$/, '')]!;
        return elementwise(fx, op, t, c.args[0] ?? c.kwargs.get('other') ?? NONE, site, 'method') ?? tensor(t.shape);
      });
    case 'matmul':
    case 'mm':
    case 'bmm':
      return m((c, site) => {
        const o = asTensor(c.args[0] ?? NONE);
        if (!o) return unknown(`${name}() of a value that is not a tensor`, site.range);
        const out = matmul(fx, t.shape, o.shape, site);
        record(name, 'method', [t.shape, o.shape], out);
        return tensor(out);
      });
    case 'clamp':
    case 'clip':
    case 'clamp_':
    case 'clip_':
    case 'clamp_min':
    case 'clamp_max':
      return m((c) => clamped(fx, t, name, c));
    case 'softmax':
    case 'log_softmax':
      return m((c) => {
        record(name, 'method', [t.shape], t.shape, jsonArgs(c, ['dim'], sig));
        return tensor(t.shape);
      });
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'relu_':
    case 'sigmoid_':
    case 'tanh_':
      return m(() => {
        record(name.replace(/_$/, ''), 'method', [t.shape], t.shape);
        return tensor(t.shape);
      });
    // Ops that keep the shape and the known values (copies, device moves).
    case 'contiguous':
    case 'clone':
    case 'detach':
    case 'to':
    case 'cuda':
    case 'cpu':
    case 'requires_grad_':
      return m(() => valued(t.shape, valuesOf(t)));
    // Casts: values follow the target dtype.
    case 'float':
    case 'double':
    case 'half':
    case 'bfloat16':
    case 'long':
    case 'int':
    case 'bool':
      return m(() => {
        const v = valuesOf(t);
        const dtype: Dtype = name === 'long' || name === 'int' ? 'int' : name === 'bool' ? 'bool' : 'float';
        const r = valued(t.shape, v ? { values: cast(v.values, dtype), dtype } : undefined);
        // A boolean tensor indexes as a mask (operators.ts getItem), so its dtype is kept even without values.
        return dtype === 'bool' && !r.values ? { ...r, dtype } : r;
      });
    case 'exp':
    case 'log':
    case 'log2':
    case 'sqrt':
    case 'rsqrt':
    case 'abs':
    case 'neg':
    case 'sign':
    case 'floor':
    case 'ceil':
    case 'round':
    case 'sin':
    case 'cos':
      return m(() => {
        const v = valuesOf(t);
        return valued(t.shape, v ? unaryValues(name, v) : undefined);
      });
    case 'roll':
    case 'flip':
    case 'tril':
    case 'triu':
    case 'cumsum':
    case 'cumprod':
    case 'softplus':
    case 'gelu':
    case 'silu':
    case 'pow':
    case 'fill_':
    case 'zero_':
    case 'normal_':
    case 'uniform_':
    case 'masked_fill':
    case 'masked_fill_':
    case 'type':
    case 'exp_':
    case 'sqrt_':
    case 'erf':
    case 'reciprocal':
    case 'square':
    case 'erfc':
    case 'erfinv':
    case 'expm1':
    case 'log1p':
    case 'log10':
    case 'trunc':
    case 'frac':
    case 'tan':
    case 'atan':
    case 'asin':
    case 'acos':
    case 'sinh':
    case 'cosh':
    case 'exp2':
    case 'abs_':
    case 'neg_':
    case 'floor_':
    case 'ceil_':
    case 'round_':
    case 'log_':
      return m(() => tensor(t.shape));
    case 'new_zeros':
    case 'new_ones':
    case 'new_empty':
    case 'new_full':
      return m((c) => {
        const s = sizeArgs(fx, c.args.slice(0, name === 'new_full' ? 1 : undefined));
        return isUnknown(s) ? s : tensor(s);
      });
    case 'tolist':
      return m((_c, site) =>
        t.values && known(t.shape)
          ? toNested(t.values, t.shape, t.dtype ?? 'float')
          : unknown('Tensor.tolist() reads tensor values that are not known statically', site.range),
      );
    case 'item':
      return m((_c, site) =>
        t.values && t.values.length === 1
          ? toNested(t.values, [], t.dtype ?? 'float')
          : unknown('Tensor.item() reads a tensor value that is not known statically', site.range),
      );
    default:
      return undefined;
  }
}

/** clamp/clip (and clamp_min/clamp_max): the same shape, and the clamped values when the tensor's and the bounds' are known. */
export function clamped(fx: ForwardContext, t: TensorV, name: string, c: CallArgs): Value {
  const { f } = fx;
  const bound = (i: number, n: string): Value => f(c.args[i] ?? c.kwargs.get(n) ?? NONE);
  const lo = name === 'clamp_max' ? NONE : bound(0, 'min');
  const hi = name === 'clamp_min' ? NONE : name === 'clamp_max' ? bound(0, 'max') : bound(1, 'max');
  const v = valuesOf(t);
  const num = (b: Value) => (isNumber(b) ? numberOf(b) : undefined);
  const knownBound = (b: Value) => b.kind === 'none' || isNumber(b);
  if (!v || !knownBound(lo) || !knownBound(hi)) return tensor(t.shape);
  return valued(t.shape, clampValues(v, num(lo), num(hi), lo.kind === 'float' || hi.kind === 'float'));
}

/** An in-place method (`add_`, `clamp_`, `fill_`): its out-of-place result becomes the tensor's own values, and it returns the tensor. */
function inPlace(fx: ForwardContext, t: TensorV, name: string, meth: Value | undefined): Value | undefined {
  const { f, interp } = fx;
  if (!/^[a-z].*[^_]_$/.test(name) || name === 'requires_grad_' || !t.values) return meth;
  return builtin(`Tensor.${name}`, (c, site) => {
    const r = meth ? f(interp.callValue(meth, c, site)) : undefined;
    setValues(t, r?.kind === 'tensor' ? valuesOf(r) : undefined);
    return t;
  });
}

/** A tensor's attribute: shape, ndim, T, data, a run-time property (unknown) or a bound method. */
export function tensorAttr(fx: ForwardContext, obj: TensorV, name: string, site: CallSite): Value {
  switch (name) {
    case 'shape':
      return sizeTuple(obj.shape);
    case 'ndim':
      return int(obj.shape.length);
    case 'T':
    case 'mT':
      return tensor(
        obj.shape.length < 2
          ? obj.shape
          : [...obj.shape.slice(0, -2), obj.shape[obj.shape.length - 1]!, obj.shape[obj.shape.length - 2]!].slice(name === 'T' ? 0 : 0),
      );
    case 'data':
      return tensor(obj.shape);
    case 'device':
    case 'dtype':
    case 'requires_grad':
    case 'grad':
    case 'is_cuda':
      return unknown(`Tensor.${name} is a run-time property`, site.range);
  }
  const meth = inPlace(fx, obj, name, tensorMethod(fx, obj, name));
  return meth ?? unknown(`Tensor.${name} is not modelled`, site.range);
}
