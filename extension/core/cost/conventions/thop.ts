// thop 0.1.1 (Lyken17/pytorch-OpCounter @43c064a): forward hooks on leaf modules by exact type, run under
// no_grad in eval mode. No bias anywhere, BN 4·numel, avg pools counted, max pools and ReLU zero.
// Parameters are only counted for modules that have a rule. It does not see functional calls.
import {
  ADAPTIVE_AVGPOOL_TYPES,
  AVGPOOL_TYPES,
  BATCHNORM_TYPES,
  CONV_TRANSPOSE_TYPES,
  CONV_TYPES,
  INSTANCENORM_TYPES,
  MAXPOOL_TYPES,
  ADAPTIVE_MAXPOOL_TYPES,
  RNN_CELL_TYPES,
  RNN_TYPES,
  UPSAMPLE_TYPES,
} from '../catalog';
import { thopCell } from './cells';
import { ruleTable, type Convention, type CostFn } from '../conventionTypes';
import { convTerms, hpBool, hpString, inputShape, numel, outputShape, unknown } from '../geometry';
import { linearTerms, rnnLayerInput, rnnTerms, zero } from '../formulas';
import { add, floor, floorDiv, lit, mul, named, ratio, sub, sym, type Term } from '../terms';

/** calculate_conv2d_flops (calc_func.py:28-34): numel(output)·⌊Cin/g⌋·k, Cin read from the input; no bias. */
const thopConv: CostFn = (layer, call) => {
  const t = convTerms(layer, call);
  return mul(numel('out', outputShape(call)), floorDiv(sym('Cin', inputShape(call)[1]!), t.g), t.k);
};

/** count_normalization (basic_hooks.py:60-69): 2·numel(input), ×2 when affine / elementwise_affine. */
const thopNorm: CostFn = (layer, call) => {
  const affine =
    layer.type === 'LayerNorm'
      ? hpBool(layer, 'elementwise_affine', true)
      : hpBool(layer, 'affine', !layer.type.startsWith('InstanceNorm'));
  return mul(lit(affine ? 4 : 2), numel('in', inputShape(call)));
};

/** count_adap_avgpool: ⌊(prod(in_spatial/out_spatial) + 1)·numel(output)⌋, the ratios in floating point. */
const thopAdaptiveAvg: CostFn = (_layer, call) => {
  const x = inputShape(call);
  const y = outputShape(call);
  const ratios = x.slice(2).map((d, i) => ratio(sym(`in${i + 1}`, d), sym(`out${i + 1}`, y[i + 2]!)));
  return floor(mul(add(named('kernel', mul(...ratios)), lit(1)), numel('out', y)));
};

const UPSAMPLE_FACTOR: Readonly<Record<string, number>> = { nearest: 1, linear: 5, bilinear: 11, bicubic: 259 };

/** count_upsample / calculate_upsample (calc_func.py:75-87): numel(output)·{1, 5, 11, 259} by mode; other modes 0. */
const thopUpsample: CostFn = (layer, call) => {
  const fallback = layer.type === 'UpsamplingBilinear2d' ? 'bilinear' : 'nearest';
  const mode = hpString(layer, 'mode', fallback);
  const factor = UPSAMPLE_FACTOR[mode];
  return factor === undefined ? lit(0) : mul(lit(factor), numel('out', outputShape(call)));
};

/** count_softmax: (N·rest)·(3·f − 1) with f = x.size(dim). */
const thopSoftmax: CostFn = (layer, call) => {
  const x = inputShape(call);
  const dim = layer.hyperparams['dim'];
  if (typeof dim !== 'number') return unknown('Softmax dim is unknown (thop fails on dim=None)');
  const f = x[dim < 0 ? x.length + dim : dim] ?? unknown('Softmax dim is out of range');
  const n = numel('in', x).value / f;
  return mul(sym('numel(in)/f', n), sub(mul(lit(3), sym('f', f)), lit(1)));
};

/** _count_{rnn,gru,lstm}_cell per step, summed over layers (×2 when bidirectional), × steps × batch. */
const thopRnn: CostFn = (layer, call) => {
  const t = rnnTerms(layer, call);
  const cell = (inSize: Term): Term => {
    const gate = (): Term => {
      const base = add(mul(add(inSize, t.H), t.H), t.H);
      return t.bias ? add(base, mul(lit(2), t.H)) : base;
    };
    if (layer.type === 'RNN') return gate();
    if (layer.type === 'GRU') return add(mul(lit(3), gate()), t.H, mul(lit(3), t.H));
    return add(mul(lit(4), gate()), mul(lit(3), t.H), t.H);
  };
  const layers = Array.from({ length: t.layers }, (_, i) => mul(lit(t.dirs), cell(rnnLayerInput(t, i))));
  return mul(t.T, t.N, named('Σ cells', add(...layers)));
};

