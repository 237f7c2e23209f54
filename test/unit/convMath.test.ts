import * as assert from 'assert';
import {
  checkConv,
  convMacs,
  convOutputSize,
  convParams,
  convTransposeOutputSize,
  variantCost,
  variantLayers,
  type ConvSpec,
  type VariantBase,
} from '../../extension/core/convMath';

const spec = (over: Partial<ConvSpec> = {}): ConvSpec => ({
  inChannels: 4,
  outChannels: 8,
  kernelSize: [3, 3],
  stride: [1, 1],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 1,
  bias: true,
  transposed: false,
  outputPadding: [0, 0],
  ...over,
});
const message = (s: ConvSpec, input: number[]): string => {
  const r = checkConv(s, input);
  assert.ok(!r.ok, 'expected an error');
  return r.ok ? '' : `${r.error.kind}: ${r.error.message}`;
};

describe('convMath: output sizes', () => {
  it('follows torch.nn.Conv2d: floor((in + 2p − d(k−1) − 1)/s) + 1', () => {
    assert.strictEqual(convOutputSize(224, 7, 2, 3, 1), Math.floor((224 + 2 * 3 - 1 * (7 - 1) - 1) / 2) + 1); // ResNet stem: 112
    assert.strictEqual(convOutputSize(224, 7, 2, 3, 1), 112);
    assert.strictEqual(convOutputSize(7, 3, 1, 2, 2), 7); // dilation 2 with padding 2 keeps the size
    assert.strictEqual(convOutputSize(5, 3, 2, 0, 1), 2);
  });
  it('follows torch.nn.ConvTranspose2d: (in−1)s − 2p + d(k−1) + output_padding + 1', () => {
    assert.strictEqual(convTransposeOutputSize(7, 4, 2, 1, 1, 0), (7 - 1) * 2 - 2 * 1 + 1 * (4 - 1) + 0 + 1); // 14: 2× upsampling
    assert.strictEqual(convTransposeOutputSize(6, 3, 2, 1, 1, 1), 12);
  });
  it('handles N-d specs per dimension', () => {
    const r = checkConv(
      spec({ kernelSize: [3, 1, 5], stride: [1, 2, 1], padding: [1, 0, 2], dilation: [1, 1, 1], outputPadding: [0, 0, 0] }),
      [8, 9, 10],
    );
    assert.deepStrictEqual(r, { ok: true, outputSize: [8, 5, 10] });
  });
});

describe('convMath: PyTorch error messages', () => {
  const cases: [string, ConvSpec, number[], string][] = [
    ['groups ≤ 0', spec({ groups: 0 }), [8, 8], 'ValueError: groups must be a positive integer'],
    ['in_channels % groups', spec({ inChannels: 6, groups: 4 }), [8, 8], 'ValueError: in_channels must be divisible by groups'],
    [
      'out_channels % groups',
      spec({ inChannels: 4, outChannels: 6, groups: 4 }),
      [8, 8],
      'ValueError: out_channels must be divisible by groups',
    ],
    [
      'negative channels',
      spec({ outChannels: -2 }),
      [8, 8],
      'RuntimeError: Trying to create tensor with negative dimension -2: [-2, 4, 3, 3]',
    ],
    ['negative input', spec(), [-3, 8], 'RuntimeError: Trying to create tensor with negative dimension -3: [1, 4, -3, 8]'],
    ['negative padding', spec({ padding: [-1, 0] }), [8, 8], 'RuntimeError: negative padding is not supported'],
    ['zero stride', spec({ stride: [1, 0] }), [8, 8], 'RuntimeError: non-positive stride is not supported'],
    ['zero dilation', spec({ dilation: [0, 1] }), [8, 8], 'RuntimeError: dilation should be greater than zero'],
    [
      'zero out_channels',
      spec({ outChannels: 0 }),
      [8, 8],
      'RuntimeError: Given groups=1, expected weight to be at least 1 at dimension 0, but got weight of size [0, 4, 3, 3] instead',
    ],
    [
      'kernel > padded input',
      spec({ kernelSize: [7, 7], padding: [1, 1] }),
      [4, 4],
      "RuntimeError: Calculated padded input size per channel: (6 x 6). Kernel size: (7 x 7). Kernel size can't be greater than actual input size",
    ],
    [
      'dilated kernel > padded input',
      spec({ dilation: [3, 1], padding: [0, 0] }),
      [6, 6],
      "RuntimeError: Calculated padded input size per channel: (6 x 6). Kernel size: (7 x 3). Kernel size can't be greater than actual input size",
    ],
    [
      'transposed output ≤ 0',
      spec({ transposed: true, inChannels: 3, kernelSize: [1, 1], padding: [1, 1] }),
      [1, 5],
      'RuntimeError: Given input size per channel: (1 x 5). Calculated output size per channel: (-1 x 3). Output size is too small',
    ],
    [
      'output_padding ≥ stride and dilation',
      spec({ transposed: true, outputPadding: [1, 1] }),
      [8, 8],
      'RuntimeError: output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1',
    ],
  ];
  for (const [name, s, input, expected] of cases) {
    it(name, () => assert.strictEqual(message(s, input), expected));
  }
  it('accepts output_padding smaller than the stride', () => {
    assert.deepStrictEqual(checkConv(spec({ transposed: true, stride: [2, 2], outputPadding: [1, 1] }), [6, 5]), {
      ok: true,
      outputSize: [12, 10],
    });
  });
});

