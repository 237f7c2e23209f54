// ptflops 0.6.9 (sovrasov/flops-counter.pytorch @f6797ec, 2022): module hooks only, before the
// functional patching of 0.7.1 and before the ConvTranspose fix. Shares the hook table with 0.7.6;
// only Linear's bias and ConvTranspose's spatial size differ.
import { CONV_TRANSPOSE_TYPES } from '../catalog';
import { ruleTable, type Convention } from '../conventionTypes';
import { conv, linearTerms } from '../formulas';
import { inputShape, numel } from '../geometry';
import { add, mul } from '../terms';
import { sharedHookRows } from './ptflopsHooks';

const VERSION = 'ptflops 0.6.9';

/**
 * ptflops 0.6.9, MACs, module hooks only.
 * - Conv: N·Cout·Hout·Wout·(Cin/g)·k + bias N·Cout·Hout·Wout (v0.6.9 pytorch_ops.py:53-81, bias 75-77).
 * - ConvTranspose: treated as a conv, by OUTPUT spatial size: ≈ stride² above the analytic value (pytorch_ops.py:265-267).
 * - Linear: numel(input)·out + out, the bias added once, not per row (pytorch_ops.py:31-36).
 * - BN 2·numel (affine); LayerNorm 0 (no hook before 0.7); activations numel(out); pools numel(in); Upsample numel(out)/N. No functional ops.
 */
export const ptflops06: Convention = {
  name: 'ptflops-0.6',
  tool: VERSION,
  summary: 'ptflops 0.6.9: module hooks only (no functional double counts); ConvTranspose by output size; Linear bias added once.',
  reusedCalls: 'sum',
  userClasses: {
    kind: 'exact',
    why: `${VERSION} looks module hooks up by exact type (MODULES_MAPPING), so it gets no count, and 0.6.9 patches no functional calls: nothing inside it is counted.`,
  },
  perSample: true,
  repeatedPaths: 'total',
  rules: ruleTable([
    // nn.LayerNorm got its hook in 0.7 (MODULES_MAPPING of v0.6.9 has none): 0 here.
    ...sharedHookRows(VERSION, { layerNorm: false }),
    [
      CONV_TRANSPOSE_TYPES,
      {
        why: `${VERSION}: counted like a conv over the OUTPUT spatial size, ≈ stride² above the analytic value; bias N·Cout·Hout·Wout.`,
        cost: conv('out', true),
      },
    ],
    [
      ['Linear'],
      {
        why: `${VERSION}: numel(input)·out + out: the bias is added once, not per row.`,
        cost: (layer, call) => {
          const { outF, bias } = linearTerms(layer);
          const core = mul(numel('in', inputShape(call)), outF);
          return bias ? add(core, outF) : core;
        },
      },
    ],
    [
      ['TransformerEncoderLayer', 'TransformerDecoderLayer'],
      { why: `${VERSION}: no hook for the block; its MultiheadAttention, Linear and LayerNorm children are counted.`, composite: {} },
    ],
  ]),
  functional: () => null,
  notes: ['ptflops 0.6.9 counts module hooks only: functional calls in forward (F.relu, F.interpolate, torch.add...) are invisible to it.'],
};
