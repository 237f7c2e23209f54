// Linear maps: nn.Linear (F.linear), its MultiheadAttention out_proj subclass
// NonDynamicallyQuantizableLinear, nn.Bilinear (F.bilinear) and nn.Embedding (F.embedding).
import type { Shape } from '../resultTypes';
import { REQUIRED, checkEmpty, err, num, ok, prodDims, values, type OpSpec, type ShapeRule } from './spec';

/** `x @ W.T`: the last dim must be in_features (torch's matmul message), it becomes out_features. */
export const linearShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  const inF = num(h, 'in_features');
  const last = x[x.length - 1];
  if (last !== null && last !== undefined && last !== inF) {
    return err(
      `mat1 and mat2 shapes cannot be multiplied (${prodDims(x.slice(0, -1)) ?? '?'}x${last} and ${inF}x${num(h, 'out_features')})`,
    );
  }
  return ok([...x.slice(0, -1), num(h, 'out_features')]);
};

const linear = (name: string): OpSpec => ({
  name,
  signature: [
    ['in_features', REQUIRED],
    ['out_features', REQUIRED],
    ['bias', true],
    ['device', null],
    ['dtype', null],
  ],
  family: 'linear',
  shape: linearShape,
  functional: ['linear'],
  stored: ['in_features', 'out_features', { key: 'bias', isSet: true }],
  build: (a) => {
    const w = [a.size('out_features'), a.size('in_features')];
    checkEmpty(w);
    const [o, i] = values(w) as [number, number];
    const bias = a.bool('bias');
    return {
      hyperparams: { in_features: i, out_features: o, bias },
      weights: [{ name: 'weight', shape: [o, i] }, ...(bias ? [{ name: 'bias', shape: [o] }] : [])],
      formula: `in·out + bias = ${i}·${o} + ${bias ? o : 0}`,
    };
  },
});

export const LINEAR_SPECS: readonly OpSpec[] = [
  linear('Linear'),
  // torch's Linear subclass used for MultiheadAttention.out_proj (torch.nn.modules.linear.NonDynamicallyQuantizableLinear).
  linear('NonDynamicallyQuantizableLinear'),
  {
    name: 'Bilinear',
    signature: [
      ['in1_features', REQUIRED],
      ['in2_features', REQUIRED],
      ['out_features', REQUIRED],
      ['bias', true],
      ['device', null],
      ['dtype', null],
    ],
    family: 'bilinear',
    shape: (_t, h, inputs) => ok([...inputs[0]!.slice(0, -1), num(h, 'out_features')] as Shape),
    forwardInputs: ['input1', 'input2'],
    functional: ['bilinear'],
    stored: ['in1_features', 'in2_features', 'out_features', { key: 'bias', isSet: true }],
    build: (a) => {
      const w = [a.size('out_features'), a.size('in1_features'), a.size('in2_features')];
      checkEmpty(w);
      const [o, i1, i2] = values(w) as [number, number, number];
      const bias = a.bool('bias');
      return {
        hyperparams: { in1_features: i1, in2_features: i2, out_features: o, bias },
        weights: [{ name: 'weight', shape: [o, i1, i2] }, ...(bias ? [{ name: 'bias', shape: [o] }] : [])],
        formula: `out·in1·in2 + bias = ${o}·${i1}·${i2} + ${bias ? o : 0}`,
      };
    },
  },
  {
    name: 'Embedding',
    signature: [
      ['num_embeddings', REQUIRED],
      ['embedding_dim', REQUIRED],
      ['padding_idx', null],
      ['max_norm', null],
      ['norm_type', 2.0],
      ['scale_grad_by_freq', false],
      ['sparse', false],
      ['_weight', null],
      ['_freeze', false],
      ['device', null],
      ['dtype', null],
    ],
    family: 'embedding',
    shape: (_t, h, inputs) => ok([...inputs[0]!, num(h, 'embedding_dim')]),
    functional: ['embedding'],
    stored: ['num_embeddings', 'embedding_dim', 'padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse'],
    build: (a) => {
      const w = [a.size('num_embeddings'), a.size('embedding_dim')];
      checkEmpty(w);
      const [n, d] = values(w) as [number, number];
      return {
        hyperparams: {
          num_embeddings: n,
          embedding_dim: d,
          padding_idx: a.raw('padding_idx'),
          max_norm: a.raw('max_norm'),
          norm_type: a.raw('norm_type'),
          scale_grad_by_freq: a.bool('scale_grad_by_freq'),
          sparse: a.bool('sparse'),
        },
        weights: [{ name: 'weight', shape: [n, d] }],
        formula: `num_embeddings·embedding_dim = ${n}·${d}`,
      };
    },
  },
];
