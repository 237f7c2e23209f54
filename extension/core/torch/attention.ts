// Attention and transformer blocks: nn.MultiheadAttention (F.multi_head_attention_forward; its
// out_proj child) and nn.TransformerEncoderLayer / TransformerDecoderLayer, which are built from
// catalog children (attention, Linear, LayerNorm, Dropout) in torch's registration order.
import { LayerArgError, REQUIRED, checkEmpty, num, same, type ChildSpec, type OpSpec, type ShapeRule, type WeightSpec } from './spec';

/**
 * (query, key, value): output has query's shape with embed_dim; weights (N, L, S) averaged over heads,
 * (N, num_heads, L, S) with `average_attn_weights=False`, None with `need_weights=False`.
 */
const mhaShape: ShapeRule = (_type, h, inputs) => {
  const q = inputs[0]!,
    k = inputs[1] ?? q;
  const batchFirst = h['batch_first'] === true;
  const e = num(h, 'embed_dim');
  const out = [...q.slice(0, -1), e];
  const [L, N] = batchFirst ? [q[1] ?? null, q[0] ?? null] : [q[0] ?? null, q[1] ?? null];
  const S = batchFirst ? (k[1] ?? null) : (k[0] ?? null);
  if (h['need_weights'] === false) return { ok: true, tuple: [out, null] };
  const heads = h['average_attn_weights'] === false ? [num(h, 'num_heads')] : [];
  return { ok: true, tuple: [out, q.length === 3 ? [N, ...heads, L, S] : [...heads, L, S]] };
};

const MHA: OpSpec = {
  name: 'MultiheadAttention',
  signature: [
    ['embed_dim', REQUIRED],
    ['num_heads', REQUIRED],
    ['dropout', 0.0],
    ['bias', true],
    ['add_bias_kv', false],
    ['add_zero_attn', false],
    ['kdim', null],
    ['vdim', null],
    ['batch_first', false],
    ['device', null],
    ['dtype', null],
  ],
  family: 'attention',
  shape: mhaShape,
  forwardInputs: ['query', 'key', 'value'],
  forwardArgs: ['key_padding_mask', 'need_weights', 'attn_mask', 'average_attn_weights'],
  functional: ['multi_head_attention_forward'],
  stored: [
    'embed_dim',
    'num_heads',
    'dropout',
    { key: 'bias', attr: 'in_proj_bias', isSet: true },
    { key: 'add_bias_kv', attr: 'bias_k', isSet: true },
    'add_zero_attn',
    'kdim',
    'vdim',
    { key: 'batch_first', default: false },
  ],
  build: (a) => {
    const eA = a.size('embed_dim');
    const e = eA.v,
      h = a.int('num_heads'),
      bias = a.bool('bias');
    const kdim = a.raw('kdim') === null ? e : a.int('kdim');
    const vdim = a.raw('vdim') === null ? e : a.int('vdim');
    if (h <= 0 || e % h !== 0) throw new LayerArgError('AssertionError', 'embed_dim must be divisible by num_heads');
    const same3 = kdim === e && vdim === e;
    checkEmpty(same3 ? [{ v: 3 * e, float: eA.float }, eA] : [eA, eA]);
    const weights: WeightSpec[] = same3
      ? [{ name: 'in_proj_weight', shape: [3 * e, e] }]
      : [
          { name: 'q_proj_weight', shape: [e, e] },
          { name: 'k_proj_weight', shape: [e, kdim] },
          { name: 'v_proj_weight', shape: [e, vdim] },
        ];
    if (bias) weights.push({ name: 'in_proj_bias', shape: [3 * e] });
    if (a.bool('add_bias_kv')) weights.push({ name: 'bias_k', shape: [1, 1, e] }, { name: 'bias_v', shape: [1, 1, e] });
    return {
      hyperparams: {
        embed_dim: e,
        num_heads: h,
        dropout: a.raw('dropout'),
        bias,
        add_bias_kv: a.bool('add_bias_kv'),
        add_zero_attn: a.bool('add_zero_attn'),
        kdim,
        vdim,
        batch_first: a.bool('batch_first'),
      },
      weights,
      children: [{ name: 'out_proj', type: 'NonDynamicallyQuantizableLinear', args: { in_features: e, out_features: e, bias } }],
      formula: `E·(E + kdim + vdim) + 3E·bias (+ out_proj) = ${e}·(${e} + ${kdim} + ${vdim}) + ${bias ? 3 * e : 0}`,
    };
  },
};

function transformerLayer(name: 'TransformerEncoderLayer' | 'TransformerDecoderLayer'): OpSpec {
  return {
    name,
    signature: [
      ['d_model', REQUIRED],
      ['nhead', REQUIRED],
      ['dim_feedforward', 2048],
      ['dropout', 0.1],
      ['activation', 'relu'],
      ['layer_norm_eps', 1e-5],
      ['batch_first', false],
      ['norm_first', false],
      ['bias', true],
      ['device', null],
      ['dtype', null],
    ],
    family: 'transformer',
    shape: same,
    build: (a) => {
      const d = a.int('d_model'),
        h = a.int('nhead'),
        ff = a.int('dim_feedforward'),
        p = a.raw('dropout'),
        eps = a.raw('layer_norm_eps');
      const bias = a.bool('bias');
      const batchFirst = a.bool('batch_first');
      const mha = (n: string): ChildSpec => ({
        name: n,
        type: 'MultiheadAttention',
        args: { embed_dim: d, num_heads: h, dropout: p, bias, batch_first: batchFirst },
      });
      const norm = (n: string): ChildSpec => ({ name: n, type: 'LayerNorm', args: { normalized_shape: d, eps, bias } });
      const drop = (n: string): ChildSpec => ({ name: n, type: 'Dropout', args: { p } });
      // Child order as torch registers them (torch/nn/modules/transformer.py).
      const children: ChildSpec[] =
        name === 'TransformerEncoderLayer'
          ? [
              mha('self_attn'),
              { name: 'linear1', type: 'Linear', args: { in_features: d, out_features: ff, bias } },
              drop('dropout'),
              { name: 'linear2', type: 'Linear', args: { in_features: ff, out_features: d, bias } },
              norm('norm1'),
              norm('norm2'),
              drop('dropout1'),
              drop('dropout2'),
            ]
          : [
              mha('self_attn'),
              mha('multihead_attn'),
              { name: 'linear1', type: 'Linear', args: { in_features: d, out_features: ff, bias } },
              drop('dropout'),
              { name: 'linear2', type: 'Linear', args: { in_features: ff, out_features: d, bias } },
              norm('norm1'),
              norm('norm2'),
              norm('norm3'),
              drop('dropout1'),
              drop('dropout2'),
              drop('dropout3'),
            ];
      return {
        hyperparams: {
          d_model: d,
          nhead: h,
          dim_feedforward: ff,
          dropout: p,
          activation: typeof a.raw('activation') === 'string' ? a.raw('activation') : 'module',
          layer_norm_eps: eps,
          batch_first: batchFirst,
          norm_first: a.bool('norm_first'),
        },
        weights: [],
        children,
        formula: 'sum of its children (attention, feed-forward, norms)',
      };
    },
  };
}

export const ATTENTION_SPECS: readonly OpSpec[] = [
  MHA,
  transformerLayer('TransformerEncoderLayer'),
  transformerLayer('TransformerDecoderLayer'),
];
