// Number and text helpers shared by the report formatters: thousands separators, percentages, shapes,
// SI-scaled figures, and making hostile names (newlines, control characters) safe for a one-line cell.
// Locale-independent on purpose: reports must read the same on every machine.
import { CONVENTIONS } from '../cost/computeProfile';
import { formatCount, formatFixed } from '../numberFormat';
import type { ConventionName } from '../cost/costTypes';
import type { ReportOutput } from './reportTypes';

/** `1234567.891` → `1,234,567.89` (`decimals` digits after the point): the one formatter's fixed form (core/numberFormat.ts). */
export function withThousands(value: number, decimals = 0): string {
  return Number.isFinite(value) ? formatFixed(value, decimals) : String(value);
}

/** A count with separators, or `?` when unknown. */
export function count(value: number | null | undefined): string {
  return formatCount(value, 'exact');
}

/** `part` as a percentage of `whole` with two decimals; empty when either is unknown or the whole is 0. */
export function percent(part: number | null, whole: number | null): string {
  if (part === null || whole === null || whole === 0) return '';
  return `${((part / whole) * 100).toFixed(2)}%`;
}

/** `[1, 64, 56, 56]`, unknown dims as `?`; a tuple output as `([1, 64, 8, 8], [1, 64, 8, 8])`. */
export function shapeText(shape: ReportOutput | null | undefined): string {
  if (!shape) return '?';
  if (shape.some((d) => Array.isArray(d))) return `(${shape.map((d) => shapeText(d as ReportOutput | null)).join(', ')})`;
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** `1.82G MACs`, `11.7M` (`unit` may be empty): the compact form every surface shows (core/numberFormat.ts). */
export function scaled(value: number, unit: string): string {
  return `${formatCount(value, 'si')}${unit ? ` ${unit}` : ''}`;
}

/** Replaces line breaks, tabs and other control characters with visible escapes so a value stays on one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** What the main figure is called under a convention: torchstat's is its MAdd column (≈ 2× MACs), the others MACs. */
export function figureName(convention: ConventionName): string {
  return convention === 'torchstat' ? 'MAdd' : 'MACs';
}

/** The tool and version a convention reproduces, e.g. `ptflops 0.7.6 (backend=pytorch)`. */
export function toolOf(convention: ConventionName): string {
  return CONVENTIONS[convention].tool;
}
