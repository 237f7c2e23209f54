// The one number formatter every surface uses: inlay hints, hovers, CodeLens, status bar, the profile
// view, the notebook renderer and the CLI's text formats. Counts are either compact SI (three
// significant digits, `37.0K`, `1.82G`) or exact with thousands separators (`37,024`). Locale-independent
// on purpose: every machine prints the same text. Pure: no imports.

export type CountStyle = 'si' | 'exact';

const SI_STEPS: readonly (readonly [number, string])[] = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** `1234567.891` → `1,234,567.89` with exactly `decimals` digits after the point (`704.00`), for report columns. `—` for NaN or ±∞. */
export function formatFixed(n: number, decimals = 0): string {
  if (!Number.isFinite(n)) return '—';
  const [int, frac] = Math.abs(n).toFixed(decimals).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${grouped}${frac ? `.${frac}` : ''}`;
  return n < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Every digit with thousands separators: `37,024`; a fraction to at most two decimals (`12.46`, `0.5`). */
export function formatExact(n: number): string {
  if (Number.isInteger(n)) return formatFixed(n);
  return formatFixed(n, 2).replace(/\.?0+$/, '');
}

/** Three significant digits of `v`, never in exponent notation above 1e-7: `1.00`, `12.5`, `544`, `0.250`, `1000`. */
function threeDigits(v: number): string {
  const t = v.toPrecision(3);
  return t.includes('e') ? String(Number(t)) : t;
}

/**
 * A count for people to read. `si`: whole numbers under 1000 in full (`544`), fractions with three
 * significant digits (`12.5`), larger values with an SI suffix and three significant digits (`37.0K`,
 * `116M`, `1.82G`); a value that would round to `1000K` is written `1.00M`. `exact`: every digit with
 * thousands separators (`37,024`; fractions to two decimals). `?` for unknown, `—` for NaN or ±∞.
 */
export function formatCount(n: number | null | undefined, style: CountStyle = 'si'): string {
  if (n === null || n === undefined) return '?';
  if (!Number.isFinite(n)) return '—';
  if (style === 'exact') return formatExact(n);
  const a = Math.abs(n);
  if (a < 1000 && Number.isInteger(n)) return String(n);
  let i = SI_STEPS.findIndex(([step]) => a >= step);
  if (i < 0) {
    const t = threeDigits(n);
    if (Math.abs(Number(t)) < 1000) return t;
    i = SI_STEPS.length - 1; // 999.7 reads `1.00K`
  } else if (i > 0 && Math.abs(Number(threeDigits(n / SI_STEPS[i]![0]))) >= 1000) {
    i--; // 999,950 is `1000K` at three digits: it reads `1.00M`
  }
  const [step, suffix] = SI_STEPS[i]!;
  return `${threeDigits(n / step)}${suffix}`;
}

/** `1,234,567 (1.23M)` for a hover or a total: every digit, and the compact figure when it is shorter. */
export function formatCountBoth(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || Math.abs(n) < 1000) return formatCount(n, 'exact');
  return `${formatCount(n, 'exact')} (${formatCount(n, 'si')})`;
}

/** `part` of `whole` as a percentage for a column: `42.1%`, `<0.1%`, `0%`; empty when unknown or the whole is 0. */
export function formatPercent(part: number | null | undefined, whole: number | null | undefined): string {
  if (part === null || part === undefined || whole === null || whole === undefined || whole === 0) return '';
  if (!Number.isFinite(part) || !Number.isFinite(whole)) return '';
  const p = (part / whole) * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.1) return '<0.1%';
  return `${p.toFixed(1)}%`;
}
