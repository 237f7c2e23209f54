// The configurations the browser tests and the bench run: every variant, with strides, paddings,
// dilations, groups, k×1 / 1×k kernels, output_padding and ACBlock's crop case.
import { DEFAULT_PLAYGROUND_STATE, type PlaygroundParams } from '../../extension/protocol/playgroundMessages';

const base = DEFAULT_PLAYGROUND_STATE.params;
const p = (name: string, over: Partial<PlaygroundParams>): [string, PlaygroundParams] => [name, { ...base, ...over }];

export const CORRECTNESS_CASES: readonly [string, PlaygroundParams][] = [
  p('standard 3×3 s1 p1', { variant: 'standard', inputSize: [12, 10] }),
  p('standard stride (2,3) padding (2,1), no bias', {
    variant: 'standard',
    stride: [2, 3],
    padding: [2, 1],
    bias: false,
    inputSize: [13, 11],
  }),
  p('standard k×1 (5×1)', { variant: 'standard', kernelSize: [5, 1], padding: [2, 0], inputSize: [9, 7] }),
  p('standard 1×k (1×3)', { variant: 'standard', kernelSize: [1, 3], padding: [0, 1], inputSize: [9, 7] }),
  p('grouped g=4', { variant: 'grouped', inChannels: 8, outChannels: 12, groups: 4, inputSize: [10, 10] }),
  p('dilated d=2 p=2', { variant: 'dilated', dilation: [2, 2], padding: [2, 2], inputSize: [14, 12] }),
  p('dilated d=(2,3) stride 2', { variant: 'dilated', dilation: [2, 3], padding: [1, 3], stride: [2, 2], inputSize: [15, 16] }),
  p('depthwise-separable 3×3', { variant: 'depthwiseSeparable', inChannels: 6, outChannels: 10, inputSize: [12, 12] }),
  p('depthwise-separable stride 2, no bias', {
    variant: 'depthwiseSeparable',
    inChannels: 8,
    outChannels: 16,
    stride: [2, 2],
    bias: false,
    inputSize: [15, 15],
  }),
  p('ACBlock 3×3 p1', { variant: 'acblock', inChannels: 4, outChannels: 6, inputSize: [10, 11], bias: false }),
  p('ACBlock 3×3 p1 stride 2 groups 2', {
    variant: 'acblock',
    inChannels: 4,
    outChannels: 6,
    groups: 2,
    stride: [2, 2],
    inputSize: [11, 9],
  }),
  p('ACBlock 3×3 p0 (crop branches)', { variant: 'acblock', inChannels: 3, outChannels: 5, padding: [0, 0], inputSize: [9, 8] }),
  p('ACBlock 5×5 p2', { variant: 'acblock', kernelSize: [5, 5], padding: [2, 2], inChannels: 3, outChannels: 4, inputSize: [12, 12] }),
  p('transposed k4 s2 p1 (2× upsampling)', {
    variant: 'transposed',
    kernelSize: [4, 4],
    stride: [2, 2],
    padding: [1, 1],
    inChannels: 6,
    outChannels: 4,
    inputSize: [7, 6],
  }),
  p('transposed k3 s2 p1 output_padding 1', {
    variant: 'transposed',
    stride: [2, 2],
    padding: [1, 1],
    outputPadding: [1, 1],
    inputSize: [6, 5],
  }),
  p('transposed groups 2 dilation 2', {
    variant: 'transposed',
    groups: 2,
    dilation: [2, 2],
    padding: [1, 0],
    inChannels: 4,
    outChannels: 6,
    inputSize: [5, 6],
  }),
];

/** Larger shapes for timing (the bench): MobileNet-like 3×3 layers at 56×56. */
export const BENCH_CASES: readonly [string, PlaygroundParams][] = [
  p('standard', { variant: 'standard', inChannels: 64, outChannels: 64, inputSize: [56, 56], bias: false }),
  p('grouped (g=4)', { variant: 'grouped', inChannels: 64, outChannels: 64, groups: 4, inputSize: [56, 56], bias: false }),
  p('dilated (d=2)', {
    variant: 'dilated',
    inChannels: 64,
    outChannels: 64,
    dilation: [2, 2],
    padding: [2, 2],
    inputSize: [56, 56],
    bias: false,
  }),
  p('depthwise-separable', { variant: 'depthwiseSeparable', inChannels: 64, outChannels: 64, inputSize: [56, 56], bias: false }),
  p('ACBlock (train form)', { variant: 'acblock', inChannels: 64, outChannels: 64, inputSize: [56, 56], bias: false }),
  p('transposed (k4 s2 p1)', {
    variant: 'transposed',
    inChannels: 64,
    outChannels: 64,
    kernelSize: [4, 4],
    stride: [2, 2],
    padding: [1, 1],
    inputSize: [28, 28],
    bias: false,
  }),
];
