// Python operators on tensors: arithmetic and comparisons (broadcast shapes, known values carried), `@`,
// indexing, len() and iteration. These are the interpreter's binop/getItem/len/iterate hooks for tensors
// (installed in domain.ts); the matching torch.* and Tensor.* calls reuse elementwise and matmul.
// Shapes only: counting MACs is cost/'s job.
import type { Shape } from '../resultTypes';
import type { FunctionalVia } from '../cost/costTypes';
import { broadcast } from '../torch';
import {
  int,
  list,
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
import { binaryValues, cast, type Values } from './tensorValues';
import { shapeStr, tensor, valued, valuesOf, type Dim, type ForwardContext } from './forward';

/** `a op b` where either side is a tensor: broadcast shapes, known values carried, recorded as torch's op name. */
export function elementwise(fx: ForwardContext, op: string, a: Value, b: Value, site: CallSite, via: FunctionalVia): Value | undefined {
  const { f, asTensor, fail, record } = fx;
  const ta = asTensor(a),
    tb = asTensor(b);
  if (!ta && !tb) return undefined;
  const other = ta ? f(b) : f(a);
  if (isUnknown(other)) return unknown(other.reason, other.range ?? site.range);
  const sa = ta ? ta.shape : [],
    sb = tb ? tb.shape : [];
  const r = broadcast(sa, sb);
  if (!r.ok) return fail(r.error, site);
  const out = (r as { shape: Shape }).shape;
  const torchOp =
    ({ '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floor_divide', '%': 'remainder', '**': 'pow' } as Record<string, string>)[
      op
    ] ?? op;
  record(
    torchOp,
    via,
    [ta ? sa : null, tb ? sb : null].filter((s): s is Shape => s !== null),
    out,
  );
  const va = valuesOf(f(a)),
    vb = valuesOf(f(b));
  const result = valued(out, va && vb ? binaryValues(op, va, vb) : undefined);
  // A comparison gives a boolean tensor, which indexes as a mask (getItem), so its dtype is kept even without values.
  return COMPARISONS.has(op) && !result.values ? { ...result, dtype: 'bool' } : result;
}

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=']);

/** The output shape of `a @ b` (torch.matmul's rules for 1-D operands and batch broadcasting). */
export function matmul(fx: ForwardContext, a: Shape, b: Shape, site: CallSite): Shape {
  const { fail } = fx;
  if (a.length === 0 || b.length === 0) return fail('both arguments to matmul need to be at least 1D', site);
  const a2 = a.length === 1 ? [1, a[0]!] : a,
    b2 = b.length === 1 ? [b[0]!, 1] : b;
  const k1 = a2[a2.length - 1]!,
    k2 = b2[b2.length - 2]!;
  if (k1 !== null && k2 !== null && k1 !== k2) fail(`mat1 and mat2 shapes cannot be multiplied (${shapeStr(a)} and ${shapeStr(b)})`, site);
  const batch = broadcast(a2.slice(0, -2), b2.slice(0, -2));
  if (!batch.ok) return fail(batch.error, site);
  const out: Dim[] = [...(batch as { shape: Shape }).shape, a2[a2.length - 2]!, b2[b2.length - 1]!];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  return out;
}

/** The `binop` hook: arithmetic, `@` and comparisons where a side is a tensor; undefined = not a tensor op. */
export function binop(fx: ForwardContext, op: string, a: Value, b: Value, site: CallSite): Value | undefined {
  const { f, asTensor, record } = fx;
  if (op === 'unary-' || op === 'unary+' || op === 'unary~') {
    const t = asTensor(a);
    return t ? tensor(t.shape) : undefined;
  }
  if (op === '@') {
    const ta = asTensor(a),
      tb = asTensor(b);
    if (!ta || !tb) return undefined;
    const out = matmul(fx, ta.shape, tb.shape, site);
    record('matmul', 'operator', [ta.shape, tb.shape], out);
    return tensor(out);
  }
  if (['<', '>', '<=', '>=', '==', '!='].includes(op)) {
    const ta = asTensor(a),
      tb = asTensor(b);
    if (!ta && !tb) return undefined;
    const r = broadcast(ta?.shape ?? [], tb?.shape ?? []);
    if (!r.ok || !('shape' in r)) return unknown('comparison of tensors', site.range);
    const va = valuesOf(f(a)),
      vb = valuesOf(f(b));
    return valued(r.shape, va && vb ? binaryValues(op, va, vb) : undefined);
  }
  if (!['+', '-', '*', '/', '//', '%', '**'].includes(op)) return undefined;
  return elementwise(fx, op, a, b, site, 'operator');
}

// ---------------------------------------------------------------- indexing

/**
 * Mutation of a tensor's known values (`ch[1:-1] = ch[1:-1].clip(min=m)`, `t.add_(1)`): the tensor object keeps
 * its identity and gets the new values, or loses them when they cannot be known (its shape never changes).
 */
export function setValues(t: TensorV, v: Values | undefined): void {
  const m = t as { -readonly [K in keyof TensorV]: TensorV[K] };
  if (v && t.values && v.values.length === t.values.length) m.values = cast(v.values, t.dtype ?? 'float');
  else delete m.values;
}

/** The `setItem` hook: `t[i] = v` on a 1-D tensor with known values keeps them known; true when `obj` is a tensor. */
export function setItem(fx: ForwardContext, obj: Value, index: Value, value: Value, site: CallSite): boolean {
  const { f, asTensor, interp } = fx;
  const t = asTensor(obj);
  if (!t) return false;
  if (!t.values) return true;
  const idx = f(index);
  const n = t.shape.length === 1 ? t.shape[0] : null;
  const src = valuesOf(f(value));
  if (n === null || n === undefined || !src) {
    setValues(t, undefined);
    return true;
  }
  const positions =
    idx.kind === 'int' || idx.kind === 'bool'
      ? [numberOf(idx) < 0 ? n + numberOf(idx) : numberOf(idx)]
      : idx.kind === 'slice'
        ? (() => {
            const l = f(interp.getItem(list(t.values.map((_, i) => int(i))), idx, site));
            return l.kind === 'list' ? l.items.map((x) => (x as { v: number }).v) : undefined;
          })()
        : undefined;
  if (!positions || positions.some((i) => i < 0 || i >= n) || (src.values.length !== 1 && src.values.length !== positions.length)) {
    setValues(t, undefined);
    return true;
  }
  const out = [...t.values];
  positions.forEach((p, k) => (out[p] = src.values.length === 1 ? src.values[0]! : src.values[k]!));
  setValues(t, { values: out, dtype: t.dtype ?? 'float' });
  return true;
}

/** The `getItem` hook: `t[...]` with ints, slices, None, Ellipsis, index tensors and lists. */
export function getItem(fx: ForwardContext, obj: Value, index: Value, site: CallSite): Value | undefined {
  const { f, asTensor, fail, interp } = fx;
  const t = asTensor(obj);
  if (!t) return undefined;
  const idx = f(index);
  if (isUnknown(idx)) return unknown(`tensor index cannot be known: ${idx.reason}`, idx.range ?? site.range);
  // A tensor whose shape is not known (built from an unknown size) is not a 0-d tensor: indexing it is unknown, not an error.
  if (t.reason !== undefined && t.shape.length === 0) return unknown(t.reason, site.range);
  // A known 1-D tensor indexed by an int or a slice keeps its values.
  if (t.values && t.shape.length === 1 && t.shape[0] !== null) {
    const n = t.shape[0]!;
    if (idx.kind === 'int') {
      const i = idx.v < 0 ? n + idx.v : idx.v;
      if (i < 0 || i >= n) return fail(`index ${idx.v} is out of bounds for dimension 0 with size ${n}`, site);
      return valued([], { values: [t.values[i]!], dtype: t.dtype ?? 'float' });
    }
    if (idx.kind === 'slice') {
      const items = interp.getItem(list(t.values.map((v) => int(v))), idx, site);
      const l = f(items);
      if (l.kind === 'list') {
        const picked = l.items.map((x) => (x as { v: number }).v);
        return valued([picked.length], { values: picked, dtype: t.dtype ?? 'float' });
      }
    }
  }
  const items = idx.kind === 'tuple' ? idx.items.map(f) : [idx];
  // Each index: what it consumes of the tensor's dims, and what it gives. As in PyTorch, an int selects (its dim
  // goes) and never counts as an advanced index; advanced indices (index tensors, lists) broadcast together, a
  // boolean mask consumes as many dims as it has and gives one (its count of True); their shape goes where they
  // stand if nothing but ints stands between them, else first.
  type Part =
    | { readonly kind: 'basic'; readonly consumes: number; readonly dims: Dim[] }
    | { readonly kind: 'advanced'; readonly consumes: number; readonly shape: Shape }
    | { readonly kind: 'int' }
    | { readonly kind: 'ellipsis' };
  const parts: Part[] = [];
  for (const it of items) {
    if (it.kind === 'ellipsis') parts.push({ kind: 'ellipsis' });
    else if (it.kind === 'none') parts.push({ kind: 'basic', consumes: 0, dims: [1] });
    else if (it.kind === 'int' || it.kind === 'bool') parts.push({ kind: 'int' });
    else if (it.kind === 'slice') parts.push({ kind: 'basic', consumes: 1, dims: [] });
    else if (it.kind === 'tensor') {
      if (it.dtype === 'bool') {
        const count = it.values ? it.values.filter((v) => v !== 0).length : null;
        parts.push({ kind: 'advanced', consumes: it.shape.length, shape: [count] });
      } else parts.push({ kind: 'advanced', consumes: 1, shape: it.shape });
    } else if (it.kind === 'list') {
      const xs = it.items.map(f);
      if (xs.every((x) => x.kind === 'bool'))
        parts.push({ kind: 'advanced', consumes: 1, shape: [xs.filter((x) => x.kind === 'bool' && x.v).length] });
      else if (xs.every((x) => x.kind === 'int')) parts.push({ kind: 'advanced', consumes: 1, shape: [xs.length] });
      else return unknown('a tensor index given as a list of values other than ints or bools', site.range);
    } else return unknown(`tensor index of type ${typeName(it)}`, site.range);
  }
  const advanced = parts.some((p) => p.kind === 'advanced');
  const consumes = (p: Part): number => (p.kind === 'ellipsis' ? 0 : p.kind === 'int' ? 1 : p.consumes);
  const fixed = parts.reduce((n, p) => n + consumes(p), 0);
  if (fixed > t.shape.length) return fail(`too many indices for tensor of dimension ${t.shape.length}`, site);
  let dim = 0;
  const before: Dim[] = [];
  const after: Dim[] = [];
  let broadcastShape: Shape = [];
  let seenAdvanced = false;
  let apart = false;
  let lastAdvanced = -1;
  for (const [i, p] of parts.entries()) {
    if (p.kind === 'ellipsis') {
      const n = t.shape.length - fixed;
      (seenAdvanced ? after : before).push(...t.shape.slice(dim, dim + n));
      dim += n;
      if (n === 0 && lastAdvanced === i - 1) lastAdvanced = i; // no dim between: still together
    } else if (p.kind === 'advanced') {
      if (seenAdvanced && lastAdvanced !== i - 1) apart = true;
      seenAdvanced = true;
      lastAdvanced = i;
      const r = broadcast(broadcastShape, p.shape);
      if (!r.ok) return fail(`shape mismatch: indexing tensors could not be broadcast together (${r.error})`, site);
      broadcastShape = (r as { shape: Shape }).shape;
      dim += consumes(p);
    } else if (p.kind === 'int') {
      dim++;
      if (lastAdvanced === i - 1) lastAdvanced = i; // an int's dim is gone: it does not stand between
    } else if (p.consumes === 0) (seenAdvanced ? after : before).push(...p.dims);
    else {
      (seenAdvanced ? after : before).push(sliceSize(items[i] as Extract<Value, { kind: 'slice' }>, t.shape[dim]!));
      dim++;
    }
  }
  const rest = t.shape.slice(dim);
  if (!advanced) return tensor([...before, ...after, ...rest]);
  return tensor(apart ? [...broadcastShape, ...before, ...after, ...rest] : [...before, ...broadcastShape, ...after, ...rest]);

  /** The length of a slice of a dim of `size` (null when either cannot be known). */
  function sliceSize(it: Extract<Value, { kind: 'slice' }>, size: Dim): Dim {
    const num = (v: Value) => {
      const x = f(v);
      return x.kind === 'none' ? undefined : isNumber(x) ? numberOf(x) : NaN;
    };
    const lo = num(it.lower),
      hi = num(it.upper),
      st = num(it.step) ?? 1;
    if ([lo, hi].some((v) => Number.isNaN(v)) || Number.isNaN(st) || size === null) return null;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
    const a = lo === undefined ? 0 : clamp(lo),
      b = hi === undefined ? size : clamp(hi);
    return Math.max(0, Math.ceil((b - a) / st));
  }
}

/** The `len` hook: a tensor's first dimension. */
export function len(fx: ForwardContext, obj: Value): Value | undefined {
  const { asTensor } = fx;
  const t = asTensor(obj);
  if (!t) return undefined;
  const d = t.shape[0];
  return d === null || d === undefined ? unknown('len() of a tensor whose first dimension cannot be known') : int(d);
}

/** The `iterate` hook: a tensor's rows (its known values for a 1-D value tensor). */
export function iterate(fx: ForwardContext, obj: Value, site: CallSite): Value[] | UnknownV | undefined {
  const { asTensor, interp } = fx;
  const t = asTensor(obj);
  if (!t) return undefined;
  const d = t.shape[0];
  if (d === null || d === undefined) return unknown('iterating over a tensor whose first dimension cannot be known', site.range);
  if (d > interp.limits.maxSequenceLength) return unknown('iterating over a very long tensor', site.range);
  if (t.values && t.shape.length === 1) return t.values.map((v) => valued([], { values: [v], dtype: t.dtype ?? 'float' }));
  return Array.from({ length: d }, () => tensor(t.shape.slice(1)));
}
