// torchstat 0.0.7 (Swall0w/torchstat @b52a3b0): leaf-module hooks with isinstance dispatch. Its MAdd
// column counts multiplies and adds separately (≈ 2× MACs) and has no batch factor; its Flops column is
// MAC-like. A reused module keeps only its last call (the hook overwrites its buffers).
import { ruleTable, type Convention, type CostFn } from '../conventionTypes';
import { conv } from '../formulas';
import { convTerms, hpBool, inputShape, intList, numel, numelPerSample, outputShape, unknown } from '../geometry';
import { add, floorDiv, lit, mul, sub, sym, type Term } from '../terms';
import type { CostLayer, LayerCall } from '../costTypes';

/** torchstat asserts the rank it expects; any other rank stops the whole run. */
function expectRank(call: LayerCall, rank: number, type: string): void {
  if (inputShape(call).length !== rank || outputShape(call).length !== rank)
    unknown(`torchstat asserts a ${rank}-D input for ${type} and would stop here`);
}

/** compute_Conv{2,3}d_madd / compute_ConvTranspose{2,3}d_madd: (mul + add) per output, no batch. */
function convMadd(spatialOf: 'in' | 'out'): CostFn {
  return (layer, call) => {
    const t = convTerms(layer, call);
    expectRank(call, t.rank + 2, layer.type);
    const kMul = mul(t.k, floorDiv(sym('Cin', inputShape(call)[1]!), t.g));
    const kAdd = t.bias ? add(sub(kMul, lit(1)), lit(1)) : sub(kMul, lit(1));
    return mul(add(kMul, kAdd), floorDiv(t.Cout, t.g), t.g, spatialOf === 'in' ? t.inSpatial : t.outSpatial);
  };
}

function poolKernel(layer: CostLayer, rank: number): Term {
  const k = intList(layer.hyperparams['kernel_size'], rank) ?? unknown('kernel_size is unknown');
  return mul(...k.map((v) => lit(v)));
}

/** compute_MaxPool{2,3}d_madd: (k − 1) comparisons per output; compute_AvgPool: (k − 1) adds + 1 division. */
function poolMadd(kind: 'max' | 'avg', rank: number): CostFn {
  return (layer, call) => {
    expectRank(call, rank + 2, layer.type);
    const k = poolKernel(layer, rank);
    return mul(kind === 'max' ? sub(k, lit(1)) : k, numelPerSample('out', outputShape(call)));
  };
}

function linear2d(layer: CostLayer, call: LayerCall): { inF: Term; outF: Term; N: Term } {
  expectRank(call, 2, layer.type);
  return { N: sym('N', inputShape(call)[0]!), inF: sym('in', inputShape(call)[1]!), outF: sym('out', outputShape(call)[1]!) };
}

const perSampleIn: CostFn = (_l, call) => numelPerSample('in', inputShape(call));
const inNumel: CostFn = (_l, call) => numel('in', inputShape(call));

const MADD_RULES = ruleTable([
  [
    ['Conv2d'],
    {
      why: 'torchstat MAdd: (k·Cin/g mults + k·Cin/g − 1 adds [+1 bias]) per output, ≈ 2× MACs, no batch factor (compute_madd.py:8-27). Conv1d/Conv3d unsupported: 0.',
      cost: convMadd('out'),
    },
  ],
  [
    ['ConvTranspose2d'],
    {
      why: 'torchstat MAdd: (2·k·Cin/g − 1 [+1 bias])·Cout·Hin·Win, ≈ 2× the analytic value (compute_madd.py:30-48).',
      cost: convMadd('in'),
    },
  ],
  [
    ['BatchNorm2d'],
    {
      why: 'torchstat MAdd: 4·C·H·W (sub mean, div std, mul, add; affine ignored), no batch (compute_madd.py:51-61).',
      cost: (l, call) => {
        expectRank(call, 4, l.type);
        return mul(lit(4), numelPerSample('in', inputShape(call)));
      },
    },
  ],
  [['MaxPool2d'], { why: 'torchstat MAdd: (k − 1)·numel(out)/N comparisons (compute_madd.py:64-90).', cost: poolMadd('max', 2) }],
  [['AvgPool2d'], { why: 'torchstat MAdd: k·numel(out)/N (k − 1 adds + 1 division).', cost: poolMadd('avg', 2) }],
  [['ReLU', 'ReLU6'], { why: 'torchstat MAdd: numel(in)/N, no batch (compute_madd.py:93-99).', cost: perSampleIn }],
  [
    ['Softmax'],
    {
      why: 'torchstat MAdd: exp + add + div = 3·numel(in)/N − 1.',
      cost: (_l, call) => sub(mul(lit(3), numelPerSample('in', inputShape(call))), lit(1)),
    },
  ],
  [
    ['Linear', 'NonDynamicallyQuantizableLinear'],
    {
      why: 'torchstat MAdd: out·(in mults + in − 1 adds), bias not counted, no batch (compute_madd.py:115-124); asserts a 2-D input.',
      cost: (l, call) => {
        const t = linear2d(l, call);
        return mul(t.outF, add(t.inF, sub(t.inF, lit(1))));
      },
    },
  ],
  [
    ['Bilinear'],
    {
      why: 'torchstat MAdd: out·((in1·in2 + in2 mults) + (in1·in2 + in2 − 1 adds)), no batch; asserts 2-D inputs (compute_madd.py:127-137).',
      cost: (_l, call) => {
        const [x1, x2, y] = [inputShape(call, 0), inputShape(call, 1), outputShape(call)];
        if (x1.length !== 2 || x2.length !== 2 || y.length !== 2) unknown('torchstat asserts 2-D inputs for Bilinear and would stop here');
        const [i1, i2] = [sym('in1', x1[1]!), sym('in2', x2[1]!)];
        const muls = add(mul(i1, i2), i2);
        return mul(sym('out', y[1]!), add(muls, sub(muls, lit(1))));
      },
    },
  ],
  [
    ['TransformerEncoderLayer', 'TransformerDecoderLayer'],
    {
      why: "torchstat: unknown: its Linear children see 3-D inputs, which torchstat's Linear asserts against.",
      cost: () => unknown('torchstat asserts 2-D Linear inputs; a Transformer layer stops it'),
    },
  ],
]);

