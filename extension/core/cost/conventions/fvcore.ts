// fvcore 0.1.6 (facebookresearch/fvcore @3378afe): traces aten ops with torch.jit and counts the ones it
// has a handle for (flop_count.py:28-46); every op is attributed to the module whose __call__ was on the
// stack, so functional ops in forward land on that module. No bias anywhere; activations are ignored.
import {
  ADAPTIVE_AVGPOOL_TYPES,
  BATCHNORM_TYPES,
  CONV_TRANSPOSE_TYPES,
  CONV_TYPES,
  INSTANCENORM_TYPES,
  RNN_CELL_TYPES,
  UPSAMPLE_TYPES,
} from '../catalog';
import { cellGateProducts } from './cells';
import { ruleTable, type Convention, type CostFn, type FunctionalCount } from '../conventionTypes';
import { attentionAnalytic, attentionTerms, conv, linearNoBias } from '../formulas';
import { hpBool, hpString, inputShape, numel, outputShape, unknown } from '../geometry';
import { lit, mul, sym, type Term } from '../terms';
import type { FunctionalOp, KnownShape } from '../costTypes';
import { matmulTerm, functionalConvTerm, linearFunctionalTerm } from './functionalMath';

/** batchnorm_flop_jit in eval mode (jit_handles.py:253-260): 2·numel with affine weight, 1·numel without. */
const fvcoreBatchNorm: CostFn = (layer, call) => {
  const x = numel('in', inputShape(call));
  return hpBool(layer, 'affine', true) ? mul(lit(2), x) : x;
};

/** norm_flop_counter (group_norm, layer_norm, instance_norm): 5·numel with affine weight, 4·numel without. */
const fvcoreNorm: CostFn = (layer, call) => {
  const affine =
    layer.type === 'LayerNorm' ? hpBool(layer, 'elementwise_affine', true) : hpBool(layer, 'affine', layer.type === 'GroupNorm');
  return mul(lit(affine ? 5 : 4), numel('in', inputShape(call)));
};

/** aten::upsample_nearest2d counts numel(out), aten::upsample_bilinear2d 4·numel(out); other modes and ranks have no handle. */
function upsampleTerm(mode: string, y: KnownShape): Term | null {
  if (y.length !== 4) return null;
  if (mode === 'nearest') return numel('out', y);
  if (mode === 'bilinear') return mul(lit(4), numel('out', y));
  return null;
}

const fvcoreUpsample: CostFn = (layer, call) => {
  const mode = hpString(layer, 'mode', layer.type === 'UpsamplingBilinear2d' ? 'bilinear' : 'nearest');
  return upsampleTerm(mode, outputShape(call)) ?? lit(0);
};

/** adaptive_avg_pool2d: numel(input) (elementwise_flop_counter(1, 0)); the 1-D and 3-D variants have no handle. */
const fvcoreAdaptiveAvg: CostFn = (layer, call) => (layer.type === 'AdaptiveAvgPool2d' ? numel('in', inputShape(call)) : lit(0));

/**
 * einsum_flop_jit (jit_handles.py): the equation with its letters renamed a, b, c... in order of first use;
 * `abc,abd->acd` and `abc,adc->adb` by formula, any other through numpy's einsum_path(optimize="optimal"),
 * whose "Optimized FLOP count" line is printed with 4 significant digits and halved. For two operands that
 * count is prod(all index sizes)·(1 + 1 if an index is summed away); longer paths are not reproduced.
 */
