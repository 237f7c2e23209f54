// torch.* in the forward pass: arithmetic, matmul, elementwise maths, cat/stack/where, reductions and
// reshapes (the ones that are Tensor methods too go through tensorMethods.ts), einsum, and the tensor
// factories whose values are known (arange, linspace, tensor, eye). installTorchFunctions fills the torch
// model's `torch` table; domain.ts binds each entry to torch's declared signature.
import type { Shape } from '../resultTypes';
import { broadcast } from '../torch';
import {
  NONE,
  builtin,
  tuple,
  unknown,
  isUnknown,
  isNumber,
  numberOf,
  type BuiltinV,
  type CallArgs,
  type TensorV,
  type Value,
} from './values';
import type { FunctionalVia } from '../cost/costTypes';
import { arange, cast, linspace, type Dtype } from './tensorValues';
import { known, tensor, valued, type Dim, type ForwardContext } from './forward';
import { elementwise, matmul } from './operators';
import { catShapes, reduce, tensorList } from './shapeOps';
import { sameShape } from './functional';
import { clamped, tensorMethod } from './tensorMethods';
import { quotedToken } from '../messageText';

function binaryOp(fx: ForwardContext, name: string, op: string, via: FunctionalVia): BuiltinV {
  const { notTensor } = fx;
  return builtin(`torch.${name}`, (c, site) => {
    const r = elementwise(fx, op, c.args[0] ?? NONE, c.args[1] ?? c.kwargs.get('other') ?? NONE, site, via);
    return r ?? notTensor(`torch.${name}()`, c.args[0], c.args[1] ?? c.kwargs.get('other'));
  });
}

function viaMethod(fx: ForwardContext, name: string): BuiltinV {
  const { interp, notTensor, asTensor } = fx;
  return builtin(`torch.${name}`, (c, site) => {
    const x = asTensor(c.args[0] ?? NONE);
    if (!x) return notTensor(`torch.${name}()`, c.args[0]);
    return interp.callValue(tensorMethod(fx, x, name)!, { args: c.args.slice(1), kwargs: c.kwargs }, site);
  });
}

function numArg(fx: ForwardContext, v: Value | undefined): number | undefined {
  const { f } = fx;
  const x = v ? f(v) : undefined;
  return x && isNumber(x) ? numberOf(x) : x && x.kind === 'tensor' && x.values?.length === 1 ? x.values[0] : undefined;
}

function wantsFloat(fx: ForwardContext, c: CallArgs): boolean {
  const { f } = fx;
  const d = c.kwargs.get('dtype');
  const dv = d ? f(d) : undefined;
  return !!dv && dv.kind === 'str' && /float|double|half/.test(dv.v);
}

/** torch.tensor / torch.as_tensor: nested lists of numbers → a value tensor; anything else → its shape only. */
function fromData(fx: ForwardContext): BuiltinV {
  const { f } = fx;
  return builtin('torch.tensor', (c) => {
    const flat: number[] = [];
    let numeric = true;
    let isFloat = wantsFloat(fx, c);
    const shapeOf = (v: Value, depth: number): Dim[] => {
      const x = f(v);
      if (x.kind === 'list' || x.kind === 'tuple') return [x.items.length, ...(x.items[0] ? shapeOf(x.items[0], depth + 1) : [])];
      if (isNumber(x)) {
        if (x.kind === 'float') isFloat = true;
        flat.push(numberOf(x));
      } else if (x.kind === 'tensor' && x.values?.length === 1) flat.push(x.values[0]!);
      else numeric = false;
      return [];
    };
    const collect = (v: Value): void => {
      const x = f(v);
      if (x.kind === 'list' || x.kind === 'tuple') x.items.forEach(collect);
      else shapeOf(x, 0);
    };
    const data = c.args[0] ?? NONE;
    const shape = shapeOf(data, 0);
    flat.length = 0;
    collect(data);
    const dtype: Dtype = isFloat ? 'float' : 'int';
    return valued(
      shape,
      numeric && known(shape) && flat.length === shape.reduce((a, b) => a * b, 1) ? { values: cast(flat, dtype), dtype } : undefined,
    );
  });
}

