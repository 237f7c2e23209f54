// User weights for a playground variant, taken from a weight file the way `module.load_state_dict(sd,
// strict=True)` would take them: the keys a variant's torch module has (the seed's class attribute names),
// under a module prefix the user picks, with PyTorch's own error messages for missing keys, unexpected
// keys and size mismatches. Also the reverse: the controls a file's tensors imply ("fit the controls").
// Plain TypeScript: no DOM, no ORT.
import { weightShape } from '../../../extension/core/convMath';
import { PLAYGROUND_LIMITS, type ConvVariant, type PlaygroundParams } from '../../../extension/protocol/playgroundMessages';
import type { TensorEntry, WeightFile } from './weightFile';

/** One state-dict entry of a variant's module, relative to its prefix, and the shape torch gives it. */
export interface WeightKey {
  readonly key: string;
  readonly dims: readonly number[];
}

/** Tensors by their key relative to the prefix (`weight`, `depth_conv.bias`, `square_bn.running_var`). */
export type UserTensors = ReadonlyMap<string, Float32Array>;

/** Weights loaded for one configuration. `id` names them in ORT session keys. */
export interface UserWeights {
  readonly id: string;
  readonly fileName: string;
  readonly prefix: string;
  readonly tensors: UserTensors;
}

const BN_KEYS = ['weight', 'bias', 'running_mean', 'running_var'] as const;
/** Keys torch saves that the playground has no use for (BatchNorm's counter). */
const IGNORED_SUFFIXES = ['num_batches_tracked'];

function convWeightDims(
  p: PlaygroundParams,
  over: Partial<{ inChannels: number; outChannels: number; groups: number; kernel: readonly number[] }> = {},
): number[] {
  const cin = over.inChannels ?? p.inChannels;
  const cout = over.outChannels ?? p.outChannels;
  const g = over.groups ?? p.groups;
  const k = over.kernel ?? p.kernelSize;
  return weightShape({ inChannels: cin, outChannels: cout, groups: g, kernelSize: k, transposed: p.variant === 'transposed' });
}

