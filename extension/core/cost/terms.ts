// A tiny expression builder that computes a MAC count and, at the same time, writes its formula twice:
// once with symbols (`N·Cout·Hout·Wout`) and once with the numbers filled in (`1·64·56·56`).
// It knows products, sums, differences, ratios, integer division and scaling; nothing else.
// It does not decide what to count: the rules in conventions/ do.

/** Operator precedence of a term's top node, used to decide where parentheses go. */
type Prec = 'sum' | 'prod' | 'atom';

/** A number together with its symbolic and its filled-in spelling. */
export interface Term {
  readonly sym: string;
  readonly num: string;
  readonly value: number;
  readonly prec: Prec;
}

/** Formats a number for a formula: integers as they are, fractions with up to 6 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/** A named quantity, e.g. `sym('Cout', 64)`. */
export function sym(name: string, value: number): Term {
  return { sym: name, num: formatNumber(value), value, prec: 'atom' };
}

/** A literal constant that reads the same in both spellings, e.g. the 2 of `2·numel(x)`. */
export function lit(value: number): Term {
  return sym(formatNumber(value), value);
}

function wrap(t: Term, side: 'sym' | 'num', inside: Prec): string {
  const needs = inside === 'prod' ? t.prec === 'sum' : inside === 'atom' ? t.prec !== 'atom' : false;
  return needs ? `(${t[side]})` : t[side];
}

/** The product of the factors; `mul()` is 1. */
export function mul(...factors: readonly Term[]): Term {
  if (factors.length === 0) return lit(1);
  if (factors.length === 1) return factors[0]!;
  return {
    sym: factors.map((f) => wrap(f, 'sym', 'prod')).join('·'),
    num: factors.map((f) => wrap(f, 'num', 'prod')).join('·'),
    value: factors.reduce((acc, f) => acc * f.value, 1),
    prec: 'prod',
  };
}

/** The sum of the terms; `add()` is 0. */
export function add(...terms: readonly Term[]): Term {
  if (terms.length === 0) return lit(0);
  if (terms.length === 1) return terms[0]!;
  return {
    sym: terms.map((t) => t.sym).join(' + '),
    num: terms.map((t) => t.num).join(' + '),
    value: terms.reduce((acc, t) => acc + t.value, 0),
    prec: 'sum',
  };
}

/** `a − b`. */
export function sub(a: Term, b: Term): Term {
  return {
    sym: `${a.sym} − ${wrap(b, 'sym', 'prod')}`,
    num: `${a.num} − ${wrap(b, 'num', 'prod')}`,
    value: a.value - b.value,
    prec: 'sum',
  };
}

/** `(a/b)` with an exact quotient (channel ratios such as `Cin/g` divide evenly in valid layers). */
export function ratio(a: Term, b: Term): Term {
  return {
    sym: `(${wrap(a, 'sym', 'atom')}/${wrap(b, 'sym', 'atom')})`,
    num: `(${wrap(a, 'num', 'atom')}/${wrap(b, 'num', 'atom')})`,
    value: a.value / b.value,
    prec: 'atom',
  };
}

/** `⌊a/b⌋`, for tools that use Python's `//`. */
export function floorDiv(a: Term, b: Term): Term {
  return {
    sym: `⌊${wrap(a, 'sym', 'atom')}/${wrap(b, 'sym', 'atom')}⌋`,
    num: `⌊${wrap(a, 'num', 'atom')}/${wrap(b, 'num', 'atom')}⌋`,
    value: Math.floor(a.value / b.value),
    prec: 'atom',
  };
}

/** `⌊t⌋`, for tools that truncate a float with Python's `int()`. */
export function floor(t: Term): Term {
  return { sym: `⌊${t.sym}⌋`, num: `⌊${t.num}⌋`, value: Math.floor(t.value), prec: 'atom' };
}

/** `a^b` (used by ptflops' interpolate rule, `scale_factor^N`). */
export function pow(a: Term, b: Term): Term {
  return {
    sym: `${wrap(a, 'sym', 'atom')}^${wrap(b, 'sym', 'atom')}`,
    num: `${wrap(a, 'num', 'atom')}^${wrap(b, 'num', 'atom')}`,
    value: a.value ** b.value,
    prec: 'atom',
  };
}

/** Gives a compound term a short symbolic name while keeping its filled-in spelling, e.g. `numel(out)`. */
export function named(name: string, t: Term): Term {
  return { sym: name, num: t.prec === 'atom' ? t.num : `(${t.num})`, value: t.value, prec: 'atom' };
}

/** `sym = num` (or just the number when both spellings are the same). */
export function render(t: Term): string {
  return t.sym === t.num ? t.num : `${t.sym} = ${t.num}`;
}
