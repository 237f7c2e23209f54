// The interpreter's domain hooks for the forward model, built in one place: calling a module
// (moduleCall.ts), operators, indexing, len and iteration on tensors (operators.ts), tensor attributes and
// methods (tensorMethods.ts), and the torch.* / torch.nn.functional tables (torchNamespace.ts, functional.ts).
// Each of those files takes the ForwardContext (forward.ts) as a parameter; this file only wires them.
import { type JsonValue, type Shape } from '../resultTypes';
import type { FunctionalVia } from '../cost/costTypes';
import { broadcast, functionalShape } from '../torch';
import { SIGNATURES } from '../torch/signatures';
import {
  NONE,
  builtin,
  int,
  tuple,
  unknown,
  isUnknown,
  isModuleInstance,
  isNumber,
  numberOf,
  typeName,
  type CallArgs,
  type CallSite,
  type TensorV,
  type Value,
} from './values';
import { type Interpreter } from './eval';
import { callModule, superMethod } from './moduleCall';
import { catShapes as catOf, reduce as reduceOver, tensorList as tensorsOf } from './shapeOps';
import { tensorAttr, tensorMethod as methodOf } from './tensorMethods';
import { binop, elementwise as tensorElementwise, getItem, iterate, len, matmul as matmulShape } from './operators';
import type { TorchModel } from './torch';
import { toArg } from './torch';
import { arange, cast, linspace, unaryValues, type Dtype } from './tensorValues';
import { ForwardContext, type ForwardRecorder, type Dim, tensor, valued, valuesOf, known, normDim } from './forward';

