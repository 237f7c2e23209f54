// What the seed text compares, for one convolution layer of a profiled model: the layer next to a plain
// conv with the same in/out channels and kernel (grouped: ×1/g; depthwise-separable: 1/Cout + 1/k²;
// ACBlock: the three-branch training cost against the fused deploy conv), and the playground preset that
// shows the same layer. All arithmetic is convMath's (batch 1, bias not counted); this file only
// recognises the pattern from the layer's hyperparameters and its siblings. No vscode import.
import { variantCost, type ConvVariant, type VariantBase, type VariantCost } from '../core/convMath';
import type { JsonValue, ProfiledLayer } from '../core';
import { formatCount } from '../core/numberFormat';
import type { PlaygroundParams } from '../protocol/playgroundMessages';

/** The conv arguments of a Conv/ConvTranspose layer, read from its hyperparameters. */
export interface ConvLayerArgs {
  readonly dims: number;
  readonly transposed: boolean;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly outputPadding: readonly number[];
  readonly groups: number;
  readonly bias: boolean;
}

export interface ConvComparison {
  /** Which of the seed's variants the layer belongs to. */
  readonly variant: ConvVariant;
  /** One markdown-free line, e.g. `grouped (g=16): params and MACs ×1/g = ×1/16 of a plain conv`. */
  readonly summary: string;
  /** The variant's cost and the plain conv's, both by convMath (batch 1, bias not counted). */
  readonly cost: VariantCost;
  /** ACBlock only: the fused deploy form. */
  readonly deploy?: VariantCost;
  /** The layers the comparison covers (a depthwise-separable pair, an ACBlock's three convs). */
  readonly paths: readonly string[];
  readonly preset: PlaygroundParams;
}

