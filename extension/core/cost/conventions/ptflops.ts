// The default convention: ptflops 0.7.6 with backend='pytorch' (sovrasov/flops-counter.pytorch @d612c75).
// Module hooks by exact type plus the functional/tensor-op patching added in 0.7.1, whose counts go
// into the total only; the ops it counts a second time inside hooked torch modules are listed as
// double counts. It does not model `count_functional=False` or the aten backend.
import { CONV_TRANSPOSE_TYPES } from '../catalog';
import { ruleTable, type Convention } from '../conventionTypes';
import { conv, linearTerms, rows } from '../formulas';
import { add, mul } from '../terms';
import { ptflopsFunctional, ptflopsHiddenOps, sharedHookRows } from './ptflopsHooks';

const VERSION = 'ptflops 0.7.6';

/**
 * ptflops 0.7.6 (`get_model_complexity_info(..., backend='pytorch')`), MACs.
 * - Conv: N·Cout·Hout·Wout·(Cin/g)·k + bias N·Cout·Hout·Wout (pytorch_ops.py:60-92, bias 87-88).
 * - ConvTranspose: by INPUT spatial size, N·Cin·Hin·Win·(Cout/g)·k + bias N·Cout·Hout·Wout (pytorch_ops.py:76-78, 310-312).
 * - Linear: (in·out + out if bias)·prod(input.shape[:-1]) (pytorch_ops.py:35-43).
 * - BN/InstanceNorm/GroupNorm: 2·numel if affine else numel; LayerNorm numel (pytorch_ops.py:51-57).
 * - ReLU/ReLU6/LeakyReLU/PReLU/ELU/GELU numel(out); pools numel(in); Upsample numel(out)/N.
 * - Plus, in the total only, every patched F.* and torch.* call (pytorch_engine.py:49-54, 69-71, 348-456),
 *   including those inside nn.ReLU, nn.MaxPool2d, nn.AdaptiveAvgPool2d, nn.Upsample... (double counts).
 */
export const ptflops: Convention = {
  name: 'ptflops',
  tool: `${VERSION} (backend=pytorch)`,
  summary:
    'ptflops 0.7.6: conv/linear with bias, BN 2·numel, activations and pools numel; F.relu, pools, interpolate, torch.add/matmul... patched and added to the total, so ops inside nn.ReLU/nn.MaxPool2d are counted twice.',
  reusedCalls: 'sum',
  userClasses: {
    kind: 'exact',
    why: `${VERSION} looks module hooks up by exact type (MODULES_MAPPING.get(type(module)), pytorch_engine.py add_flops_counter_hook_function), so it gets no module count; the F.*/torch.* calls in its forward that ptflops patches are counted.`,
  },
  perSample: true,
  repeatedPaths: 'total',
  rules: ruleTable([
    ...sharedHookRows(VERSION, { layerNorm: true }),
    [
      CONV_TRANSPOSE_TYPES,
      {
        why: `${VERSION}: by input spatial size (the analytic value, fixed upstream 2025-08-20), plus bias N·Cout·Hout·Wout.`,
        cost: conv('in', true),
      },
    ],
    [
      ['Linear'],
      {
        why: `${VERSION}: (in·out + out)·rows, bias counted once per output row.`,
        cost: (layer, call) => {
          const { inF, outF, bias } = linearTerms(layer);
          return mul(bias ? add(mul(inF, outF), outF) : mul(inF, outF), rows(call));
        },
      },
    ],
    [
      ['TransformerEncoderLayer', 'TransformerDecoderLayer'],
      {
        why: `${VERSION}: no hook for the block; its MultiheadAttention, Linear and LayerNorm children are counted (activation functions are bound before patching, so not counted).`,
        composite: {},
      },
    ],
  ]),
  hiddenOps: ptflopsHiddenOps,
  functional: ptflopsFunctional,
  notes: [
    'ptflops 0.7.x adds the patched functional and tensor-op calls to the total only; its per-layer print shows module hooks alone (pytorch_engine.py:69-71).',
    'Ops inside torch modules that ptflops counts again (F.relu in nn.ReLU, F.max_pool2d in nn.MaxPool2d, F.interpolate in nn.Upsample...) are listed as functional entries with doubleCount: true. Upstream workaround: backend_specific_config={"count_functional": False} (issue #139).',
    'The `+`, `*` and `@` operators are not patched; torch.add / Tensor.add, torch.mul, torch.matmul... are.',
  ],
};
