// The "paper" convention: the multiply-accumulates a paper's complexity table means. Convolutions,
// transposed convolutions, linear layers, recurrent gate products, matrix products and attention;
// no bias, no normalisation, activations, pooling or resampling.
import { CONV_TRANSPOSE_TYPES, CONV_TYPES, RNN_CELL_TYPES, RNN_TYPES } from '../catalog';
import { cellGateProducts } from './cells';
import { ruleTable, type Convention, type FunctionalCount } from '../conventionTypes';
import { attentionAnalytic, attentionTerms, conv, linearNoBias, rnnAnalytic } from '../formulas';
import { unknown } from '../geometry';
import type { FunctionalOp, KnownShape } from '../costTypes';
import { functionalConvTerm, linearFunctionalTerm, matmulTerm } from './functionalMath';

function paperFunctional(op: FunctionalOp): FunctionalCount | null {
  const shape = (i: number): KnownShape => op.inputShapes[i] ?? unknown('an operand shape is unknown');
  if (op.op === 'matmul' || op.op === 'mm' || op.op === 'bmm')
    return { term: matmulTerm(shape(0), shape(1)), message: 'matrix product: numel(a)·b.shape[-1]' };
  if (op.op === 'addmm' || op.op === 'baddbmm')
    return { term: matmulTerm(shape(1), shape(2)), message: 'matrix product only, the added term is not a MAC' };
  if (op.op === 'linear') return { term: linearFunctionalTerm(shape(0), shape(1)), message: 'F.linear without bias' };
  if (/^conv(_transpose)?[123]d$/.test(op.op)) return { term: functionalConvTerm(op), message: 'functional convolution without bias' };
  if (op.op === 'einsum' || op.op === 'scaled_dot_product_attention') return unknown(`${op.op} is not counted yet`);
  return null;
}

/**
 * Analytic multiply-accumulates, the figure papers quote.
 * - Conv: N·Cout·Hout·Wout·(Cin/g)·k; ConvTranspose: N·Cin·Hin·Win·(Cout/g)·k; Linear: rows·in·out. No bias.
 * - RNN/LSTM/GRU: N·T·dirs·Σ G·H·(in + H); MultiheadAttention: projections + QKᵀ + AV + output projection.
 * - Matrix products in forward (matmul, `@`, bmm, F.linear) count; everything else is 0.
 * Equals the ground truth's `reference.macs_no_bias` (conv/linear leaves, make.py) on models without
 * matrix products, attention or recurrent layers, which that reference leaves out.
 */
export const paper: Convention = {
  name: 'paper',
  tool: 'analytic (paper)',
  summary:
    'paper: multiply-accumulates of convolutions, linear layers, recurrent gates, matrix products and attention; no bias, BN, activations or pooling.',
  reusedCalls: 'sum',
  userClasses: {
    kind: 'traced',
    why: 'the multiply-accumulates of the conv, linear and matmul ops its forward runs, whatever its class.',
  },
  rules: ruleTable([
    [CONV_TYPES, { why: 'paper: N·Cout·Hout·Wout·(Cin/g)·k, no bias.', cost: conv('out', false) }],
    [
      CONV_TRANSPOSE_TYPES,
      {
        why: 'paper: each input pixel scatters a k-tap filter to every output channel: N·Cin·Hin·Win·(Cout/g)·k.',
        cost: conv('in', false),
      },
    ],
    [['Linear', 'NonDynamicallyQuantizableLinear'], { why: 'paper: rows·in·out, no bias.', cost: linearNoBias }],
    [RNN_CELL_TYPES, { why: 'paper: the gate matrix products of one step, rows·G·H·(in + H), no bias.', cost: cellGateProducts }],
    [RNN_TYPES, { why: 'paper: the gate matrix products, N·T·dirs·Σ G·H·(in + H), no bias or element-wise gate work.', cost: rnnAnalytic }],
    [
      ['MultiheadAttention'],
      {
        why: 'paper: q/k/v projections, QKᵀ, AV and the output projection, no bias or softmax.',
        cost: (layer, call) => attentionAnalytic(attentionTerms(layer, call)),
      },
    ],
    [
      ['TransformerEncoderLayer', 'TransformerDecoderLayer'],
      { why: 'paper: attention plus the two feed-forward Linear layers.', composite: {} },
    ],
  ]),
  functional: paperFunctional,
  notes: [
    'paper counts multiply-accumulates of conv, linear, matrix-product and attention work only; bias, normalisation, activations, pooling and resampling are 0.',
  ],
};