function intList(v: JsonValue | undefined, dims: number, fallback: number): number[] | undefined {
  if (v === undefined) return Array<number>(dims).fill(fallback);
  if (typeof v === 'number') return Array<number>(dims).fill(v);
  if (Array.isArray(v) && v.length === dims && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return v as number[];
  return undefined;
}

/**
 * Padding per side. `'valid'` is 0; `'same'` is `dilation·(k − 1)/2` when that total is even. When it is
 * odd torch pads one more cell after than before, which a symmetric padding cannot say: undefined then.
 */
function paddingOf(
  v: JsonValue | undefined,
  dims: number,
  kernelSize: readonly number[],
  dilation: readonly number[],
): number[] | undefined {
  if (v === 'valid') return Array<number>(dims).fill(0);
  if (v === 'same') {
    const totals = kernelSize.map((k, i) => dilation[i]! * (k - 1));
    return totals.every((t) => t % 2 === 0) ? totals.map((t) => t / 2) : undefined;
  }
  return intList(v, dims, 0);
}

/** The conv arguments of a layer, or undefined if it is not a (fully known) convolution. */
export function convArgs(layer: Pick<ProfiledLayer, 'type' | 'hyperparams'>): ConvLayerArgs | undefined {
  const m = /^(Conv|ConvTranspose)([123])d$/.exec(layer.type);
  if (!m) return undefined;
  const dims = Number(m[2]);
  const h = layer.hyperparams;
  const kernelSize = intList(h['kernel_size'], dims, 1);
  const stride = intList(h['stride'], dims, 1);
  const dilation = intList(h['dilation'], dims, 1);
  const padding = kernelSize && dilation ? paddingOf(h['padding'], dims, kernelSize, dilation) : undefined;
  const outputPadding = intList(h['output_padding'], dims, 0);
  const inChannels = h['in_channels'];
  const outChannels = h['out_channels'];
  const groups = h['groups'] ?? 1;
  if (!kernelSize || !stride || !padding || !dilation || !outputPadding) return undefined;
  if (typeof inChannels !== 'number' || typeof outChannels !== 'number' || typeof groups !== 'number') return undefined;
  return {
    dims,
    transposed: m[1] === 'ConvTranspose',
    inChannels,
    outChannels,
    kernelSize,
    stride,
    padding,
    dilation,
    outputPadding,
    groups,
    bias: h['bias'] !== false,
  };
}

function spatialInput(layer: ProfiledLayer, dims: number): number[] | undefined {
  const s = layer.inputShape;
  if (!s || s.length !== dims + 2) return undefined;
  const spatial = s.slice(2);
  return spatial.every((d): d is number => typeof d === 'number') ? spatial : undefined;
}

const isOnes = (xs: readonly number[]): boolean => xs.every((x) => x === 1);

function preset(variant: ConvVariant, base: VariantBase): PlaygroundParams | undefined {
  if (base.kernelSize.length !== 2) return undefined;
  const pair = (xs: readonly number[]): [number, number] => [xs[0]!, xs[1]!];
  return {
    variant,
    inChannels: base.inChannels,
    outChannels: base.outChannels,
    kernelSize: pair(base.kernelSize),
    stride: pair(base.stride),
    padding: pair(base.padding),
    dilation: pair(base.dilation),
    groups: base.groups,
    outputPadding: pair(base.outputPadding),
    inputSize: pair(base.inputSize),
    bias: base.bias,
    seed: 1,
  };
}

function ratio(x: number): string {
  return x >= 0.995 ? `×${x.toFixed(2)}` : `×${x.toFixed(3)}`;
}

const parentOf = (path: string): string => (path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '');

type AcBlock = { square?: ProfiledLayer; ver?: ProfiledLayer; hor?: ProfiledLayer };

/** The ACBlock among `members` (one block's layers) that `layer` (args `mine`) is a branch of. */
function acBlockIn(mine: ConvLayerArgs, layer: ProfiledLayer, members: readonly ProfiledLayer[]): AcBlock {
  const convs = members.flatMap((l) => {
    const a = convArgs(l);
    return a && a.dims === 2 && !a.transposed ? [{ l, a }] : [];
  });
  const same = (a: ConvLayerArgs): boolean =>
    a.inChannels === mine.inChannels &&
    a.outChannels === mine.outChannels &&
    a.groups === mine.groups &&
    a.stride.join() === mine.stride.join() &&
    a.dilation.every((d) => d === 1);
  const shaped = (kh: number, kw: number): ProfiledLayer | undefined =>
    convs.find(({ a }) => same(a) && a.kernelSize[0] === kh && a.kernelSize[1] === kw)?.l;
  for (const k of new Set(convs.map(({ a }) => a.kernelSize[0]!).filter((k) => k > 1))) {
    const [square, ver, hor] = [shaped(k, k), shaped(k, 1), shaped(1, k)];
    if (!square || !ver || !hor || ![square, ver, hor].some((l) => l.path === layer.path)) continue;
    const out = JSON.stringify(square.outputShape);
    if (!square.outputShape || JSON.stringify(ver.outputShape) !== out || JSON.stringify(hor.outputShape) !== out) continue;
    const bns = members.filter((l) => l.type === 'BatchNorm2d' && l.hyperparams['num_features'] === mine.outChannels);
    if (bns.length < 3) continue;
    return { square, ver, hor };
  }
  return {};
}

/** The three convs of the ACBlock `layer` belongs to (see compareConv), or nothing. */
export function acBlockOf(layer: ProfiledLayer, layers: readonly ProfiledLayer[]): AcBlock {
  const mine = convArgs(layer);
  if (!mine || mine.dims !== 2 || mine.transposed) return {};
  // The block is the conv's parent (convs and BNs side by side) or its grandparent (each branch a conv-BN unit,
  // as ACNet's conv_bn Sequentials make it): look in both, nearest first.
  const blocks = [parentOf(layer.path), parentOf(parentOf(layer.path))].filter((p, i, all) => i === 0 || p !== all[0]);
  for (const block of blocks) {
    const depthIn = (path: string): number => {
      if (block !== '' && !path.startsWith(`${block}.`)) return Infinity;
      return (block === '' ? path : path.slice(block.length + 1)).split('.').length;
    };
    const members = layers.filter((l) => depthIn(l.path) <= (block === parentOf(layer.path) ? 1 : 2));
    const found = acBlockIn(mine, layer, members);
    if (found.square) return found;
  }
  return {};
}

/**
 * The seed's comparison for `layer` among `layers` (the entry's leaf layers in torch order), or undefined
 * when the layer is not a 2-D-or-less convolution with known shapes.
 */
export function compareConv(layer: ProfiledLayer, layers: readonly ProfiledLayer[]): ConvComparison | undefined {
  const a = convArgs(layer);
  if (!a) return undefined;
  const inputSize = spatialInput(layer, a.dims);
  if (!inputSize) return undefined;
  const base = (args: ConvLayerArgs, over: Partial<VariantBase> = {}): VariantBase => ({
    inChannels: args.inChannels,
    outChannels: args.outChannels,
    kernelSize: args.kernelSize,
    stride: args.stride,
    padding: args.padding,
    dilation: args.dilation,
    groups: args.groups,
    outputPadding: args.outputPadding,
    bias: args.bias,
    inputSize,
    ...over,
  });
  const finish = (
    variant: ConvVariant,
    b: VariantBase,
    summary: (c: VariantCost) => string,
    paths: string[],
    deployForm = false,
  ): ConvComparison | undefined => {
    const r = variantCost(variant, b, 'train');
    if (!r.ok || !('cost' in r)) return undefined;
    const d = deployForm ? variantCost(variant, b, 'deploy') : undefined;
    const p = preset(variant, b);
    if (!p) return undefined;
    return { variant, summary: summary(r.cost), cost: r.cost, ...(d && d.ok && 'cost' in d ? { deploy: d.cost } : {}), paths, preset: p };
  };
  if (a.transposed) {
    return finish(
      'transposed',
      base(a),
      (c) => `transposed conv: ${formatCount(c.params)} params, ${formatCount(c.macs)} MACs by scatter (Cin·H·W·(Cout/g)·k)`,
      [layer.path],
    );
  }

  // ACBlock, recognised by structure whatever its attributes are called (ACNet's own code says square / ver /
  // hor, the seed square_conv / ver_conv / hor_conv): a k×k, a k×1 and a 1×k conv under one module with the same
  // channels, stride and groups and the same output shape (so their outputs can be summed), each with its BN.
  const { square, ver, hor } = acBlockOf(layer, layers);
  if (square && ver && hor && [square, ver, hor].some((l) => l.path === layer.path)) {
    const s = convArgs(square);
    const sIn = s && spatialInput(square, s.dims);
    if (s && sIn && s.dims === 2) {
      const c = finish(
        'acblock',
        { ...base(s), inputSize: sIn, bias: false },
        (cost) => cost.form,
        [square.path, ver.path, hor.path],
        true,
      );
      if (c?.deploy) {
        const t = c.cost;
        const d = c.deploy;
        return {
          ...c,
          summary: `ACBlock: training form (3 convs + 3 BN) ${formatCount(t.params)} params / ${formatCount(t.macs)} MACs vs fused deploy conv ${formatCount(d.params)} params / ${formatCount(d.macs)} MACs (${ratio(t.macs / d.macs)} MACs while training, nothing extra at inference)`,
        };
      }
    }
  }

  // Depthwise-separable: a depthwise conv (groups = Cin = Cout) and the 1×1 conv after it (or before, when hovering the 1×1).
  const index = layers.findIndex((l) => l.path === layer.path);
  const isDepthwise = (x: ConvLayerArgs): boolean => x.groups > 1 && x.groups === x.inChannels && x.outChannels === x.inChannels;
  const isPointwise = (x: ConvLayerArgs, cin: number): boolean =>
    isOnes(x.kernelSize) && x.groups === 1 && x.inChannels === cin && isOnes(x.stride);
  const pairWith = (depth: ProfiledLayer, point: ProfiledLayer): ConvComparison | undefined => {
    const d = convArgs(depth)!;
    const p = convArgs(point)!;
    const dIn = spatialInput(depth, d.dims);
    if (!dIn) return undefined;
    const k = d.kernelSize.reduce((x, y) => x * y, 1);
    return finish(
      'depthwiseSeparable',
      { ...base(d), inputSize: dIn, outChannels: p.outChannels, groups: 1, bias: d.bias && p.bias },
      (c) =>
        `depthwise-separable (${depth.path} + ${point.path}): MACs ${ratio(c.macsRatio)} of a plain conv (1/Cout + 1/k² = 1/${p.outChannels} + 1/${k} = ${(1 / p.outChannels + 1 / k).toFixed(3)})`,
      [depth.path, point.path],
    );
  };
  if (isDepthwise(a)) {
    const next = layers.slice(index + 1).find((l) => convArgs(l));
    const n = next && convArgs(next);
    if (next && n && isPointwise(n, a.outChannels)) {
      const c = pairWith(layer, next);
      if (c) return c;
    }
  }
  if (isPointwise(a, a.inChannels)) {
    const prev = [...layers.slice(0, Math.max(0, index))].reverse().find((l) => convArgs(l));
    const p = prev && convArgs(prev);
    if (prev && p && isDepthwise(p) && p.outChannels === a.inChannels) {
      const c = pairWith(prev, layer);
      if (c) return c;
    }
  }
  if (a.groups > 1 && a.groups === a.inChannels) {
    // One filter group per input channel: a depthwise conv (with a channel multiplier when Cout = m·Cin).
    const m = a.outChannels / a.inChannels;
    return finish(
      'grouped',
      base(a),
      (c) =>
        `depthwise (g = Cin = ${a.groups}${m > 1 ? `, multiplier ${m}` : ''}): params and MACs ×1/Cin = ${ratio(c.macsRatio)} of a plain conv with the same in/out/kernel`,
      [layer.path],
    );
  }
  if (a.groups > 1) {
    return finish(
      'grouped',
      base(a),
      (c) => `grouped (g=${a.groups}): params and MACs ×1/g = ${ratio(c.macsRatio)} of a plain conv with the same in/out/kernel`,
      [layer.path],
    );
  }
  if (a.dilation.some((d) => d > 1)) {
    const span = a.kernelSize.map((k, i) => a.dilation[i]! * (k - 1) + 1);
    return finish(
      'dilated',
      base(a),
      () =>
        `dilated (d=${a.dilation.join('×')}): same params and MACs as a plain conv, receptive field ${span.join('×')} instead of ${a.kernelSize.join('×')}`,
      [layer.path],
    );
  }
  // A plain conv: say what the seed's cheaper variants would cost instead.
  const k = a.kernelSize.reduce((x, y) => x * y, 1);
  return finish(
    'standard',
    base(a),
    () =>
      k > 1 && a.inChannels > 1
        ? `plain conv; as depthwise-separable: MACs ×(1/Cout + 1/k²) = ×${(1 / a.outChannels + 1 / k).toFixed(3)}; grouped g=2: ×0.5`
        : 'plain conv',
    [layer.path],
  );
}
