// Turns playground parameters into a concrete model: the variant's conv layers (checked by convMath,
// so bad parameters fail with PyTorch's message before anything runs), seeded weights, and the size
// limits. Plain TypeScript: no DOM, no ONNX, no ORT. The ONNX builder and the reference both read this.
import { variantLayers, weightShape, type VariantLayer, type ConvVariant } from '../../../extension/core/convMath';
import { PLAYGROUND_LIMITS, type PlaygroundParams, type RunError } from '../../../extension/protocol/playgroundMessages';
import { fuseAcBlock } from './acblockFusion';
import type { AcBranch, BatchNorm, ConvLayer } from './convLayer';
import { seededRandom, tensor, uniformTensor, type Tensor } from './tensor';
import type { UserTensors } from './userWeights';

export type VariantModel =
  | { readonly kind: 'single'; readonly variant: ConvVariant; readonly conv: ConvLayer }
  | { readonly kind: 'dsc'; readonly variant: 'depthwiseSeparable'; readonly depthwise: ConvLayer; readonly pointwise: ConvLayer }
  | {
      readonly kind: 'acblock';
      readonly variant: 'acblock';
      readonly square: AcBranch;
      readonly ver: AcBranch;
      readonly hor: AcBranch;
      /** The deploy form: BatchNorms folded, 3×1 and 1×3 added onto the k×k centre cross. */
      readonly fused: ConvLayer;
    };

export type BuildResult =
  | { readonly ok: true; readonly model: VariantModel; readonly inputDims: readonly number[]; readonly outputDims: readonly number[] }
  | { readonly ok: false; readonly error: RunError };

/** Where a layer's weights come from: the seeded generator, or tensors loaded by `loadUserWeights`. */
interface WeightSource {
  readonly rand: () => number;
  readonly user: UserTensors | undefined;
}

/** A user tensor (its shape was checked when it was loaded) or, without user weights, a uniform draw. */
function draw(src: WeightSource, key: string, dims: readonly number[], lo: number, hi: number): Tensor {
  const given = src.user?.get(key);
  if (!src.user) return uniformTensor(src.rand, dims, lo, hi);
  if (!given) throw new Error(`no loaded tensor for ${key}`);
  return tensor(dims, given);
}

/**
 * PyTorch's `kaiming_uniform_(a=√5)` bound for conv weights and biases: `1/sqrt(fan_in)`. The single
 * conv of the standard, grouped, dilated and transposed variants is the module itself (keys `weight`,
 * `bias`); the others are children named as in the seed's classes (`depth_conv.weight`).
 */
function convLayer(src: WeightSource, layer: VariantLayer): ConvLayer {
  const s = layer.spec;
  const dims = weightShape(s);
  // torch computes fan_in from weight.size(1) · prod(k) for both conv kinds.
  const fanIn = dims[1]! * s.kernelSize.reduce((a, b) => a * b, 1);
  const bound = 1 / Math.sqrt(Math.max(1, fanIn));
  const key = layer.name === 'conv' ? '' : `${layer.name}.`;
  const weight = draw(src, `${key}weight`, dims, -bound, bound);
  const bias = s.bias ? draw(src, `${key}bias`, [s.outChannels], -bound, bound).data : null;
  return { name: layer.name, spec: s, weight, bias, inputSize: layer.inputSize, outputSize: layer.outputSize };
}

/** Random but plausible running statistics, so that folding BatchNorm is actually exercised. */
function batchNorm(src: WeightSource, name: string, channels: number): BatchNorm {
  return {
    name,
    gamma: draw(src, `${name}.weight`, [channels], 0.5, 1.5).data,
    beta: draw(src, `${name}.bias`, [channels], -0.5, 0.5).data,
    mean: draw(src, `${name}.running_mean`, [channels], -0.2, 0.2).data,
    variance: draw(src, `${name}.running_var`, [channels], 0.5, 1.5).data,
    epsilon: 1e-5,
  };
}

function refused(message: string): BuildResult {
  return { ok: false, error: { stage: 'validation', kind: 'LimitError', message } };
}

/**
 * Validates `params` (PyTorch's messages first, then the playground's size limits) and builds the
 * variant with weights drawn from `params.seed` (the same seed always gives the same weights), or with
 * `user` tensors, which `loadUserWeights` checked against these same parameters.
 */