const FLOPS_RULES = ruleTable([
  [
    ['Conv2d'],
    {
      why: 'torchstat Flops: k·Cin·(Cout/g)·N·Hout·Wout + bias Cout·N·Hout·Wout (compute_flops.py:25-47).',
      cost: (l, call) => {
        expectRank(call, 4, l.type);
        return conv('out', true)(l, call);
      },
    },
  ],
  [
    ['BatchNorm2d'],
    {
      why: 'torchstat Flops: 2·numel affine, 1·numel otherwise (compute_flops.py:50-57).',
      cost: (l, call) => (hpBool(l, 'affine', true) ? mul(lit(2), inNumel(l, call)) : inNumel(l, call)),
    },
  ],
  [['MaxPool2d', 'AvgPool2d'], { why: 'torchstat Flops: numel(input) (compute_flops.py:71-74).', cost: inNumel }],
  [['ReLU', 'ReLU6', 'PReLU', 'ELU', 'LeakyReLU'], { why: 'torchstat Flops: numel(input) (compute_flops.py:60-68).', cost: inNumel }],
  [
    ['Upsample', 'UpsamplingNearest2d', 'UpsamplingBilinear2d'],
    {
      why: 'torchstat Flops: N·Hout·Wout: it reads out[0].shape[1:], dropping the channels (compute_flops.py:83-91).',
      cost: (_l, call) =>
        mul(
          sym('N', inputShape(call)[0]!),
          ...outputShape(call)
            .slice(2)
            .map((d) => lit(d)),
        ),
    },
  ],
  [
    ['Linear', 'NonDynamicallyQuantizableLinear'],
    {
      why: 'torchstat Flops: N·in·out, bias not counted (compute_flops.py:77-81).',
      cost: (l, call) => {
        const t = linear2d(l, call);
        return mul(t.N, t.inF, t.outF);
      },
    },
  ],
]);

/**
 * torchstat 0.0.7 `stat(model, input_size)`, MAdd column (multiplies and adds counted separately, ≈ 2× MACs,
 * no batch factor), with its Flops column as the secondary figure.
 * - Only 2-D types (compute_madd/compute_flops dispatch on nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d...): 1-D and 3-D layers count 0.
 * - Conv2d MAdd: (2·k·Cin/g − 1 + [bias])·Cout·Hout·Wout; Flops: N·Cout·Hout·Wout·(Cin/g)·k + bias term.
 * - BN2d MAdd 4·C·H·W; ReLU/ReLU6 C·H·W; MaxPool (k−1)·numel(out)/N; AvgPool k·numel(out)/N; Linear out·(2·in−1).
 * - ConvTranspose Flops 0 (unsupported); Upsample Flops N·Hout·Wout (channels dropped); no MAdd for Upsample.
 * - A reused module keeps only its LAST call (model_hook.py:87-90).
 */
export const torchstat: Convention = {
  name: 'torchstat',
  tool: 'torchstat 0.0.7',
  summary:
    'torchstat 0.0.7 MAdd: multiplies and adds counted separately (≈ 2× MACs), no batch factor; only the last call of a reused module survives. Its Flops column is given as the secondary figure.',
  reusedCalls: 'last',
  userClasses: {
    kind: 'isinstance',
    why: 'torchstat dispatches with isinstance (compute_madd.py, compute_flops.py), so a subclass of a torch layer is counted as that layer; any other user class counts 0.',
  },
  rules: MADD_RULES,
  secondary: { label: 'torchstat Flops column', rules: FLOPS_RULES },
  functional: () => null,
  countsParamsOf: (layer) => layer.calls.length > 0,
  notes: [
    "torchstat's MAdd column counts a multiply and an add as two operations: it is about 2× the MAC figure of the other tools.",
    "torchstat overwrites a module's statistics on every call, so a module used several times in forward (e.g. ResNet's shared ReLU) keeps only its last call.",
    'torchstat reports parameters of executed leaf modules only.',
  ],
};
