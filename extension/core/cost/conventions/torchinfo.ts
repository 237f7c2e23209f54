// torchinfo 1.8.0 (TylerYep/torchinfo @73ed568): "Mult-Adds" derived from parameter counts only.
// A layer with no parameters counts 0 (activations, pools, upsample); BN counts 2·C per call.
// It does not see functional calls.
import { CONV_TRANSPOSE_TYPES, CONV_TYPES, RNN_CELL_TYPES, RNN_TYPES } from '../catalog';
import { ruleTable, type Convention, type CostFn } from '../conventionTypes';
import { conv } from '../formulas';
import { outputShape, unknown } from '../geometry';
import { mul, sym } from '../terms';
import type { CostLayer } from '../types';

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
  summary: 'torchinfo 1.8.0: MACs from parameter counts only: conv/linear with bias, BN 2·C per call, ConvTranspose by output size, nothing for parameter-free layers.',
  reusedCalls: 'sum',
  rules: ruleTable([
    [[...CONV_TYPES, ...CONV_TRANSPOSE_TYPES], { why: 'torchinfo: (weight + bias).numel()·N·Hout·Wout: bias counted; ConvTranspose by output spatial size (≈ stride² high).', cost: conv('out', true) }],
    [['Linear', 'NonDynamicallyQuantizableLinear', 'Bilinear', 'Embedding', 'PReLU'], { why: 'torchinfo: output_size[0]·params (bias included, extra leading dims of a 3-D input ignored).', cost: perBatchParams }],
    [['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'SyncBatchNorm', 'LayerNorm', 'GroupNorm', 'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d'], {
      why: 'torchinfo: N·params, i.e. N·2·C for an affine norm and 0 without affine parameters: no spatial factor.', cost: perBatchParams,
    }],
    [[...RNN_TYPES, ...RNN_CELL_TYPES, 'MultiheadAttention'], { why: 'torchinfo: parameters not named weight/bias: prod(output_size[:2])·params (N·T for a sequence).', cost: perTwoDimsParams }],
    [['TransformerEncoderLayer', 'TransformerDecoderLayer'], {
      why: 'torchinfo: unknown: it runs under no_grad, where torch may take the fused fast path and skip the children hooks.',
      cost: () => unknown('torchinfo on a Transformer layer depends on torch\'s fast path; not reproduced'),
    }],
  ]),
  functional: () => null,

  notes: ['torchinfo derives Mult-Adds from parameters: BatchNorm costs 2·C per call, parameter-free layers (ReLU, pools, upsample) cost 0.'],
};