/** Installs the forward model into the interpreter's domain and the torch namespaces. */
export function installForward(interp: Interpreter, torch: TorchModel): ForwardRecorder {
  const fx = new ForwardContext(interp, torch);
  const { rec, f, fail, notTensor, asTensor, shapeOf, intOf, declared, jsonArgs, record, resultToValue, firstTensorShape } = fx;
  const dom = interp.domain;

  // ---------------------------------------------------------------- module calls

  dom.superMethod = (self, rest, name, site) => superMethod(fx, self, rest, name, site);
  dom.callInstance = (obj, c, site) => (isModuleInstance(obj) ? callModule(fx, obj, c, site) : undefined);
  dom.canExploreBranches = () => !rec.active;

  // ---------------------------------------------------------------- operators

  const elementwise = (op: string, a: Value, b: Value, site: CallSite, via: FunctionalVia) => tensorElementwise(fx, op, a, b, site, via);
  const matmul = (a: Shape, b: Shape, site: CallSite) => matmulShape(fx, a, b, site);
  dom.binop = (op, a, b, site) => binop(fx, op, a, b, site);
  dom.getItem = (obj, index, site) => getItem(fx, obj, index, site);
  dom.len = (obj) => len(fx, obj);
  dom.iterate = (obj, site) => iterate(fx, obj, site);

  // ---------------------------------------------------------------- shape helpers for ops

  const reduce = (t: TensorV, dimV: Value | undefined, keepdim: boolean) => reduceOver(fx, t, dimV, keepdim);
  const catShapes = (ts: TensorV[], dim: number, stack: boolean, site: CallSite) => catOf(fx, ts, dim, stack, site);
  const tensorList = (v: Value, site: CallSite) => tensorsOf(fx, v, site);

  /** An op that keeps the input's shape (activations, normalisation, dropout...). */
  /** `withTensorArgs`: the op's other tensor arguments (a norm's weight and bias) are recorded as inputs too. */
  const sameShape = (name: string, via: FunctionalVia, recordIt: boolean, argNames: string[] = [], withTensorArgs = false) =>
    builtin(`${via === 'F' ? 'F' : 'torch'}.${name}`, (c, site) => {
      const x = f(c.args[0] ?? c.kwargs.get('input') ?? NONE);
      if (x.kind !== 'tensor') return isUnknown(x) ? x : unknown(`${name}() of ${typeName(x)}`, site.range);
      const others = withTensorArgs
        ? [...c.args.slice(1), ...[...c.kwargs].filter(([k]) => k !== 'input').map(([, v]) => v)]
            .map(f)
            .filter((v): v is TensorV => v.kind === 'tensor')
            .map((t) => t.shape)
        : [];
      if (recordIt)
        record(name, via, [x.shape, ...others], x.shape, jsonArgs(c, argNames, SIGNATURES[via === 'F' ? 'F' : 'torch'].get(name)));
      const v = valuesOf(x);
      return valued(x.shape, v ? unaryValues(name, v) : undefined);
    });

  // `withIndices`: F.max_pool{n}d_with_indices, which always returns (values, indices).
  const pool = (kind: 'max' | 'avg', nd: number, withIndices = false) =>
    builtin(`F.${kind}_pool${nd}d${withIndices ? '_with_indices' : ''}`, (c, site) => {
      const x = asTensor(c.args[0] ?? NONE);
      if (!x) return notTensor(`${kind}_pool${nd}d()`, c.args[0]);
      const get = (i: number, n: string) => c.args[i] ?? c.kwargs.get(n);
      const ksz = toArg(interp, get(1, 'kernel_size') ?? NONE);
      const str = toArg(interp, get(2, 'stride') ?? NONE);
      const pad = toArg(interp, get(3, 'padding') ?? int(0));
      const hyper: Record<string, JsonValue> = {
        kernel_size: ksz.known ? ksz.value : null,
        stride:
          str.known && str.value !== null && !(Array.isArray(str.value) && str.value.length === 0)
            ? str.value
            : ksz.known
              ? ksz.value
              : null,
        padding: pad.known ? pad.value : 0,
        dilation: kind === 'max' ? ((toArg(interp, get(4, 'dilation') ?? int(1)) as { value: JsonValue }).value ?? 1) : 1,
        ceil_mode: interp.truthy(get(kind === 'max' ? 5 : 4, 'ceil_mode') ?? NONE) === true,
        ...(kind === 'max' ? { return_indices: withIndices || interp.truthy(get(6, 'return_indices') ?? NONE) === true } : {}),
      };
      if (!ksz.known) return unknown('pooling kernel size cannot be known', site.range);
      const r = functionalShape(`${kind}_pool${nd}d`, hyper, [x.shape]);
      const out = resultToValue(r, site);
      record(`${kind}_pool${nd}d`, 'F', [x.shape], firstTensorShape(out), hyper);
      return out;
    });

  const adaptive = (kind: 'avg' | 'max', nd: number, withIndices = false) =>
    builtin(`F.adaptive_${kind}_pool${nd}d${withIndices ? '_with_indices' : ''}`, (c, site) => {
      const x = asTensor(c.args[0] ?? NONE);
      if (!x) return notTensor('adaptive pooling', c.args[0]);
      const os = toArg(interp, c.args[1] ?? c.kwargs.get('output_size') ?? NONE);
      if (!os.known) return unknown(`output_size cannot be known: ${os.reason}`, site.range);
      const hyper = {
        output_size: os.value,
        ...(kind === 'max'
          ? { return_indices: withIndices || interp.truthy(c.args[2] ?? c.kwargs.get('return_indices') ?? NONE) === true }
          : {}),
      };
      const out = resultToValue(functionalShape(`adaptive_${kind}_pool${nd}d`, hyper, [x.shape]), site);
      record(`adaptive_${kind}_pool${nd}d`, 'F', [x.shape], firstTensorShape(out), { output_size: os.value });
      return out;
    });

  // F.max_unpool{n}d(input, indices, kernel_size, stride=None, padding=0, output_size=None).
  const unpool = (nd: number) =>
    builtin(`F.max_unpool${nd}d`, (c, site) => {
      const x = asTensor(c.args[0] ?? NONE),
        ix = asTensor(c.args[1] ?? c.kwargs.get('indices') ?? NONE);
      if (!x || !ix) return notTensor(`max_unpool${nd}d()`, c.args[0], c.args[1] ?? c.kwargs.get('indices'));
      const hyper: Record<string, JsonValue> = {};
      for (const [i, n] of ['kernel_size', 'stride', 'padding', 'output_size'].entries()) {
        const a = toArg(interp, c.args[i + 2] ?? c.kwargs.get(n) ?? (n === 'padding' ? int(0) : NONE));
        if (!a.known) return unknown(`max_unpool${nd}d's ${n} cannot be known: ${a.reason}`, site.range);
        hyper[n] = a.value;
      }
      if (hyper['stride'] === null) hyper['stride'] = hyper['kernel_size']!;
      const out = resultToValue(functionalShape(`max_unpool${nd}d`, hyper, [x.shape, ix.shape]), site);
      record(`max_unpool${nd}d`, 'F', [x.shape, ix.shape], shapeOf(out), hyper);
      return out;
    });

  const interpolate = (name: string) =>
    builtin(`F.${name}`, (c, site) => {
      const x = asTensor(c.args[0] ?? NONE);
      if (!x) return notTensor(`${name}()`, c.args[0]);
      const size = toArg(interp, c.args[1] ?? c.kwargs.get('size') ?? NONE);
      const scale = toArg(interp, c.args[2] ?? c.kwargs.get('scale_factor') ?? NONE);
      const mode = toArg(interp, c.args[3] ?? c.kwargs.get('mode') ?? { kind: 'str', v: 'nearest' });
      const align = toArg(interp, c.args[4] ?? c.kwargs.get('align_corners') ?? NONE);
      if (!size.known) return unknown(`interpolate size cannot be known: ${size.reason}`, site.range);
      if (!scale.known) return unknown(`interpolate scale_factor cannot be known: ${scale.reason}`, site.range);
      const hyper = {
        size: size.value,
        scale_factor: scale.value,
        mode: mode.known ? mode.value : null,
        align_corners: align.known ? align.value : null,
      };
      const out = resultToValue(functionalShape('interpolate', hyper, [x.shape]), site);
      record('interpolate', 'F', [x.shape], shapeOf(out), hyper);
      return out;
    });

  // ---------------------------------------------------------------- torch.nn.functional

  const F = torch.extraFunctional;
  for (const n of [
    'relu',
    'relu6',
    'elu',
    'selu',
    'celu',
    'leaky_relu',
    'prelu',
    'gelu',
    'silu',
    'mish',
    'hardswish',
    'hardsigmoid',
    'hardtanh',
    'sigmoid',
    'tanh',
    'softplus',
    'softsign',
    'logsigmoid',
    'relu_',
    'elu_',
    'leaky_relu_',
    'hardtanh_',
  ]) {
    F.set(n, sameShape(n.replace(/_$/, ''), 'F', true, ['inplace', 'negative_slope', 'approximate']));
  }
  for (const n of ['softmax', 'log_softmax', 'softmin']) F.set(n, sameShape(n, 'F', true, ['dim']));
  for (const n of ['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout'])
    F.set(n, sameShape(n, 'F', false));
  for (const n of ['normalize', 'local_response_norm']) F.set(n, sameShape(n, 'F', true, ['dim', 'p']));
  for (const n of ['layer_norm', 'batch_norm', 'group_norm', 'instance_norm']) F.set(n, sameShape(n, 'F', true, [], true));
  for (const nd of [1, 2, 3]) {
    F.set(`max_pool${nd}d`, pool('max', nd));
    F.set(`avg_pool${nd}d`, pool('avg', nd));
    F.set(`adaptive_avg_pool${nd}d`, adaptive('avg', nd));
    F.set(`adaptive_max_pool${nd}d`, adaptive('max', nd));
    F.set(`max_pool${nd}d_with_indices`, pool('max', nd, true));
    F.set(`adaptive_max_pool${nd}d_with_indices`, adaptive('max', nd, true));
    F.set(`max_unpool${nd}d`, unpool(nd));
  }
  F.set('interpolate', interpolate('interpolate'));
  F.set('upsample', interpolate('upsample'));
  F.set('upsample_bilinear', interpolate('upsample_bilinear'));
  F.set('upsample_nearest', interpolate('upsample_nearest'));
  F.set(
    'pad',
    builtin('F.pad', (c, site) => {
      const x = asTensor(c.args[0] ?? NONE);
      if (!x) return notTensor('pad()', c.args[0]);
      const p = toArg(interp, c.args[1] ?? c.kwargs.get('pad') ?? NONE);
      if (!p.known || !Array.isArray(p.value)) return unknown(`pad widths cannot be known${p.known ? '' : `: ${p.reason}`}`, site.range);
      const out = resultToValue(functionalShape('pad', { padding: p.value }, [x.shape]), site);
      record('pad', 'F', [x.shape], shapeOf(out), { pad: p.value });
      return out;
    }),
  );
  F.set(
    'linear',
    builtin('F.linear', (c) => {
      const x = asTensor(c.args[0] ?? NONE),
        w = asTensor(c.args[1] ?? c.kwargs.get('weight') ?? NONE);
      if (!x || !w) return notTensor('linear()', c.args[0], c.args[1] ?? c.kwargs.get('weight'));
      const out: Shape = [...x.shape.slice(0, -1), w.shape[0] ?? null];
      record('linear', 'F', [x.shape, w.shape], out);
      return tensor(out);
    }),
  );
  for (const nd of [1, 2, 3]) {
    F.set(
      `conv${nd}d`,
      builtin(`F.conv${nd}d`, (c, site) => {
        const x = asTensor(c.args[0] ?? NONE),
          w = asTensor(c.args[1] ?? c.kwargs.get('weight') ?? NONE);
        if (!x || !w) return notTensor(`conv${nd}d()`, c.args[0], c.args[1] ?? c.kwargs.get('weight'));
        const arg = (i: number, n: string, d: Value) => toArg(interp, c.args[i] ?? c.kwargs.get(n) ?? d);
        const s = arg(3, 'stride', int(1)),
          p = arg(4, 'padding', int(0)),
          dl = arg(5, 'dilation', int(1)),
          g = arg(6, 'groups', int(1));
        if (!s.known || !p.known || !dl.known || !g.known || !known(w.shape)) return unknown('conv arguments cannot be known', site.range);
        const hyper = {
          in_channels: x.shape[x.shape.length - nd - 1] ?? 0,
          out_channels: w.shape[0]!,
          kernel_size: w.shape.slice(2),
          stride: s.value,
          padding: p.value,
          dilation: dl.value,
          groups: g.value,
        };
        const out = resultToValue(functionalShape(`conv${nd}d`, hyper as Record<string, JsonValue>, [x.shape]), site);
        record(`conv${nd}d`, 'F', [x.shape, w.shape], shapeOf(out), hyper as Record<string, JsonValue>);
        return out;
      }),
    );
  }
  F.set(
    'glu',
    builtin('F.glu', (c, site) => {
      const x = asTensor(c.args[0] ?? c.kwargs.get('input') ?? NONE);
      if (!x) return notTensor('glu()', c.args[0]);
      const d = normDim(intOf(c.args[1] ?? c.kwargs.get('dim')) ?? -1, x.shape.length);
      const size = x.shape[d];
      if (typeof size === 'number' && size % 2 !== 0)
        return fail(`Halving dimension must be even, but dimension ${d} is size ${size}`, site);
      const out = x.shape.map((n, i) => (i === d && typeof n === 'number' ? n / 2 : n));
      record('glu', 'F', [x.shape], out, jsonArgs(c, ['dim'], SIGNATURES.F.get('glu')));
      return tensor(out);
    }),
  );
  // F.unfold(input [N, C, H, W], kernel_size, dilation=1, padding=0, stride=1) → [N, C·kh·kw, L] (nn.Unfold too).
  F.set(
    'unfold',
    builtin('F.unfold', (c, site) => {
      const x = asTensor(c.args[0] ?? c.kwargs.get('input') ?? NONE);
      if (!x) return notTensor('unfold()', c.args[0]);
      const hyper: Record<string, JsonValue> = {};
      for (const [i, n, d] of [
        [1, 'kernel_size', undefined],
        [2, 'dilation', 1],
        [3, 'padding', 0],
        [4, 'stride', 1],
      ] as const) {
        const a = toArg(interp, c.args[i] ?? c.kwargs.get(n) ?? (d === undefined ? NONE : int(d)));
        if (!a.known) return unknown(`unfold ${n} cannot be known: ${a.reason}`, site.range);
        hyper[n] = a.value;
      }
      const out = resultToValue(functionalShape('unfold', hyper, [x.shape]), site);
      record('unfold', 'F', [x.shape], shapeOf(out), hyper);
      return out;
    }),
  );
  // Spatial transformers: affine_grid(theta [N, 2, 3], size [N, C, H, W]) → [N, H, W, 2];
  // grid_sample(input [N, C, H, W], grid [N, Ho, Wo, 2]) → [N, C, Ho, Wo]. No multiply-accumulates to count.
  F.set(
    'affine_grid',
    builtin('F.affine_grid', (c, site) => {
      const theta = asTensor(c.args[0] ?? c.kwargs.get('theta') ?? NONE);
      const size = toArg(interp, c.args[1] ?? c.kwargs.get('size') ?? NONE);
      if (!theta) return notTensor('affine_grid()', c.args[0]);
      if (!size.known || !Array.isArray(size.value) || size.value.length < 3)
        return unknown(`affine_grid size cannot be known${size.known ? '' : `: ${size.reason}`}`, site.range);
      const dims = size.value as number[];
      const out: Shape = [dims[0]!, ...dims.slice(2), dims.length - 2];
      record('affine_grid', 'F', [theta.shape], out);
      return tensor(out);
    }),
  );
  F.set(
    'grid_sample',
    builtin('F.grid_sample', (c) => {
      const x = asTensor(c.args[0] ?? c.kwargs.get('input') ?? NONE),
        grid = asTensor(c.args[1] ?? c.kwargs.get('grid') ?? NONE);
      if (!x || !grid) return notTensor('grid_sample()', c.args[0], c.args[1]);
      const out: Shape = [x.shape[0] ?? null, x.shape[1] ?? null, ...grid.shape.slice(1, -1)];
      record('grid_sample', 'F', [x.shape, grid.shape], out);
      return tensor(out);
    }),
  );
  F.set(
    'pixel_shuffle',
    builtin('F.pixel_shuffle', (c, site) => {
      const x = asTensor(c.args[0] ?? NONE);
      const r = intOf(c.args[1] ?? c.kwargs.get('upscale_factor'));
      if (!x || r === undefined) return unknown('pixel_shuffle() arguments cannot be known', site.range);
      return resultToValue(functionalShape('pixel_shuffle', { upscale_factor: r }, [x.shape]), site);
    }),
  );
  F.set(
    'embedding',
    builtin('F.embedding', (c, site) => {
      const x = asTensor(c.args[0] ?? NONE),
        w = asTensor(c.args[1] ?? NONE);
      if (!x || !w) return unknown('embedding() arguments cannot be known', site.range);
      return tensor([...x.shape, w.shape[1] ?? null]);
    }),
  );
  F.set(
    'scaled_dot_product_attention',
    builtin('F.scaled_dot_product_attention', (c, site) => {
      const q = asTensor(c.args[0] ?? NONE),
        k = asTensor(c.args[1] ?? NONE),
        v = asTensor(c.args[2] ?? NONE);
      if (!q || !k || !v) return unknown('attention arguments cannot be known', site.range);
      const out: Shape = [...q.shape.slice(0, -1), v.shape[v.shape.length - 1] ?? null];
      record('scaled_dot_product_attention', 'F', [q.shape, k.shape, v.shape], out);
      return tensor(out);
    }),
  );

  // ---------------------------------------------------------------- torch.*

  const T = torch.extraTorch;
  const binaryOp = (name: string, op: string, via: FunctionalVia) =>
    builtin(`torch.${name}`, (c, site) => {
      const r = elementwise(op, c.args[0] ?? NONE, c.args[1] ?? c.kwargs.get('other') ?? NONE, site, via);
      return r ?? notTensor(`torch.${name}()`, c.args[0], c.args[1] ?? c.kwargs.get('other'));
    });
  T.set('add', binaryOp('add', '+', 'torch'));
  T.set('sub', binaryOp('sub', '-', 'torch'));
  T.set('mul', binaryOp('mul', '*', 'torch'));
  T.set('div', binaryOp('div', '/', 'torch'));
  for (const n of ['matmul', 'mm', 'bmm']) {
    T.set(
      n,
      builtin(`torch.${n}`, (c, site) => {
        const a = asTensor(c.args[0] ?? NONE),
          b = asTensor(c.args[1] ?? NONE);
        if (!a || !b) return notTensor(`torch.${n}()`, c.args[0], c.args[1]);
        const out = matmul(a.shape, b.shape, site);
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
    T.set(n, sameShape(n, 'torch', ['sigmoid', 'tanh', 'relu'].includes(n)));
  }
  for (const n of ['softmax', 'log_softmax']) T.set(n, sameShape(n, 'torch', true, ['dim']));
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
    T.set(n, sameShape(n, 'torch', false));
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
      const ts = tensorList(c.args[0] ?? c.kwargs.get('tensors') ?? NONE, site);
      if (isUnknown(ts)) return ts;
      const out = catShapes(ts, intOf(c.args[1] ?? c.kwargs.get('dim') ?? c.kwargs.get('axis')) ?? 0, false, site);
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
      const ts = tensorList(c.args[0] ?? c.kwargs.get('tensors') ?? NONE, site);
      if (isUnknown(ts)) return ts;
      return catShapes(ts, intOf(c.args[1] ?? c.kwargs.get('dim')) ?? 0, true, site);
    }),
  );
  const viaMethod = (name: string) =>
    builtin(`torch.${name}`, (c, site) => {
      const x = asTensor(c.args[0] ?? NONE);
      if (!x) return notTensor(`torch.${name}()`, c.args[0]);
      return interp.callValue(tensorMethod(x, name)!, { args: c.args.slice(1), kwargs: c.kwargs }, site);
    });
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
  ])
    T.set(n, viaMethod(n));
  // torch.var_mean / std_mean(input, dim, unbiased, keepdim) (or correction=, keepdim= by keyword): two reductions.
  for (const n of ['var_mean', 'std_mean']) {
    T.set(
      n,
      builtin(`torch.${n}`, (c) => {
        const x = asTensor(c.args[0] ?? c.kwargs.get('input') ?? NONE);
        if (!x) return notTensor(`torch.${n}()`, c.args[0]);
        const dim = c.args[1] ?? c.kwargs.get('dim');
        const out = reduce(
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
        elementwise('**', c.args[0] ?? NONE, c.args[1] ?? c.kwargs.get('exponent') ?? NONE, site, 'torch') ??
        unknown('torch.pow() of values that are not tensors', site.range),
    ),
  );
  for (const n of ['log2', 'log10']) T.set(n, sameShape(n, 'torch', false));
  const numArg = (v: Value | undefined): number | undefined => {
    const x = v ? f(v) : undefined;
    return x && isNumber(x) ? numberOf(x) : x && x.kind === 'tensor' && x.values?.length === 1 ? x.values[0] : undefined;
  };
  const wantsFloat = (c: CallArgs) => {
    const d = c.kwargs.get('dtype');
    const dv = d ? f(d) : undefined;
    return !!dv && dv.kind === 'str' && /float|double|half/.test(dv.v);
  };
  T.set(
    'arange',
    builtin('torch.arange', (c, site) => {
      const nums = c.args.map(numArg);
      if (nums.some((n) => n === undefined) || nums.length === 0) return unknown('torch.arange() bounds cannot be known', site.range);
      const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
      const v = arange(start, end, step, wantsFloat(c) || c.args.some((a) => f(a).kind === 'float'));
      const n = Math.max(0, Math.ceil((end - start) / step));
      return valued([n], v);
    }),
  );
  T.set(
    'linspace',
    builtin('torch.linspace', (c, site) => {
      const [a, b, n] = [
        numArg(c.args[0] ?? c.kwargs.get('start')),
        numArg(c.args[1] ?? c.kwargs.get('end')),
        numArg(c.args[2] ?? c.kwargs.get('steps')),
      ];
      if (a === undefined || b === undefined || n === undefined) return unknown('torch.linspace() arguments cannot be known', site.range);
      return valued([n], linspace(a, b, n));
    }),
  );
  const fromData = builtin('torch.tensor', (c) => {
    // Nested lists of numbers → a value tensor; anything else → its shape only.
    const flat: number[] = [];
    let numeric = true;
    let isFloat = wantsFloat(c);
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
  T.set(
    'eye',
    builtin('torch.eye', (c, site) => {
      const n = intOf(c.args[0] ?? c.kwargs.get('n')),
        m = intOf(c.args[1] ?? c.kwargs.get('m'));
      if (n === undefined) return unknown('torch.eye size cannot be known', site.range);
      return tensor([n, m ?? n]);
    }),
  );
  T.set('tensor', fromData);
  T.set('as_tensor', fromData);
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

  // ---------------------------------------------------------------- tensor attributes and methods

  const tensorMethod = (t: TensorV, name: string) => methodOf(fx, t, name);
  const prevGetAttr = dom.getAttr;
  dom.getAttr = (obj, name, site) => {
    if (obj.kind === 'tensor') return tensorAttr(fx, obj, name, site);
    const prev = prevGetAttr?.(obj, name, site);
    // `self._conv_forward(x, w, b)` in a conv subclass (torch's own helper, not in user source).
    if (name === '_conv_forward' && isModuleInstance(obj) && (prev === undefined || isUnknown(f(prev)))) {
      return dom.superMethod?.(obj, obj.cls.mro, name, site) ?? prev;
    }
    return prev;
  };

  // Every torch.nn.functional and torch function takes its arguments positionally and by keyword, exactly
  // as torch declares them (torch/signatures.ts): each call is bound to its declared signature first.
  for (const [ns, table] of [
    ['F', F],
    ['torch', T],
  ] as const) {
    for (const [name, impl] of table) {
      const sig = SIGNATURES[ns].get(name);
      if (sig && impl.kind === 'builtin') table.set(name, declared(name, sig, impl));
    }
  }

  return rec;
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
      return `the subscripts '${term}' do not match an operand of ${shape.length} dimensions`;
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
