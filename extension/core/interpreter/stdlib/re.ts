// Python's `re` module over known strings, run on JavaScript's RegExp after translating the pattern:
// named groups `(?P<name>...)` / `(?P=name)`, `\A`, `\Z`, Python's `$` (end or before a final
// newline), `{,n}`, comments `(?#...)`, leading inline flags. What the translation cannot carry over
// exactly (verbose patterns, atomic groups, possessive quantifiers, conditionals, Unicode classes such
// as `\w` on non-ASCII text, locale flags) is an unknown value naming the construct: never a
// different answer. Positions are code points, as in Python. Match and Pattern objects are modules
// of attributes (`m.group`, `pat.sub`), which is all model code reads of them.
import { cpLength } from './strMethods';
import {
  NONE,
  builtin,
  dict,
  int,
  isUnknown,
  list,
  str,
  tuple,
  unknown,
  type CallArgs,
  type CallSite,
  type ClassV,
  type PyModuleV,
  type Value,
} from '../values';
import type { Interpreter } from '../eval';

const FLAG = { I: 2, L: 4, M: 8, S: 16, U: 32, X: 64, A: 256 } as const;
const FLAG_NAMES: Record<string, number> = {
  I: FLAG.I,
  IGNORECASE: FLAG.I,
  L: FLAG.L,
  LOCALE: FLAG.L,
  M: FLAG.M,
  MULTILINE: FLAG.M,
  S: FLAG.S,
  DOTALL: FLAG.S,
  U: FLAG.U,
  UNICODE: FLAG.U,
  X: FLAG.X,
  VERBOSE: FLAG.X,
  A: FLAG.A,
  ASCII: FLAG.A,
  NOFLAG: 0,
};

interface Compiled {
  readonly source: string;
  readonly flags: number;
  readonly re: RegExp;
  readonly groupNames: Map<string, number>;
  readonly groups: number;
  readonly unicodeClasses: boolean;
}

