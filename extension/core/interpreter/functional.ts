// torch.nn.functional in the forward pass: each F op the model knows (activations, pooling, interpolation,
// padding, conv/linear, unfold, attention...) as a builtin that computes the output shape (with the shared
// shape rules of torch/, the same ones the nn layers use) and records the call as a functional op.
// installFunctional fills the torch model's `F` table; domain.ts binds each entry to torch's declared signature.
import type { JsonValue, Shape } from '../resultTypes';
import { functionalShape } from '../torch';
import { SIGNATURES } from '../torch/signatures';
import { NONE, builtin, int, unknown, isUnknown, typeName, type BuiltinV, type TensorV, type Value } from './values';
import type { FunctionalVia } from '../cost/costTypes';
import { toArg } from './torchArgs';
import { unaryValues } from './tensorValues';
import { known, normDim, tensor, valued, valuesOf, type ForwardContext } from './forward';

/**
 * An op that keeps the input's shape (activations, normalisation, dropout...). `withTensorArgs`: the op's other
 * tensor arguments (a norm's weight and bias) are recorded as inputs too.
 */
export function sameShape(
  fx: ForwardContext,
  name: string,
  via: FunctionalVia,
  recordIt: boolean,
  argNames: string[] = [],
  withTensorArgs = false,
): BuiltinV {
  const { f, jsonArgs, record } = fx;
  return builtin(`${via === 'F' ? 'F' : 'torch'}.${name}`, (c, site) => {
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
}

// `withIndices`: F.max_pool{n}d_with_indices, which always returns (values, indices).
function pool(fx: ForwardContext, kind: 'max' | 'avg', nd: number, withIndices = false): BuiltinV {
  const { interp, notTensor, asTensor, record, resultToValue, firstTensorShape } = fx;
  return builtin(`F.${kind}_pool${nd}d${withIndices ? '_with_indices' : ''}`, (c, site) => {
    const x = asTensor(c.args[0] ?? NONE);
    if (!x) return notTensor(`${kind}_pool${nd}d()`, c.args[0]);
    const get = (i: number, n: string) => c.args[i] ?? c.kwargs.get(n);
    const ksz = toArg(interp, get(1, 'kernel_size') ?? NONE);
    const str = toArg(interp, get(2, 'stride') ?? NONE);
    const pad = toArg(interp, get(3, 'padding') ?? int(0));
    const hyper: Record<string, JsonValue> = {
      kernel_size: ksz.known ? ksz.value : null,
      stride:
        str.known && str.value !== null && !(Array.isArray(str.value) && str.value.length === 0) ? str.value : ksz.known ? ksz.value : null,
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
}

function adaptive(fx: ForwardContext, kind: 'avg' | 'max', nd: number, withIndices = false): BuiltinV {
  const { interp, notTensor, asTensor, record, resultToValue, firstTensorShape } = fx;
  return builtin(`F.adaptive_${kind}_pool${nd}d${withIndices ? '_with_indices' : ''}`, (c, site) => {
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
}

// F.max_unpool{n}d(input, indices, kernel_size, stride=None, padding=0, output_size=None).
function unpool(fx: ForwardContext, nd: number): BuiltinV {
  const { interp, notTensor, asTensor, shapeOf, record, resultToValue } = fx;
  return builtin(`F.max_unpool${nd}d`, (c, site) => {
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
}

function interpolate(fx: ForwardContext, name: string): BuiltinV {
  const { interp, notTensor, asTensor, shapeOf, record, resultToValue } = fx;
  return builtin(`F.${name}`, (c, site) => {
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
}

/** Registers the torch.nn.functional ops the forward model knows into the torch model's `F` table. */
export function installFunctional(fx: ForwardContext): void {
  const { interp, fail, notTensor, asTensor, shapeOf, intOf, jsonArgs, record, resultToValue } = fx;
  const F = fx.torch.extraFunctional;
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
    F.set(n, sameShape(fx, n.replace(/_$/, ''), 'F', true, ['inplace', 'negative_slope', 'approximate']));
  }
  for (const n of ['softmax', 'log_softmax', 'softmin']) F.set(n, sameShape(fx, n, 'F', true, ['dim']));
  for (const n of ['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout'])
    F.set(n, sameShape(fx, n, 'F', false));
  for (const n of ['normalize', 'local_response_norm']) F.set(n, sameShape(fx, n, 'F', true, ['dim', 'p']));
  for (const n of ['layer_norm', 'batch_norm', 'group_norm', 'instance_norm']) F.set(n, sameShape(fx, n, 'F', true, [], true));
  for (const nd of [1, 2, 3]) {
    F.set(`max_pool${nd}d`, pool(fx, 'max', nd));
    F.set(`avg_pool${nd}d`, pool(fx, 'avg', nd));
    F.set(`adaptive_avg_pool${nd}d`, adaptive(fx, 'avg', nd));
    F.set(`adaptive_max_pool${nd}d`, adaptive(fx, 'max', nd));
    F.set(`max_pool${nd}d_with_indices`, pool(fx, 'max', nd, true));
    F.set(`adaptive_max_pool${nd}d_with_indices`, adaptive(fx, 'max', nd, true));
    F.set(`max_unpool${nd}d`, unpool(fx, nd));
  }
  F.set('interpolate', interpolate(fx, 'interpolate'));
  F.set('upsample', interpolate(fx, 'upsample'));
  F.set('upsample_bilinear', interpolate(fx, 'upsample_bilinear'));
  F.set('upsample_nearest', interpolate(fx, 'upsample_nearest'));
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
}
