// The torch.nn layer catalog as ONE table: for each layer, PyTorch's constructor signature (positional
// order and defaults, as in torch 1.13 / 2.x), how torch stores the arguments (`kernel_size=3` →
// `(3, 3)`), the parameter tensors it registers (hence its parameter count exactly as torch counts
// it), the child modules it creates itself (MultiheadAttention.out_proj, Transformer layers), and the
// forward shape rule. Shape rules live in shapes.ts; this file only builds layers.
import type { JsonValue, Shape } from '../model';

/** A constructor argument value: known JSON, or unknown with the reason. */
export type ArgValue = { readonly known: true; readonly value: JsonValue } | { readonly known: false; readonly reason: string };

/** A parameter tensor registered by a layer; `shape` null when unknown. */
export interface WeightSpec { readonly name: string; readonly shape: number[] | null }

/** A child module a catalog layer creates in its own __init__. */
export interface ChildSpec { readonly name: string; readonly type: string; readonly args: Record<string, JsonValue> }

export interface BuiltLayer {
  readonly hyperparams: Record<string, JsonValue>;
  readonly weights: WeightSpec[];
  readonly children?: ChildSpec[];
  /** Parameter count formula with symbols and with its terms filled in. */
  readonly formula: string;
}

export class UnknownArg extends Error {
  constructor(readonly arg: string, readonly reason: string) {
    super(`${arg} is unknown: ${reason}`);
  }
}

/** A PyTorch-style error in constructor arguments (e.g. channels not divisible by groups). */
export class LayerArgError extends Error {
  constructor(readonly pyType: string, message: string) {
    super(message);
  }
}

export const REQUIRED = Symbol('required');
type Default = JsonValue | typeof REQUIRED;

export interface LayerSpec {
  readonly name: string;
  /** Constructor parameters in PyTorch's positional order with defaults. */
  readonly signature: readonly (readonly [string, Default])[];
  /** Accepts any extra arguments (nn.Identity). */
  readonly varargs?: boolean;
  readonly build: (a: Args) => BuiltLayer;
  /** Name of the shape rule in shapes.ts (defaults to the layer name). */
  readonly shapeRule?: string;
}

/** Reads bound constructor arguments; throws UnknownArg when a needed one is unknown. */
export class Args {
  constructor(readonly layer: string, private readonly values: Map<string, ArgValue>) {}

  raw(name: string): JsonValue {
    const v = this.values.get(name);
    if (!v) return null;
    if (!v.known) throw new UnknownArg(name, v.reason);
    return v.value;
  }

  isKnown(name: string): boolean {
    return this.values.get(name)?.known !== false;
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
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new LayerArgError('TypeError', `${this.layer}: ${name} must be an int, got ${JSON.stringify(v)}`);
    return v;
  }

  num(name: string): number {
    const v = this.raw(name);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v !== 'number') throw new LayerArgError('TypeError', `${this.layer}: ${name} must be a number, got ${JSON.stringify(v)}`);
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
    throw new LayerArgError('TypeError', `${this.layer}: ${name} must be an int or a tuple of ints, got ${JSON.stringify(v)}`);
  }
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const dot = (xs: readonly (number | string)[]) => xs.join('·');

// ------------------------------------------------------------------ convolutions