export function buildVariantModel(params: PlaygroundParams, user?: UserTensors): BuildResult {
  const base = {
    inChannels: params.inChannels,
    outChannels: params.outChannels,
    kernelSize: params.kernelSize,
    stride: params.stride,
    padding: params.padding,
    dilation: params.dilation,
    groups: params.groups,
    outputPadding: params.outputPadding,
    bias: params.bias,
    inputSize: params.inputSize,
  };
  const check = variantLayers(params.variant, base);
  if (!check.ok) return { ok: false, error: { stage: 'validation', kind: check.error.kind, message: check.error.message } };
  const inputDims = [1, params.inChannels, ...params.inputSize];
  const last = check.layers[check.layers.length - 1]!;
  const outputDims = [1, last.spec.outChannels, ...last.outputSize];
  // Size limits: every tensor and the total MACs (convMath's counting, bias excluded).
  const limit = PLAYGROUND_LIMITS.maxTensorElements;
  for (const [what, dims] of [
    ['input', inputDims],
    ['output', outputDims],
  ] as const) {
    const n = dims.reduce((a, b) => a * b, 1);
    if (n > limit)
      return refused(
        `The ${what} would have ${n.toLocaleString('en-US')} elements [${dims.join(', ')}]; the playground's limit is ${limit.toLocaleString('en-US')}.`,
      );
  }
  let macs = 0;
  for (const layer of check.layers) {
    const s = layer.spec;
    const w = ((s.outChannels * s.inChannels) / s.groups) * s.kernelSize.reduce((a, b) => a * b, 1);
    if (w > limit)
      return refused(
        `${layer.name}.weight would have ${w.toLocaleString('en-US')} elements; the playground's limit is ${limit.toLocaleString('en-US')}.`,
      );
    const inner = layer.outputSize.reduce((a, b) => a * b, 1);
    macs += s.transposed ? w * layer.inputSize.reduce((a, b) => a * b, 1) : w * inner;
  }
  if (macs > PLAYGROUND_LIMITS.maxMacs)
    return refused(
      `This configuration needs ${macs.toExponential(2)} MACs; the playground's limit is ${PLAYGROUND_LIMITS.maxMacs.toExponential(0)}.`,
    );

  const src: WeightSource = { rand: seededRandom(params.seed), user };
  let model: VariantModel;
  try {
    model = assemble(params, check.layers, src);
  } catch (e) {
    // Only user tensors that do not fit these parameters get here (loadUserWeights checks them first).
    return { ok: false, error: { stage: 'validation', kind: 'RuntimeError', message: e instanceof Error ? e.message : String(e) } };
  }
  return { ok: true, model, inputDims, outputDims };
}

function assemble(params: PlaygroundParams, layers: readonly VariantLayer[], src: WeightSource): VariantModel {
  const [a, b, c] = layers;
  if (params.variant === 'depthwiseSeparable') {
    return { kind: 'dsc', variant: 'depthwiseSeparable', depthwise: convLayer(src, a!), pointwise: convLayer(src, b!) };
  }
  if (params.variant === 'acblock') {
    const k = params.kernelSize[0];
    const center = params.padding[0] - Math.floor(k / 2);
    const c0 = Math.max(0, -center);
    const square: AcBranch = { crop: [0, 0], conv: convLayer(src, a!), bn: batchNorm(src, 'square_bn', params.outChannels) };
    const ver: AcBranch = { crop: [0, c0], conv: convLayer(src, b!), bn: batchNorm(src, 'ver_bn', params.outChannels) };
    const hor: AcBranch = { crop: [c0, 0], conv: convLayer(src, c!), bn: batchNorm(src, 'hor_bn', params.outChannels) };
    return { kind: 'acblock', variant: 'acblock', square, ver, hor, fused: fuseAcBlock(square, ver, hor) };
  }
  return { kind: 'single', variant: params.variant, conv: convLayer(src, a!) };
}

/** The seeded input the tests and run requests use: uniform in [−1, 1), drawn after the weights' stream. */
export function seededInput(params: PlaygroundParams): Tensor {
  // A separate stream (seed + constant) so the input does not depend on how many weights were drawn.
  const rand = seededRandom((params.seed ^ 0x9e3779b9) >>> 0);
  return uniformTensor(rand, [1, params.inChannels, ...params.inputSize], -1, 1);
}

/** Every float the model holds, for `maxTensorElements`-style accounting and weight export. */
export function modelLayers(model: VariantModel): ConvLayer[] {
  switch (model.kind) {
    case 'single':
      return [model.conv];
    case 'dsc':
      return [model.depthwise, model.pointwise];
    case 'acblock':
      return [model.square.conv, model.ver.conv, model.hor.conv];
  }
}

export { tensor };