const NORM_TYPES: readonly string[] = [...BATCHNORM_TYPES, ...INSTANCENORM_TYPES, 'LayerNorm', 'SyncBatchNorm'];
const ZERO_HOOK_TYPES: readonly string[] = [
  'ReLU',
  'ReLU6',
  'LeakyReLU',
  ...MAXPOOL_TYPES,
  ...ADAPTIVE_MAXPOOL_TYPES,
  'Dropout',
  'ZeroPad2d',
  'PixelShuffle',
];

/**
 * thop 0.1.1 `profile(model, inputs)`, MACs (register_hooks in thop/profile.py).
 * - Conv and ConvTranspose: numel(output)·(Cin/g)·k, bias NOT counted; ConvTranspose by output size.
 * - Linear: in·numel(output), bias not counted (basic_hooks.py:140-147).
 * - BN/InstanceNorm/LayerNorm/SyncBN: 4·numel when affine, 2·numel otherwise.
 * - ReLU, ReLU6, LeakyReLU, max pools: 0; PReLU numel(input) (eval); AvgPool numel(output);
 *   AdaptiveAvgPool (prod(in/out)+1)·numel(output); Upsample numel(output)·{1,5,11,259} by mode; Softmax (3f−1) per row.
 * - Only modules with a rule report parameters.
 */
export const thop: Convention = {
  name: 'thop',
  tool: 'thop 0.1.1',
  summary:
    'thop 0.1.1: no bias terms, BN 4·numel, ReLU/max pools 0, avg pools and upsample counted; parameters only of modules with a rule.',
  reusedCalls: 'sum',
  userClasses: {
    kind: 'exact',
    why: 'thop registers hooks by exact type (register_hooks[type(m)], profile.py add_hooks), so it gets no count and its parameters are not reported.',
  },
  repeatedPaths: 'hooks',
  rules: ruleTable([
    [
      [...CONV_TYPES, ...CONV_TRANSPOSE_TYPES],
      { why: 'thop: numel(output)·(Cin/g)·k, bias not counted; ConvTranspose by output size (≈ stride² high).', cost: thopConv },
    ],
    [
      ['Linear'],
      {
        why: 'thop: in_features·numel(output), bias not counted.',
        cost: (layer, call) => mul(linearTerms(layer).inF, numel('out', outputShape(call))),
      },
    ],
    [
      NORM_TYPES,
      {
        why: 'thop: 2·numel, doubled when affine: 4·numel for a usual BN (GroupNorm and LocalResponseNorm have no rule: 0).',
        cost: thopNorm,
      },
    ],
    [ZERO_HOOK_TYPES, { why: 'thop: registered as zero_ops: 0.', cost: zero }],
    [['PReLU'], { why: 'thop: numel(input) in eval mode.', cost: (_l, call) => numel('in', inputShape(call)) }],
    [['Softmax'], { why: 'thop: (exp + add + div) = 3f − 1 per row of f features.', cost: thopSoftmax }],
    [AVGPOOL_TYPES, { why: 'thop: numel(output).', cost: (_l, call) => numel('out', outputShape(call)) }],
    [ADAPTIVE_AVGPOOL_TYPES, { why: 'thop: (prod(in/out) + 1)·numel(output).', cost: thopAdaptiveAvg }],
    [UPSAMPLE_TYPES, { why: 'thop: numel(output) × {nearest 1, linear 5, bilinear 11, bicubic 259}; other modes 0.', cost: thopUpsample }],
    [
      RNN_TYPES,
      { why: 'thop: per-step cell cost (gate matmuls + biases + element-wise), × steps × batch, ×2 per direction.', cost: thopRnn },
    ],
    [
      RNN_CELL_TYPES,
      { why: 'thop: one step of the cell (gate matmuls + biases + element-wise) × x.size(0) (count_{rnn,gru,lstm}_cell).', cost: thopCell },
    ],
    [
      ['TransformerEncoderLayer', 'TransformerDecoderLayer'],
      {
        why: 'thop: no rule for the block; its Linear and LayerNorm children are counted (MultiheadAttention has no rule: 0).',
        composite: {
          guard: (layer) =>
            hpBool(layer, 'batch_first', false)
              ? 'thop runs under no_grad: with batch_first=True torch may take the fused fast path and skip the children hooks'
              : null,
        },
      },
    ],
  ]),
  functional: () => null,
  countsParamsOf: (layer, rule) =>
    layer.calls.length > 0 && rule !== undefined && (rule.cost !== undefined || rule.composite !== undefined),
  notes: ['thop counts parameters only for modules with a registered rule that ran in forward (profile.py:199-203).'],
};