/** Registers the torch.* functions the forward model knows into the torch model's `torch` table. */
export function installTorchFunctions(fx: ForwardContext): void {
  const { interp, f, fail, notTensor, asTensor, shapeOf, intOf, record } = fx;
  const T = fx.torch.extraTorch;
  const fromTensorData = fromData(fx);
  T.set('add', binaryOp(fx, 'add', '+', 'torch'));
  T.set('sub', binaryOp(fx, 'sub', '-', 'torch'));
  T.set('mul', binaryOp(fx, 'mul', '*', 'torch'));
  T.set('div', binaryOp(fx, 'div', '/', 'torch'));
  for (const n of ['matmul', 'mm', 'bmm']) {
    T.set(
      n,
      builtin(`torch.${n}`, (c, site) => {
        const a = asTensor(c.args[0] ?? NONE),
          b = asTensor(c.args[1] ?? NONE);
        if (!a || !b) return notTensor(`torch.${n}()`, c.args[0], c.args[1]);
        const out = matmul(fx, a.shape, b.shape, site);
        record(n, 'torch', [a.shape, b.shape], out);
        return tensor(out);
      }),
    );
  }
  for (const n of [
    'sigmoid',
    'tanh',
    'relu',
    'exp',
    'log',
    'sqrt',
    'abs',
    'neg',
    'clamp',
    'clip',
    'sign',
    'floor',
    'ceil',
    'round',
    'rsqrt',
    'sin',
    'cos',
    'erf',
    'erfc',
    'erfinv',
    'expm1',
    'log1p',
    'log2',
    'log10',
    'trunc',
    'frac',
    'tan',
    'atan',
    'asin',
    'acos',
    'sinh',
    'cosh',
    'exp2',
    'reciprocal',
    'square',
  ]) {
    T.set(n, sameShape(fx, n, 'torch', ['sigmoid', 'tanh', 'relu'].includes(n)));
  }
  for (const n of ['clamp', 'clip'])
    T.set(
      n,
      builtin(`torch.${n}`, (c) => {
        const x = asTensor(c.args[0] ?? c.kwargs.get('input') ?? NONE);
        return x ? clamped(fx, x, n, { args: c.args.slice(1), kwargs: c.kwargs }) : notTensor(`torch.${n}()`, c.args[0]);
      }),
    );
  for (const n of ['softmax', 'log_softmax']) T.set(n, sameShape(fx, n, 'torch', true, ['dim']));
  for (const n of [
    'zeros_like',
    'ones_like',
    'empty_like',
    'rand_like',
    'randn_like',
    'full_like',
    'clone',
    'detach',
    'dropout',
    'roll',
    'flip',
    'tril',
    'triu',
    'cumsum',
    'cumprod',
    'masked_fill',
    'nan_to_num',
    'square',
    'reciprocal',
  ])
    T.set(n, sameShape(fx, n, 'torch', false));
  T.set(
    'where',
    builtin('torch.where', (c, site) => {
      const parts = [c.args[0], c.args[1], c.args[2]].map((v) => (v ? f(v) : NONE));
      if (parts.slice(1).every((p) => p.kind === 'none'))
        return unknown('torch.where(condition) returns indices whose count is not known statically', site.range);
      let shape: Shape = [];
      for (const p of parts) {
        if (isUnknown(p)) return p;
        if (p.kind !== 'tensor') continue;
        const r = broadcast(shape, p.shape);
        if (!r.ok) return fail(r.error, site);
        shape = (r as { shape: Shape }).shape;
      }
      return tensor(shape);
    }),
  );
  T.set(
    'cat',
    builtin('torch.cat', (c, site) => {
      const ts = tensorList(fx, c.args[0] ?? c.kwargs.get('tensors') ?? NONE, site);
      if (isUnknown(ts)) return ts;
      const out = catShapes(fx, ts, intOf(c.args[1] ?? c.kwargs.get('dim') ?? c.kwargs.get('axis')) ?? 0, false, site);
      record(
        'cat',
        'torch',
        ts.map((t) => t.shape),
        shapeOf(out),
      );
      return out;
    }),
  );
  T.set('concat', T.get('cat')!);
  T.set('concatenate', T.get('cat')!);
  T.set(
    'stack',
    builtin('torch.stack', (c, site) => {
      const ts = tensorList(fx, c.args[0] ?? c.kwargs.get('tensors') ?? NONE, site);
      if (isUnknown(ts)) return ts;
      return catShapes(fx, ts, intOf(c.args[1] ?? c.kwargs.get('dim')) ?? 0, true, site);
    }),
  );
  for (const n of [
    'flatten',
    'reshape',
    'transpose',
    'swapaxes',
    'swapdims',
    'permute',
    'squeeze',
    'unsqueeze',
    'split',
    'chunk',
    'mean',
    'sum',
    'amax',
    'amin',
    'max',
    'min',
    'narrow',
    't',
    'std',
    'var',
    'prod',
    'logsumexp',
    'norm',
  ])
    T.set(n, viaMethod(fx, n));
  // torch.var_mean / std_mean(input, dim, unbiased, keepdim) (or correction=, keepdim= by keyword): two reductions.
  for (const n of ['var_mean', 'std_mean']) {
    T.set(
      n,
      builtin(`torch.${n}`, (c) => {
        const x = asTensor(c.args[0] ?? c.kwargs.get('input') ?? NONE);
        if (!x) return notTensor(`torch.${n}()`, c.args[0]);
        const dim = c.args[1] ?? c.kwargs.get('dim');
        const out = reduce(
          fx,
          x,
          dim && f(dim).kind !== 'none' ? dim : undefined,
          interp.truthy(c.kwargs.get('keepdim') ?? c.args[3] ?? NONE) === true,
        );
        record(n, 'torch', [x.shape], out.shape);
        return tuple([out, tensor(out.shape)]);
      }),
    );
  }
  T.set(
    'Size',
    builtin('torch.Size', (c) => {
      const items = c.args[0]
        ? interp.iterate(c.args[0], { range: { file: '', from: 0, to: 0, line: 0, col: 0, endLine: 0, endCol: 0 } })
        : [];
      return isUnknown(items) ? items : tuple(items);
    }),
  );
  T.set(
    'einsum',
    builtin('torch.einsum', (c, site) => {
      const eq = f(c.args[0] ?? NONE);
      if (eq.kind !== 'str' || eq.opaque) return unknown('torch.einsum equation cannot be known', site.range);
      let ops = c.args.slice(1);
      if (ops.length === 1 && (f(ops[0]!).kind === 'list' || f(ops[0]!).kind === 'tuple')) ops = (f(ops[0]!) as { items: Value[] }).items;
      const ts: TensorV[] = [];
      for (const o of ops) {
        const t = asTensor(o);
        if (!t) return notTensor('torch.einsum()', o);
        ts.push(t);
      }
      const out = einsumShape(
        eq.v,
        ts.map((t) => t.shape),
      );
      if (typeof out === 'string') return fail(`einsum(): ${out}`, site);
      record(
        'einsum',
        'torch',
        ts.map((t) => t.shape),
        out,
        { equation: eq.v },
      );
      return tensor(out);
    }),
  );
  T.set('divide', T.get('div')!);
  T.set('true_divide', T.get('div')!);
  T.set('multiply', T.get('mul')!);
  T.set('subtract', T.get('sub')!);
  T.set(
    'pow',
    builtin(
      'torch.pow',
      (c, site) =>
        elementwise(fx, '**', c.args[0] ?? NONE, c.args[1] ?? c.kwargs.get('exponent') ?? NONE, site, 'torch') ??
        unknown('torch.pow() of values that are not tensors', site.range),
    ),
  );
  for (const n of ['log2', 'log10']) T.set(n, sameShape(fx, n, 'torch', false));
  T.set(
    'arange',
    builtin('torch.arange', (c, site) => {
      const nums = c.args.map((a) => numArg(fx, a));
      if (nums.some((n) => n === undefined) || nums.length === 0) return unknown('torch.arange() bounds cannot be known', site.range);
      const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
      const v = arange(start, end, step, wantsFloat(fx, c) || c.args.some((a) => f(a).kind === 'float'));
      const n = Math.max(0, Math.ceil((end - start) / step));
      return valued([n], v);
    }),
  );
  T.set(
    'linspace',
    builtin('torch.linspace', (c, site) => {
      const [a, b, n] = [
        numArg(fx, c.args[0] ?? c.kwargs.get('start')),
        numArg(fx, c.args[1] ?? c.kwargs.get('end')),
        numArg(fx, c.args[2] ?? c.kwargs.get('steps')),
      ];
      if (a === undefined || b === undefined || n === undefined) return unknown('torch.linspace() arguments cannot be known', site.range);
      return valued([n], linspace(a, b, n));
    }),
  );
  T.set(
    'eye',
    builtin('torch.eye', (c, site) => {
      const n = intOf(c.args[0] ?? c.kwargs.get('n')),
        m = intOf(c.args[1] ?? c.kwargs.get('m'));
      if (n === undefined) return unknown('torch.eye size cannot be known', site.range);
      return tensor([n, m ?? n]);
    }),
  );
  T.set('tensor', fromTensorData);
  T.set('as_tensor', fromTensorData);
  // A numpy array is a nested list marked `ndarray` (stdlib/modules.ts): the same as torch.tensor of it.
  T.set('from_numpy', fromTensorData);
  T.set(
    'diff',
    builtin('torch.diff', (c, site) => {
      const x = asTensor(c.args[0] ?? NONE);
      if (!x || x.shape.length !== 1) return unknown('torch.diff() of a value that is not a 1-D tensor', site.range);
      const n = x.shape[0];
      const out: Shape = [n === null || n === undefined ? null : Math.max(0, n - 1)];
      const v = x.values;
      return valued(out, v ? { values: v.slice(1).map((y, i) => y - v[i]!), dtype: x.dtype ?? 'float' } : undefined);
    }),
  );
  T.set(
    'meshgrid',
    builtin('torch.meshgrid', (c, site) => {
      let items: Value[] = c.args;
      if (items.length === 1) {
        const a = f(items[0]!);
        if (a.kind === 'list' || a.kind === 'tuple') items = a.items;
      }
      const ts = items.map(asTensor);
      if (ts.some((t) => !t)) return unknown('torch.meshgrid() of values that are not tensors', site.range);
      const sizes = ts.map((t) => t!.shape[0] ?? null);
      const ij = (() => {
        const ix = c.kwargs.get('indexing');
        const v = ix ? f(ix) : undefined;
        return !v || (v.kind === 'str' && v.v === 'ij');
      })();
      // 'xy' indexing swaps the first two output dims.
      const shape = ij || sizes.length < 2 ? sizes : [sizes[1]!, sizes[0]!, ...sizes.slice(2)];
      return tuple(ts.map(() => tensor(shape)));
    }),
  );
}

