// The convolution variants the playground shows (standard, grouped, dilated, depthwise-separable,
// ACBlock, transposed): their layers and analytic params / MACs next to a plain convolution. The
// convolution rules themselves (output size, constructor and ATen checks with PyTorch's messages,
// weight shape) live once in torch/conv.ts, shared with the static engine, and are re-exported here
// for the playground. It does not run convolutions, build graphs or read settings.

import { checkConv, convOutputShape, product, weightShape, type ConvError, type ConvSpec, type Dims } from './torch/conv';

export {
  checkConv,
  convOutputShape,
  convOutputSize,
  convTransposeOutputSize,
  product,
  weightShape,
  type ConvCheck,
  type ConvError,
  type ConvSpec,
  type Dims,
} from './torch/conv';

/** Parameter count as torch counts it: weight numel plus `Cout` bias terms. */
export function convParams(spec: ConvSpec): number {
  return product(weightShape(spec)) + (spec.bias ? spec.outChannels : 0);
}

/**
 * Multiply-accumulates of one conv layer for batch 1, bias not counted (the fvcore / thop / analytic
 * convention, see test/fixtures/groundtruth/RULES.md).
 * ConvNd: every output cell of every output channel is a dot product of `(Cin/g)·prod(k)` taps:
 *   `Cout · prod(outSize) · (Cin/g) · prod(k)`.
 * ConvTransposeNd: every input cell scatters a `prod(k)`-tap filter into each of the `Cout/g` outputs
 * of its group: `Cin · prod(inSize) · (Cout/g) · prod(k)`. Taps that land in the cropped padding are
 * still counted, as every tool does.
 */
export function convMacs(spec: ConvSpec, inputSize: Dims, outputSize: Dims): number {
  const k = product(spec.kernelSize);
  return spec.transposed
    ? spec.inChannels * product(inputSize) * (spec.outChannels / spec.groups) * k
    : spec.outChannels * product(outputSize) * (spec.inChannels / spec.groups) * k;
}

/** The convolution variants of the seed text, as the playground builds them. */
export type ConvVariant = 'standard' | 'grouped' | 'dilated' | 'depthwiseSeparable' | 'acblock' | 'transposed';
export const CONV_VARIANTS: readonly ConvVariant[] = ['standard', 'grouped', 'dilated', 'depthwiseSeparable', 'acblock', 'transposed'];

/** One conv layer of a variant, with its checked output size. */
export interface VariantLayer {
  /** The torch attribute name, e.g. `depth_conv`, `square_conv`, `hor_conv`. */
  readonly name: string;
  readonly spec: ConvSpec;
  readonly inputSize: number[];
  readonly outputSize: number[];
}

/** Analytic cost of a variant. MACs count conv taps only (bias excluded) plus one MAC per BatchNorm output. */
export interface VariantCost {
  readonly variant: ConvVariant;
  /** For ACBlock: the three-branch training form or the fused deploy form. */
  readonly form: 'train' | 'deploy' | 'single';
  readonly layers: readonly VariantLayer[];
  readonly params: number;
  readonly macs: number;
  readonly outputSize: number[];
  readonly outChannels: number;
  /** params / params of a plain ConvNd with the same Cin, Cout, kernel, stride, padding (groups 1, dilation 1, with the same bias flag). */
  readonly paramsRatio: number;
  /** macs / macs of that plain ConvNd on the same input. */
  readonly macsRatio: number;
}

/** Every variant's layers are derived from this one description (the playground's controls). */
export interface VariantBase extends Omit<ConvSpec, 'transposed'> {
  readonly inputSize: Dims;
}

export type VariantCheck =
  { readonly ok: true; readonly layers: VariantLayer[] } | { readonly ok: false; readonly layer: string; readonly error: ConvError };

/**
 * The conv layers a variant consists of, each checked with `checkConv` (first error wins):
 * - standard / grouped / dilated: one `nn.ConvNd` with the base arguments (they differ only in presets);
 * - depthwiseSeparable: seed `DSC` generalised: `depth_conv` = ConvNd(Cin, Cin, k, s, p, d, groups=Cin),
 *   `point_conv` = ConvNd(Cin, Cout, 1);
 * - acblock: seed `ACBlock` training form: `square_conv` k×k plus `ver_conv` k×1 and `hor_conv` 1×k,
 *   all without bias, padding `(p, p − k//2)` / `(p − k//2, p)` (or a crop when that is negative);
 * - transposed: one `nn.ConvTransposeNd` with output_padding.
 */