/** Translates a Python pattern into a JS RegExp, or returns why it cannot be done exactly. */
export function translate(pattern: string, flags: number): Compiled | string {
  let p = pattern;
  // Leading inline flags: `(?i)`, `(?ms)`.
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    for (const ch of inline[1]!) flags |= FLAG[ch.toUpperCase() as keyof typeof FLAG];
    p = p.slice(inline[0].length);
  }
  if (flags & FLAG.X) return 'verbose patterns (re.X) are not translated';
  if (flags & FLAG.L) return 'locale-dependent patterns (re.L) are not translated';
  let out = '';
  let inClass = false;
  let groups = 0;
  let unicodeClasses = false;
  const groupNames = new Map<string, number>();
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '\\') {
      const next = p[i + 1];
      if (next === undefined) return 'a pattern ending in a backslash';
      i++;
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'Z') out += '(?![\\s\\S])';
      else if ('wWdDsSbB'.includes(next)) {
        unicodeClasses = true;
        out += `\\${next}`;
      } else if (/[1-9]/.test(next)) {
        out += `\\${next}`;
      } else if (
        next === 'x' ||
        next === 'u' ||
        next === 'n' ||
        next === 't' ||
        next === 'r' ||
        next === 'f' ||
        next === 'v' ||
        next === '0'
      ) {
        out += `\\${next}`;
      } else if (/[a-zA-Z]/.test(next)) {
        return `the escape \\${next} is not translated`;
      } else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      else if (ch === '[') {
        out += '\\[';
        continue;
      }
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A `]` first in a class is a literal in Python.
      if (p[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (ch === '(') {
      if (p[i + 1] !== '?') {
        groups++;
        out += ch;
        continue;
      }
      const rest = p.slice(i);
      const named = /^\(\?P<([A-Za-z_]\w*)>/.exec(rest);
      if (named) {
        groups++;
        groupNames.set(named[1]!, groups);
        out += `(?<${named[1]}>`;
        i += named[0].length - 1;
        continue;
      }
      const backref = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
      if (backref) {
        out += `\\k<${backref[1]}>`;
        i += backref[0].length - 1;
        continue;
      }
      const comment = /^\(\?#[^)]*\)/.exec(rest);
      if (comment) {
        i += comment[0].length - 1;
        continue;
      }
      if (/^\(\?(?::|=|!|<=|<!)/.test(rest)) {
        out += ch;
        continue;
      }
      return `the group syntax ${rest.slice(0, 4)} is not translated`;
    }
    if (ch === '{' && p[i + 1] === ',') {
      out += '{0';
      continue;
    }
    if ((ch === '+' || ch === '*' || ch === '?' || ch === '}') && p[i + 1] === '+') return 'possessive quantifiers are not translated';
    if (ch === '$' && !(flags & FLAG.M)) {
      // Python's `$` also matches before a newline that ends the string.
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += ch;
  }
  let jsFlags = 'gd';
  if (flags & FLAG.I) jsFlags += 'i';
  if (flags & FLAG.M) jsFlags += 'm';
  if (flags & FLAG.S) jsFlags += 's';
  try {
    return {
      source: pattern,
      flags,
      re: new RegExp(out, jsFlags),
      groupNames,
      groups,
      unicodeClasses: unicodeClasses && !(flags & FLAG.A),
    };
  } catch (e) {
    return `the pattern is not valid here: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The `re` module. */
export function reModule(interp: Interpreter): PyModuleV {
  const f = (v: Value) => interp.force(v);
  const knownStr = (v: Value | undefined): string | undefined => {
    const x = v ? f(v) : undefined;
    return x && x.kind === 'str' && !x.opaque ? x.v : undefined;
  };
  const flagsOf = (v: Value | undefined): number | undefined => {
    if (!v) return 0;
    const x = f(v);
    return x.kind === 'int' ? x.v : x.kind === 'bool' ? Number(x.v) : undefined;
  };
  const cache = new Map<string, Compiled | string>();
  const compile = (pattern: Value | undefined, flagsV: Value | undefined, site: CallSite): Compiled | Value => {
    const pv = pattern ? f(pattern) : NONE;
    if (pv.kind === 'module' && pv.name === 're.Pattern') return (pv as PatternModule).compiled;
    const p = knownStr(pv),
      fl = flagsOf(flagsV);
    if (p === undefined || fl === undefined) return unknown('a regular expression whose pattern or flags are not known', site.range);
    const key = `${fl}:${p}`;
    let c = cache.get(key);
    if (!c) cache.set(key, (c = translate(p, fl)));
    return typeof c === 'string' ? unknown(`re: ${c} (pattern ${JSON.stringify(p)})`, site.range) : c;
  };
  /** The subject string, or an unknown value when it is not known or the translation may differ on it. */
  const subject = (c: Compiled, v: Value | undefined, site: CallSite): string | Value => {
    const s = knownStr(v);
    if (s === undefined) return unknown('a regular expression applied to a string that is not known', site.range);
    // JS's \w \d \s \b are ASCII; Python's are Unicode on str patterns.
    // eslint-disable-next-line no-control-regex -- Python's line and ASCII boundaries include control characters
    if (c.unicodeClasses && /[^\x00-\x7f]/.test(s))
      return unknown('re: \\w, \\d, \\s or \\b on non-ASCII text (Unicode classes are not translated)', site.range);
    return s;
  };
  /** Every match from `pos` on, as Python's finditer yields them. */
  const all = (c: Compiled, s: string, pos = 0): RegExpExecArray[] => {
    const re = new RegExp(c.re.source, c.re.flags);
    re.lastIndex = pos;
    const out: RegExpExecArray[] = [];
    for (let m = re.exec(s); m; m = re.exec(s)) {
      out.push(m);
      if (m[0] === '') re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
      if (re.lastIndex > s.length) break;
    }
    return out;
  };
  const first = (c: Compiled, s: string, mode: 'match' | 'search' | 'fullmatch'): RegExpExecArray | undefined => {
    if (mode === 'search') return all(c, s)[0];
    const sticky = new RegExp(mode === 'fullmatch' ? `(?:${c.re.source})(?![\\s\\S])` : c.re.source, c.re.flags.replace('g', 'y'));
    sticky.lastIndex = 0;
    return sticky.exec(s) ?? undefined;
  };
  const group = (m: RegExpExecArray, i: number): Value => (m[i] === undefined ? NONE : str(m[i]!));
  const matchObj = (c: Compiled, s: string, m: RegExpExecArray, pattern: PyModuleV): PyModuleV => {
    const idx = (v: Value, site: CallSite): number | Value => {
      const x = f(v);
      if (x.kind === 'int' && x.v >= 0 && x.v <= c.groups) return x.v;
      if (x.kind === 'str' && c.groupNames.has(x.v)) return c.groupNames.get(x.v)!;
      return interp.raise('IndexError', 'no such group', site.range);
    };
    const cp = (i: number) => cpLength(s.slice(0, i));
    const span = (g: number): [number, number] => {
      const ix = m.indices?.[g];
      return ix ? [cp(ix[0]), cp(ix[1])] : [-1, -1];
    };
    const byIndex =
      (fn: (g: number) => Value) =>
      (call: CallArgs, site: CallSite): Value => {
        const g = call.args[0] ? idx(call.args[0], site) : 0;
        return typeof g === 'number' ? fn(g) : g;
      };
    const groupsTuple = (call: CallArgs) => {
      const dflt = call.args[0] ?? call.kwargs.get('default') ?? NONE;
      return tuple(Array.from({ length: c.groups }, (_x, i) => (m[i + 1] === undefined ? dflt : str(m[i + 1]!))));
    };
    const entries: Record<string, Value> = {
      group: builtin('re.Match.group', (call, site) => {
        if (call.args.length <= 1) return byIndex((g) => group(m, g))(call, site);
        const out: Value[] = [];
        for (const a of call.args) {
          const g = idx(a, site);
          if (typeof g !== 'number') return g;
          out.push(group(m, g));
        }
        return tuple(out);
      }),
      groups: builtin('re.Match.groups', groupsTuple),
      groupdict: builtin('re.Match.groupdict', (call) =>
        dict([...c.groupNames].map(([n, i]) => [str(n), m[i] === undefined ? (call.args[0] ?? NONE) : str(m[i]!)] as [Value, Value])),
      ),
      start: builtin(
        're.Match.start',
        byIndex((g) => int(span(g)[0])),
      ),
      end: builtin(
        're.Match.end',
        byIndex((g) => int(span(g)[1])),
      ),
      span: builtin(
        're.Match.span',
        byIndex((g) => tuple(span(g).map(int))),
      ),
      string: str(s),
      re: pattern,
      pos: int(0),
      lastindex: (() => {
        let last = -1;
        for (let i = 1; i <= c.groups; i++) if (m.indices?.[i] && (last < 0 || m.indices[i]![1] >= m.indices[last]![1])) last = i;
        return last < 0 ? NONE : int(last);
      })(),
    };
    return { kind: 'module', name: 're.Match', get: (n) => entries[n], names: () => Object.keys(entries) };
  };
  /** Expands a replacement template (`\1`, `\g<name>`, `\n`) for one match. */
  const expand = (c: Compiled, template: string, m: RegExpExecArray, site: CallSite): string | Value => {
    let out = '';
    for (let i = 0; i < template.length; i++) {
      const ch = template[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = template[++i];
      if (next === undefined) return interp.raise('re.error', 'bad escape (end of pattern)', site.range);
      const num = /^\d{1,2}/.exec(template.slice(i));
      const named = /^g<([^>]*)>/.exec(template.slice(i));
      if (num) {
        const g = Number(num[0]);
        if (g > c.groups) return interp.raise('re.error', `invalid group reference ${g}`, site.range);
        out += m[g] ?? '';
        i += num[0].length - 1;
      } else if (named) {
        const g = /^\d+$/.test(named[1]!) ? Number(named[1]) : c.groupNames.get(named[1]!);
        if (g === undefined || g > c.groups) return interp.raise('IndexError', `unknown group name '${named[1]}'`, site.range);
        out += m[g] ?? '';
        i += named[0].length - 1;
      } else if ('ntrfva\\'.includes(next)) {
        out += { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', '\\': '\\' }[next as 'n'];
      } else if (/[a-zA-Z]/.test(next)) {
        return interp.raise('re.error', `bad escape \\${next}`, site.range);
      } else out += `\\${next}`;
    }
    return out;
  };
  const sub = (c: Compiled, pattern: PyModuleV, repl: Value, s: string, count: number, site: CallSite): [string, number] | Value => {
    const r = f(repl);
    let out = '',
      last = 0,
      n = 0;
    for (const m of all(c, s)) {
      if (count > 0 && n >= count) break;
      let piece: string;
      if (r.kind === 'str') {
        if (r.opaque) return unknown('re.sub() with a replacement that is not known', site.range);
        const e = expand(c, r.v, m, site);
        if (typeof e !== 'string') return e;
        piece = e;
      } else {
        const v = f(interp.callValue(r, { args: [matchObj(c, s, m, pattern)], kwargs: new Map() }, site));
        if (v.kind !== 'str' || v.opaque)
          return isUnknown(v) ? v : unknown('re.sub() replacement function returned a value that is not a known string', site.range);
        piece = v.v;
      }
      out += s.slice(last, m.index) + piece;
      last = m.index + m[0].length;
      n++;
    }
    return [out + s.slice(last), n];
  };
  const split = (c: Compiled, s: string, maxsplit: number): Value => {
    const out: Value[] = [];
    let last = 0,
      n = 0;
    for (const m of all(c, s)) {
      if (maxsplit > 0 && n >= maxsplit) break;
      out.push(str(s.slice(last, m.index)));
      for (let i = 1; i <= c.groups; i++) out.push(group(m, i));
      last = m.index + m[0].length;
      n++;
    }
    out.push(str(s.slice(last)));
    return list(out);
  };
  const findall = (c: Compiled, s: string): Value =>
    list(
      all(c, s).map((m) =>
        c.groups === 0
          ? str(m[0])
          : c.groups === 1
            ? str(m[1] ?? '')
            : tuple(Array.from({ length: c.groups }, (_x, i) => str(m[i + 1] ?? ''))),
      ),
    );

  type Op = (c: Compiled, pattern: PyModuleV, call: CallArgs, site: CallSite, argBase: number) => Value;
  const ops: Record<string, Op> = {};
  for (const mode of ['match', 'search', 'fullmatch'] as const) {
    ops[mode] = (c, pattern, call, site, b) => {
      const s = subject(c, call.args[b] ?? call.kwargs.get('string'), site);
      if (typeof s !== 'string') return s;
      const m = first(c, s, mode);
      return m ? matchObj(c, s, m, pattern) : NONE;
    };
  }
  ops.findall = (c, _p, call, site, b) => {
    const s = subject(c, call.args[b] ?? call.kwargs.get('string'), site);
    return typeof s === 'string' ? findall(c, s) : s;
  };
  ops.finditer = (c, pattern, call, site, b) => {
    const s = subject(c, call.args[b] ?? call.kwargs.get('string'), site);
    return typeof s === 'string' ? list(all(c, s).map((m) => matchObj(c, s, m, pattern))) : s;
  };
  ops.split = (c, _p, call, site, b) => {
    const s = subject(c, call.args[b] ?? call.kwargs.get('string'), site);
    const max = flagsOf(call.args[b + 1] ?? call.kwargs.get('maxsplit'));
    if (max === undefined) return unknown('re.split() with a maxsplit that is not known', site.range);
    return typeof s === 'string' ? split(c, s, max) : s;
  };
  for (const name of ['sub', 'subn'] as const) {
    ops[name] = (c, pattern, call, site, b) => {
      const s = subject(c, call.args[b + 1] ?? call.kwargs.get('string'), site);
      const count = flagsOf(call.args[b + 2] ?? call.kwargs.get('count'));
      if (count === undefined) return unknown(`re.${name}() with a count that is not known`, site.range);
      if (typeof s !== 'string') return s;
      const r = sub(c, pattern, call.args[b] ?? call.kwargs.get('repl') ?? NONE, s, count, site);
      if (!Array.isArray(r)) return r;
      return name === 'sub' ? str(r[0]) : tuple([str(r[0]), int(r[1])]);
    };
  }

  interface PatternModule extends PyModuleV {
    readonly compiled: Compiled;
  }
  const patternObj = (c: Compiled): PatternModule => {
    const self: PatternModule = {
      kind: 'module',
      name: 're.Pattern',
      compiled: c,
      get: (n) => {
        if (n === 'pattern') return str(c.source);
        if (n === 'flags') return int(c.flags);
        if (n === 'groups') return int(c.groups);
        if (n === 'groupindex') return dict([...c.groupNames].map(([k, v]) => [str(k), int(v)] as [Value, Value]));
        const op = ops[n];
        return op ? builtin(`re.Pattern.${n}`, (call, site) => op(c, self, call, site, 0)) : undefined;
      },
    };
    return self;
  };
  const reError: ClassV = { kind: 'class', name: 'error', qualname: 're.error', bases: [], mro: [], attrs: new Map() };
  reError.mro = [reError];
  const entries: Record<string, Value> = {
    compile: builtin('re.compile', (call, site) => {
      const c = compile(call.args[0] ?? call.kwargs.get('pattern'), call.args[1] ?? call.kwargs.get('flags'), site);
      return 're' in c ? patternObj(c) : c;
    }),
    escape: builtin('re.escape', (call, site) => {
      const s = knownStr(call.args[0]);
      // Python 3.7+ escapes every character that is special in a pattern, nothing else.
      return s === undefined
        ? unknown('re.escape() of a string that is not known', site.range)
        : str(s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (ch) => `\\${ch}`));
    }),
    error: reError,
    purge: builtin('re.purge', () => NONE),
  };
  for (const [name, value] of Object.entries(FLAG_NAMES)) entries[name] = int(value);
  // Module-level functions take the pattern first; `flags` is the argument after the string(s).
  const flagsAt: Record<string, number> = { match: 2, search: 2, fullmatch: 2, findall: 2, finditer: 2, split: 3, sub: 4, subn: 4 };
  for (const name of Object.keys(flagsAt)) {
    entries[name] = builtin(`re.${name}`, (call, site) => {
      const c = compile(call.args[0] ?? call.kwargs.get('pattern'), call.args[flagsAt[name]!] ?? call.kwargs.get('flags'), site);
      if (!('re' in c)) return c;
      return ops[name]!(c, patternObj(c), call, site, 1);
    });
  }
  return { kind: 'module', name: 're', get: (n) => entries[n], names: () => Object.keys(entries) };
}
