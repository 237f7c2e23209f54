// Number and text formatting shared by hints, hovers, lenses and the status bar: counts with SI
// suffixes or in full (core/numberFormat.ts), shapes, per-line aggregates, a layer's arguments and the short
// hint and lens texts. No VS Code import, so the unit tests can load it.
import type { ConventionProfile, JsonValue, LayerProfile, LayerRecord } from '../core';
import { layerSpec } from '../core/torch';
import { inputSourceLabel, inputSourceText, isAssumedInput } from '../core/inputSource';
import type { EntryResult } from '../worker/analysisJob';
import type { ConvLensSettings, Convention, UnitStyle } from './settings';
import { formatCount } from '../core/numberFormat';

/** Every count on every surface goes through the core's one formatter (core/numberFormat.ts). */
export { formatCount, formatCountBoth } from '../core/numberFormat';

/** [1, 16, 128, 128] → `1×16×128×128`; unknown dims print as `?`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** True when `v` is what torch uses without the argument: the signature's default, or that default repeated (`(1, 1)` for `1`). */
function isDefault(v: JsonValue, d: JsonValue | undefined): boolean {
  if (d === undefined) return false;
  const same = (x: JsonValue): boolean => JSON.stringify(x) === JSON.stringify(d);
  return same(v) || (Array.isArray(v) && v.length > 0 && v.every(same));
}

