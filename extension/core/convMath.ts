// Convolution arithmetic as PyTorch defines it: output sizes of ConvNd / ConvTransposeNd per spatial
// dimension, parameter checks that return PyTorch's own error messages, and analytic params / MACs of
// the convolution variants the playground shows. N-d throughout (per-dimension tuples) so the static
// engine can reuse it for shape inference. It does not run convolutions, build graphs or read settings.

/** One number per spatial dimension (e.g. `[kh, kw]` for a 2-D conv). */
export type Dims = readonly number[];

/** The constructor arguments of `nn.ConvNd` / `nn.ConvTransposeNd`, already expanded to per-dim tuples. */
export interface ConvSpec {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: Dims;
  readonly stride: Dims;
  readonly padding: Dims;
  readonly dilation: Dims;
  readonly groups: number;
  readonly bias: boolean;
  /** True for `nn.ConvTransposeNd`. */
  readonly transposed: boolean;
  /** Only meaningful when `transposed`; zeros otherwise. */
  readonly outputPadding: Dims;
}

/** A rejected configuration, with the exception class and message PyTorch raises for it. */
export interface ConvError {
  /** `ValueError` comes from the module constructor (torch/nn/modules/conv.py), `RuntimeError` from ATen at forward time, `AssertionError` from the seed's ACBlock code. */
  readonly kind: 'ValueError' | 'RuntimeError' | 'AssertionError';
  readonly message: string;
}

export type ConvCheck =
  | { readonly ok: true; readonly outputSize: number[] }
  | { readonly ok: false; readonly error: ConvError };

/**
 * Output length of one spatial dim of a ConvNd (torch.nn.Conv2d docs, "Shape"):
 * `floor((in + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1`.
 * The dilated kernel spans `dilation·(kernel − 1) + 1` cells; the window fits
 * `(paddedIn − span) / stride` times after its first position. Floor division rounds towards −∞
 * like ATen's `div_rtn`, so a too-large kernel gives a value ≤ 0 instead of silently 1.
 */