function einsumTerm(op: FunctionalOp): Term {
  const raw = op.args['equation'];
  if (typeof raw !== 'string') return unknown('the einsum equation is unknown');
  const order = [...new Set(raw.replace(/[^A-Za-z]/g, ''))];
  const eq = raw.replace(/\s/g, '').replace(/[A-Za-z]/g, (ch) => String.fromCharCode(97 + order.indexOf(ch)));
  const shapes = op.inputShapes.map((s) => s ?? unknown('an operand shape is unknown'));
  const [a, b] = [shapes[0], shapes[shapes.length - 1]];
  if (eq === 'abc,abd->acd' && a?.length === 3 && b)
    return mul(sym('n', a[0]!), sym('c', a[1]!), sym('t', a[2]!), sym('p', b[b.length - 1]!));
  if (eq === 'abc,adc->adb' && a?.length === 3 && b) return mul(sym('n', a[0]!), sym('t', a[1]!), sym('g', a[2]!), sym('c', b[1]!));
  const [lhs, out] = eq.split('->');
  const operands = lhs?.split(',') ?? [];
  if (out === undefined || eq.includes('.') || operands.length !== 2 || shapes.length !== 2)
    return unknown("fvcore counts this einsum through numpy's contraction path search; not reproduced");
  const size = new Map<string, number>();
  operands.forEach((letters, i) => [...letters].forEach((ch, j) => size.set(ch, shapes[i]![j] ?? 1)));
  const removed = [...size.keys()].some((ch) => !out.includes(ch));
  const flops = [...size.values()].reduce((x, y) => x * y, 1) * (removed ? 2 : 1);
  return sym('⌊%.3e(numpy FLOP count)/2⌋', Math.floor(Number(flops.toExponential(3)) / 2));
}

/** How fvcore counts a functional op written in forward code; null when it has no handle for it. */
function fvcoreFunctional(op: FunctionalOp): FunctionalCount | null {
  const shape = (i: number): KnownShape => op.inputShapes[i] ?? unknown('an operand shape is unknown');
  switch (op.op) {
    case 'interpolate':
    case 'upsample': {
      const mode = typeof op.args['mode'] === 'string' ? op.args['mode'] : 'nearest';
      const term = upsampleTerm(mode, op.outputShape ?? unknown('the output shape is unknown'));
      return term && { term, message: `aten::upsample_${mode}2d` };
    }
    case 'adaptive_avg_pool2d':
      return { term: numel('in', shape(0)), message: 'aten::adaptive_avg_pool2d: numel(input)' };
    case 'matmul':
    case 'mm':
    case 'bmm':
      return {
        term: matmulTerm(shape(0), shape(1)),
        message: `aten::${op.op}: numel(a)·b.shape[-1] (operators included: fvcore traces aten)`,
      };
    case 'addmm':
    case 'baddbmm':
      return op.op === 'addmm' ? { term: matmulTerm(shape(1), shape(2)), message: 'aten::addmm: the product only, no bias' } : null;
    case 'linear':
      return { term: linearFunctionalTerm(shape(0), shape(1)), message: 'aten::linear: numel(input)·out, no bias' };
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
      return { term: functionalConvTerm(op), message: 'aten::_convolution, no bias' };
    case 'grid_sample':
      // "aten::grid_sampler": elementwise_flop_counter(0, 4) (flop_count.py _DEFAULT_SUPPORTED_OPS, "assume bilinear").
      return {
        term: mul(lit(4), numel('out', op.outputShape ?? unknown('the output shape is unknown'))),
        message: 'aten::grid_sampler: 4·numel(out), bilinear assumed whatever the mode',
      };
    case 'layer_norm':
    case 'group_norm':
      // norm_flop_counter(2) (jit_handles.py): 5·numel when a weight is given, else 4·numel. Recorded inputs are
      // the input and the tensors among the other arguments (weight, bias).
      return {
        term: mul(lit(op.inputShapes.length > 1 ? 5 : 4), numel('in', shape(0))),
        message: `aten::${op.op}: 5·numel with an affine weight, 4·numel without`,
      };
    case 'einsum':
      return { term: einsumTerm(op), message: 'aten::einsum (einsum_flop_jit)' };
    case 'batch_norm':
    case 'instance_norm':
      return unknown(`fvcore counts functional ${op.op}; its rule is not reproduced here`);
    default:
      return null;
  }
}

