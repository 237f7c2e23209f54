// Reads what a counting rule needs out of a layer call: hyperparameters as numbers or lists, shapes as
// named terms (N, Cin, Hout·Wout, kh·kw, numel(out)...). A missing shape or hyperparameter throws
// `UnknownCost` with the reason; the profile builder turns that into a null MAC count, never a guess.
// It holds no counting rule itself.
import type { JsonValue } from '../resultTypes';
import type { CostLayer, KnownShape, LayerCall } from './costTypes';
import { lit, mul, named, sym, type Term } from './terms';

/** Thrown by a rule when a number it needs is unknown; carries the reason shown to the user. */
export class UnknownCost extends Error {}

/** Stops the rule: `reason` says what is missing. */
export function unknown(reason: string): never {
  throw new UnknownCost(reason);
}

export function inputShape(call: LayerCall, index = 0): KnownShape {
  const shape = call.inputShapes[index];
  return shape ?? unknown(index === 0 ? 'the input shape is unknown' : `the shape of input ${index + 1} is unknown`);
}

export function outputShape(call: LayerCall): KnownShape {
  return call.outputShape ?? unknown('the output shape is unknown');
}

/** The product of a list of numbers. */
export function product(dims: readonly number[]): number {
  return dims.reduce((acc, d) => acc * d, 1);
}

/** `numel(label)` spelled as its dims, e.g. `numel(out) = (1·64·56·56)`. */
export function numel(label: string, shape: KnownShape): Term {
  return named(`numel(${label})`, mul(...shape.map(lit)));
}

/** Per-sample element count (every dim but the batch), `numel(label)/N`. */
export function numelPerSample(label: string, shape: KnownShape): Term {
  return named(`numel(${label})/N`, mul(...shape.slice(1).map(lit)));
}

const SPATIAL_NAMES: Readonly<Record<number, readonly string[]>> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

/** Names for `rank` spatial dims: L; H, W; D, H, W; S1..Sn beyond that. */
export function spatialNames(rank: number): readonly string[] {
  return SPATIAL_NAMES[rank] ?? Array.from({ length: rank }, (_, i) => `S${i + 1}`);
}

/** The spatial extent of a batch-first shape (dims 2..), as `Hout·Wout` with its numbers. */
export function spatial(shape: KnownShape, suffix: 'in' | 'out'): Term {
  const dims = shape.slice(2);
  const names = spatialNames(dims.length);
  return mul(...dims.map((d, i) => sym(`${names[i]}${suffix}`, d)));
}

/** The kernel volume as `kh·kw` (`k` for 1-D, `kd·kh·kw` for 3-D). An int kernel_size is repeated `rank` times. */
export function kernel(layer: CostLayer, rank: number): Term {
  const k = intList(layer.hyperparams['kernel_size'], rank) ?? unknown('kernel_size is unknown');
  const names = rank === 1 ? ['k'] : spatialNames(rank).map((n) => `k${n.toLowerCase()}`);
  return mul(...k.map((v, i) => sym(names[i] ?? `k${i + 1}`, v)));
}

/** An int or a list of ints as a list of `rank` ints (torch's `_pair`/`_triple`); null if not numeric. */
export function intList(value: JsonValue | undefined, rank: number): number[] | null {
  if (typeof value === 'number') return Array.from({ length: rank }, () => value);
  if (Array.isArray(value) && value.every((v): v is number => typeof v === 'number')) return value;
  return null;
}

export function hpNumber(layer: CostLayer, key: string): number {
  const v = layer.hyperparams[key];
  return typeof v === 'number' ? v : unknown(`${key} is unknown`);
}

/** A boolean hyperparameter; `fallback` is torch's default when the constructor did not set it. */
export function hpBool(layer: CostLayer, key: string, fallback: boolean): boolean {
  const v = layer.hyperparams[key];
  if (v === undefined) return fallback;
  return typeof v === 'boolean' ? v : unknown(`${key} is unknown`);
}

export function hpString(layer: CostLayer, key: string, fallback: string): string {
  const v = layer.hyperparams[key];
  if (v === undefined || v === null) return fallback;
  return typeof v === 'string' ? v : unknown(`${key} is unknown`);
}

/** The terms of a convolution call, transposed or not. Channels come from the hyperparameters. */
export interface ConvTerms {
  readonly N: Term;
  readonly Cin: Term;
  readonly Cout: Term;
  readonly g: Term;
  readonly k: Term;
  readonly inSpatial: Term;
  readonly outSpatial: Term;
  readonly bias: boolean;
  readonly rank: number;
}

export function convTerms(layer: CostLayer, call: LayerCall): ConvTerms {
  const x = inputShape(call);
  const y = outputShape(call);
  const rank = y.length - 2;
  if (rank < 1) unknown('the output has no spatial dims');
  return {
    N: sym('N', x[0]!),
    Cin: sym('Cin', hpNumber(layer, 'in_channels')),
    Cout: sym('Cout', hpNumber(layer, 'out_channels')),
    g: sym('g', typeof layer.hyperparams['groups'] === 'number' ? (layer.hyperparams['groups'] as number) : 1),
    k: kernel(layer, rank),
    inSpatial: spatial(x, 'in'),
    outSpatial: spatial(y, 'out'),
    bias: hpBool(layer, 'bias', true),
    rank,
  };
}

/** Batch size of the first input. */
export function batch(call: LayerCall): Term {
  return sym('N', inputShape(call)[0] ?? unknown('the input has no batch dim'));
}
