// torchinfo 1.8.0 (TylerYep/torchinfo @73ed568): "Mult-Adds" derived from parameter counts only.
// A layer with no parameters counts 0 (activations, pools, upsample); BN counts 2·C per call.
// It does not see functional calls.
import { CONV_TRANSPOSE_TYPES, CONV_TYPES, RNN_CELL_TYPES, RNN_TYPES } from '../catalog';
import { ruleTable, type Convention, type CostFn } from '../conventionTypes';
import { conv } from '../formulas';
import { outputShape, unknown } from '../geometry';
import { add, lit, mul, sym, type Term } from '../terms';
import type { CostLayer } from '../costTypes';

function paramsTerm(layer: CostLayer): ReturnType<typeof sym> {
  return sym('params', layer.params ?? unknown('the parameter count is unknown'));
}

/** `output_size[0]·params` for parameters named `weight`/`bias` (layer_info.py:241-242). */
const perBatchParams: CostFn = (layer, call) => mul(sym('N', outputShape(call)[0] ?? 1), paramsTerm(layer));

/** `prod(output_size[:2])·params` for other parameter names (weight_ih_l0, in_proj_weight, out_proj.weight...). */
const perTwoDimsParams: CostFn = (layer, call) => {
  const y = outputShape(call);
  return mul(sym('y0', y[0] ?? 1), sym('y1', y[1] ?? 1), paramsTerm(layer));
};

/**
 * calculate_macs itself (layer_info.py:233-245), from the module's own parameters by name: `weight`/`bias`
 * give numel·N·prod(out[2:]) when the class name contains "Conv", else numel·N; any other name containing
 * weight or bias (weight_g/weight_v of weight_norm, weight_orig of spectral_norm) gives numel·prod(out[:2]);
 * other parameters (a LayerScale gamma) nothing.
 */
const byParameterNames: CostFn = (layer, call) => {
  if (!layer.paramNames && layer.params === 0) return lit(0);
  const params = layer.paramNames ?? unknown('the parameter names are unknown');
  const y = outputShape(call);
  const N = sym('N', y[0] ?? 1);
  const conv = layer.type.includes('Conv');
  const parts: Term[] = [];
  for (const p of params) {
    const n = sym(p.name, p.numel ?? unknown(`the size of ${p.name} is unknown`));
    if (p.name === 'weight' || p.name === 'bias') parts.push(conv ? mul(n, N, ...y.slice(2).map((d) => lit(d))) : mul(N, n));
    else if (p.name.includes('weight') || p.name.includes('bias')) parts.push(mul(sym('y0', y[0] ?? 1), sym('y1', y[1] ?? 1), n));
  }
  return parts.length ? add(...parts) : lit(0);
};

/** A torch layer whose parameters were renamed (weight_norm, spectral_norm) is counted by name, as torchinfo does. */
function byNameIfRenamed(cost: CostFn): CostFn {
  return (layer, call) =>
    layer.paramNames?.some((p) => p.name !== 'weight' && p.name !== 'bias') ? byParameterNames(layer, call) : cost(layer, call);
}

/**
 * torchinfo 1.8.0 `summary(...)` Mult-Adds (layer_info.py:233-245, calculate_macs), MACs.
 * - Class names containing "Conv" (incl. ConvTranspose): weight.numel()·N·Hout·Wout + bias.numel()·N·Hout·Wout,
 *   i.e. bias counted, ConvTranspose by OUTPUT spatial size.
 * - Other `weight`/`bias` parameters: output_size[0]·params: Linear N·(in·out + out) ignoring extra leading dims,
 *   BatchNorm N·2·C (no spatial factor), PReLU, LayerNorm, Embedding likewise.
 * - Other parameter names (RNN weight_ih_l0..., MultiheadAttention in_proj_weight...): prod(output_size[:2])·params.
 * - No parameters, no MACs: activations, pools, upsample, dropout count 0. Reused layers: one row per call, summed.
 */
export const torchinfo: Convention = {
  name: 'torchinfo',
  tool: 'torchinfo 1.8.0',
  summary:
    'torchinfo 1.8.0: MACs from parameter counts only: conv/linear with bias, BN 2·C per call, ConvTranspose by output size, nothing for parameter-free layers.',
  reusedCalls: 'sum',
  userClasses: {
    kind: 'parameters',
    why: "torchinfo counts any module from its class name and its parameters' names, whatever its class.",
    rule: {
      why: 'weight/bias: numel·N·prod(out[2:]) if the class name contains "Conv", else numel·N; other *weight*/*bias* names numel·prod(out[:2]).',
      cost: byParameterNames,
    },
  },
  rules: ruleTable([
    [
      [...CONV_TYPES, ...CONV_TRANSPOSE_TYPES],
      {
        why: 'torchinfo: (weight + bias).numel()·N·Hout·Wout: bias counted; ConvTranspose by output spatial size (≈ stride² high).',
        cost: byNameIfRenamed(conv('out', true)),
      },
    ],
    [
      ['Linear', 'NonDynamicallyQuantizableLinear', 'Bilinear', 'Embedding', 'PReLU'],
      {
        why: 'torchinfo: output_size[0]·params (bias included, extra leading dims of a 3-D input ignored).',
        cost: byNameIfRenamed(perBatchParams),
      },
    ],
    [
      [
        'BatchNorm1d',
        'BatchNorm2d',
        'BatchNorm3d',
        'SyncBatchNorm',
        'LayerNorm',
        'GroupNorm',
        'InstanceNorm1d',
        'InstanceNorm2d',
        'InstanceNorm3d',
      ],
      {
        why: 'torchinfo: N·params, i.e. N·2·C for an affine norm and 0 without affine parameters: no spatial factor.',
        cost: perBatchParams,
      },
    ],
    [
      [...RNN_TYPES, ...RNN_CELL_TYPES, 'MultiheadAttention'],
      { why: 'torchinfo: parameters not named weight/bias: prod(output_size[:2])·params (N·T for a sequence).', cost: perTwoDimsParams },
    ],
    [
      ['TransformerEncoderLayer', 'TransformerDecoderLayer'],
      {
        why: 'torchinfo: unknown: it runs under no_grad, where torch may take the fused fast path and skip the children hooks.',
        cost: () => unknown("torchinfo on a Transformer layer depends on torch's fast path; not reproduced"),
      },
    ],
  ]),
  functional: () => null,

  notes: [
    'torchinfo derives Mult-Adds from parameters: BatchNorm costs 2·C per call, parameter-free layers (ReLU, pools, upsample) cost 0.',
  ],
};
