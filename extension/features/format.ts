// Number and text formatting shared by hints, hovers, lenses and the status bar: counts with SI
// suffixes or in full, shapes, per-line aggregates and the short hint and lens texts. Type-only imports,
// so the unit tests can load it without VS Code.
import type { ConventionProfile, LayerProfile, LayerRecord } from '../core';
import { inputSourceLabel, inputSourceText, isAssumedInput } from '../core/inputSource';
import type { EntryResult } from '../worker/analysisJob';
import type { ConvLensSettings, Convention, UnitStyle } from './settings';

const siSteps: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** 37024 → `37.0K`, 115867648 → `116M` (three significant digits), 544 → `544`; `exact` → `37,024`. */
export function formatCount(n: number, units: UnitStyle): string {
  if (units === 'exact' || Math.abs(n) < 1000) return Math.round(n).toLocaleString('en-US');
  const i = siSteps.findIndex(([step]) => Math.abs(n) >= step);
  const withStep = ([step, suffix]: readonly [number, string]): string => {
    const v = n / step;
    // Three significant digits.
    return `${v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2)}${suffix}`;
  };
  const text = withStep(siSteps[i]!);
  // 999,950 rounds to `1000K`; say `1.00M` instead.
  return i > 0 && Math.abs(parseFloat(text)) >= 1000 ? withStep(siSteps[i - 1]!) : text;
}

/** `1.82 G`, `36.2 k`, `544 ` (SI prefix and a space, for `GMACs`, `kMAC/px`); `exact` → `1,822,177,768 `. */
export function formatPrefixed(n: number, units: UnitStyle): string {
  const text = formatCount(n, units);
  const m = /^(-?[\d.,]+)([KMGT]?)$/.exec(text);
  if (!m) return `${text} `;
  return `${m[1]} ${m[2] === 'K' ? 'k' : m[2]}`;
}

/** A count that may be unknown: `?` stands for unknown. */
export function formatMaybe(n: number | null | undefined, units: UnitStyle): string {
  return n === null || n === undefined ? '?' : formatCount(n, units);
}

/** [1, 16, 128, 128] → `1×16×128×128`; unknown dims print as `?`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
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

/** `37.0K params · 116M MACs`, `×8 · 4.72M params`, `? params` (the reason goes in the hover). */
export function hintText(agg: Aggregate, settings: ConvLensSettings): string {
  const parts: string[] = [];
  const sameType = agg.types.length === 1;
  if (settings.hintVerbosity === 'full')
    parts.push(sameType ? `${agg.types[0]}${agg.count > 1 ? ` ×${agg.count}` : ''}` : `${agg.count} layers`);
  else if (agg.count > 1) parts.push(sameType ? `×${agg.count}` : `${agg.count} layers`);
  for (const part of settings.hintParts) {
    if (part === 'params') parts.push(`${formatMaybe(agg.params, settings.units)} params`);
    if (part === 'macs') parts.push(`${formatMaybe(agg.macs, settings.units)} MACs`);
    if (part === 'shape' && agg.outputShape) parts.push(`→ ${formatShape(agg.outputShape)}`);
  }
  return parts.join(' · ');
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

/** `11.7M params · 1.82 GMACs · 36.2 kMAC/px @ 1×3×224×224 (inferred, ptflops)` for a CodeLens (prefixed with the expression when it has arguments). */
export function entryTotalsText(entry: EntryResult, settings: ConvLensSettings): string {
  const { analysis } = entry;
  if (!analysis) return `${entry.spec.expr}: not analysed${entry.error ? ` (${entry.error})` : ''}`;
  const u = settings.units;
  const totals = conventionProfile(entry, settings.convention)?.totals;
  const parts = [`${formatMaybe(analysis.totals.params, u)} params`];
  parts.push(totals && !totals.partial ? `${formatPrefixed(totals.macs, u)}MACs` : `? MACs`);
  const mpp = entryMacsPerPixel(entry, settings);
  parts.push(mpp === null ? '? MAC/px' : `${formatPrefixed(mpp, u)}MAC/px`);
  if (analysis.status === 'error') {
    const first = analysis.diagnostics.find((d) => d.severity === 'error');
    const where = first?.range && first.range.file === analysis.file ? ` (line ${first.range.line + 1})` : '';
    return `${entryLabel(entry)}does not build: ${first?.message ?? 'unknown error'}${where}`;
  }
  const input = entryInput(entry);
  if (!input && analysis.status === 'ok') {
    return `${entryLabel(entry)}${formatMaybe(analysis.totals.params, u)} params · no input shape: cannot be inferred (${settings.convention})`;
  }
  return `${entryLabel(entry)}${parts.join(' · ')} @ ${input ? formatShape(input) : '?'} (${inputSourceLabel(analysis.inputSource)}, ${settings.convention})`;
}

/** `resnet18(): 11.7M params · 1.82G MACs` for the status bar. */
export function entryShortText(entry: EntryResult, settings: ConvLensSettings): string {
  const totals = conventionProfile(entry, settings.convention)?.totals;
  const params = formatMaybe(entry.analysis?.totals.params, settings.units);
  const assumed =
    entry.analysis && isAssumedInput(entry.analysis.inputSource) ? ` · ${inputSourceLabel(entry.analysis.inputSource)} input` : '';
  return `${entry.spec.expr}: ${params} params · ${totals && !totals.partial ? formatCount(totals.macs, settings.units) : '?'} MACs${assumed}`;
}