/**
 * The output shape of `torch.einsum(equation, *operands)` (explicit `->` or implicit output,
 * `...` broadcast dims), or an error message.
 */
export function einsumShape(equation: string, shapes: readonly Shape[]): Shape | string {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->');
  const terms = lhs!.split(',');
  if (terms.length !== shapes.length) return `${terms.length} operands in the equation, ${shapes.length} given`;
  const size = new Map<string, Dim>();
  let ellipsis: Dim[] = [];
  for (let k = 0; k < terms.length; k++) {
    const term = terms[k]!;
    const shape = shapes[k]!;
    const [pre, post] = term.includes('...') ? term.split('...') : [term, undefined];
    const nEll = post === undefined ? 0 : shape.length - pre!.length - post.length;
    if (nEll < 0 || (post === undefined && pre!.length !== shape.length))
      return `the subscripts ${quotedToken(term)} do not match an operand of ${shape.length} dimensions`;
    const letters = post === undefined ? pre!.split('') : [...pre!.split(''), ...Array(nEll).fill('.'), ...post.split('')];
    letters.forEach((ch, i) => {
      const d = shape[i] ?? null;
      if (ch === '.') return;
      const prev = size.get(ch);
      if (prev === undefined || prev === 1 || prev === null) size.set(ch, d);
    });
    if (post !== undefined) {
      const ell = shape.slice(pre!.length, pre!.length + nEll);
      const r = broadcast(ellipsis, ell);
      if (r.ok && 'shape' in r) ellipsis = [...r.shape];
    }
  }
  const outTerm =
    rhs ??
    [...size.keys()]
      .filter((ch) => lhs!.split('').filter((x) => x === ch).length === 1)
      .sort()
      .join('');
  const out: Dim[] = [];
  const [opre, opost] = outTerm.includes('...') ? outTerm.split('...') : [outTerm, undefined];
  const implicitEllipsis = rhs === undefined && lhs!.includes('...');
  if (implicitEllipsis) out.push(...ellipsis);
  for (const ch of opre!) out.push(size.get(ch) ?? null);
  if (opost !== undefined) {
    out.push(...ellipsis);
    for (const ch of opost) out.push(size.get(ch) ?? null);
  }
  return out;
}
