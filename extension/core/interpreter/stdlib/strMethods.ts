// The methods of Python's str over known strings: split/rsplit with maxsplit, the strip family with
// characters, startswith/endswith with tuples and bounds, join, replace with a count, find/index/count,
// the padding methods, case methods and predicates, partition, splitlines. Positions are code points,
// as in Python (never UTF-16 units). An opaque string (an f-string whose text is not known) or an
// argument that is not a known string gives an unknown value with the reason, never a guess.
import { strFormat } from '../pyFormat';
import {
  NONE,
  bool,
  builtin,
  int,
  isUnknown,
  list,
  str,
  tuple,
  unknown,
  type CallArgs,
  type CallSite,
  type StrV,
  type Value,
} from '../values';
import type { Interpreter } from '../eval';

type Fn = (call: CallArgs, site: CallSite) => Value;

/** Python's whitespace for split()/strip() without arguments. */
const WS =
  ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

/** Code-point length of a JS string. */
export function cpLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function stripChars(s: string, chars: string, left: boolean, right: boolean): string {
  const cs = [...s];
  const set = new Set(chars);
  let a = 0,
    b = cs.length;
  if (left) while (a < b && set.has(cs[a]!)) a++;
  if (right) while (b > a && set.has(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
}

/** str.split / str.rsplit (sep undefined: runs of whitespace, empty ends dropped). */
function split(s: string, sep: string | undefined, maxsplit: number, fromRight: boolean): string[] {
  if (sep === undefined) {
    const words = [...s].reduce<{ out: string[]; cur: string | undefined }>(
      (acc, ch) => {
        if (WS.includes(ch)) {
          if (acc.cur !== undefined) acc.out.push(acc.cur);
          acc.cur = undefined;
        } else acc.cur = (acc.cur ?? '') + ch;
        return acc;
      },
      { out: [], cur: undefined },
    );
    if (words.cur !== undefined) words.out.push(words.cur);
    const all = words.out;
    // With a limit, the last piece keeps its inner and trailing (or, from the right, leading) whitespace.
    if (maxsplit < 0 || all.length <= maxsplit) return all;
    // With a limit, the rest keeps its inner whitespace (only the outer side is stripped).
    if (!fromRight) {
      let rest = stripChars(s, WS, true, false);
      const out: string[] = [];
      for (let i = 0; i < maxsplit; i++) {
        const w = all[i]!;
        out.push(w);
        rest = stripChars(rest.slice(w.length), WS, true, false);
      }
      return [...out, rest];
    }
    let rest = stripChars(s, WS, false, true);
    const out: string[] = [];
    for (let i = 0; i < maxsplit; i++) {
      const w = all[all.length - 1 - i]!;
      out.unshift(w);
      rest = stripChars(rest.slice(0, rest.length - w.length), WS, false, true);
    }
    return [rest, ...out];
  }
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  if (!fromRight) return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
  return [parts.slice(0, parts.length - maxsplit).join(sep), ...parts.slice(parts.length - maxsplit)];
}

/** The methods of a known or opaque string; undefined for a name str does not have here. */
export function strMethod(interp: Interpreter, s: StrV, name: string): Value | undefined {
  const f = (v: Value) => interp.force(v);
  const m = (fn: Fn): Value =>
    builtin(`str.${name}`, (c, site) => {
      if (s.opaque) return unknown(`str.${name}() of a string whose text is not known`, site.range);
      return fn(c, site);
    });
  /** Argument i (or keyword kw) as a known string; null when absent or None; undefined when not known. */
  const strArg = (c: CallArgs, i: number, kw?: string): string | null | undefined => {
    const raw = c.args[i] ?? (kw ? c.kwargs.get(kw) : undefined);
    if (!raw) return null;
    const v = f(raw);
    if (v.kind === 'none') return null;
    return v.kind === 'str' && !v.opaque ? v.v : undefined;
  };
  const intArg = (c: CallArgs, i: number, kw: string | undefined, dflt: number): number | undefined => {
    const raw = c.args[i] ?? (kw ? c.kwargs.get(kw) : undefined);
    if (!raw) return dflt;
    const v = f(raw);
    if (v.kind === 'none') return dflt;
    return v.kind === 'int' || v.kind === 'bool' ? Number(v.v) : undefined;
  };
  const notKnown = (site: CallSite) => unknown(`str.${name}() with an argument that is not a known string`, site.range);
  const cps = () => [...s.v];
  /** Python's slice bounds [start, end) in code points. */
  const bounds = (c: CallArgs, i: number): [number, number] | undefined => {
    const n = cps().length;
    const a = intArg(c, i, undefined, 0),
      b = intArg(c, i + 1, undefined, n);
    if (a === undefined || b === undefined) return undefined;
    const norm = (x: number) => Math.min(n, Math.max(0, x < 0 ? x + n : x));
    return [norm(a), norm(b)];
  };
  const sub = (a: number, b: number) => cps().slice(a, b).join('');
  /** Code-point offset of a UTF-16 index in `text`. */
  const cpIndex = (text: string, i: number) => cpLength(text.slice(0, i));

  switch (name) {
    case 'format':
      return m((c) => {
        const out = strFormat(s.v, c.args.map(f), new Map([...c.kwargs].map(([k, v]) => [k, f(v)])));
        return out === undefined ? { kind: 'str', v: '', opaque: true } : str(out);
      });
    case 'join':
      return m((c, site) => {
        const items = interp.iterate(c.args[0] ?? NONE, site);
        if (isUnknown(items)) return unknown(`str.join() of values that cannot be known: ${items.reason}`, site.range);
        const parts = items.map(f);
        const wrong = parts.find((p) => p.kind !== 'str' && !isUnknown(p));
        if (wrong)
          return interp.raise('TypeError', `sequence item ${parts.indexOf(wrong)}: expected str instance, ${wrong.kind} found`, site.range);
        if (!parts.every((p) => p.kind === 'str' && !p.opaque))
          return unknown('str.join() of items that are not known strings', site.range);
        return str(parts.map((p) => (p as StrV).v).join(s.v));
      });
    case 'lower':
      return m(() => str(s.v.toLowerCase()));
    case 'upper':
      return m(() => str(s.v.toUpperCase()));
    case 'swapcase':
      return m(() => str([...s.v].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('')));
    case 'capitalize':
      return m(() => str(s.v ? [...s.v][0]!.toUpperCase() + [...s.v].slice(1).join('').toLowerCase() : ''));
    case 'title':
      return m(() => str(s.v.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_x, a: string, b: string) => a + b.toUpperCase())));
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      return m((c, site) => {
        const chars = strArg(c, 0);
        if (chars === undefined) return notKnown(site);
        return str(stripChars(s.v, chars ?? WS, name !== 'rstrip', name !== 'lstrip'));
      });
    case 'removeprefix':
    case 'removesuffix':
      return m((c, site) => {
        const a = strArg(c, 0);
        if (typeof a !== 'string') return notKnown(site);
        if (name === 'removeprefix') return str(a && s.v.startsWith(a) ? s.v.slice(a.length) : s.v);
        return str(a && s.v.endsWith(a) ? s.v.slice(0, s.v.length - a.length) : s.v);
      });
    case 'startswith':
    case 'endswith':
      return m((c, site) => {
        const raw = f(c.args[0] ?? NONE);
        const options = raw.kind === 'tuple' ? raw.items.map(f) : [raw];
        if (!options.every((o) => o.kind === 'str' && !o.opaque)) return notKnown(site);
        const b = bounds(c, 1);
        if (!b) return notKnown(site);
        const text = sub(b[0], b[1]);
        return bool(options.some((o) => (name === 'startswith' ? text.startsWith((o as StrV).v) : text.endsWith((o as StrV).v))));
      });
    case 'replace':
      return m((c, site) => {
        const a = strArg(c, 0),
          b = strArg(c, 1),
          count = intArg(c, 2, 'count', -1);
        if (typeof a !== 'string' || typeof b !== 'string' || count === undefined) return notKnown(site);
        if (a === '') {
          // Python inserts the replacement between code points (and at both ends), up to count times.
          const chars = [...s.v];
          const out: string[] = [];
          let left = count < 0 ? Infinity : count;
          for (let i = 0; i <= chars.length; i++) {
            if (left-- > 0) out.push(b);
            if (i < chars.length) out.push(chars[i]!);
          }
          return str(out.join(''));
        }
        const parts = s.v.split(a);
        if (count < 0 || parts.length - 1 <= count) return str(parts.join(b));
        return str(parts.slice(0, count + 1).join(b) + a + parts.slice(count + 1).join(a));
      });
    case 'split':
    case 'rsplit':
      return m((c, site) => {
        const sep = strArg(c, 0, 'sep'),
          maxsplit = intArg(c, 1, 'maxsplit', -1);
        if (sep === undefined || maxsplit === undefined) return notKnown(site);
        if (sep === '') return interp.raise('ValueError', 'empty separator', site.range);
        return list(split(s.v, sep ?? undefined, maxsplit, name === 'rsplit').map(str));
      });
    case 'splitlines':
      return m((c) => {
        const keep = c.args[0] ? f(c.args[0]) : undefined;
        // eslint-disable-next-line no-control-regex -- Python's line and ASCII boundaries include control characters
        const lines = s.v.match(/[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|$)/g) ?? [];
        const out = lines.filter((l, i) => l !== '' || i < lines.length - 1).filter((l) => l !== '');
        return list(
          out.map((l) =>
            // eslint-disable-next-line no-control-regex -- Python's line boundaries include control characters
            str(keep && keep.kind === 'bool' && keep.v ? l : l.replace(/(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])$/, '')),
          ),
        );
      });
    case 'partition':
    case 'rpartition':
      return m((c, site) => {
        const sep = strArg(c, 0);
        if (typeof sep !== 'string') return notKnown(site);
        if (sep === '') return interp.raise('ValueError', 'empty separator', site.range);
        const i = name === 'partition' ? s.v.indexOf(sep) : s.v.lastIndexOf(sep);
        if (i < 0) return tuple(name === 'partition' ? [str(s.v), str(''), str('')] : [str(''), str(''), str(s.v)]);
        return tuple([str(s.v.slice(0, i)), str(sep), str(s.v.slice(i + sep.length))]);
      });
    case 'find':
    case 'rfind':
    case 'index':
    case 'rindex':
    case 'count':
      return m((c, site) => {
        const needle = strArg(c, 0);
        const b = bounds(c, 1);
        if (typeof needle !== 'string' || !b) return notKnown(site);
        const text = sub(b[0], b[1]);
        if (name === 'count') {
          if (needle === '') return int(cpLength(text) + 1);
          return int(text.split(needle).length - 1);
        }
        const i = name === 'find' || name === 'index' ? text.indexOf(needle) : text.lastIndexOf(needle);
        if (i < 0) return name === 'find' || name === 'rfind' ? int(-1) : interp.raise('ValueError', 'substring not found', site.range);
        return int(b[0] + cpIndex(text, i));
      });
    case 'zfill':
      return m((c, site) => {
        const w = intArg(c, 0, undefined, 0);
        if (w === undefined) return notKnown(site);
        const n = cpLength(s.v);
        if (n >= w) return str(s.v);
        const sign = s.v[0] === '+' || s.v[0] === '-' ? s.v[0] : '';
        return str(sign + '0'.repeat(w - n) + s.v.slice(sign.length));
      });
    case 'center':
    case 'ljust':
    case 'rjust':
      return m((c, site) => {
        const w = intArg(c, 0, undefined, 0),
          fill = strArg(c, 1) ?? ' ';
        if (w === undefined || typeof fill !== 'string' || cpLength(fill) !== 1) return notKnown(site);
        const n = cpLength(s.v);
        if (n >= w) return str(s.v);
        const pad = w - n;
        if (name === 'ljust') return str(s.v + fill.repeat(pad));
        if (name === 'rjust') return str(fill.repeat(pad) + s.v);
        // CPython's center puts the extra fill character on the left when the width and padding are both odd.
        const left = Math.floor(pad / 2) + (pad & w & 1);
        return str(fill.repeat(left) + s.v + fill.repeat(pad - left));
      });
    case 'isdigit':
    case 'isdecimal':
    case 'isnumeric':
      return m(() => bool(/^\p{Nd}+$/u.test(s.v)));
    case 'isalpha':
      return m(() => bool(/^\p{L}+$/u.test(s.v)));
    case 'isalnum':
      return m(() => bool(/^[\p{L}\p{Nd}]+$/u.test(s.v)));
    case 'isspace':
      return m(() => bool(s.v.length > 0 && [...s.v].every((ch) => WS.includes(ch))));
    case 'islower':
      return m(() => bool(/\p{Ll}/u.test(s.v) && !/\p{Lu}|\p{Lt}/u.test(s.v)));
    case 'isupper':
      return m(() => bool(/\p{Lu}/u.test(s.v) && !/\p{Ll}|\p{Lt}/u.test(s.v)));
    case 'istitle':
      return m(() => {
        // Upper/titlecase letters only after uncased characters, lowercase only after cased ones.
        let cased = false,
          prevCased = false;
        for (const ch of s.v) {
          if (/\p{Lu}|\p{Lt}/u.test(ch)) {
            if (prevCased) return bool(false);
            prevCased = cased = true;
          } else if (/\p{Ll}/u.test(ch)) {
            if (!prevCased) return bool(false);
            prevCased = cased = true;
          } else prevCased = false;
        }
        return bool(cased);
      });
    case 'isidentifier':
      return m(() => bool(/^[\p{L}_][\p{L}\p{N}_]*$/u.test(s.v)));
    case 'encode':
      return m((c, site) => {
        const enc = (strArg(c, 0, 'encoding') ?? 'utf-8')?.toLowerCase().replace(/[-_]/g, '');
        if (enc !== 'utf8') return unknown(`str.encode('${enc}') is not interpreted`, site.range);
        return unknown('bytes are not interpreted', site.range);
      });
  }
  return undefined;
}