export function convOutputSize(inSize: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((inSize + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * Output length of one spatial dim of a ConvTransposeNd (torch.nn.ConvTranspose2d docs, "Shape"):
 * `(in − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1`.
 * `output_padding` only adds cells on one side; it disambiguates which of the `stride` input sizes
 * that map to the same conv output size the transposed conv should produce.
 */
export function convTransposeOutputSize(
  inSize: number, kernel: number, stride: number, padding: number, dilation: number, outputPadding: number,
): number {
  return (inSize - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
}

/** Spatial output size of `spec` applied to an input with the given spatial size (no checks; see `checkConv`). */
export function convOutputShape(spec: ConvSpec, inputSize: Dims): number[] {
  return inputSize.map((n, i) =>
    spec.transposed
      ? convTransposeOutputSize(n, at(spec.kernelSize, i), at(spec.stride, i), at(spec.padding, i), at(spec.dilation, i), at(spec.outputPadding, i))
      : convOutputSize(n, at(spec.kernelSize, i), at(spec.stride, i), at(spec.padding, i), at(spec.dilation, i)));
}

/**
 * Checks a conv layer and its input size in the order PyTorch does, and returns the first error
 * PyTorch would raise, word for word:
 * 1. the constructor (torch/nn/modules/conv.py `_ConvNd.__init__`): groups, then channel divisibility;
 * 2. tensor creation of the weight (negative sizes);
 * 3. ATen `check_shape_forward` (aten/src/ATen/native/Convolution.cpp): padding, stride, dilation,
 *    weight rows vs groups, then the padded-input-vs-kernel check for ConvNd;
 * 4. the kernel shape checks (`slow_conv2d_shape_check` / `slow_conv_transpose2d_shape_check`):
 *    zero kernel, output_padding vs stride/dilation, output size ≥ 1.
 * Input sizes are the spatial dims only (batch 1, channels = `spec.inChannels`).
 */
export function checkConv(spec: ConvSpec, inputSize: Dims): ConvCheck {
  const nd = inputSize.length;
  for (const [name, dims] of [['kernel_size', spec.kernelSize], ['stride', spec.stride], ['padding', spec.padding], ['dilation', spec.dilation], ['output_padding', spec.outputPadding]] as const) {
    if (dims.length !== nd) return fail('ValueError', `${name} must have ${nd} elements, got ${dims.length}`);
    if (!dims.every(Number.isInteger)) return fail('ValueError', `${name} must be integers, got (${dims.join(', ')})`);
  }
  if (![spec.inChannels, spec.outChannels, spec.groups, ...inputSize].every(Number.isInteger)) {
    return fail('ValueError', 'channels, groups and input sizes must be integers');
  }
  // 1. Constructor checks, in conv.py's order.
  if (spec.groups <= 0) return fail('ValueError', 'groups must be a positive integer');
  if (spec.inChannels % spec.groups !== 0) return fail('ValueError', 'in_channels must be divisible by groups');
  if (spec.outChannels % spec.groups !== 0) return fail('ValueError', 'out_channels must be divisible by groups');
  // 2. `torch.empty(weight_shape)` rejects a negative dimension before anything runs.
  const weight = weightShape(spec);
  const negW = weight.find((d) => d < 0);
  if (negW !== undefined) return fail('RuntimeError', `Trying to create tensor with negative dimension ${negW}: [${weight.join(', ')}]`);
  const input = [1, spec.inChannels, ...inputSize];
  const negI = input.find((d) => d < 0);
  if (negI !== undefined) return fail('RuntimeError', `Trying to create tensor with negative dimension ${negI}: [${input.join(', ')}]`);
  // PyTorch accepts zero channels or zero-size inputs and returns empty tensors; there is nothing to
  // show for them, so we refuse them with our own message (not a PyTorch one).
  if (spec.inChannels === 0 || inputSize.some((d) => d === 0)) {
    return fail('ValueError', `the playground needs a non-empty input, got size [${input.join(', ')}]`);
  }
  // 3. check_shape_forward.
  if (spec.padding.some((p) => p < 0)) return fail('RuntimeError', 'negative padding is not supported');
  if (spec.transposed && spec.outputPadding.some((p) => p < 0)) return fail('RuntimeError', 'negative output_padding is not supported');
  if (spec.stride.some((s) => s <= 0)) return fail('RuntimeError', 'non-positive stride is not supported');
  if (spec.dilation.some((d) => d <= 0)) return fail('RuntimeError', 'dilation should be greater than zero');
  if (weight[0]! < spec.groups) {
    return fail('RuntimeError', `Given groups=${spec.groups}, expected weight to be at least ${spec.groups} at dimension 0, but got weight of size [${weight.join(', ')}] instead`);
  }
  if (!spec.transposed) {
    const padded = inputSize.map((n, i) => n + 2 * at(spec.padding, i));
    const span = spec.kernelSize.map((k, i) => at(spec.dilation, i) * (k - 1) + 1);
    if (padded.some((p, i) => p < at(span, i))) {
      return fail('RuntimeError', `Calculated padded input size per channel: (${padded.join(' x ')}). Kernel size: (${span.join(' x ')}). Kernel size can't be greater than actual input size`);
    }
  }
  // 4. Kernel-level shape checks.
  if (spec.kernelSize.some((k) => k <= 0)) {
    return fail('RuntimeError', spec.transposed
      ? `kernel size should be greater than zero, but got ${dimLabels(nd).map((l, i) => `kernel_${l}: ${at(spec.kernelSize, i)}`).join(' ')}`
      : `kernel size should be greater than zero, but got ${dimLabels(nd).map((l, i) => `k${l[0]!.toUpperCase()}: ${at(spec.kernelSize, i)}`).join(' ')}`);
  }
  if (spec.transposed && spec.outputPadding.some((op, i) => op >= at(spec.stride, i) && op >= at(spec.dilation, i))) {
    const labels = dimLabels(nd);
    const part = (name: string, d: Dims): string => labels.map((l, i) => `${name}_${l}: ${at(d, i)}`).join(' ');
    return fail('RuntimeError', `output padding must be smaller than either stride or dilation, but got ${part('output_padding', spec.outputPadding)} ${part('stride', spec.stride)} ${part('dilation', spec.dilation)}`);
  }
  const outputSize = convOutputShape(spec, inputSize);
  if (outputSize.some((o) => o < 1)) {
    return fail('RuntimeError', `Given input size per channel: (${inputSize.join(' x ')}). Calculated output size per channel: (${outputSize.join(' x ')}). Output size is too small`);
  }
  return { ok: true, outputSize };
}

/** Weight shape as torch allocates it: `[Cout, Cin/g, ...k]` for ConvNd, `[Cin, Cout/g, ...k]` for ConvTransposeNd. */
export function weightShape(spec: Pick<ConvSpec, 'inChannels' | 'outChannels' | 'kernelSize' | 'groups' | 'transposed'>): number[] {
  // Python's `//` floors; it only matters for the negative-size message.
  return spec.transposed
    ? [spec.inChannels, Math.floor(spec.outChannels / spec.groups), ...spec.kernelSize]
    : [spec.outChannels, Math.floor(spec.inChannels / spec.groups), ...spec.kernelSize];
}

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
export interface VariantBase {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: Dims;
  readonly stride: Dims;
  readonly padding: Dims;
  readonly dilation: Dims;
  readonly groups: number;
  readonly outputPadding: Dims;
  readonly bias: boolean;
  readonly inputSize: Dims;
}

export type VariantCheck =
  | { readonly ok: true; readonly layers: VariantLayer[] }
  | { readonly ok: false; readonly layer: string; readonly error: ConvError };

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
    inChannels: base.inChannels, outChannels: base.outChannels, kernelSize: base.kernelSize, stride: base.stride,
    padding: base.padding, dilation: base.dilation, groups: base.groups, bias: base.bias, transposed: false,
    outputPadding: base.kernelSize.map(() => 0), ...over,
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
        return { ok: false, layer: 'square_conv', error: { kind: 'ValueError', message: 'ACBlock takes one int kernel_size and one int padding (a square kernel)' } };
      }
      if (base.dilation.some((d) => d !== 1)) {
        // The seed's pad/crop arithmetic (`padding - kernel_size // 2`) ignores dilation, so with
        // dilation > 1 the k×1 and 1×k branches are not centred on the k×k kernel and cannot be fused.
        return { ok: false, layer: 'ver_conv', error: { kind: 'ValueError', message: 'ACBlock branches only line up with the square kernel for dilation 1 (the seed aligns them with padding - kernel_size // 2)' } };
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
        return { ok: false, layer: 'ver_conv_crop_layer', error: { kind: 'AssertionError', message: `assert self.rows_to_crop >= 0 (CropLayer(crop_set=(${p}, ${center})): padding must be 0 or at least kernel_size // 2)` } };
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
        return { ok: false, layer: branch.name, error: { kind: 'RuntimeError', message: `The size of tensor a (${square.outputSize[d]}) must match the size of tensor b (${branch.outputSize[d]}) at non-singleton dimension ${d + 2}` } };
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
export function variantCost(variant: ConvVariant, base: VariantBase, form: 'train' | 'deploy' = 'train'): VariantCheck | { readonly ok: true; readonly cost: VariantCost } {
  const check = variantLayers(variant, base);
  if (!check.ok) return check;
  const plainSpec: ConvSpec = {
    inChannels: base.inChannels, outChannels: base.outChannels, kernelSize: base.kernelSize, stride: base.stride,
    padding: base.padding, dilation: base.kernelSize.map(() => 1), groups: 1, bias: base.bias, transposed: variant === 'transposed',
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
    variant, form: variant === 'acblock' ? form : 'single', layers, params, macs, outputSize,
    outChannels: base.outChannels, paramsRatio: params / plainParams, macsRatio: macs / plainMacs,
  };
  return { ok: true, cost };
}

/** Product of the entries (1 for an empty list). */
export function product(xs: Dims): number {
  return xs.reduce((a, b) => a * b, 1);
}

function at(xs: Dims, i: number): number {
  const v = xs[i];
  if (v === undefined) throw new RangeError(`dimension ${i} missing in (${xs.join(', ')})`);
  return v;
}

/** ATen names the spatial dims `height`/`width` in 2-D and `depth`/`height`/`width` in 3-D. */
function dimLabels(nd: number): string[] {
  const names = ['depth', 'height', 'width'];
  return nd <= 3 ? names.slice(3 - nd) : Array.from({ length: nd }, (_, i) => `dim${i}`);
}

function fail(kind: ConvError['kind'], message: string): ConvCheck & { ok: false } {
  return { ok: false, error: { kind, message } };
}

function assertNever(x: never): never {
  throw new Error(`unexpected variant ${String(x)}`);
}
