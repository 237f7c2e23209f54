// Number and text formatting shared by hints, hovers, lenses and the status bar: counts with SI
// suffixes or in full, shapes, per-line aggregates and the short hint and lens texts. Type-only imports,
// so the unit tests can load it without VS Code.
import type { LayerRecord } from '../core';
import type { EntryResult } from './analysisService';
import type { ConvLensSettings, Convention, UnitStyle } from './settings';

const siSteps: readonly [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];

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
  /** Undefined when there is no profile; null when any layer's MACs are unknown. */
  readonly macs: number | null | undefined;
  /** The output shape when the group is a single layer and the profile knows it. */
  readonly outputShape?: readonly (number | null)[] | null;
  /** Why some layer is unknown (the first reason). */
  readonly reason?: string;
}

export function aggregate(entry: EntryResult, layers: readonly LayerRecord[], convention: Convention): Aggregate {
  const types = [...new Set(layers.map((l) => l.type))];
  const profiled = entry.profile?.layers;
  const macs = profiled ? sumOrNull(layers.map((l) => profiled.get(l.path)?.macs[convention]?.macs ?? null)) : undefined;
  const unknown = layers.find((l) => l.status === 'unknown' || l.params === null);
  const single = layers.length === 1 ? profiled?.get(layers[0]!.path) : undefined;
  return {
    count: layers.length,
    types,
    params: sumOrNull(layers.map((l) => l.params)),
    macs,
    ...(single ? { outputShape: single.outputShape } : {}),
    ...(unknown ? { reason: unknown.reason ?? 'unknown parameter count' } : {}),
  };
}

/** `37.0K params · 116M MACs`, `×8 · 4.72M params`, `? params` (the reason goes in the hover). */
export function hintText(agg: Aggregate, settings: ConvLensSettings): string {
  const parts: string[] = [];
  const sameType = agg.types.length === 1;
  if (settings.hintVerbosity === 'full') parts.push(sameType ? `${agg.types[0]}${agg.count > 1 ? ` ×${agg.count}` : ''}` : `${agg.count} layers`);
  else if (agg.count > 1) parts.push(sameType ? `×${agg.count}` : `${agg.count} layers`);
  for (const part of settings.hintParts) {
    if (part === 'params') parts.push(`${formatMaybe(agg.params, settings.units)} params`);
    if (part === 'macs' && agg.macs !== undefined) parts.push(`${formatMaybe(agg.macs, settings.units)} MACs`);
    if (part === 'shape' && agg.outputShape) parts.push(`→ ${formatShape(agg.outputShape)}`);
  }
  return parts.join(' · ');
}

/** `DSC(16, 32): 704 params · 11.5M MACs @ 1×16×128×128` for a CodeLens or the status bar. */
export function entryTotalsText(entry: EntryResult, settings: ConvLensSettings): string {
  const { spec, analysis, profile } = entry;
  if (!analysis) return `${spec.expr}: not analysed${entry.error ? ` (${entry.error})` : ''}`;
  const parts = [`${formatMaybe(analysis.totals.params, settings.units)} params`];
  const totals = profile?.totals[settings.convention];
  if (totals) parts.push(`${formatMaybe(totals.macs, settings.units)} MACs`);
  const failed = analysis.status === 'error' ? ' (incomplete)' : '';
  return `${spec.expr}: ${parts.join(' · ')}${failed} @ ${formatShape(spec.input)}`;
}