export function variantLayers(variant: ConvVariant, base: VariantBase): VariantCheck {
  const conv = (over: Partial<ConvSpec>): ConvSpec => ({
    inChannels: base.inChannels,
    outChannels: base.outChannels,
    kernelSize: base.kernelSize,
    stride: base.stride,
    padding: base.padding,
    dilation: base.dilation,
    groups: base.groups,
    bias: base.bias,
    transposed: false,
    outputPadding: base.kernelSize.map(() => 0),
    ...over,
  });
  const specs: [string, ConvSpec, Dims][] = [];
  switch (variant) {
    case 'standard':
    case 'grouped':
    case 'dilated':
      specs.push(['conv', conv({}), base.inputSize]);
      break;
    case 'transposed':
      specs.push(['conv', conv({ transposed: true, outputPadding: base.outputPadding }), base.inputSize]);
      break;
    case 'depthwiseSeparable': {
      const depth = conv({ outChannels: base.inChannels, groups: base.inChannels });
      const check = checkConv(depth, base.inputSize);
      if (!check.ok) return { ok: false, layer: 'depth_conv', error: check.error };
      specs.push(['depth_conv', depth, base.inputSize]);
      const ones = base.kernelSize.map(() => 1);
      const zeros = base.kernelSize.map(() => 0);
      specs.push(['point_conv', conv({ kernelSize: ones, stride: ones, padding: zeros, dilation: ones, groups: 1 }), check.outputSize]);
      break;
    }
    case 'acblock': {
      if (base.kernelSize.length !== 2 || base.kernelSize[0] !== base.kernelSize[1] || base.padding[0] !== base.padding[1]) {
        return {
          ok: false,
          layer: 'square_conv',
          error: { kind: 'ValueError', message: 'ACBlock takes one int kernel_size and one int padding (a square kernel)' },
        };
      }
      if (base.dilation.some((d) => d !== 1)) {
        // The seed's pad/crop arithmetic (`padding - kernel_size // 2`) ignores dilation, so with
        // dilation > 1 the k×1 and 1×k branches are not centred on the k×k kernel and cannot be fused.
        return {
          ok: false,
          layer: 'ver_conv',
          error: {
            kind: 'ValueError',
            message:
              'ACBlock branches only line up with the square kernel for dilation 1 (the seed aligns them with padding - kernel_size // 2)',
          },
        };
      }
      const k = at(base.kernelSize, 0);
      const p = at(base.padding, 0);
      const [h, w] = [at(base.inputSize, 0), at(base.inputSize, 1)];
      specs.push(['square_conv', conv({ bias: false }), base.inputSize]);
      // The seed centres the k×1 and 1×k kernels on the k×k one by padding them `p − k//2` across
      // the short side. When that is negative it crops the input instead (CropLayer), which its own
      // assert only allows for padding 0: rows_to_crop = −padding must be ≥ 0.
      const center = p - Math.floor(k / 2);
      if (center >= 0) {
        specs.push(['ver_conv', conv({ bias: false, kernelSize: [k, 1], padding: [p, center] }), [h, w]]);
        specs.push(['hor_conv', conv({ bias: false, kernelSize: [1, k], padding: [center, p] }), [h, w]]);
      } else if (p === 0) {
        // Python slicing `x[:, :, c:-c]` never goes below zero elements.
        const c = -center;
        specs.push(['ver_conv', conv({ bias: false, kernelSize: [k, 1], padding: [0, 0] }), [h, Math.max(0, w - 2 * c)]]);
        specs.push(['hor_conv', conv({ bias: false, kernelSize: [1, k], padding: [0, 0] }), [Math.max(0, h - 2 * c), w]]);
      } else {
        return {
          ok: false,
          layer: 'ver_conv_crop_layer',
          error: {
            kind: 'AssertionError',
            message: `assert self.rows_to_crop >= 0 (CropLayer(crop_set=(${p}, ${center})): padding must be 0 or at least kernel_size // 2)`,
          },
        };
      }
      break;
    }
    default:
      return assertNever(variant);
  }
  const layers: VariantLayer[] = [];
  for (const [name, spec, inputSize] of specs) {
    const check = checkConv(spec, inputSize);
    if (!check.ok) return { ok: false, layer: name, error: check.error };
    layers.push({ name, spec, inputSize: [...inputSize], outputSize: check.outputSize });
  }
  if (variant === 'acblock') {
    // `square_outputs + vertical_outputs + horizontal_outputs`: for an even k the branches come out
    // one cell apart and the addition fails (we do not model broadcasting of size-1 dims here).
    const square = layers[0]!;
    for (const branch of layers.slice(1)) {
      const d = square.outputSize.findIndex((n, i) => n !== branch.outputSize[i]);
      if (d >= 0) {
        return {
          ok: false,
          layer: branch.name,
          error: {
            kind: 'RuntimeError',
            message: `The size of tensor a (${square.outputSize[d]}) must match the size of tensor b (${branch.outputSize[d]}) at non-singleton dimension ${d + 2}`,
          },
        };
      }
    }
  }
  return { ok: true, layers };
}