function conv(dims: 1 | 2 | 3, transposed: boolean): LayerSpec {
  const name = `Conv${transposed ? 'Transpose' : ''}${dims}d`;
  const signature: [string, Default][] = transposed
    ? [['in_channels', REQUIRED], ['out_channels', REQUIRED], ['kernel_size', REQUIRED], ['stride', 1], ['padding', 0], ['output_padding', 0], ['groups', 1], ['bias', true], ['dilation', 1], ['padding_mode', 'zeros'], ['device', null], ['dtype', null]]
    : [['in_channels', REQUIRED], ['out_channels', REQUIRED], ['kernel_size', REQUIRED], ['stride', 1], ['padding', 0], ['dilation', 1], ['groups', 1], ['bias', true], ['padding_mode', 'zeros'], ['device', null], ['dtype', null]];
  return {
    name,
    signature,
    shapeRule: transposed ? 'convTranspose' : 'conv',
    build: (a) => {
      const cin = a.int('in_channels'), cout = a.int('out_channels'), g = a.int('groups');
      const k = a.tuple('kernel_size', dims);
      const stride = a.tuple('stride', dims);
      const dilation = a.tuple('dilation', dims);
      const padRaw = a.raw('padding');
      const padding: JsonValue = typeof padRaw === 'string' ? padRaw : a.tuple('padding', dims);
      const outputPadding = transposed ? a.tuple('output_padding', dims) : Array(dims).fill(0);
      const bias = a.bool('bias');
      // Torch's checks, with its messages (torch/nn/modules/conv.py _ConvNd.__init__).
      if (g <= 0) throw new LayerArgError('ValueError', 'groups must be a positive integer');
      if (cin % g !== 0) throw new LayerArgError('ValueError', 'in_channels must be divisible by groups');
      if (cout % g !== 0) throw new LayerArgError('ValueError', 'out_channels must be divisible by groups');
      if (typeof padding === 'string') {
        if (padding !== 'same' && padding !== 'valid') throw new LayerArgError('ValueError', `Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
        if (padding === 'same' && stride.some((s) => s !== 1)) throw new LayerArgError('ValueError', "padding='same' is not supported for strided convolutions");
      }
      const weightShape = transposed ? [cin, cout / g, ...k] : [cout, cin / g, ...k];
      const kSyms = dims === 1 ? ['k'] : dims === 2 ? ['kh', 'kw'] : ['kd', 'kh', 'kw'];
      const formula = transposed
        ? `Cin·(Cout/g)·${dot(kSyms)} + bias = ${cin}·(${cout}/${g})·${dot(k)} + ${bias ? cout : 0}`
        : `Cout·(Cin/g)·${dot(kSyms)} + bias = ${cout}·(${cin}/${g})·${dot(k)} + ${bias ? cout : 0}`;
      return {
        hyperparams: {
          in_channels: cin, out_channels: cout, kernel_size: k, stride, padding, dilation, groups: g,
          output_padding: outputPadding, padding_mode: a.raw('padding_mode'), transposed, bias,
        },
        weights: [{ name: 'weight', shape: weightShape }, ...(bias ? [{ name: 'bias', shape: [cout] }] : [])],
        formula,
      };
    },
  };
}

// ------------------------------------------------------------------ helpers for simple layers

function noParams(name: string, signature: [string, Default][], extra?: (a: Args) => Record<string, JsonValue>, shapeRule?: string): LayerSpec {
  return {
    name,
    signature,
    ...(shapeRule ? { shapeRule } : {}),
    build: (a) => {
      const hyperparams: Record<string, JsonValue> = {};
      for (const [k] of signature) if (k !== 'device' && k !== 'dtype') hyperparams[k] = a.raw(k);
      return { hyperparams: { ...hyperparams, ...(extra ? extra(a) : {}) }, weights: [], formula: 'no parameters = 0' };
    },
  };
}

function batchNorm(name: string, defaults: { affine: boolean; track: boolean }, shapeRule = 'same'): LayerSpec {
  return {
    name,
    shapeRule,
    signature: [['num_features', REQUIRED], ['eps', 1e-5], ['momentum', 0.1], ['affine', defaults.affine], ['track_running_stats', defaults.track], ['device', null], ['dtype', null]],
    build: (a) => {
      const c = a.int('num_features');
      const affine = a.bool('affine');
      return {
        hyperparams: { num_features: c, eps: a.raw('eps'), momentum: a.raw('momentum'), affine, track_running_stats: a.bool('track_running_stats') },
        weights: affine ? [{ name: 'weight', shape: [c] }, { name: 'bias', shape: [c] }] : [],
        formula: `2·C if affine = ${affine ? `2·${c}` : '0'}`,
      };
    },
  };
}

function pool(kind: 'Max' | 'Avg', dims: 1 | 2 | 3): LayerSpec {
  const name = `${kind}Pool${dims}d`;
  const signature: [string, Default][] = kind === 'Max'
    ? [['kernel_size', REQUIRED], ['stride', null], ['padding', 0], ['dilation', 1], ['return_indices', false], ['ceil_mode', false]]
    : dims === 1
      ? [['kernel_size', REQUIRED], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true]]
      : [['kernel_size', REQUIRED], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true], ['divisor_override', null]];
  return noParams(name, signature, (a) => {
    // Torch stores stride = kernel_size when stride is None (and AvgPool1d tuples its arguments).
    const stride = a.raw('stride');
    return { stride: stride === null ? a.raw('kernel_size') : stride };
  }, kind === 'Max' ? 'maxPool' : 'avgPool');
}

function activation(name: string, signature: [string, Default][] = [['inplace', false]], extra?: (a: Args) => Record<string, JsonValue>): LayerSpec {
  return noParams(name, signature, extra, 'same');
}

function padLayer(name: string, dims: 1 | 2 | 3, withValue: boolean): LayerSpec {
  return noParams(name, withValue ? [['padding', REQUIRED], ['value', REQUIRED]] : [['padding', REQUIRED]], (a) => ({ padding: a.tuple('padding', dims * 2) }), 'pad');
}

function rnn(mode: 'RNN' | 'LSTM' | 'GRU'): LayerSpec {
  const gates = mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
  const signature: [string, Default][] = [['input_size', REQUIRED], ['hidden_size', REQUIRED], ['num_layers', 1], ['bias', true], ['batch_first', false], ['dropout', 0], ['bidirectional', false], ['proj_size', 0], ['nonlinearity', 'tanh'], ['device', null], ['dtype', null]];
  return {
    name: mode,
    signature,
    shapeRule: 'rnn',
    build: (a) => {
      const input = a.int('input_size'), hidden = a.int('hidden_size'), layers = a.int('num_layers');
      const bias = a.bool('bias'), bidir = a.bool('bidirectional');
      const proj = mode === 'LSTM' ? a.int('proj_size') : 0;
      const dirs = bidir ? 2 : 1;
      const realHidden = proj > 0 ? proj : hidden;
      const weights: WeightSpec[] = [];
      for (let l = 0; l < layers; l++) {
        for (let d = 0; d < dirs; d++) {
          const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
          const inL = l === 0 ? input : realHidden * dirs;
          weights.push({ name: `weight_ih${sfx}`, shape: [gates * hidden, inL] }, { name: `weight_hh${sfx}`, shape: [gates * hidden, realHidden] });
          if (bias) weights.push({ name: `bias_ih${sfx}`, shape: [gates * hidden] }, { name: `bias_hh${sfx}`, shape: [gates * hidden] });
          if (proj > 0) weights.push({ name: `weight_hr${sfx}`, shape: [proj, hidden] });
        }
      }
      const hyperparams: Record<string, JsonValue> = {
        input_size: input, hidden_size: hidden, num_layers: layers, bias, batch_first: a.bool('batch_first'), dropout: a.raw('dropout'), bidirectional: bidir,
      };
      if (mode === 'LSTM') hyperparams['proj_size'] = proj;
      if (mode === 'RNN') hyperparams['nonlinearity'] = a.raw('nonlinearity');
      return {
        hyperparams, weights,
        formula: `Σ layers·directions of ${gates}·H·(in + H${bias ? ' + 2' : ''})${proj ? ' + P·H' : ''} (H=${hidden}, in=${input}, layers=${layers}, directions=${dirs})`,
      };
    },
  };
}

function rnnCell(mode: 'RNNCell' | 'LSTMCell' | 'GRUCell'): LayerSpec {
  const gates = mode === 'LSTMCell' ? 4 : mode === 'GRUCell' ? 3 : 1;
  return {
    name: mode,
    signature: mode === 'RNNCell'
      ? [['input_size', REQUIRED], ['hidden_size', REQUIRED], ['bias', true], ['nonlinearity', 'tanh'], ['device', null], ['dtype', null]]
      : [['input_size', REQUIRED], ['hidden_size', REQUIRED], ['bias', true], ['device', null], ['dtype', null]],
    shapeRule: 'rnnCell',
    build: (a) => {
      const input = a.int('input_size'), hidden = a.int('hidden_size'), bias = a.bool('bias');
      return {
        hyperparams: { input_size: input, hidden_size: hidden, bias },
        weights: [{ name: 'weight_ih', shape: [gates * hidden, input] }, { name: 'weight_hh', shape: [gates * hidden, hidden] }, ...(bias ? [{ name: 'bias_ih', shape: [gates * hidden] }, { name: 'bias_hh', shape: [gates * hidden] }] : [])],
        formula: `${gates}·H·(in + H${bias ? ' + 2' : ''}) = ${gates}·${hidden}·(${input} + ${hidden}${bias ? ' + 2' : ''})`,
      };
    },
  };
}

function upsample(name: string, mode: string | null, alignCorners: boolean | null): LayerSpec {
  const sig: [string, Default][] = mode === null
    ? [['size', null], ['scale_factor', null], ['mode', 'nearest'], ['align_corners', null], ['recompute_scale_factor', null]]
    : [['size', null], ['scale_factor', null]];
  return noParams(name, sig, (): Record<string, JsonValue> => (mode === null ? {} : { mode, align_corners: alignCorners }), 'upsample');
}

// ------------------------------------------------------------------ the table

const LAYERS: LayerSpec[] = [
  conv(1, false), conv(2, false), conv(3, false), conv(1, true), conv(2, true), conv(3, true),
  {
    name: 'Linear',
    signature: [['in_features', REQUIRED], ['out_features', REQUIRED], ['bias', true], ['device', null], ['dtype', null]],
    shapeRule: 'linear',
    build: (a) => {
      const i = a.int('in_features'), o = a.int('out_features'), bias = a.bool('bias');
      return {
        hyperparams: { in_features: i, out_features: o, bias },
        weights: [{ name: 'weight', shape: [o, i] }, ...(bias ? [{ name: 'bias', shape: [o] }] : [])],
        formula: `in·out + bias = ${i}·${o} + ${bias ? o : 0}`,
      };
    },
  },
  {
    name: 'Bilinear',
    signature: [['in1_features', REQUIRED], ['in2_features', REQUIRED], ['out_features', REQUIRED], ['bias', true], ['device', null], ['dtype', null]],
    shapeRule: 'bilinear',
    build: (a) => {
      const i1 = a.int('in1_features'), i2 = a.int('in2_features'), o = a.int('out_features'), bias = a.bool('bias');
      return {
        hyperparams: { in1_features: i1, in2_features: i2, out_features: o, bias },
        weights: [{ name: 'weight', shape: [o, i1, i2] }, ...(bias ? [{ name: 'bias', shape: [o] }] : [])],
        formula: `out·in1·in2 + bias = ${o}·${i1}·${i2} + ${bias ? o : 0}`,
      };
    },
  },
  {
    name: 'Embedding',
    signature: [['num_embeddings', REQUIRED], ['embedding_dim', REQUIRED], ['padding_idx', null], ['max_norm', null], ['norm_type', 2.0], ['scale_grad_by_freq', false], ['sparse', false], ['_weight', null], ['_freeze', false], ['device', null], ['dtype', null]],
    shapeRule: 'embedding',
    build: (a) => {
      const n = a.int('num_embeddings'), d = a.int('embedding_dim');
      return {
        hyperparams: { num_embeddings: n, embedding_dim: d, padding_idx: a.raw('padding_idx'), max_norm: a.raw('max_norm'), norm_type: a.raw('norm_type'), scale_grad_by_freq: a.bool('scale_grad_by_freq'), sparse: a.bool('sparse') },
        weights: [{ name: 'weight', shape: [n, d] }],
        formula: `num_embeddings·embedding_dim = ${n}·${d}`,
      };
    },
  },
  batchNorm('BatchNorm1d', { affine: true, track: true }), batchNorm('BatchNorm2d', { affine: true, track: true }), batchNorm('BatchNorm3d', { affine: true, track: true }),
  { ...batchNorm('SyncBatchNorm', { affine: true, track: true }), signature: [['num_features', REQUIRED], ['eps', 1e-5], ['momentum', 0.1], ['affine', true], ['track_running_stats', true], ['process_group', null], ['device', null], ['dtype', null]] },
  batchNorm('InstanceNorm1d', { affine: false, track: false }), batchNorm('InstanceNorm2d', { affine: false, track: false }), batchNorm('InstanceNorm3d', { affine: false, track: false }),
  {
    name: 'LayerNorm',
    signature: [['normalized_shape', REQUIRED], ['eps', 1e-5], ['elementwise_affine', true], ['bias', true], ['device', null], ['dtype', null]],
    shapeRule: 'same',
    build: (a) => {
      const raw = a.raw('normalized_shape');
      const shape = typeof raw === 'number' ? [raw] : Array.isArray(raw) && raw.every((x) => typeof x === 'number') ? (raw as number[]) : null;
      if (!shape) throw new LayerArgError('TypeError', 'LayerNorm: normalized_shape must be an int or a tuple of ints');
      const affine = a.bool('elementwise_affine');
      const bias = affine && a.bool('bias');
      const n = prod(shape);
      return {
        hyperparams: { normalized_shape: shape, eps: a.raw('eps'), elementwise_affine: affine },
        weights: affine ? [{ name: 'weight', shape }, ...(bias ? [{ name: 'bias', shape }] : [])] : [],
        formula: `${bias ? 2 : affine ? 1 : 0}·prod(normalized_shape) = ${bias ? 2 : affine ? 1 : 0}·${n}`,
      };
    },
  },
  {
    name: 'GroupNorm',
    signature: [['num_groups', REQUIRED], ['num_channels', REQUIRED], ['eps', 1e-5], ['affine', true], ['device', null], ['dtype', null]],
    shapeRule: 'same',
    build: (a) => {
      const g = a.int('num_groups'), c = a.int('num_channels'), affine = a.bool('affine');
      if (g <= 0 || c % g !== 0) throw new LayerArgError('ValueError', 'num_channels must be divisible by num_groups');
      return {
        hyperparams: { num_groups: g, num_channels: c, eps: a.raw('eps'), affine },
        weights: affine ? [{ name: 'weight', shape: [c] }, { name: 'bias', shape: [c] }] : [],
        formula: `2·C if affine = ${affine ? `2·${c}` : '0'}`,
      };
    },
  },
  noParams('LocalResponseNorm', [['size', REQUIRED], ['alpha', 1e-4], ['beta', 0.75], ['k', 1.0]], undefined, 'same'),
  activation('ReLU'),
  activation('ReLU6', [['inplace', false]], () => ({ min_val: 0.0, max_val: 6.0 })),
  activation('LeakyReLU', [['negative_slope', 0.01], ['inplace', false]]),
  {
    name: 'PReLU',
    signature: [['num_parameters', 1], ['init', 0.25], ['device', null], ['dtype', null]],
    shapeRule: 'same',
    build: (a) => {
      const n = a.int('num_parameters');
      return { hyperparams: { num_parameters: n, init: a.raw('init') }, weights: [{ name: 'weight', shape: [n] }], formula: `num_parameters = ${n}` };
    },
  },
  activation('ELU', [['alpha', 1.0], ['inplace', false]]),
  activation('CELU', [['alpha', 1.0], ['inplace', false]]),
  activation('SELU'), activation('SiLU'), activation('Mish'), activation('Hardswish'), activation('Hardsigmoid'),
  activation('GELU', [['approximate', 'none']]),
  activation('Hardtanh', [['min_val', -1.0], ['max_val', 1.0], ['inplace', false]]),
  activation('Sigmoid', []), activation('Tanh', []), activation('Softsign', []), activation('Tanhshrink', []), activation('LogSigmoid', []),
  activation('Softplus', [['beta', 1.0], ['threshold', 20.0]]),
  activation('Threshold', [['threshold', REQUIRED], ['value', REQUIRED], ['inplace', false]]),
  activation('Softmax', [['dim', null]]), activation('LogSoftmax', [['dim', null]]), activation('Softmin', [['dim', null]]), activation('Softmax2d', []),
  pool('Max', 1), pool('Max', 2), pool('Max', 3), pool('Avg', 1), pool('Avg', 2), pool('Avg', 3),
  noParams('AdaptiveAvgPool1d', [['output_size', REQUIRED]], undefined, 'adaptivePool'),
  noParams('AdaptiveAvgPool2d', [['output_size', REQUIRED]], undefined, 'adaptivePool'),
  noParams('AdaptiveAvgPool3d', [['output_size', REQUIRED]], undefined, 'adaptivePool'),
  noParams('AdaptiveMaxPool1d', [['output_size', REQUIRED], ['return_indices', false]], undefined, 'adaptivePool'),
  noParams('AdaptiveMaxPool2d', [['output_size', REQUIRED], ['return_indices', false]], undefined, 'adaptivePool'),
  noParams('AdaptiveMaxPool3d', [['output_size', REQUIRED], ['return_indices', false]], undefined, 'adaptivePool'),
  noParams('LPPool1d', [['norm_type', REQUIRED], ['kernel_size', REQUIRED], ['stride', null], ['ceil_mode', false]], (a) => ({ stride: a.raw('stride') ?? a.raw('kernel_size') }), 'lpPool'),
  noParams('LPPool2d', [['norm_type', REQUIRED], ['kernel_size', REQUIRED], ['stride', null], ['ceil_mode', false]], (a) => ({ stride: a.raw('stride') ?? a.raw('kernel_size') }), 'lpPool'),
  noParams('LPPool3d', [['norm_type', REQUIRED], ['kernel_size', REQUIRED], ['stride', null], ['ceil_mode', false]], (a) => ({ stride: a.raw('stride') ?? a.raw('kernel_size') }), 'lpPool'),
  ...['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout'].map((n) => noParams(n, [['p', 0.5], ['inplace', false]], (a) => {
    const p = a.num('p');
    if (p < 0 || p > 1) throw new LayerArgError('ValueError', `dropout probability has to be between 0 and 1, but got ${p}`);
    return {};
  }, 'same')),
  { name: 'Identity', signature: [], varargs: true, shapeRule: 'same', build: () => ({ hyperparams: {}, weights: [], formula: 'no parameters = 0' }) },
  noParams('Flatten', [['start_dim', 1], ['end_dim', -1]], undefined, 'flatten'),
  noParams('Unflatten', [['dim', REQUIRED], ['unflattened_size', REQUIRED]], undefined, 'unflatten'),
  upsample('Upsample', null, null), upsample('UpsamplingNearest2d', 'nearest', null), upsample('UpsamplingBilinear2d', 'bilinear', true),
  noParams('PixelShuffle', [['upscale_factor', REQUIRED]], undefined, 'pixelShuffle'),
  noParams('PixelUnshuffle', [['downscale_factor', REQUIRED]], undefined, 'pixelUnshuffle'),
  padLayer('ReflectionPad1d', 1, false), padLayer('ReflectionPad2d', 2, false), padLayer('ReflectionPad3d', 3, false),
  padLayer('ReplicationPad1d', 1, false), padLayer('ReplicationPad2d', 2, false), padLayer('ReplicationPad3d', 3, false),
  padLayer('ZeroPad1d', 1, false), padLayer('ZeroPad2d', 2, false), padLayer('ZeroPad3d', 3, false),
  padLayer('ConstantPad1d', 1, true), padLayer('ConstantPad2d', 2, true), padLayer('ConstantPad3d', 3, true),
  padLayer('CircularPad1d', 1, false), padLayer('CircularPad2d', 2, false), padLayer('CircularPad3d', 3, false),
  noParams('ChannelShuffle', [['groups', REQUIRED]], undefined, 'same'),
  noParams('Unfold', [['kernel_size', REQUIRED], ['dilation', 1], ['padding', 0], ['stride', 1]], undefined, 'unfold'),
  {
    name: 'MultiheadAttention',
    signature: [['embed_dim', REQUIRED], ['num_heads', REQUIRED], ['dropout', 0.0], ['bias', true], ['add_bias_kv', false], ['add_zero_attn', false], ['kdim', null], ['vdim', null], ['batch_first', false], ['device', null], ['dtype', null]],
    shapeRule: 'mha',
    build: (a) => {
      const e = a.int('embed_dim'), h = a.int('num_heads'), bias = a.bool('bias');
      const kdim = a.raw('kdim') === null ? e : a.int('kdim');
      const vdim = a.raw('vdim') === null ? e : a.int('vdim');
      if (h <= 0 || e % h !== 0) throw new LayerArgError('AssertionError', 'embed_dim must be divisible by num_heads');
      const same = kdim === e && vdim === e;
      const weights: WeightSpec[] = same
        ? [{ name: 'in_proj_weight', shape: [3 * e, e] }]
        : [{ name: 'q_proj_weight', shape: [e, e] }, { name: 'k_proj_weight', shape: [e, kdim] }, { name: 'v_proj_weight', shape: [e, vdim] }];
      if (bias) weights.push({ name: 'in_proj_bias', shape: [3 * e] });
      if (a.bool('add_bias_kv')) weights.push({ name: 'bias_k', shape: [1, 1, e] }, { name: 'bias_v', shape: [1, 1, e] });
      return {
        hyperparams: { embed_dim: e, num_heads: h, dropout: a.raw('dropout'), bias, add_bias_kv: a.bool('add_bias_kv'), add_zero_attn: a.bool('add_zero_attn'), kdim, vdim, batch_first: a.bool('batch_first') },
        weights,
        children: [{ name: 'out_proj', type: 'NonDynamicallyQuantizableLinear', args: { in_features: e, out_features: e, bias } }],
        formula: `E·(E + kdim + vdim) + 3E·bias (+ out_proj) = ${e}·(${e} + ${kdim} + ${vdim}) + ${bias ? 3 * e : 0}`,
      };
    },
  },
  transformerLayer('TransformerEncoderLayer'),
  transformerLayer('TransformerDecoderLayer'),
  rnn('RNN'), rnn('LSTM'), rnn('GRU'), rnnCell('RNNCell'), rnnCell('LSTMCell'), rnnCell('GRUCell'),
];

function transformerLayer(name: 'TransformerEncoderLayer' | 'TransformerDecoderLayer'): LayerSpec {
  return {
    name,
    signature: [['d_model', REQUIRED], ['nhead', REQUIRED], ['dim_feedforward', 2048], ['dropout', 0.1], ['activation', 'relu'], ['layer_norm_eps', 1e-5], ['batch_first', false], ['norm_first', false], ['bias', true], ['device', null], ['dtype', null]],
    shapeRule: 'same',
    build: (a) => {
      const d = a.int('d_model'), h = a.int('nhead'), ff = a.int('dim_feedforward'), p = a.raw('dropout'), eps = a.raw('layer_norm_eps');
      const bias = a.bool('bias');
      const batchFirst = a.bool('batch_first');
      const mha = (n: string): ChildSpec => ({ name: n, type: 'MultiheadAttention', args: { embed_dim: d, num_heads: h, dropout: p, bias, batch_first: batchFirst } });
      const norm = (n: string): ChildSpec => ({ name: n, type: 'LayerNorm', args: { normalized_shape: d, eps, bias } });
      const drop = (n: string): ChildSpec => ({ name: n, type: 'Dropout', args: { p } });
      // Child order as torch registers them (torch/nn/modules/transformer.py).
      const children: ChildSpec[] = name === 'TransformerEncoderLayer'
        ? [mha('self_attn'), { name: 'linear1', type: 'Linear', args: { in_features: d, out_features: ff, bias } }, drop('dropout'), { name: 'linear2', type: 'Linear', args: { in_features: ff, out_features: d, bias } }, norm('norm1'), norm('norm2'), drop('dropout1'), drop('dropout2')]
        : [mha('self_attn'), mha('multihead_attn'), { name: 'linear1', type: 'Linear', args: { in_features: d, out_features: ff, bias } }, drop('dropout'), { name: 'linear2', type: 'Linear', args: { in_features: ff, out_features: d, bias } }, norm('norm1'), norm('norm2'), norm('norm3'), drop('dropout1'), drop('dropout2'), drop('dropout3')];
      return {
        hyperparams: { d_model: d, nhead: h, dim_feedforward: ff, dropout: p, activation: typeof a.raw('activation') === 'string' ? a.raw('activation') : 'module', layer_norm_eps: eps, batch_first: batchFirst, norm_first: a.bool('norm_first') },
        weights: [],
        children,
        formula: 'sum of its children (attention, feed-forward, norms)',
      };
    },
  };
}

const BY_NAME = new Map<string, LayerSpec>(LAYERS.map((l) => [l.name, l]));
// torch's Linear subclass used for MultiheadAttention.out_proj (and exported as torch.nn.modules.linear.NonDynamicallyQuantizableLinear).
BY_NAME.set('NonDynamicallyQuantizableLinear', { ...BY_NAME.get('Linear')!, name: 'NonDynamicallyQuantizableLinear' });

/** The catalog entry for a torch.nn layer name, or undefined. */
export function layerSpec(name: string): LayerSpec | undefined {
  return BY_NAME.get(name);
}

/** All catalog layer names (what `torch.nn.<Name>` resolves to). */
export function layerNames(): string[] {
  return [...BY_NAME.keys()];
}

/** Number of elements of a known shape. */
export function numel(shape: readonly number[]): number {
  return prod(shape);
}

export type { Shape };
