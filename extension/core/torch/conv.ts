// Convolutions, nn.Conv1d/2d/3d and nn.ConvTranspose1d/2d/3d (F.conv{n}d, F.conv_transpose{n}d), and
// the convolution rules as PyTorch defines them, written once: the constructor checks
// (torch/nn/modules/conv.py), the weight shape, ATen's forward checks with their messages
// (aten/src/ATen/native/Convolution.cpp check_shape_forward and the kernel shape checks), the output
// size and the kernel-fit rule. The static engine's shape rule and the playground (convMath.ts) both
// call these.
import type { JsonValue, Shape } from '../resultTypes';
import { quotedToken } from '../messageText';
import {
  LayerArgError,
  REQUIRED,
  channelsFirst,
  checkEmpty,
  dot,
  err,
  mapDim,
  num,
  ok,
  tup,
  values,
  type Default,
  type Hyper,
  type OpSpec,
  type ShapeResult,
  type SizeArg,
} from './spec';

/** One number per spatial dimension (e.g. `[kh, kw]` for a 2-D conv). */
export type Dims = readonly number[];
type Dim = number | null;

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

export type ConvCheck = { readonly ok: true; readonly outputSize: number[] } | { readonly ok: false; readonly error: ConvError };

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
  inSize: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
  outputPadding: number,
): number {
  return (inSize - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
}

/** Spatial output size of `spec` applied to an input with the given spatial size (no checks; see `checkConv`). */
export function convOutputShape(spec: ConvSpec, inputSize: Dims): number[] {
  return inputSize.map((n, i) =>
    spec.transposed
      ? convTransposeOutputSize(
          n,
          at(spec.kernelSize, i),
          at(spec.stride, i),
          at(spec.padding, i),
          at(spec.dilation, i),
          at(spec.outputPadding, i),
        )
      : convOutputSize(n, at(spec.kernelSize, i), at(spec.stride, i), at(spec.padding, i), at(spec.dilation, i)),
  );
}

/** Weight shape as torch allocates it: `[Cout, Cin/g, ...k]` for ConvNd, `[Cin, Cout/g, ...k]` for ConvTransposeNd. */
export function weightShape(spec: Pick<ConvSpec, 'inChannels' | 'outChannels' | 'kernelSize' | 'groups' | 'transposed'>): number[] {
  // Python's `//` floors; it only matters for the negative-size message.
  return spec.transposed
    ? [spec.inChannels, Math.floor(spec.outChannels / spec.groups), ...spec.kernelSize]
    : [spec.outChannels, Math.floor(spec.inChannels / spec.groups), ...spec.kernelSize];
}

/** `_ConvNd.__init__`'s checks, in conv.py's order: groups, then channel divisibility, then the padding string. */
export function convConstructorError(
  inChannels: number,
  outChannels: number,
  groups: number,
  padding: JsonValue,
  stride: Dims,
): ConvError | null {
  if (groups <= 0) return { kind: 'ValueError', message: 'groups must be a positive integer' };
  if (inChannels % groups !== 0) return { kind: 'ValueError', message: 'in_channels must be divisible by groups' };
  if (outChannels % groups !== 0) return { kind: 'ValueError', message: 'out_channels must be divisible by groups' };
  if (typeof padding === 'string') {
    if (padding !== 'same' && padding !== 'valid')
      return { kind: 'ValueError', message: `Invalid padding string ${quotedToken(padding)}, should be one of {'valid', 'same'}` };
    if (padding === 'same' && stride.some((s) => s !== 1))
      return { kind: 'ValueError', message: "padding='same' is not supported for strided convolutions" };
  }
  return null;
}

/**
 * ATen's forward checks for a conv on an input whose spatial dims may be unknown (null), in torch's
 * order: padding, output_padding, stride, dilation, weight rows vs groups, input channels (when
 * `input` is given, the whole batched shape for the message), then for a ConvNd the padded input vs
 * the dilated kernel, the kernel size, output_padding vs stride/dilation (transposed), the output size.
 * `padding` null means 'same' (torch pads to fit, output = input). Returns the output spatial size.
 */
export function convForward(
  spec: Omit<ConvSpec, 'padding'> & { readonly padding: Dims | null },
  inputSize: readonly Dim[],
  input?: readonly Dim[],
): ConvError | Dim[] {
  const nd = inputSize.length;
  const pad = spec.padding ?? Array<number>(nd).fill(0);
  if (pad.some((p) => p < 0)) return rt('negative padding is not supported');
  if (spec.transposed && spec.outputPadding.some((p) => p < 0)) return rt('negative output_padding is not supported');
  if (spec.stride.some((s) => s <= 0)) return rt('non-positive stride is not supported');
  if (spec.dilation.some((d) => d <= 0)) return rt('dilation should be greater than zero');
  const weight = weightShape(spec);
  if (weight[0]! < spec.groups) {
    return rt(
      `Given groups=${spec.groups}, expected weight to be at least ${spec.groups} at dimension 0, but got weight of size [${weight.join(', ')}] instead`,
    );
  }
  if (input) {
    const want = spec.transposed ? weight[0]! : weight[1]! * spec.groups;
    const c = input[1];
    if (c !== null && c !== undefined && c !== want) {
      const given = spec.transposed ? 'transposed=1' : `groups=${spec.groups}`;
      return rt(
        `Given ${given}, weight of size [${weight.join(', ')}], expected input[${input.map((d) => d ?? '?').join(', ')}] to have ${want} channels, but got ${c} channels instead`,
      );
    }
  }
  if (!spec.transposed && spec.padding !== null) {
    const padded = inputSize.map((n, i) => (n === null ? null : n + 2 * at(pad, i)));
    const span = spec.kernelSize.map((k, i) => at(spec.dilation, i) * (k - 1) + 1);
    if (padded.some((p, i) => p !== null && p < at(span, i))) {
      return rt(
        `Calculated padded input size per channel: (${padded.map((p) => p ?? '?').join(' x ')}). Kernel size: (${span.join(' x ')}). Kernel size can't be greater than actual input size`,
      );
    }
  }
  if (spec.kernelSize.some((k) => k <= 0)) {
    return rt(
      spec.transposed
        ? `kernel size should be greater than zero, but got ${dimLabels(nd)
            .map((l, i) => `kernel_${l}: ${at(spec.kernelSize, i)}`)
            .join(' ')}`
        : `kernel size should be greater than zero, but got ${dimLabels(nd)
            .map((l, i) => `k${l[0]!.toUpperCase()}: ${at(spec.kernelSize, i)}`)
            .join(' ')}`,
    );
  }
  if (spec.transposed && spec.outputPadding.some((op, i) => op >= at(spec.stride, i) && op >= at(spec.dilation, i))) {
    const labels = dimLabels(nd);
    const part = (name: string, d: Dims): string => labels.map((l, i) => `${name}_${l}: ${at(d, i)}`).join(' ');
    return rt(
      `output padding must be smaller than either stride or dilation, but got ${part('output_padding', spec.outputPadding)} ${part('stride', spec.stride)} ${part('dilation', spec.dilation)}`,
    );
  }
  if (spec.padding === null) return [...inputSize];
  const out = inputSize.map((n, i) =>
    mapDim(n, (v) =>
      spec.transposed
        ? convTransposeOutputSize(
            v,
            at(spec.kernelSize, i),
            at(spec.stride, i),
            at(pad, i),
            at(spec.dilation, i),
            at(spec.outputPadding, i),
          )
        : convOutputSize(v, at(spec.kernelSize, i), at(spec.stride, i), at(pad, i), at(spec.dilation, i)),
    ),
  );
  if (out.some((o) => o !== null && o < 1)) {
    return rt(
      `Given input size per channel: (${inputSize.map((n) => n ?? '?').join(' x ')}). Calculated output size per channel: (${out.map((o) => o ?? '?').join(' x ')}). Output size is too small`,
    );
  }
  return out;
}

/**
 * Checks a conv layer and its input size in the order PyTorch does, and returns the first error
 * PyTorch would raise, word for word: the constructor, tensor creation of the weight (negative
 * sizes), then `convForward`. Input sizes are the spatial dims only (batch 1, channels = `spec.inChannels`).
 * Used by the playground, which also refuses empty inputs with a message of its own.
 */
export function checkConv(spec: ConvSpec, inputSize: Dims): ConvCheck {
  const nd = inputSize.length;
  for (const [name, dims] of [
    ['kernel_size', spec.kernelSize],
    ['stride', spec.stride],
    ['padding', spec.padding],
    ['dilation', spec.dilation],
    ['output_padding', spec.outputPadding],
  ] as const) {
    if (dims.length !== nd) return fail('ValueError', `${name} must have ${nd} elements, got ${dims.length}`);
    if (!dims.every(Number.isInteger)) return fail('ValueError', `${name} must be integers, got (${dims.join(', ')})`);
  }
  if (![spec.inChannels, spec.outChannels, spec.groups, ...inputSize].every(Number.isInteger)) {
    return fail('ValueError', 'channels, groups and input sizes must be integers');
  }
  const ctor = convConstructorError(spec.inChannels, spec.outChannels, spec.groups, null, spec.stride);
  if (ctor) return { ok: false, error: ctor };
  // `torch.empty(weight_shape)` rejects a negative dimension before anything runs.
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
  const out = convForward(spec, inputSize);
  return Array.isArray(out) ? { ok: true, outputSize: out as number[] } : { ok: false, error: out };
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

function rt(message: string): ConvError {
  return { kind: 'RuntimeError', message };
}

function fail(kind: ConvError['kind'], message: string): ConvCheck & { ok: false } {
  return { ok: false, error: { kind, message } };
}

// ------------------------------------------------------------------ the specs

/** The conv forward shape rule on the stored hyperparameters (the engine's side of `convForward`). */
export function convShape(type: string, h: Hyper, inputs: readonly Shape[]): ShapeResult {
  const transposed = type.startsWith('ConvTranspose');
  const nd = Number(/([123])d$/.exec(type)?.[1] ?? 2);
  const x = inputs[0]!;
  const parts = channelsFirst(type, x, `conv${transposed ? '_transpose' : ''}${nd}d`);
  if ('ok' in parts) return parts;
  const pad = h['padding'];
  const spec = {
    inChannels: num(h, 'in_channels'),
    outChannels: num(h, 'out_channels'),
    groups: typeof h['groups'] === 'number' ? h['groups'] : 1,
    kernelSize: tup(h, 'kernel_size', nd),
    stride: tup(h, 'stride', nd),
    dilation: tup(h, 'dilation', nd),
    padding: pad === 'same' ? null : pad === 'valid' ? Array<number>(nd).fill(0) : tup(h, 'padding', nd),
    outputPadding: transposed ? tup(h, 'output_padding', nd) : Array<number>(nd).fill(0),
    transposed,
    bias: false,
  };
  const batched: readonly Dim[] = parts.batch.length ? x : [1, ...x];
  const out = convForward(spec, parts.spatial, batched);
  if (!Array.isArray(out)) return err(out.message);
  return ok([...parts.batch, spec.outChannels, ...(out as Dim[])]);
}

function conv(dims: 1 | 2 | 3, transposed: boolean): OpSpec {
  const name = `Conv${transposed ? 'Transpose' : ''}${dims}d`;
  const signature: [string, Default][] = transposed
    ? [
        ['in_channels', REQUIRED],
        ['out_channels', REQUIRED],
        ['kernel_size', REQUIRED],
        ['stride', 1],
        ['padding', 0],
        ['output_padding', 0],
        ['groups', 1],
        ['bias', true],
        ['dilation', 1],
        ['padding_mode', 'zeros'],
        ['device', null],
        ['dtype', null],
      ]
    : [
        ['in_channels', REQUIRED],
        ['out_channels', REQUIRED],
        ['kernel_size', REQUIRED],
        ['stride', 1],
        ['padding', 0],
        ['dilation', 1],
        ['groups', 1],
        ['bias', true],
        ['padding_mode', 'zeros'],
        ['device', null],
        ['dtype', null],
      ];
  return {
    name,
    signature,
    family: transposed ? 'convTranspose' : 'conv',
    shape: convShape,
    functional: [transposed ? `conv_transpose${dims}d` : `conv${dims}d`],
    stored: [
      'in_channels',
      'out_channels',
      'kernel_size',
      'stride',
      'padding',
      'dilation',
      'groups',
      'output_padding',
      'padding_mode',
      'transposed',
      { key: 'bias', isSet: true },
    ],
    build: (a) => {
      const cinA = a.size('in_channels'),
        coutA = a.size('out_channels'),
        gA = a.size('groups');
      const [cin, cout, g] = [cinA.v, coutA.v, gA.v];
      const k = a.tuple('kernel_size', dims);
      const stride = a.tuple('stride', dims);
      const dilation = a.tuple('dilation', dims);
      const padRaw = a.raw('padding');
      const padding: JsonValue = typeof padRaw === 'string' ? padRaw : a.tuple('padding', dims);
      const outputPadding = transposed ? a.tuple('output_padding', dims) : Array(dims).fill(0);
      const bias = a.bool('bias');
      const ctor = convConstructorError(cin, cout, g, padding, stride);
      if (ctor) throw new LayerArgError(ctor.kind, ctor.message);
      // torch.empty(weight_shape): a float anywhere (64/2, kernel_size=3.0) is a TypeError, a negative size a RuntimeError.
      const kFloats = a.floats('kernel_size', dims);
      const ratio = (x: SizeArg): SizeArg => ({ v: Math.floor(x.v / g), float: x.float || gA.float });
      const wDims: SizeArg[] = [
        ...(transposed ? [cinA, ratio(coutA)] : [coutA, ratio(cinA)]),
        ...k.map((v, i) => ({ v, float: kFloats[i]! })),
      ];
      checkEmpty(wDims);
      const weightShape = values(wDims);
      const kSyms = dims === 1 ? ['k'] : dims === 2 ? ['kh', 'kw'] : ['kd', 'kh', 'kw'];
      const formula = transposed
        ? `Cin·(Cout/g)·${dot(kSyms)} + bias = ${cin}·(${cout}/${g})·${dot(k)} + ${bias ? cout : 0}`
        : `Cout·(Cin/g)·${dot(kSyms)} + bias = ${cout}·(${cin}/${g})·${dot(k)} + ${bias ? cout : 0}`;
      return {
        hyperparams: {
          in_channels: cin,
          out_channels: cout,
          kernel_size: k,
          stride,
          padding,
          dilation,
          groups: g,
          output_padding: outputPadding,
          padding_mode: a.raw('padding_mode'),
          transposed,
          bias,
        },
        weights: [{ name: 'weight', shape: weightShape }, ...(bias ? [{ name: 'bias', shape: [cout] }] : [])],
        formula,
      };
    },
  };
}

export const CONV_SPECS: readonly OpSpec[] = [conv(1, false), conv(2, false), conv(3, false), conv(1, true), conv(2, true), conv(3, true)];