describe('convMath: params and MACs', () => {
  it('counts Conv2d params as Cout·(Cin/g)·kh·kw + Cout', () => {
    assert.strictEqual(convParams(spec({ inChannels: 64, outChannels: 128, groups: 4 })), 128 * (64 / 4) * 3 * 3 + 128);
    assert.strictEqual(
      convParams(spec({ transposed: true, inChannels: 64, outChannels: 32, groups: 2, bias: false })),
      64 * (32 / 2) * 3 * 3,
    );
  });
  it('counts MACs as Cout·Hout·Wout·(Cin/g)·k for conv and Cin·Hin·Win·(Cout/g)·k for transposed', () => {
    assert.strictEqual(convMacs(spec(), [16, 16], [16, 16]), 8 * 16 * 16 * 4 * 9);
    assert.strictEqual(convMacs(spec({ transposed: true, kernelSize: [4, 4] }), [7, 7], [14, 14]), 4 * 7 * 7 * 8 * 16);
  });

  const base: VariantBase = {
    inChannels: 32,
    outChannels: 64,
    kernelSize: [3, 3],
    stride: [1, 1],
    padding: [1, 1],
    dilation: [1, 1],
    groups: 1,
    outputPadding: [0, 0],
    bias: false,
    inputSize: [28, 28],
  };
  const cost = (v: Parameters<typeof variantCost>[0], b: VariantBase, form: 'train' | 'deploy' = 'train') => {
    const r = variantCost(v, b, form);
    assert.ok(r.ok && 'cost' in r, JSON.stringify(r));
    return 'cost' in r ? r.cost : undefined!;
  };
  it('gives depthwise-separable vs standard = 1/Cout + 1/k² (MobileNet)', () => {
    const dsc = cost('depthwiseSeparable', base);
    assert.ok(Math.abs(dsc.macsRatio - (1 / 64 + 1 / 9)) < 1e-12);
    assert.ok(Math.abs(dsc.paramsRatio - (1 / 64 + 1 / 9)) < 1e-12);
    assert.strictEqual(dsc.macs, 32 * 28 * 28 * 9 + 64 * 28 * 28 * 32);
  });
  it('gives grouped conv 1/g of the standard cost', () => {
    const g = cost('grouped', { ...base, groups: 4 });
    assert.strictEqual(g.macsRatio, 1 / 4);
    assert.strictEqual(g.params, 64 * (32 / 4) * 9);
  });
  it('costs ACBlock train as three convs + three BNs, and deploy as one k×k conv with bias', () => {
    const train = cost('acblock', base, 'train');
    const outCells = 64 * 28 * 28;
    assert.strictEqual(train.params, 64 * 32 * (9 + 3 + 3) + 3 * 2 * 64);
    assert.strictEqual(train.macs, outCells * 32 * (9 + 3 + 3) + 3 * outCells);
    const deploy = cost('acblock', base, 'deploy');
    assert.strictEqual(deploy.params, 64 * 32 * 9 + 64);
    assert.strictEqual(deploy.macs, outCells * 32 * 9);
  });
  it('lays out the seed ACBlock branches: padding (p, p − k//2), or a crop when padding is 0', () => {
    const padded = variantLayers('acblock', base);
    assert.ok(padded.ok);
    if (padded.ok)
      assert.deepStrictEqual(
        padded.layers.map((l) => [l.name, l.spec.padding, l.inputSize]),
        [
          ['square_conv', [1, 1], [28, 28]],
          ['ver_conv', [1, 0], [28, 28]],
          ['hor_conv', [0, 1], [28, 28]],
        ],
      );
    const cropped = variantLayers('acblock', { ...base, padding: [0, 0] });
    assert.ok(cropped.ok);
    if (cropped.ok)
      assert.deepStrictEqual(
        cropped.layers.map((l) => [l.name, l.inputSize, l.outputSize]),
        [
          ['square_conv', [28, 28], [26, 26]],
          ['ver_conv', [28, 26], [26, 26]],
          ['hor_conv', [26, 28], [26, 26]],
        ],
      );
    const even = variantLayers('acblock', { ...base, kernelSize: [4, 4], padding: [2, 2] });
    assert.ok(!even.ok && /must match the size of tensor b/.test(even.error.message));
    const assertion = variantLayers('acblock', { ...base, kernelSize: [5, 5], padding: [1, 1] });
    assert.ok(!assertion.ok && assertion.error.kind === 'AssertionError');
  });
});
