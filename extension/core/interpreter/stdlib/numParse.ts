// int(text, base) and float(text) as CPython reads strings: surrounding whitespace, a sign, single
// underscores between digits, base prefixes (0x/0o/0b, required to match the base when given),
// float's inf/nan spellings. Undefined means CPython raises ValueError. Pure functions.

/** int(text, base): undefined if CPython raises; a number beyond 2**53 is returned as NaN (not exact). */
export function parsePyInt(text: string, base: number): number | undefined {
  let s = text.trim();
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  const prefix = /^0([xXoObB])/.exec(s);
  const prefixBase = prefix ? { x: 16, o: 8, b: 2 }[prefix[1]!.toLowerCase() as 'x'] : undefined;
  if (base === 0) {
    if (prefixBase) {
      base = prefixBase;
      s = s.slice(2).replace(/^_/, '');
    } else {
      base = 10;
      // Base 0 reads like a literal: no leading zeros on a non-zero decimal.
      if (/^0+[1-9]/.test(s.replace(/_/g, ''))) return undefined;
    }
  } else if (prefixBase && prefixBase === base) {
    s = s.slice(2).replace(/^_/, '');
  }
  if (base < 2 || base > 36 || !s || s.startsWith('_') || s.endsWith('_') || s.includes('__')) return undefined;
  const digits = s.replace(/_/g, '');
  let n = 0;
  for (const ch of digits.toLowerCase()) {
    const d = /[0-9]/.test(ch) ? ch.charCodeAt(0) - 48 : /[a-z]/.test(ch) ? ch.charCodeAt(0) - 87 : 99;
    if (d >= base) return undefined;
    n = n * base + d;
  }
  return Number.isSafeInteger(n) ? sign * n : NaN;
}

/** float(text): undefined if CPython raises. */
export function parsePyFloat(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  const special = /^([+-]?)(inf|infinity|nan)$/.exec(s);
  if (special) return special[2] === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[+-]?\d(?:_?\d)*)?$/.test(s)) return undefined;
  return Number(s.replace(/_/g, ''));
}

/**
 * round(x, ndigits) for a float, as CPython does it: the exact decimal value of the binary float,
 * rounded half to even (so round(2.675, 2) is 2.67: the float is 2.67499999...).
 */
export function roundFloat(x: number, nd: number): number {
  if (!Number.isFinite(x)) return x;
  if (nd < 0) {
    const p = 10 ** -nd;
    return halfEven(x / p) * p;
  }
  if (nd > 20) return x;
  const r = Number(fixedHalfEven(Math.abs(x), nd));
  return x < 0 ? -r : r;
}

/** `format(x, '.{nd}f')` for x ≥ 0 as CPython writes it: the exact decimal value, ties to even. */
export function fixedHalfEven(x: number, nd: number): string {
  // toFixed(100) is the exact decimal expansion for every float whose expansion fits in 100 digits.
  const exact = Math.abs(x).toFixed(100);
  const [ip, fp] = exact.split('.') as [string, string];
  const kept = fp.slice(0, nd),
    rest = fp.slice(nd);
  let digits = BigInt(ip + kept);
  const first = rest[0] ?? '0';
  const tail = /[1-9]/.test(rest.slice(1));
  if (first > '5' || (first === '5' && (tail || digits % 2n === 1n))) digits += 1n;
  const s = digits.toString().padStart(nd + 1, '0');
  return nd ? `${s.slice(0, s.length - nd)}.${s.slice(s.length - nd)}` : s;
}

/** Rounds to the nearest integer, ties to even. */
export function halfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