/**
 * Params and MACs of a variant next to a plain ConvNd on the same input (groups 1, dilation 1).
 * ACBlock `train` counts the three convs plus three BatchNorms (4·Cout params each when affine,
 * running stats excluded as torch does; 1 MAC per output element each); `deploy` is one k×k conv with
 * bias, which is why ACNet costs nothing extra at inference. The ratio of a depthwise-separable conv
 * to the plain conv is `1/Cout + 1/prod(k)` when bias is off (MobileNet, eq. 5).
 */
export function variantCost(
  variant: ConvVariant,
  base: VariantBase,
  form: 'train' | 'deploy' = 'train',
): VariantCheck | { readonly ok: true; readonly cost: VariantCost } {
  const check = variantLayers(variant, base);
  if (!check.ok) return check;
  const plainSpec: ConvSpec = {
    inChannels: base.inChannels,
    outChannels: base.outChannels,
    kernelSize: base.kernelSize,
    stride: base.stride,
    padding: base.padding,
    dilation: base.kernelSize.map(() => 1),
    groups: 1,
    bias: base.bias,
    transposed: variant === 'transposed',
    outputPadding: variant === 'transposed' ? base.outputPadding : base.kernelSize.map(() => 0),
  };
  const plainOut = convOutputShape(plainSpec, base.inputSize);
  const plainParams = convParams(plainSpec);
  const plainMacs = convMacs(plainSpec, base.inputSize, plainOut);
  let params = 0;
  let macs = 0;
  let layers: VariantLayer[] = check.layers;
  const last = check.layers[check.layers.length - 1]!;
  const outputSize = last.outputSize;
  if (variant === 'acblock' && form === 'deploy') {
    const square = check.layers[0]!;
    const fused: VariantLayer = { ...square, name: 'fused_conv', spec: { ...square.spec, bias: true } };
    layers = [fused];
  }
  for (const layer of layers) {
    params += convParams(layer.spec);
    macs += convMacs(layer.spec, layer.inputSize, layer.outputSize);
  }
  if (variant === 'acblock' && form === 'train') {
    const outCells = base.outChannels * product(outputSize);
    params += 3 * 2 * base.outChannels; // weight and bias of square_bn, ver_bn, hor_bn
    macs += 3 * outCells; // one a·x+b per element per BatchNorm; the two branch additions are not MACs
  }
  const cost: VariantCost = {
    variant,
    form: variant === 'acblock' ? form : 'single',
    layers,
    params,
    macs,
    outputSize,
    outChannels: base.outChannels,
    paramsRatio: params / plainParams,
    macsRatio: macs / plainMacs,
  };
  return { ok: true, cost };
}

function at(xs: Dims, i: number): number {
  const v = xs[i];
  if (v === undefined) throw new RangeError(`dimension ${i} missing in (${xs.join(', ')})`);
  return v;
}

function assertNever(x: never): never {
  throw new Error(`unexpected variant ${String(x)}`);
}
