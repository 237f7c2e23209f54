// Infers a model's input shape from what its forward pass needs, or not at all. The rank comes from the
// first layer that fixes one (Conv2d → N×C×H×W, Linear → N×F); the channels from the first op that checks
// the input's channels, wherever it sits behind PixelUnshuffle, view, cat or other linear reshapes: the
// forward pass runs twice with two unlikely channel counts C₁, C₂ and the channels that op sees (g₁, g₂)
// give g = a·C + b, solved for the channels it expects. The spatial size is not inferable this way; it is
// the caller's default resolution and reported as assumed. Nothing here guesses: no checking op, or a
// solution that is not a positive integer, means no input.
import type { LayerRecord } from './resultTypes';
import type { Interpreter } from './interpreter/eval';
import { PyRaise } from './interpreter/eval';
import type { Value } from './interpreter/values';

/** Two channel counts no real model expects, co-prime with the usual factors (2, 3, 4, 16). */
const PROBE_CHANNELS = [10007, 20011] as const;

/** What the inference found: the input, and the sentence saying where it came from. */
export interface InferredInput {
  readonly input: number[];
  /** True when part of the shape (H×W) is the default resolution, not read from the model. */
  readonly assumed: boolean;
  /** `channels from conv1 (Conv2d expects 24, after the forward's reshapes: ×4); 224×224 assumed`. */
  readonly note: string;
}

export type InferOutcome = { readonly ok: true; readonly inferred: InferredInput } | { readonly ok: false; readonly reason: string };

/** The rank (and, for a plain Linear, the features) a model's first layers fix. */
function rankOf(layers: readonly LayerRecord[]): { spatial: number; layer: LayerRecord } | undefined {
  for (const l of layers) {
    const m =
      /^(?:Conv|ConvTranspose|BatchNorm|InstanceNorm|MaxPool|AvgPool|PixelUnshuffle|PixelShuffle)([123])d$/.exec(l.type) ??
      (/^(?:PixelUnshuffle|PixelShuffle|Upsample|UpsamplingNearest2d|UpsamplingBilinear2d)$/.test(l.type) ? [l.type, '2'] : null);
    if (m) return { spatial: Number(m[1]), layer: l };
    if (l.type === 'Linear') return { spatial: 0, layer: l };
  }
  return undefined;
}

/**
 * A shape error of torch's words that names expected and received channels (or features): conv and
 * layers `expected input with E channels, but got G channels`, Linear's `(…xG and Ex…)`.
 */
export function channelMismatch(message: string): { expected: number; got: number } | undefined {
  // ATen's conv check: "Given groups=1, weight of size [32, 24, 3, 3], expected input[1, 96, 16, 16] to have 24 channels, but got 96 channels instead".
  const conv = /expected input(?:\[[^\]]*\])? (?:with|to have) (\d+) channels, but got (\d+) channels/.exec(message);
  if (conv) return { expected: Number(conv[1]), got: Number(conv[2]) };
  // Batch norm: "running_mean should contain 4 elements not 5" (4 = the input's channels, 5 = num_features).
  const norm = /running_mean should contain (\d+) elements not (\d+)/.exec(message);
  if (norm) return { got: Number(norm[1]), expected: Number(norm[2]) };
  const linear = /mat1 and mat2 shapes cannot be multiplied \([^x]+x(\d+) and (\d+)x\d+\)/.exec(message);
  if (linear) return { got: Number(linear[1]), expected: Number(linear[2]) };
  return undefined;
}

/**
 * Infers the input of `root` (a built model) by probing its forward pass. `run` calls the model on a
 * tensor of that shape and lets Python exceptions out; probes leave no diagnostics and use no budget.
 */
export function inferInput(
  interp: Interpreter,
  layers: readonly LayerRecord[],
  resolution: number,
  run: (shape: number[]) => Value,
): InferOutcome {
  const ranked = rankOf(layers);
  if (!ranked) return { ok: false, reason: "no layer of the model fixes the input's rank (no conv, norm, pooling or Linear layer)" };
  const shapeWith = (c: number): number[] => [1, c, ...Array<number>(ranked.spatial).fill(resolution)];
  const probe = (c: number): { expected: number; got: number; where?: string } | 'ran' | string => {
    const diagnostics = interp.diagnostics.length;
    const steps = interp.budget.steps;
    try {
      run(shapeWith(c));
      return 'ran';
    } catch (e) {
      if (!(e instanceof PyRaise)) return e instanceof Error ? e.message : String(e);
      const m = channelMismatch(e.pyMessage);
      return m ?? e.pyMessage;
    } finally {
      interp.diagnostics.length = diagnostics;
      interp.budget.steps = steps;
    }
  };
  const first = probe(PROBE_CHANNELS[0]);
  if (first === 'ran') return { ok: false, reason: "no op of the forward pass checks the input's channels" };
  if (typeof first === 'string')
    return { ok: false, reason: `the forward pass fails before any op checks the input's channels (${first})` };
  const second = probe(PROBE_CHANNELS[1]);
  if (typeof second !== 'object' || second.expected !== first.expected) {
    return { ok: false, reason: "the op that checks the input's channels depends on them in a way that cannot be solved" };
  }
  // g = a·C + b over the two probes; the model expects g = E, so C = (E − b) / a.
  const a = (second.got - first.got) / (PROBE_CHANNELS[1] - PROBE_CHANNELS[0]);
  const b = first.got - a * PROBE_CHANNELS[0];
  const c = a > 0 ? (first.expected - b) / a : NaN;
  if (!Number.isSafeInteger(c) || c <= 0) {
    return {
      ok: false,
      reason: `the first op that checks the channels expects ${first.expected}, which no whole number of input channels gives`,
    };
  }
  const how =
    a === 1 && b === 0 ? `expects ${first.expected}` : `expects ${first.expected} after the forward's reshapes (${describeLinear(a, b)})`;
  const layer = checkerName(layers, first.expected, ranked.layer);
  const spatial = ranked.spatial > 0 ? `; ${Array(ranked.spatial).fill(resolution).join('×')} assumed` : '';
  return {
    ok: true,
    inferred: { input: shapeWith(c), assumed: ranked.spatial > 0, note: `channels from ${layer} (${how})${spatial}` },
  };
}

function describeLinear(a: number, b: number): string {
  const times = a === 1 ? 'C' : `${a}·C`;
  return b === 0 ? times : `${times} ${b > 0 ? '+' : '−'} ${Math.abs(b)}`;
}

/** The layer that checked the channels: the first one whose expected count matches. */
function checkerName(layers: readonly LayerRecord[], expected: number, fallback: LayerRecord): string {
  const keys = ['in_channels', 'num_features', 'in_features', 'num_channels'];
  const hit = layers.find((l) => keys.some((k) => l.hyperparams[k] === expected)) ?? fallback;
  return `${hit.path} (${hit.type})`;
}
