// Number and text helpers shared by the report formatters: thousands separators, percentages, shapes,
// SI-scaled figures, and making hostile names (newlines, control characters) safe for a one-line cell.
// Locale-independent on purpose: reports must read the same on every machine.
import { CONVENTIONS } from '../cost/computeProfile';
import type { ConventionName } from '../cost/costTypes';
import type { ReportShape } from './types';

/** `1234567.891` → `1,234,567.89` (`decimals` digits after the point, integers without). */
export function withThousands(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** A count with separators, or `?` when unknown. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '?' : withThousands(value);
}

/** `part` as a percentage of `whole` with two decimals; empty when either is unknown or the whole is 0. */
export function percent(part: number | null, whole: number | null): string {
  if (part === null || whole === null || whole === 0) return '';
  return `${((part / whole) * 100).toFixed(2)}%`;
}

/** `[1, 64, 56, 56]`, unknown dims as `?`. */
export function shapeText(shape: ReportShape | null | undefined): string {
  if (!shape) return '?';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** `1.825 GMAC` style figure with three decimals after an SI prefix; `unit` may be empty. */
export function scaled(value: number, unit: string): string {
  const prefixes: readonly [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, prefix] of prefixes) if (Math.abs(value) >= size) return `${(value / size).toFixed(3)} ${prefix}${unit}`;
  return `${value}${unit ? ` ${unit}` : ''}`;
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
