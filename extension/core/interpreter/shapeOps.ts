// Shape arithmetic shared by torch.* functions and Tensor methods: size arguments, reshape, reductions,
// split/chunk, cat/stack, lists of tensors. Each takes the forward context (forward.ts) for forcing values
// and raising torch's errors; none records anything.
import {
  NONE,
  tuple,
  unknown,
  isUnknown,
  isNumber,
  numberOf,
  typeName,
  type CallSite,
  type TensorV,
  type UnknownV,
  type Value,
} from './values';
import { known, normDim, shapeStr, tensor, valued, type Dim, type ForwardContext } from './forward';

/** Sizes given as `*sizes` or one tuple/list (`x.view(n, -1)`, `x.view((n, -1))`); an unknown size is null. */
export function sizeArgs(fx: ForwardContext, args: Value[]): Dim[] | UnknownV {
  const { f } = fx;
  let items = args;
  if (items.length === 1) {
    const a = f(items[0]!);
    if (a.kind === 'tuple' || a.kind === 'list') items = a.items;
  }
  const out: Dim[] = [];
  for (const it of items) {
    const x = f(it);
    if (isNumber(x)) out.push(numberOf(x));
    else if (isUnknown(x)) out.push(null);
    // A one-element integer tensor is an index (`x.permute(*perm)` over a tensor of dims).
    else if (x.kind === 'tensor' && x.dtype !== 'float' && x.values?.length === 1 && x.shape.every((d) => d === 1)) out.push(x.values[0]!);
    else return unknown(`size argument of type ${typeName(x)}`);
  }
  return out;
}

/** `view`/`reshape` to `target` (one -1 inferred), with torch's message when the sizes do not fit. */
export function reshape(fx: ForwardContext, t: TensorV, target: Dim[], site: CallSite): Value {
  const { fail } = fx;
  const total = known(t.shape) ? t.shape.reduce((a, b) => a * b, 1) : null;
  const neg = target.indexOf(-1);
  if (neg >= 0) {
    const rest = target.filter((_, i) => i !== neg);
    if (total === null || rest.some((d) => d === null)) return tensor(target.map((d) => (d === -1 ? null : d)));
    const r = (rest as number[]).reduce((a, b) => a * b, 1);
    if (r === 0 || total % r !== 0) return fail(`shape '${shapeStr(target)}' is invalid for input of size ${total}`, site);
    return tensor(target.map((d) => (d === -1 ? total / r : d)));
  }
  if (total !== null && target.every((d) => d !== null) && (target as number[]).reduce((a, b) => a * b, 1) !== total) {
    return fail(`shape '${shapeStr(target)}' is invalid for input of size ${total}`, site);
  }
  return tensor(target);
}

/** A reduction over `dim` (None: all of them), keeping the reduced dims as 1 with `keepdim`. */
export function reduce(fx: ForwardContext, t: TensorV, dimV: Value | undefined, keepdim: boolean): TensorV {
  const { f } = fx;
  const d = dimV ? f(dimV) : NONE;
  if (d.kind === 'none') return tensor(keepdim ? t.shape.map(() => 1) : []);
  const dims = (d.kind === 'tuple' || d.kind === 'list' ? d.items.map(f) : [d]).map((x) =>
    isNumber(x) ? normDim(numberOf(x), t.shape.length) : -99,
  );
  if (dims.includes(-99)) return tensor(t.shape.map(() => null));
  return tensor(keepdim ? t.shape.map((s, i) => (dims.includes(i) ? 1 : s)) : t.shape.filter((_, i) => !dims.includes(i)));
}

/** `split` (a size or a list of sizes) and `chunk` (a number of chunks) along `dim`: a tuple of tensors. */
export function splitSizes(fx: ForwardContext, t: TensorV, spec: Value, dimV: Value | undefined, chunks: boolean, site: CallSite): Value {
  const { f, intOf } = fx;
  const dim = normDim(intOf(dimV) ?? 0, t.shape.length);
  const size = t.shape[dim];
  const s = f(spec);
  let parts: Dim[];
  if (s.kind === 'list' || s.kind === 'tuple') parts = s.items.map((x) => intOf(x) ?? null);
  else if (isNumber(s) && size !== null && size !== undefined) {
    const n = numberOf(s);
    if (chunks) {
      const each = Math.ceil(size / n);
      parts = [];
      for (let left = size; left > 0; left -= each) parts.push(Math.min(each, left));
    } else {
      parts = [];
      for (let left = size; left > 0; left -= n) parts.push(Math.min(n, left));
    }
  } else return unknown('split sizes cannot be known', site.range);
  return tuple(parts.map((p) => tensor(t.shape.map((x, i) => (i === dim ? p : x)))));
}

/** `torch.cat` / `torch.stack` of tensors along `dim`, with torch's messages for mismatched sizes. */
export function catShapes(fx: ForwardContext, ts: TensorV[], dim: number, stack: boolean, site: CallSite): Value {
  const { fail } = fx;
  if (!ts.length) return fail('expected a non-empty list of Tensors', site);
  const rank = ts[0]!.shape.length;
  if (stack) {
    const d = normDim(dim, rank + 1);
    const out = [...ts[0]!.shape];
    out.splice(d, 0, ts.length);
    return tensor(out);
  }
  const d = normDim(dim, rank);
  const out = [...ts[0]!.shape];
  let sum: Dim = 0;
  for (const t of ts) {
    if (t.shape.length !== rank) return fail(`Tensors must have same number of dimensions: got ${rank} and ${t.shape.length}`, site);
    for (let i = 0; i < rank; i++) {
      if (i === d) continue;
      const a = out[i],
        b = t.shape[i];
      if (a !== null && b !== null && a !== b)
        return fail(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${a} but got size ${b} for tensor number ${ts.indexOf(t)} in the list.`,
          site,
        );
      if (a === null) out[i] = b ?? null;
    }
    sum = sum === null || t.shape[d] === null ? null : sum + (t.shape[d] as number);
  }
  out[d] = sum;
  // Along the first dimension, known values are the inputs' values one after another (index tensors).
  if (d === 0 && ts.every((t) => t.values) && known(out)) {
    const dtype = ts.some((t) => t.dtype === 'float') ? 'float' : ts.every((t) => t.dtype === 'bool') ? 'bool' : 'int';
    return valued(out, { values: ts.flatMap((t) => [...t.values!]), dtype });
  }
  return tensor(out);
}

/** The tensors of a list or tuple argument (`torch.cat([a, b])`), or the unknown that stops it. */
export function tensorList(fx: ForwardContext, v: Value, site: CallSite): TensorV[] | UnknownV {
  const { f, asTensor, interp } = fx;
  const items = interp.iterate(v, site);
  if (isUnknown(items)) return items;
  const out: TensorV[] = [];
  for (const it of items) {
    const t = asTensor(it);
    if (!t) {
      const x = f(it);
      return isUnknown(x) ? x : unknown(`expected tensors, got ${typeName(x)}`, site.range);
    }
    out.push(t);
  }
  return out;
}