/**
 * fvcore `FlopCountAnalysis(model.eval(), inputs)`, MACs (one fused multiply-add = 1).
 * - Conv: N·Cout·Hout·Wout·(Cin/g)·k, no bias (jit_handles.py:129-173); ConvTranspose by INPUT size (= analytic).
 * - Linear: numel(input)·out, no bias (jit_handles.py:101-112).
 * - BatchNorm (eval): 2·numel affine, 1·numel not (jit_handles.py:253-260); Layer/Group/InstanceNorm 5·numel or 4·numel.
 * - AdaptiveAvgPool2d numel(input); Upsample nearest numel(out), bilinear 4·numel(out) (2-D only); activations,
 *   max/avg pools, add, cat... 0 (ignored or unsupported ops).
 * - Functional ops in forward (interpolate, adaptive_avg_pool2d, matmul incl. `@`, linear) are counted and
 *   attributed to the module that issued them.
 */
export const fvcore: Convention = {
  name: 'fvcore',
  tool: 'fvcore 0.1.6',
  summary:
    'fvcore 0.1.6: traced aten ops, no bias, BN 2·numel (eval), adaptive avg pool and upsample counted, activations ignored; functional ops attributed to the calling module.',
  reusedCalls: 'sum',
  userClasses: {
    kind: 'traced',
    why: 'fvcore traces the aten ops inside whatever module runs them (jit trace, by_module), so its cost is the ops its forward runs, whatever its class.',
  },
  rules: ruleTable([
    [CONV_TYPES, { why: 'fvcore: N·Cout·Hout·Wout·(Cin/g)·k, bias not counted.', cost: conv('out', false) }],
    [CONV_TRANSPOSE_TYPES, { why: 'fvcore: by input spatial size (the analytic value), bias not counted.', cost: conv('in', false) }],
    [
      ['Linear', 'NonDynamicallyQuantizableLinear'],
      { why: 'fvcore: numel(input)·out (aten::linear), bias not counted.', cost: linearNoBias },
    ],
    [
      RNN_CELL_TYPES,
      {
        why: 'fvcore: the cell traces to two aten::linear (x·W_ihᵀ, h·W_hhᵀ): rows·G·H·(in + H), no bias; the gate element-wise ops have no handle.',
        cost: cellGateProducts,
      },
    ],
    [[...BATCHNORM_TYPES, 'SyncBatchNorm'], { why: 'fvcore (eval): 2·numel with affine, 1·numel without.', cost: fvcoreBatchNorm }],
    [
      ['LayerNorm', 'GroupNorm', ...INSTANCENORM_TYPES],
      { why: 'fvcore: 5·numel with affine, 4·numel without (a rough estimate in fvcore itself).', cost: fvcoreNorm },
    ],
    [
      ADAPTIVE_AVGPOOL_TYPES,
      { why: 'fvcore: AdaptiveAvgPool2d numel(input); the 1-D and 3-D ops have no handle (0).', cost: fvcoreAdaptiveAvg },
    ],
    [
      UPSAMPLE_TYPES,
      { why: 'fvcore: nearest numel(out), bilinear 4·numel(out) (2-D only; other modes have no handle).', cost: fvcoreUpsample },
    ],
    [
      ['MultiheadAttention'],
      {
        why: 'fvcore: the four projections (aten::linear) and the two attention bmm, no bias; softmax ignored.',
        cost: (layer, call) => attentionAnalytic(attentionTerms(layer, call)),
      },
    ],
    [
      ['TransformerEncoderLayer', 'TransformerDecoderLayer'],
      { why: 'fvcore: the sum of the traced ops of its attention, Linear and LayerNorm children.', composite: {} },
    ],
  ]),
  functional: fvcoreFunctional,
  notes: [
    'fvcore attributes functional ops to the module whose forward issued them (e.g. the root for a final F.adaptive_avg_pool2d).',
    'RNN/LSTM/GRU (aten::lstm...), Embedding, activations, max/avg pooling, add and cat have no fvcore handle: 0.',
  ],
};
