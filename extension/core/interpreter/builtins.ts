// Python's builtin functions (len, range, sorted, max, round, isinstance, getattr, super, ...) in the builtins
// scope, with the builtin types and exceptions of builtinTypes.ts. The methods of builtin values are in
// builtinMethods.ts, the standard-library modules in stdlib/modules.ts. What is not modelled (eval, exec,
// open, id) is an unknown value with a reason, never a guess.
import {
  NONE,
  bool,
  builtin,
  float,
  int,
  list,
  str,
  tuple,
  unknown,
  isNumber,
  isUnknown,
  numberOf,
  typeName,
  type CallArgs,
  type CallSite,
  type ClassV,
  type Scope,
  type UnknownV,
  type Value,
} from './values';
import { type Interpreter, PyRaise, rangeLength } from './eval';
import { formatWithSpec, pyRepr } from './pyFormat';
import { cpLength } from './stdlib/strMethods';
import { defineBuiltinTypes, isInstance, type Fn } from './builtinTypes';
import { halfEven, roundFloat } from './stdlib/numParse';
import { isShowableToken, quotedToken, shownString } from '../messageText';

/** The builtins scope every module's globals fall back to. */
export function createBuiltins(interp: Interpreter): Scope {
  const vars = new Map<string, Value>();
  const f = (v: Value) => interp.force(v);
  const arg = (c: CallArgs, i: number, name?: string): Value | undefined => c.args[i] ?? (name ? c.kwargs.get(name) : undefined);
  const seq = (v: Value, site: CallSite) => interp.iterate(v, site);
  const def = (name: string, fn: Fn) => vars.set(name, builtin(name, fn));

  defineBuiltinTypes(interp, vars);

  def('len', (c, site) => {
    const v = f(c.args[0] ?? NONE);
    const dom = interp.domain.len?.(v);
    if (dom !== undefined) return dom;
    switch (v.kind) {
      case 'list':
      case 'tuple':
      case 'set':
        return int(v.items.length);
      case 'dict':
        return int(v.map.size);
      case 'str':
        return v.opaque ? unknown('len() of an f-string', site.range) : int(cpLength(v.v));
      case 'range':
        return int(rangeLength(v));
      case 'unknown':
        return v;
      case 'instance': {
        const m = interp.findClassAttr(v.cls, '__len__');
        if (m) return interp.callValue(interp.bindMember(m, v, v.cls), { args: [], kwargs: new Map() }, site);
        return interp.raise('TypeError', `object of type '${v.cls.name}' has no len()`, site.range);
      }
      default:
        return interp.raise('TypeError', `object of type '${typeName(v)}' has no len()`, site.range);
    }
  });
  def('range', (c, site) => {
    const ns = c.args.map((a) => f(a));
    for (const n of ns) if (isUnknown(n)) return unknown(`range() bound cannot be known: ${n.reason}`, n.range ?? site.range);
    if (!ns.every((n) => n.kind === 'int' || n.kind === 'bool'))
      return interp.raise('TypeError', 'range() arguments must be integers', site.range);
    const v = ns.map((n) => numberOf(n as never));
    const [start, stop, step] = v.length === 1 ? [0, v[0]!, 1] : [v[0]!, v[1]!, v[2] ?? 1];
    if (step === 0) return interp.raise('ValueError', 'range() arg 3 must not be zero', site.range);
    return { kind: 'range', start, stop, step };
  });
  def('enumerate', (c, site) => {
    const items = seq(c.args[0] ?? NONE, site);
    if (isUnknown(items)) return items;
    const startV = arg(c, 1, 'start');
    const start = startV && isNumber(f(startV)) ? numberOf(f(startV) as never) : 0;
    return list(items.map((it, i) => tuple([int(start + i), it])));
  });
  def('zip', (c, site) => {
    const seqs = c.args.map((a) => seq(a, site));
    for (const s of seqs) if (isUnknown(s)) return s;
    const arrs = seqs as Value[][];
    const n = arrs.length ? Math.min(...arrs.map((a) => a.length)) : 0;
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(tuple(arrs.map((a) => a[i]!)));
    return list(out);
  });
  def('reversed', (c, site) => {
    const items = seq(c.args[0] ?? NONE, site);
    return isUnknown(items) ? items : list([...items].reverse());
  });
  /** Python's `a < b` on known values, or undefined when it cannot be decided. */
  const less = (a: Value, b: Value, site: CallSite): boolean | undefined => {
    const r = f(interp.compare('<', a, b, site));
    return r.kind === 'bool' ? r.v : undefined;
  };
  /** The items with their sort keys (the key function applied), or why they cannot be known. */
  const keyed = (items: Value[], key: Value | undefined, site: CallSite): [Value, Value][] | UnknownV => {
    const out: [Value, Value][] = [];
    for (const it of items.map(f)) {
      const k = key && f(key).kind !== 'none' ? f(interp.callValue(key, { args: [it], kwargs: new Map() }, site)) : it;
      if (isUnknown(k)) return k;
      out.push([it, k]);
    }
    return out;
  };
  // A set's iteration order is unknown; sorted/min/max may still read it when the result cannot
  // depend on that order (no key function, so equal keys are equal items).
  const unorderedOk = (c: CallArgs) => !c.kwargs.get('key') || f(c.kwargs.get('key')!).kind === 'none';
  def('sorted', (c, site) => {
    const items = interp.iterate(c.args[0] ?? NONE, site, unorderedOk(c));
    if (isUnknown(items)) return items;
    const pairs = keyed(items, c.kwargs.get('key'), site);
    if (isUnknown(pairs)) return pairs;
    const rev = c.kwargs.get('reverse');
    const reverse = rev ? interp.truthy(rev) : false;
    if (reverse === undefined) return unknown('sorted() with a reverse flag that is not known', site.range);
    let undecided = false;
    // Stable, like Python's: reverse=True keeps equal items in their original order.
    const out = [...pairs].sort((x, y) => {
      const lt = less(reverse ? y[1] : x[1], reverse ? x[1] : y[1], site),
        gt = less(reverse ? x[1] : y[1], reverse ? y[1] : x[1], site);
      if (lt === undefined || gt === undefined) undecided = true;
      return lt ? -1 : gt ? 1 : 0;
    });
    if (undecided) return unknown('sorted() of values that cannot be ordered statically', site.range);
    return list(out.map(([it]) => it));
  });
  const minmax =
    (name: 'min' | 'max'): Fn =>
    (c, site) => {
      const items = c.args.length === 1 ? interp.iterate(c.args[0]!, site, unorderedOk(c)) : c.args;
      if (isUnknown(items)) return items;
      if (items.length === 0) {
        const d = c.kwargs.get('default');
        return d ?? interp.raise('ValueError', `${name}() arg is an empty sequence`, site.range);
      }
      const pairs = keyed(items, c.kwargs.get('key'), site);
      if (isUnknown(pairs)) return pairs;
      let best = pairs[0]!;
      for (const p of pairs.slice(1)) {
        // The first of equal items wins, as in Python.
        const better = name === 'max' ? less(best[1], p[1], site) : less(p[1], best[1], site);
        if (better === undefined) return unknown(`${name}() of values that cannot be ordered statically`, site.range);
        if (better) best = p;
      }
      return best[0];
    };
  def('min', minmax('min'));
  def('max', minmax('max'));
  def('sum', (c, site) => {
    const items = seq(c.args[0] ?? NONE, site);
    if (isUnknown(items)) return items;
    let acc: Value = c.args[1] ?? c.kwargs.get('start') ?? int(0);
    for (const it of items) acc = interp.binop('+', acc, it, site);
    return acc;
  });
  def('abs', (c, site) => {
    const v = f(c.args[0] ?? NONE);
    if (isUnknown(v)) return v;
    if (isNumber(v)) return v.kind === 'float' ? float(Math.abs(v.v)) : int(Math.abs(numberOf(v)));
    return unknown('abs() of a non-number', site.range);
  });
  def('round', (c, site) => {
    const v = f(c.args[0] ?? NONE);
    if (isUnknown(v)) return v;
    if (!isNumber(v)) return unknown('round() of a non-number', site.range);
    const nd = (c.args[1] ?? c.kwargs.get('ndigits')) ? f((c.args[1] ?? c.kwargs.get('ndigits'))!) : NONE;
    const x = numberOf(v);
    if (nd.kind === 'int') {
      // An int stays an int (round(15, -1) == 20); a float is rounded from its exact decimal value.
      if (v.kind !== 'float') return nd.v >= 0 ? int(x) : int(halfEven(x / 10 ** -nd.v) * 10 ** -nd.v);
      return float(roundFloat(x, nd.v));
    }
    if (nd.kind !== 'none') return unknown('round() with ndigits that is not a known int', site.range);
    return int(bankersRound(x));
  });
  def('divmod', (c, site) => tuple([interp.binop('//', c.args[0]!, c.args[1]!, site), interp.binop('%', c.args[0]!, c.args[1]!, site)]));
  def('pow', (c, site) => {
    if (!c.args[2]) return interp.binop('**', c.args[0]!, c.args[1]!, site);
    // pow(base, exp, mod): exact modular exponentiation on ints.
    const [b, e, m] = c.args.map(f) as [Value, Value, Value];
    if (b.kind !== 'int' || e.kind !== 'int' || m.kind !== 'int' || e.v < 0 || m.v === 0)
      return unknown('pow() with a modulus needs known ints (exponent ≥ 0, modulus ≠ 0)', site.range);
    let r = 1n,
      base = ((BigInt(b.v) % BigInt(m.v)) + BigInt(m.v)) % BigInt(m.v),
      exp = BigInt(e.v);
    const mod = BigInt(m.v);
    for (; exp > 0n; exp >>= 1n, base = (base * base) % mod) if (exp & 1n) r = (r * base) % mod;
    // Python's result takes the sign of the modulus.
    return int(Number(mod < 0n && r > 0n ? r + mod : r));
  });
  const radix = (name: string, base: number, prefix: string) =>
    def(name, (c, site) => {
      const v = f(c.args[0] ?? NONE);
      if (v.kind !== 'int' && v.kind !== 'bool') return isUnknown(v) ? v : unknown(`${name}() of a ${typeName(v)}`, site.range);
      const n = Number(v.v);
      return str(`${n < 0 ? '-' : ''}${prefix}${Math.abs(n).toString(base)}`);
    });
  radix('hex', 16, '0x');
  radix('oct', 8, '0o');
  radix('bin', 2, '0b');
  def('format', (c, site) => {
    const spec = c.args[1] ? f(c.args[1]) : str('');
    const out = spec.kind === 'str' && !spec.opaque ? formatWithSpec(f(c.args[0] ?? NONE), spec.v) : undefined;
    return out === undefined ? unknown('format() of a value or spec that is not known', site.range) : str(out);
  });
  def('slice', (c) => {
    const [a, b, st] = c.args.length === 1 ? [NONE, c.args[0]!, NONE] : [c.args[0] ?? NONE, c.args[1] ?? NONE, c.args[2] ?? NONE];
    return { kind: 'slice', lower: a, upper: b, step: st };
  });
  def('ord', (c, site) => {
    const v = f(c.args[0] ?? NONE);
    if (v.kind !== 'str' || v.opaque || cpLength(v.v) !== 1)
      return isUnknown(v) ? v : unknown('ord() of a value that is not a known one-character string', site.range);
    return int(v.v.codePointAt(0)!);
  });
  def('chr', (c, site) => {
    const v = f(c.args[0] ?? NONE);
    if (v.kind !== 'int' || v.v < 0 || v.v > 0x10ffff)
      return isUnknown(v) ? v : unknown('chr() of a value that is not a known code point', site.range);
    return str(String.fromCodePoint(v.v));
  });
  // all() / any(): decided by the first item that settles it; unknown if an unknown item could.
  const quantifier =
    (name: 'all' | 'any') =>
    (c: CallArgs, site: CallSite): Value => {
      const items = seq(c.args[0] ?? NONE, site);
      if (isUnknown(items)) return items;
      const settles = name === 'any';
      let unsure = false;
      for (const it of items) {
        const t = interp.truthy(it);
        if (t === settles) return bool(settles);
        if (t === undefined) unsure = true;
      }
      return unsure ? unknown(`${name}() of values that cannot be known`, site.range) : bool(!settles);
    };
  def('all', quantifier('all'));
  def('any', quantifier('any'));
  def('map', (c, site) => {
    // map(fn, a, b, ...) calls fn(a[i], b[i], ...) up to the shortest iterable.
    const seqs: Value[][] = [];
    for (const a of c.args.slice(1)) {
      const items = seq(a, site);
      if (isUnknown(items)) return items;
      seqs.push(items);
    }
    const n = Math.min(...seqs.map((s) => s.length));
    return list(
      Array.from({ length: seqs.length ? n : 0 }, (_x, i) =>
        interp.callValue(c.args[0]!, { args: seqs.map((s) => s[i]!), kwargs: new Map() }, site),
      ),
    );
  });
  def('filter', (c, site) => {
    const items = seq(c.args[1] ?? NONE, site);
    if (isUnknown(items)) return items;
    const out: Value[] = [];
    for (const it of items) {
      const fn = f(c.args[0]!);
      const t = interp.truthy(fn.kind === 'none' ? it : interp.callValue(fn, { args: [it], kwargs: new Map() }, site));
      if (t === undefined) return unknown('filter() result cannot be known', site.range);
      if (t) out.push(it);
    }
    return list(out);
  });
  def('isinstance', (c, site) => isInstance(interp, f(c.args[0] ?? NONE), f(c.args[1] ?? NONE), site));
  def('issubclass', (c) => {
    const a = f(c.args[0] ?? NONE),
      b = f(c.args[1] ?? NONE);
    if (a.kind !== 'class') return unknown('issubclass() of a non-class');
    const targets = b.kind === 'tuple' ? b.items.map(f) : [b];
    if (targets.some((t) => t.kind !== 'class')) return unknown('issubclass() against a type that cannot be known');
    return bool(targets.some((t) => a.mro.includes(t as ClassV)));
  });
  def('callable', (c) => {
    const v = f(c.args[0] ?? NONE);
    if (isUnknown(v)) return v;
    return bool(
      ['function', 'builtin', 'class', 'bound', 'partial'].includes(v.kind) ||
        (v.kind === 'instance' && (!!v.module || !!interp.findClassAttr(v.cls, '__call__'))),
    );
  });
  // getattr(obj, s) is how a string from a file (perhaps a config holding a key) becomes an attribute
  // name, and attribute names appear in messages. Only an instance can hold an attribute whose name is
  // not an identifier (setattr takes any string); on anything else (torch, a module, a class, a tensor)
  // there is none, as in Python. Either way the name reaches a message only as a token or its length.
  const strangeAttr = (obj: Value, name: string, site: CallSite): UnknownV | undefined =>
    obj.kind !== 'instance' && obj.kind !== 'unknown' && !isShowableToken(name)
      ? unknown(`'${typeName(obj)}' object has no attribute ${quotedToken(name)}`, site.range)
      : undefined;
  const unquoted = (v: Value, name: string): Value =>
    isUnknown(v) && !isShowableToken(name) && v.reason.includes(name)
      ? { ...v, reason: v.reason.split(name).join(shownString(name, String)) }
      : v;
  def('getattr', (c, site) => {
    const name = f(c.args[1] ?? NONE);
    if (name.kind !== 'str' || name.opaque) return unknown('getattr() with a name that cannot be known', site.range, true);
    const v = strangeAttr(f(c.args[0] ?? NONE), name.v, site) ?? unquoted(interp.getAttr(c.args[0] ?? NONE, name.v, site), name.v);
    if (c.args[2] && isUnknown(v) && /has no attribute/.test(v.reason)) return c.args[2];
    return v;
  });
  def('hasattr', (c, site) => {
    const name = f(c.args[1] ?? NONE);
    if (name.kind !== 'str' || name.opaque) return unknown('hasattr() with a name that cannot be known', site.range);
    const obj = f(c.args[0] ?? NONE);
    if (isUnknown(obj)) return obj;
    const v = strangeAttr(obj, name.v, site) ?? unquoted(interp.getAttr(obj, name.v, site), name.v);
    if (isUnknown(v)) return /has no attribute/.test(v.reason) ? bool(false) : v;
    return bool(true);
  });
  def('setattr', (c, site) => {
    const name = f(c.args[1] ?? NONE);
    const obj = f(c.args[0] ?? NONE);
    if (name.kind !== 'str' || name.opaque) {
      if (obj.kind === 'instance' && obj.module) obj.module.unknownReason ??= 'setattr() with a name that cannot be known';
      return NONE;
    }
    interp.setAttr(obj, name.v, c.args[2] ?? NONE, site);
    return NONE;
  });
  def('delattr', () => NONE);
  // Python fixes neither: id() is an address, hash() of str is salted per process (PYTHONHASHSEED).
  def('id', (_c, site) => unknown('id() is an object address, known only at run time', site.range));
  def('hash', (_c, site) => unknown('hash() is not modelled (str hashes are salted per process)', site.range));
  def('print', () => NONE);
  def('__debug_print__', (c) => {
    (globalThis as { CONVLENS_PRINT?: (v: unknown) => void }).CONVLENS_PRINT?.(c.args);
    return NONE;
  });
  def('repr', (c, site) => {
    const r = pyRepr(f(c.args[0] ?? NONE));
    return r === undefined ? unknown('repr() of a value whose text is not known', site.range) : str(r);
  });
  def('iter', (c, site) => {
    const items = seq(c.args[0] ?? NONE, site);
    return isUnknown(items) ? items : list(items);
  });
  def('next', (c, site) => {
    const items = seq(c.args[0] ?? NONE, site);
    if (isUnknown(items)) return items;
    const l = f(c.args[0]!);
    if (l.kind === 'list' && l.items.length) return l.items.shift()!;
    return items[0] ?? c.args[1] ?? interp.raise('StopIteration', '', site.range);
  });
  def('vars', (c) => (c.args[0] ? interp.namespaceDict(f(c.args[0])) : unknown('vars() without an argument is not interpreted')));
  def('locals', () => unknown('locals() is not interpreted'));
  def('globals', () =>
    interp.namespaceDict({
      kind: 'module',
      name: interp.frame.module.name,
      ctx: interp.frame.module,
      get: (n) => interp.frame.module.globals.vars.get(n),
    }),
  );
  def('open', (_c, site) => unknown('reads a file at run time', site.range));
  def('eval', (_c, site) => unknown('eval() is never executed', site.range));
  def('exec', (_c, site) => unknown('exec() is never executed', site.range));
  def('__import__', (_c, site) => unknown('__import__() is not interpreted', site.range));
  def('super', (c, site) => {
    // Two-argument form: super(Cls, self).
    const cls = f(c.args[0] ?? NONE);
    const self = c.args[1] ? f(c.args[1]) : NONE;
    if (cls.kind !== 'class') return unknown('super() with a class that cannot be known', site.range);
    return { kind: 'super', cls, self };
  });
  vars.set('NotImplemented', unknown('NotImplemented'));
  vars.set('__name__', str('__convlens__'));
  vars.set('__file__', { kind: 'str', v: '', opaque: true });
  return { vars, parent: undefined };
}

function bankersRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export { PyRaise };