/** The arguments that say something: `device=None`, `dtype=None` and every other value left at torch's default are dropped. */
export function hyperparamsText(type: string, h: Readonly<Record<string, JsonValue>>): string {
  const defaults = new Map((layerSpec(type)?.signature ?? []).flatMap(([k, d]) => (typeof d === 'symbol' ? [] : [[k, d] as const])));
  return Object.entries(h)
    .filter(([k, v]) => v !== null && k !== 'device' && k !== 'dtype' && !isDefault(v, defaults.get(k)))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

/** Sum of counts, null when any is unknown. */
export function sumOrNull(values: Iterable<number | null>): number | null {
  let total = 0;
  for (const v of values) {
    if (v === null) return null;
    total += v;
  }
  return total;
}

/** Figures for a group of layers built on one line or by one call, under one convention. */
export interface Aggregate {
  readonly count: number;
  /** Distinct layer types, in first-seen order. */
  readonly types: readonly string[];
  /** Null when any layer's count is unknown. */
  readonly params: number | null;
  /** Null when any layer's MACs are unknown (or the forward pass could not run). */
  readonly macs: number | null;
  /** The output shape when the group is a single layer and the profile knows it. */
  readonly outputShape?: readonly (number | null)[] | null;
  /** Why some layer is unknown (the first reason). */
  readonly reason?: string;
}

const layerIndex = new WeakMap<ConventionProfile, Map<string, LayerProfile>>();

/** One convention's figures for an entry; undefined when the forward pass could not run. */
export function conventionProfile(entry: EntryResult, convention: Convention): ConventionProfile | undefined {
  return entry.analysis?.profiles?.[convention];
}

/** One layer's figures under one convention. */
export function layerProfile(entry: EntryResult, path: string, convention: Convention): LayerProfile | undefined {
  const profile = conventionProfile(entry, convention);
  if (!profile) return undefined;
  let index = layerIndex.get(profile);
  if (!index) layerIndex.set(profile, (index = new Map(profile.layers.map((l) => [l.path, l]))));
  return index.get(path);
}

/** The input shape an entry was profiled at (the core's choice when the glue gave none). */
export function entryInput(entry: EntryResult): readonly number[] | undefined {
  return entry.analysis?.input ?? entry.spec.input;
}

/** Where an entry's input came from, in the words every surface uses (`⚠ assumed: channels from conv1 …`). */
export function entryInputText(entry: EntryResult): string {
  const a = entry.analysis;
  return a ? inputSourceText(a.inputSource, a.inputNote) : 'not analysed yet';
}

/** H·W of a shape with a pixel plane (rank ≥ 3), else null. */
export function pixelsOf(shape: readonly (number | null)[] | null | undefined): number | null {
  if (!shape || shape.length < 3) return null;
  const [h, w] = shape.slice(-2);
  return typeof h === 'number' && typeof w === 'number' ? h * w : null;
}

/** Why an entry has no MACs at all, if it has none. */
export function missingMacsReason(entry: EntryResult): string | undefined {
  if (entry.error) return `the analysis failed: ${entry.error}`;
  const a = entry.analysis;
  if (!a) return 'not analysed yet';
  if (a.profiles) return undefined;
  const d = a.diagnostics.find((x) => x.severity === 'error') ?? a.diagnostics.find((x) => x.code === 'input');
  return d?.message ?? 'the forward pass could not run';
}

export function aggregate(entry: EntryResult, layers: readonly LayerRecord[], convention: Convention): Aggregate {
  const types = [...new Set(layers.map((l) => l.type))];
  const hasProfile = !!conventionProfile(entry, convention);
  const macs = hasProfile ? sumOrNull(layers.map((l) => layerProfile(entry, l.path, convention)?.macs ?? null)) : null;
  const unknown = layers.find((l) => l.status === 'unknown' || l.params === null);
  const unknownMacs = hasProfile
    ? layers.map((l) => layerProfile(entry, l.path, convention)).find((p) => !p || p.macs === null)
    : undefined;
  const single = layers.length === 1 ? entry.analysis?.layers.find((l) => l.path === layers[0]!.path) : undefined;
  const reason = unknown
    ? (unknown.reason ?? 'unknown parameter count')
    : !hasProfile
      ? missingMacsReason(entry)
      : unknownMacs
        ? (unknownMacs.reason ?? 'unknown MACs')
        : undefined;
  return {
    count: layers.length,
    types,
    params: sumOrNull(layers.map((l) => l.params)),
    macs,
    ...(single ? { outputShape: single.outputShape } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** `2 MACs`-style figure: `0` reads `no`, so a parameter-free layer says `no params`, not `0 params`. */
function figure(n: number | null, units: UnitStyle, what: string): string {
  return n === 0 ? `no ${what}` : `${formatCount(n, units)} ${what}`;
}

/**
 * The parts of a hint, most important last: what the line built (`×8`, `3 layers`; the type in full
 * verbosity), params, MACs, output shape. `37.0K params · 116M MACs`, `×8 · 4.72M params`,
 * `3 layers (ReLU, Dropout) · no params · no MACs`, `? params` (the reason goes in the hover).
 */
export function hintParts(agg: Aggregate, settings: ConvLensSettings): { readonly what?: string; readonly figures: string[] } {
  const sameType = agg.types.length === 1;
  const listed = agg.types.slice(0, 2).join(', ') + (agg.types.length > 2 ? ', …' : '');
  let what: string | undefined;
  if (settings.hintVerbosity === 'full')
    what = sameType ? `${agg.types[0]}${agg.count > 1 ? ` ×${agg.count}` : ''}` : `${agg.count} layers (${listed})`;
  else if (agg.count > 1) what = sameType ? `×${agg.count}` : `${agg.count} layers`;
  const figures: string[] = [];
  for (const part of settings.hintParts) {
    if (part === 'params') figures.push(figure(agg.params, settings.units, 'params'));
    if (part === 'macs') figures.push(figure(agg.macs, settings.units, 'MACs'));
    if (part === 'shape' && agg.outputShape) figures.push(`→ ${formatShape(agg.outputShape)}`);
  }
  return what === undefined ? { figures } : { what, figures };
}

/** The hint's text; with `room` (characters left before the right edge) a compact hint drops parts to fit: shape, then params. */
export function hintText(agg: Aggregate, settings: ConvLensSettings, room = Infinity): string {
  const { what, figures } = hintParts(agg, settings);
  const join = (fs: readonly string[]): string => [...(what === undefined ? [] : [what]), ...fs].join(' · ');
  let shown = figures;
  if (settings.hintVerbosity === 'compact') {
    const order = [(f: string) => f.startsWith('→'), (f: string) => f.endsWith(' params')];
    for (const drop of order) {
      if (join(shown).length <= room) break;
      const rest = shown.filter((f) => !drop(f));
      if (rest.length > 0) shown = rest;
    }
  }
  return join(shown);
}

/** MACs/pixel of an entry under the settings' denominator: the input's H×W or the model output's H×W. */
export function entryMacsPerPixel(entry: EntryResult, settings: ConvLensSettings): number | null {
  const totals = conventionProfile(entry, settings.convention)?.totals;
  if (!totals || totals.partial) return null;
  if (settings.macsPerPixelDenominator === 'input') return totals.macsPerPixel;
  const pixels = pixelsOf(entry.analysis?.outputShape);
  return pixels ? totals.macs / pixels : null;
}

/** The entry expression, unless it is the bare `Name()` of the class or factory the lens sits on. */
function entryLabel(entry: EntryResult): string {
  const { spec } = entry;
  return spec.origin !== 'comment' && spec.expr === `${spec.anchor?.name ?? ''}()` ? '' : `${spec.expr}: `;
}

/** `11.7M params · 1.82G MACs · 36.2K MAC/px @ 1×3×224×224 (inferred, ptflops)` for a CodeLens (prefixed with the expression when it has arguments). */
export function entryTotalsText(entry: EntryResult, settings: ConvLensSettings): string {
  const { analysis } = entry;
  if (!analysis) return `${entry.spec.expr}: not analysed${entry.error ? ` (${entry.error})` : ''}`;
  const u = settings.units;
  const totals = conventionProfile(entry, settings.convention)?.totals;
  const parts = [`${formatCount(analysis.totals.params, u)} params`];
  parts.push(`${formatCount(totals && !totals.partial ? totals.macs : null, u)} MACs`);
  parts.push(`${formatCount(entryMacsPerPixel(entry, settings), u)} MAC/px`);
  if (analysis.status === 'error') {
    const first = analysis.diagnostics.find((d) => d.severity === 'error');
    const where = first?.range && first.range.file === analysis.file ? ` (line ${first.range.line + 1})` : '';
    return `${entryLabel(entry)}does not build: ${first?.message ?? 'unknown error'}${where}`;
  }
  const input = entryInput(entry);
  if (!input && analysis.status === 'ok') {
    return `${entryLabel(entry)}${formatCount(analysis.totals.params, u)} params · no input shape: cannot be inferred (${settings.convention})`;
  }
  return `${entryLabel(entry)}${parts.join(' · ')} @ ${input ? formatShape(input) : '?'} (${inputSourceLabel(analysis.inputSource)}, ${settings.convention})`;
}

/** `resnet18(): 11.7M params · 1.82G MACs` for the status bar. */
export function entryShortText(entry: EntryResult, settings: ConvLensSettings): string {
  const totals = conventionProfile(entry, settings.convention)?.totals;
  const params = formatCount(entry.analysis?.totals.params, settings.units);
  const assumed =
    entry.analysis && isAssumedInput(entry.analysis.inputSource) ? ` · ${inputSourceLabel(entry.analysis.inputSource)} input` : '';
  return `${entry.spec.expr}: ${params} params · ${formatCount(totals && !totals.partial ? totals.macs : null, settings.units)} MACs${assumed}`;
}