/** The state dict of the variant's torch module (seed `DSC` and `ACBlock` naming; a bare conv otherwise). */
export function variantKeys(p: PlaygroundParams): WeightKey[] {
  const bias = (name: string, channels: number): WeightKey[] => (p.bias ? [{ key: `${name}bias`, dims: [channels] }] : []);
  switch (p.variant) {
    case 'depthwiseSeparable':
      return [
        { key: 'depth_conv.weight', dims: convWeightDims(p, { outChannels: p.inChannels, groups: p.inChannels }) },
        ...bias('depth_conv.', p.inChannels),
        { key: 'point_conv.weight', dims: convWeightDims(p, { groups: 1, kernel: p.kernelSize.map(() => 1) }) },
        ...bias('point_conv.', p.outChannels),
      ];
    case 'acblock': {
      // In the seed's registration order (square conv and BN, then the ver and hor convs, then their BNs),
      // which is the order of its state_dict and of torch's messages.
      const k = p.kernelSize[0];
      const bn = (branch: string): WeightKey[] => BN_KEYS.map((key) => ({ key: `${branch}_bn.${key}`, dims: [p.outChannels] }));
      return [
        { key: 'square_conv.weight', dims: convWeightDims(p, { kernel: [k, k] }) },
        ...bn('square'),
        { key: 'ver_conv.weight', dims: convWeightDims(p, { kernel: [k, 1] }) },
        { key: 'hor_conv.weight', dims: convWeightDims(p, { kernel: [1, k] }) },
        ...bn('ver'),
        ...bn('hor'),
      ];
    }
    default:
      return [{ key: 'weight', dims: convWeightDims(p) }, ...bias('', p.outChannels)];
  }
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function torchSize(dims: readonly number[]): string {
  return `torch.Size([${dims.join(', ')}])`;
}

/** The torch class whose `load_state_dict` the messages name. */
function moduleClass(v: ConvVariant): string {
  return v === 'depthwiseSeparable' ? 'DSC' : v === 'acblock' ? 'ACBlock' : v === 'transposed' ? 'ConvTranspose2d' : 'Conv2d';
}

/** A module of a weight file that can hold a variant's state dict, and the 4-D tensor that says so. */
export interface WeightModule {
  readonly prefix: string;
  readonly anchor: TensorEntry;
}

/** The modules in `file` that can hold a `variant`'s state dict (by the 4-D conv weight that identifies it). */
export function weightModules(file: WeightFile, variant: ConvVariant): WeightModule[] {
  const key = variant === 'depthwiseSeparable' ? 'depth_conv.weight' : variant === 'acblock' ? 'square_conv.weight' : 'weight';
  const out: WeightModule[] = [];
  for (const t of file.tensors) {
    if (t.dims.length !== 4) continue;
    if (t.name === key) out.push({ prefix: '', anchor: t });
    else if (t.name.endsWith(`.${key}`)) out.push({ prefix: t.name.slice(0, -key.length - 1), anchor: t });
  }
  return out;
}

export type LoadResult = { readonly ok: true; readonly weights: UserWeights } | { readonly ok: false; readonly message: string };

/**
 * Reads the tensors of the module at `prefix` for the configuration `p`, strictly: a missing key, an
 * unexpected key under the module's own names, or a shape that differs fails with the message torch's
 * `module.load_state_dict(...)` gives for that module (keys relative to it). Reads nothing unless every
 * check passes.
 */
export async function loadUserWeights(file: WeightFile, prefix: string, p: PlaygroundParams, id: string): Promise<LoadResult> {
  const wanted = variantKeys(p);
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const missing = wanted.filter((w) => !byName.has(join(prefix, w.key))).map((w) => join(prefix, w.key));
  // Unexpected: keys of this module's own children (or its own direct keys) that the configuration has no place for.
  const mine = new Set(wanted.map((w) => join(prefix, w.key)));
  const children = new Set(wanted.map((w) => (w.key.includes('.') ? w.key.slice(0, w.key.lastIndexOf('.')) : '')));
  const unexpected = file.tensors
    .map((t) => t.name)
    .filter((name) => {
      if (mine.has(name) || IGNORED_SUFFIXES.some((s) => name.endsWith(`.${s}`) || name === s)) return false;
      const rel = prefix === '' ? name : name.startsWith(`${prefix}.`) ? name.slice(prefix.length + 1) : undefined;
      if (rel === undefined) return false;
      const dot = rel.lastIndexOf('.');
      // Only keys directly on the module or on one of its known children: deeper keys belong to other modules.
      return dot < 0 ? children.has('') : children.has(rel.slice(0, dot)) && !rel.slice(0, dot).includes('.');
    });
  const mismatched = wanted.flatMap((w) => {
    const t = byName.get(join(prefix, w.key));
    return t && (t.dims.length !== w.dims.length || t.dims.some((d, i) => d !== w.dims[i]))
      ? [
          `size mismatch for ${w.key}: copying a param with shape ${torchSize(t.dims)} from checkpoint, the shape in current model is ${torchSize(w.dims)}.`,
        ]
      : [];
  });
  // torch names keys relative to the module it loads into, and ends these two lines with ". ".
  const relative = (name: string): string => (prefix === '' ? name : name.slice(prefix.length + 1));
  const errors = [
    ...(missing.length ? [`Missing key(s) in state_dict: ${missing.map((k) => `"${relative(k)}"`).join(', ')}. `] : []),
    ...(unexpected.length ? [`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${relative(k)}"`).join(', ')}. `] : []),
    ...mismatched,
  ];
  if (errors.length)
    return { ok: false, message: `Error(s) in loading state_dict for ${moduleClass(p.variant)}:\n\t${errors.join('\n\t')}` };
  const tensors = new Map<string, Float32Array>();
  try {
    for (const w of wanted) tensors.set(w.key, await file.read(join(prefix, w.key)));
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  return { ok: true, weights: { id, fileName: file.fileName, prefix, tensors } };
}

/**
 * The controls the module at `prefix` implies: channels, kernel and bias from its tensors' shapes. The
 * groups of the current controls are kept when they divide the file's channels (a weight's shape only
 * says `Cin/groups`), else set to 1; stride, padding, dilation and the input stay as they are.
 */
export function paramsFromWeights(file: WeightFile, prefix: string, p: PlaygroundParams): PlaygroundParams | undefined {
  // A weight with an empty dim has no channels to fit to, and a dim over the protocol's integer limit is no real conv's.
  const dims = (key: string): readonly number[] | undefined => {
    const t = file.tensors.find((e) => e.name === join(prefix, key));
    return t && t.dims.length === 4 && t.dims.every((d) => d >= 1 && d <= PLAYGROUND_LIMITS.maxInteger) ? t.dims : undefined;
  };
  const has = (key: string): boolean => file.tensors.some((e) => e.name === join(prefix, key));
  const kernel = (d: readonly number[]): [number, number] => [d[2]!, d[3]!];
  switch (p.variant) {
    case 'depthwiseSeparable': {
      const dw = dims('depth_conv.weight');
      const pw = dims('point_conv.weight');
      if (!dw || !pw) return undefined;
      return { ...p, inChannels: dw[0]!, outChannels: pw[0]!, kernelSize: kernel(dw), bias: has('depth_conv.bias') };
    }
    case 'acblock': {
      const sq = dims('square_conv.weight');
      if (!sq) return undefined;
      const g = sq[0]! % p.groups === 0 ? p.groups : 1;
      return { ...p, outChannels: sq[0]!, inChannels: sq[1]! * g, groups: g, kernelSize: kernel(sq), bias: false };
    }
    case 'transposed': {
      const w = dims('weight');
      if (!w) return undefined;
      const g = w[0]! % p.groups === 0 ? p.groups : 1;
      return { ...p, inChannels: w[0]!, outChannels: w[1]! * g, groups: g, kernelSize: kernel(w), bias: has('bias') };
    }
    default: {
      const w = dims('weight');
      if (!w) return undefined;
      const g = w[0]! % p.groups === 0 ? p.groups : 1;
      return { ...p, outChannels: w[0]!, inChannels: w[1]! * g, groups: g, kernelSize: kernel(w), bias: has('bias') };
    }
  }
}
