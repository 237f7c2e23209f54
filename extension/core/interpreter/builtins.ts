// Python builtins (len, range, int, max, isinstance, getattr, ...), the methods of builtin types
// (list.append, dict.items, str.format, ...) and the standard-library modules model code imports
// (math, functools.partial, collections.OrderedDict, typing, itertools, operator, copy, warnings).
// A standard-library name not modelled here is an unknown value with a reason, never a guess.
import {
  NONE,
  bool,
  builtin,
  dict,
  float,
  int,
  keyOf,
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
  type InstanceV,
  type PyModuleV,
  type Scope,
  type UnknownV,
  type Value,
} from './values';
import { isShowableToken, quotedToken, shownString } from '../messageText';
import { type Interpreter, PyRaise, rangeLength, repr } from './eval';
import { formatWithSpec, pyRepr, pyStr } from './pyFormat';
import { cpLength, strMethod } from './stdlib/strMethods';
import { reModule } from './stdlib/re';
import { itertoolsModule } from './stdlib/itertools';
import { halfEven, parsePyFloat, parsePyInt, roundFloat } from './stdlib/numParse';

type Fn = (call: CallArgs, site: CallSite) => Value;

/** A builtin class (int, list, dict, exceptions...) that constructs values from call arguments. */
function builtinClass(name: string, construct?: Fn, extra: Partial<ClassV> = {}): ClassV {
  const cls: ClassV = {
    kind: 'class',
    name,
    qualname: name,
    bases: [],
    mro: [],
    attrs: new Map(),
    ...(construct ? { construct } : {}),
    ...extra,
  };
  cls.mro = [cls];
  return cls;
}

const EXCEPTIONS = [
  'BaseException',
  'Exception',
  'ValueError',
  'TypeError',
  'KeyError',
  'IndexError',
  'AttributeError',
  'RuntimeError',
  'NotImplementedError',
  'AssertionError',
  'ZeroDivisionError',
  'ImportError',
  'ModuleNotFoundError',
  'StopIteration',
  'ArithmeticError',
  'LookupError',
  'OSError',
  'FileNotFoundError',
  'Warning',
  'UserWarning',
  'DeprecationWarning',
  'RecursionError',
];

export function createBuiltins(interp: Interpreter): Scope {
  const vars = new Map<string, Value>();
  const f = (v: Value) => interp.force(v);
  const arg = (c: CallArgs, i: number, name?: string): Value | undefined => c.args[i] ?? (name ? c.kwargs.get(name) : undefined);
  const seq = (v: Value, site: CallSite) => interp.iterate(v, site);
  const def = (name: string, fn: Fn) => vars.set(name, builtin(name, fn));

  // Exceptions: a small hierarchy so `except ValueError` and subclasses match.
  const base = builtinClass('BaseException', undefined, { isException: true });
  vars.set('BaseException', base);
  const exc = builtinClass('Exception', undefined, { isException: true, bases: [base] });
  exc.mro = [exc, base];
  vars.set('Exception', exc);
  for (const name of EXCEPTIONS.slice(2)) {
    const parent =
      name === 'ModuleNotFoundError' ? (vars.get('ImportError') as ClassV) : name === 'KeyError' || name === 'IndexError' ? exc : exc;
    const c = builtinClass(name, undefined, { isException: true, bases: [parent] });
    c.mro = [c, ...parent.mro];
    vars.set(name, c);
  }

  const numeric =
    (name: 'int' | 'float'): Fn =>
    (c, site) => {
      const v = c.args[0] ? f(c.args[0]) : int(0);
      if (isUnknown(v)) return v;
      if (isNumber(v)) {
        const n = numberOf(v);
        return name === 'int' ? int(Math.trunc(n)) : float(n);
      }
      if (v.kind === 'str' && !v.opaque) {
        const baseV = c.args[1] ?? c.kwargs.get('base');
        const base = baseV ? f(baseV) : int(10);
        if (name === 'int' && base.kind !== 'int') return unknown('int() with a base that is not known', site.range);
        const n = name === 'int' ? parsePyInt(v.v, (base as { v: number }).v) : parsePyFloat(v.v);
        if (n === undefined)
          return interp.raise(
            'ValueError',
            name === 'int'
              ? `invalid literal for int() with base ${(base as { v: number }).v}: ${repr(v)}`
              : `could not convert string to float: ${repr(v)}`,
            site.range,
          );
        if (name === 'int' && Number.isNaN(n)) return unknown('int() of a number too large to be exact', site.range);
        return name === 'int' ? int(n) : float(n);
      }
      if (v.kind === 'tensor') {
        // A one-element tensor whose value is known (`float(torch.tensor(0.1))`, `int(t.sum())`).
        if (v.values && v.values.length === 1) return name === 'int' ? int(Math.trunc(v.values[0]!)) : float(v.values[0]!);
        return unknown(`${name}() reads a tensor value that is not known statically`, site.range);
      }
      return unknown(`${name}() of ${typeName(v)}`, site.range);
    };
  vars.set('int', builtinClass('int', numeric('int')));
  vars.set('float', builtinClass('float', numeric('float')));
  vars.set(
    'bool',
    builtinClass('bool', (c) => {
      if (!c.args[0]) return bool(false);
      const t = interp.truthy(c.args[0]);
      return t === undefined ? unknown('truth value cannot be known') : bool(t);
    }),
  );
  vars.set(
    'str',
    builtinClass('str', (c) => {
      const v = c.args[0] ? f(c.args[0]) : str('');
      if (v.kind === 'str') return v;
      const s = pyStr(v);
      return s === undefined ? { kind: 'str', v: '', opaque: true } : str(s);
    }),
  );
  const fromIterable =
    (kind: 'list' | 'tuple' | 'set'): Fn =>
    (c, site) => {
      if (!c.args[0]) return kind === 'list' ? list([]) : kind === 'tuple' ? tuple([]) : { kind: 'set', items: [] };
      const items = interp.iterate(c.args[0], site, kind === 'set');
      if (isUnknown(items)) return unknown(items.reason, items.range, true);
      if (kind === 'set') {
        // One item per distinct key (set([1, 1]) has one).
        const seen = new Set<string>();
        return { kind: 'set', items: items.filter((it) => !seen.has(keyOf(f(it))) && !!seen.add(keyOf(f(it)))) };
      }
      return kind === 'list' ? list(items) : kind === 'tuple' ? tuple(items) : { kind: 'set', items };
    };
  vars.set('list', builtinClass('list', fromIterable('list')));
  vars.set('tuple', builtinClass('tuple', fromIterable('tuple')));
  vars.set('set', builtinClass('set', fromIterable('set')));
  vars.set('frozenset', builtinClass('frozenset', fromIterable('set')));
  const makeDict =
    (ordered: boolean): Fn =>
    (c, site) => {
      const d = dict([], ordered);
      if (c.args[0]) {
        const src = f(c.args[0]);
        if (src.kind === 'dict') for (const [k, v] of src.map) d.map.set(k, v);
        else {
          const items = seq(src, site);
          if (isUnknown(items)) return unknown(items.reason, items.range, true);
          for (const it of items) {
            const pair = seq(it, site);
            if (isUnknown(pair) || pair.length !== 2) return unknown('dict() from items that cannot be known', site.range);
            const k = f(pair[0]!);
            d.map.set(keyOf(k), [k, pair[1]!]);
          }
        }
      }
      for (const [k, v] of c.kwargs) d.map.set(keyOf(str(k)), [str(k), v]);
      return d;
    };
  vars.set('dict', builtinClass('dict', makeDict(false)));
  const objectCls = builtinClass('object', () => ({ kind: 'instance', cls: objectCls, attrs: new Map() }));
  vars.set('object', objectCls);
  vars.set(
    'type',
    builtinClass('type', (c, site) => {
      const v = c.args[0] ? f(c.args[0]) : NONE;
      if (v.kind === 'instance') return v.cls;
      if (v.kind === 'partial') return partialClass(interp); // `type(norm_layer) == functools.partial` (pix2pix)
      const b = vars.get(typeName(v));
      return b ?? unknown(`type() of ${typeName(v)}`, site.range);
    }),
  );
  for (const d of ['staticmethod', 'classmethod', 'property']) vars.set(d, builtinClass(d));

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

/** isinstance(v, spec) for builtin types, user classes and torch classes. */
export function isInstance(interp: Interpreter, v: Value, spec: Value, site: CallSite): Value {
  if (spec.kind === 'tuple') {
    let unsure = false;
    for (const s of spec.items) {
      const r = isInstance(interp, v, interp.force(s), site);
      if (r.kind === 'bool' && r.v) return r;
      if (isUnknown(r)) unsure = true;
    }
    return unsure ? unknown('isinstance() cannot be known', site.range) : bool(false);
  }
  if (isUnknown(v)) return unknown(v.reason, v.range);
  if (spec.kind === 'builtin' && spec.name.startsWith('typing.')) {
    // collections.abc / typing ABCs: Sequence, Iterable, Mapping...
    const n = spec.name.slice('typing.'.length);
    if (['Sequence', 'Iterable', 'Collection', 'Container', 'Sized', 'Reversible'].includes(n))
      return bool(['list', 'tuple', 'str', 'range'].includes(v.kind) || (n !== 'Sequence' && ['dict', 'set'].includes(v.kind)));
    if (n === 'Mapping' || n === 'MutableMapping') return bool(v.kind === 'dict');
    if (n === 'Callable') return bool(['function', 'builtin', 'class', 'bound', 'partial'].includes(v.kind));
    return unknown(`isinstance() against typing.${n}`, site.range);
  }
  if (spec.kind === 'builtin' && spec.name.startsWith('numbers.')) {
    const integral = ['Integral', 'Rational'].includes(spec.name.slice('numbers.'.length));
    return bool(['int', 'bool'].includes(v.kind) || (!integral && v.kind === 'float'));
  }
  if (spec.kind !== 'class') return unknown(`isinstance() against a type that cannot be known`, site.range);
  const builtinMatch: Record<string, string[]> = {
    int: ['int', 'bool'],
    float: ['float'],
    bool: ['bool'],
    str: ['str'],
    list: ['list'],
    tuple: ['tuple'],
    dict: ['dict'],
    set: ['set'],
    frozenset: ['set'],
    range: ['range'],
    object: [],
  };
  if (spec.construct && builtinMatch[spec.name]) {
    if (spec.name === 'object') return bool(true);
    if (v.kind === 'dict' && spec.name === 'dict') return bool(true);
    return bool(builtinMatch[spec.name]!.includes(v.kind));
  }
  if (v.kind === 'instance') {
    if (v.cls.mro.includes(spec)) return bool(true);
    if (v.cls.unknownBase) return unknown(`isinstance() of '${v.cls.name}', whose base class has no source`, site.range);
    return bool(false);
  }
  if (v.kind === 'tensor') return bool(spec.name === 'Tensor' || (spec.name === 'Parameter' && !!v.isParameter));
  if (v.kind === 'dict' && spec.name === 'OrderedDict') return bool(!!v.ordered);
  if (v.kind === 'function' || v.kind === 'builtin') return bool(spec.name === 'FunctionType');
  if (v.kind === 'partial') return bool(spec === partialClass(interp));
  return bool(false);
}

const partialClasses = new WeakMap<Interpreter, ClassV>();

/** functools.partial: a class (for `type(p) == functools.partial` and isinstance) whose instances are partial values. */
function partialClass(interp: Interpreter): ClassV {
  let cls = partialClasses.get(interp);
  if (!cls) {
    cls = builtinClass('partial', (c) => ({ kind: 'partial', fn: c.args[0] ?? NONE, args: c.args.slice(1), kwargs: new Map(c.kwargs) }));
    partialClasses.set(interp, cls);
  }
  return cls;
}

/** Methods of builtin types. Returns undefined when `name` is not a method we model. */
export function builtinMethod(interp: Interpreter, obj: Value, name: string, _site: CallSite): Value | undefined {
  const f = (v: Value) => interp.force(v);
  const m = (fn: Fn): Value => builtin(`${typeName(obj)}.${name}`, fn);
  switch (obj.kind) {
    case 'partial':
      // The attributes functools.partial objects expose.
      if (name === 'func') return obj.fn;
      if (name === 'args') return tuple(obj.args);
      if (name === 'keywords') return dict([...obj.kwargs].map(([k, v]) => [str(k), v] as [Value, Value]));
      return undefined;
    case 'list':
      switch (name) {
        case 'append':
          return m((c) => {
            obj.items.push(c.args[0] ?? NONE);
            return NONE;
          });
        case 'extend':
          return m((c, s) => {
            const items = interp.iterate(c.args[0] ?? NONE, s);
            if (isUnknown(items))
              obj.items.push(unknown(`extended with values that cannot be known: ${items.reason}`, items.range ?? s.range, true));
            else obj.items.push(...items);
            return NONE;
          });
        case 'insert':
          return m((c) => {
            const i = f(c.args[0] ?? NONE);
            const idx =
              i.kind === 'int' ? (i.v < 0 ? Math.max(0, obj.items.length + i.v) : Math.min(i.v, obj.items.length)) : obj.items.length;
            obj.items.splice(idx, 0, c.args[1] ?? NONE);
            return NONE;
          });
        case 'pop':
          return m((c, s) => {
            if (!obj.items.length) return interp.raise('IndexError', 'pop from empty list', s.range);
            const i = c.args[0] ? f(c.args[0]) : int(-1);
            const idx = i.kind === 'int' ? (i.v < 0 ? obj.items.length + i.v : i.v) : obj.items.length - 1;
            return obj.items.splice(idx, 1)[0] ?? NONE;
          });
        case 'copy':
        case 'tolist':
          return m(() => list([...obj.items]));
        case 'reverse':
          return m(() => {
            obj.items.reverse();
            return NONE;
          });
        case 'clear':
          return m(() => {
            obj.items.length = 0;
            return NONE;
          });
        case 'index':
          return m((c, s) => {
            const i = obj.items.findIndex((x) => interp.equals(x, c.args[0] ?? NONE) === true);
            return i >= 0 ? int(i) : interp.raise('ValueError', 'value is not in list', s.range);
          });
        case 'count':
          return m((c) => int(obj.items.filter((x) => interp.equals(x, c.args[0] ?? NONE) === true).length));
        case 'remove':
          return m((c) => {
            const i = obj.items.findIndex((x) => interp.equals(x, c.args[0] ?? NONE) === true);
            if (i >= 0) obj.items.splice(i, 1);
            return NONE;
          });
        case 'sort':
          return m((c, s) => {
            const sorted = f(interp.callValue(interp.domain.builtins.vars.get('sorted')!, { args: [obj], kwargs: c.kwargs }, s));
            if (sorted.kind === 'list') obj.items.splice(0, obj.items.length, ...sorted.items);
            return NONE;
          });
      }
      return undefined;
    case 'tuple':
      if (name === 'index')
        return m((c, s) => {
          const i = obj.items.findIndex((x) => interp.equals(x, c.args[0] ?? NONE) === true);
          return i >= 0 ? int(i) : interp.raise('ValueError', 'tuple.index(x): x not in tuple', s.range);
        });
      if (name === 'count') return m((c) => int(obj.items.filter((x) => interp.equals(x, c.args[0] ?? NONE) === true).length));
      return undefined;
    case 'set':
      if (name === 'add')
        return m((c) => {
          const v = c.args[0] ?? NONE;
          if (!obj.items.some((x) => keyOf(x) === keyOf(v))) obj.items.push(v);
          return NONE;
        });
      return undefined;
    case 'dict':
      switch (name) {
        case 'get':
          return m((c) => {
            const k = f(c.args[0] ?? NONE);
            if (isUnknown(k)) return k;
            return obj.map.get(keyOf(k))?.[1] ?? c.args[1] ?? NONE;
          });
        case 'items':
          return m(() => list([...obj.map.values()].map(([k, v]) => tuple([k, v]))));
        case 'keys':
          return m(() => list([...obj.map.values()].map(([k]) => k)));
        case 'values':
          return m(() => list([...obj.map.values()].map(([, v]) => v)));
        case 'copy':
          return m(() => ({ kind: 'dict', map: new Map(obj.map), ...(obj.ordered ? { ordered: true } : {}) }));
        case 'update':
          return m((c, s) => {
            if (c.args[0]) {
              const src = f(c.args[0]);
              if (src.kind === 'dict') for (const [k, v] of src.map) obj.map.set(k, v);
              else {
                const items = interp.iterate(src, s);
                if (!isUnknown(items))
                  for (const it of items) {
                    const p = f(it);
                    if (p.kind === 'tuple' && p.items.length === 2) obj.map.set(keyOf(f(p.items[0]!)), [f(p.items[0]!), p.items[1]!]);
                  }
              }
            }
            for (const [k, v] of c.kwargs) obj.map.set(keyOf(str(k)), [str(k), v]);
            return NONE;
          });
        case 'pop':
          return m((c, s) => {
            const k = f(c.args[0] ?? NONE);
            const hit = obj.map.get(keyOf(k));
            if (hit) {
              obj.map.delete(keyOf(k));
              return hit[1];
            }
            return c.args[1] ?? interp.raise('KeyError', repr(k), s.range);
          });
        case 'popitem':
          return m((c, s) => {
            if (!obj.map.size) return interp.raise('KeyError', 'popitem(): dictionary is empty', s.range);
            // dict.popitem() is LIFO; OrderedDict.popitem(last=False) is FIFO.
            const lastV = c.args[0] ?? c.kwargs.get('last');
            const last = lastV ? interp.truthy(lastV) : true;
            if (last === undefined) return unknown('popitem() with a `last` flag that is not known', s.range);
            const keys = [...obj.map.keys()];
            const k = last ? keys[keys.length - 1]! : keys[0]!;
            const [kv, vv] = obj.map.get(k)!;
            obj.map.delete(k);
            return tuple([kv, vv]);
          });
        case 'move_to_end':
          if (!obj.ordered) return undefined;
          return m((c, s) => {
            const k = keyOf(f(c.args[0] ?? NONE));
            const hit = obj.map.get(k);
            if (!hit) return interp.raise('KeyError', repr(f(c.args[0] ?? NONE)), s.range);
            const lastV = c.args[1] ?? c.kwargs.get('last');
            const last = lastV ? interp.truthy(lastV) : true;
            if (last === undefined) return unknown('move_to_end() with a `last` flag that is not known', s.range);
            obj.map.delete(k);
            if (last) obj.map.set(k, hit);
            else {
              const rest = [...obj.map];
              obj.map.clear();
              obj.map.set(k, hit);
              for (const [rk, rv] of rest) obj.map.set(rk, rv);
            }
            return NONE;
          });
        case 'clear':
          return m(() => {
            obj.map.clear();
            return NONE;
          });
        case 'setdefault':
          return m((c) => {
            const k = f(c.args[0] ?? NONE);
            const hit = obj.map.get(keyOf(k));
            if (hit) return hit[1];
            const v = c.args[1] ?? NONE;
            obj.map.set(keyOf(k), [k, v]);
            return v;
          });
      }
      return undefined;
    case 'str':
      return strMethod(interp, obj, name);
    case 'int':
    case 'float':
      if (name === 'is_integer') return m(() => bool(Number.isInteger(obj.v)));
      if (name === 'real') return obj;
      return undefined;
    default:
      return undefined;
  }
}

/** Standard-library modules, modelled just enough for model code. */
export function stdlibModule(interp: Interpreter, name: string): PyModuleV | undefined {
  const f = (v: Value) => interp.force(v);
  const mod = (entries: Record<string, Value>, fallback?: (n: string) => Value | undefined): PyModuleV => ({
    kind: 'module',
    name,
    get: (n) => entries[n] ?? fallback?.(n),
    names: () => Object.keys(entries),
  });
  const numFn = (fname: string, op: (x: number) => number, asInt: boolean): Value =>
    builtin(`${name}.${fname}`, (c, site) => {
      const v = f(c.args[0] ?? NONE);
      if (isUnknown(v)) return v;
      if (!isNumber(v)) return unknown(`${name}.${fname}() of ${typeName(v)}`, site.range);
      const r = op(numberOf(v));
      return asInt ? int(r) : float(r);
    });
  const mathTest = (fname: string, test: (x: number) => boolean): Value =>
    builtin(`math.${fname}`, (c, site) => {
      const v = f(c.args[0] ?? NONE);
      return isNumber(v) ? bool(test(numberOf(v))) : unknown(`math.${fname}() of ${typeName(v)}`, site.range);
    });
  const typingAlias = (n: string): Value => builtin(`typing.${n}`, (c) => c.args[0] ?? NONE);
  switch (name) {
    case 'math':
      return mod({
        ceil: numFn('ceil', Math.ceil, true),
        floor: numFn('floor', Math.floor, true),
        sqrt: numFn('sqrt', Math.sqrt, false),
        log: builtin('math.log', (c, site) => {
          const v = f(c.args[0] ?? NONE),
            b = c.args[1] ? f(c.args[1]) : undefined;
          if (!isNumber(v) || (b && !isNumber(b))) return unknown('math.log() of a value that cannot be known', site.range);
          return float(b ? Math.log(numberOf(v)) / Math.log(numberOf(b as never)) : Math.log(numberOf(v)));
        }),
        log2: numFn('log2', Math.log2, false),
        log10: numFn('log10', Math.log10, false),
        exp: numFn('exp', Math.exp, false),
        trunc: numFn('trunc', Math.trunc, true),
        fabs: numFn('fabs', Math.abs, false),
        isqrt: numFn('isqrt', (x) => Math.floor(Math.sqrt(x)), true),
        pi: float(Math.PI),
        e: float(Math.E),
        inf: float(Infinity),
        nan: float(NaN),
        tau: float(2 * Math.PI),
        isfinite: mathTest('isfinite', Number.isFinite),
        isinf: mathTest('isinf', (x) => x === Infinity || x === -Infinity),
        isnan: mathTest('isnan', Number.isNaN),
        pow: builtin('math.pow', (c, site) => {
          const [a, b] = [f(c.args[0] ?? NONE), f(c.args[1] ?? NONE)];
          return isNumber(a) && isNumber(b)
            ? float(numberOf(a) ** numberOf(b))
            : unknown('math.pow() of values that cannot be known', site.range);
        }),
        isclose: builtin('math.isclose', (c, site) => {
          const [a, b] = [f(c.args[0] ?? NONE), f(c.args[1] ?? NONE)];
          const rel = c.kwargs.get('rel_tol') ? f(c.kwargs.get('rel_tol')!) : float(1e-9),
            abs = c.kwargs.get('abs_tol') ? f(c.kwargs.get('abs_tol')!) : float(0);
          if (!isNumber(a) || !isNumber(b) || !isNumber(rel) || !isNumber(abs))
            return unknown('math.isclose() of values that cannot be known', site.range);
          const x = numberOf(a),
            y = numberOf(b);
          if (x === y) return bool(true);
          if (!Number.isFinite(x) || !Number.isFinite(y)) return bool(false);
          const d = Math.abs(x - y);
          return bool(d <= Math.abs(numberOf(rel) * y) || d <= Math.abs(numberOf(rel) * x) || d <= numberOf(abs));
        }),
        gcd: builtin('math.gcd', (c, site) => {
          const ns = c.args.map(f);
          if (!ns.every(isNumber)) return unknown('math.gcd() of values that cannot be known', site.range);
          const g = (a: number, b: number): number => (b === 0 ? Math.abs(a) : g(b, a % b));
          return int(ns.map((n) => numberOf(n as never)).reduce(g, 0));
        }),
        prod: builtin('math.prod', (c, site) => {
          const items = interp.iterate(c.args[0] ?? NONE, site);
          if (isUnknown(items)) return items;
          let acc: Value = int(1);
          for (const it of items) acc = interp.binop('*', acc, it, site);
          return acc;
        }),
      });
    case 'functools':
      return mod({
        partial: partialClass(interp),
        // functools.wraps(fn) returns an identity-like decorator (it only copies metadata).
        wraps: builtin('functools.wraps', () => builtin('decorator:functools.wraps', (c) => c.args[0] ?? NONE)),
        lru_cache: builtin('decorator:functools.lru_cache', (c) => {
          const a = c.args[0] ? f(c.args[0]) : NONE;
          return a.kind === 'function' ? a : builtin('decorator:functools.lru_cache', (c2) => c2.args[0] ?? NONE);
        }),
        cache: builtin('decorator:functools.cache', (c) => c.args[0] ?? NONE),
        reduce: builtin('functools.reduce', (c, site) => {
          const items = interp.iterate(c.args[1] ?? NONE, site);
          if (isUnknown(items)) return items;
          let acc = c.args[2] ?? items.shift() ?? NONE;
          for (const it of items) acc = interp.callValue(c.args[0]!, { args: [acc, it], kwargs: new Map() }, site);
          return acc;
        }),
      });
    case 'numbers':
      // The numeric tower's ABCs, for isinstance(): Integral is int (and bool), Real adds float; no complex here.
      return mod(
        Object.fromEntries(['Number', 'Complex', 'Real', 'Rational', 'Integral'].map((n) => [n, builtin(`numbers.${n}`, () => NONE)])),
      );
    case 'collections':
    case 'collections.abc': {
      const od = builtinClass('OrderedDict', (c, site) => {
        const d = f(interp.callValue(interp.domain.builtins.vars.get('dict')!, c, site));
        return d.kind === 'dict' ? { kind: 'dict', map: d.map, ordered: true } : d;
      });
      if (name === 'collections.abc') {
        return mod(
          {
            Sequence: typingAlias('Sequence'),
            Iterable: typingAlias('Iterable'),
            Mapping: typingAlias('Mapping'),
            Callable: typingAlias('Callable'),
          },
          (n) => typingAlias(n),
        );
      }
      return mod({
        OrderedDict: od,
        defaultdict: builtinClass('defaultdict', () => unknown('collections.defaultdict is not interpreted')),
        namedtuple: namedtupleFactory(interp),
        abc: stdlibModule(interp, 'collections.abc')!,
        Sequence: typingAlias('Sequence'),
        Iterable: typingAlias('Iterable'),
        Mapping: typingAlias('Mapping'),
        Callable: typingAlias('Callable'),
      });
    }
    case 'typing': {
      // Generic aliases of builtin containers construct the real container when called.
      const b = interp.domain.builtins.vars;
      const concrete: Record<string, Value | undefined> = {
        List: b.get('list'),
        Dict: b.get('dict'),
        Tuple: b.get('tuple'),
        Set: b.get('set'),
        FrozenSet: b.get('frozenset'),
        OrderedDict: stdlibModule(interp, 'collections')!.get('OrderedDict'),
      };
      return mod(
        { TYPE_CHECKING: bool(false), cast: builtin('typing.cast', (c) => c.args[1] ?? NONE) },
        (n) => concrete[n] ?? typingAlias(n),
      );
    }
    case 'itertools':
      return itertoolsModule(interp);
    case 'operator':
      return mod({
        mul: builtin('operator.mul', (c, site) => interp.binop('*', c.args[0]!, c.args[1]!, site)),
        add: builtin('operator.add', (c, site) => interp.binop('+', c.args[0]!, c.args[1]!, site)),
      });
    case 're':
      return reModule(interp);
    case 'copy':
      return mod({
        copy: builtin('copy.copy', (c, site) => {
          // A shallow copy: a new container holding the same items.
          const v = f(c.args[0] ?? NONE);
          switch (v.kind) {
            case 'list':
              return list([...v.items]);
            case 'set':
              return { kind: 'set', items: [...v.items] };
            case 'dict':
              return { kind: 'dict', map: new Map(v.map), ...(v.ordered ? { ordered: true } : {}) };
            case 'int':
            case 'float':
            case 'bool':
            case 'str':
            case 'none':
            case 'tuple':
            case 'range':
            case 'function':
            case 'builtin':
            case 'class':
              return v;
            case 'instance':
              // A plain object: a new instance sharing its attribute values. An nn.Module or a class with
              // its own __copy__ / __reduce__ is not modelled.
              if (v.module || interp.findClassAttr(v.cls, '__copy__') || interp.findClassAttr(v.cls, '__reduce_ex__')) break;
              return { kind: 'instance', cls: v.cls, attrs: new Map(v.attrs), ...(v.message !== undefined ? { message: v.message } : {}) };
          }
          return unknown(`copy.copy() of a ${typeName(v)} is not interpreted`, site.range);
        }),
        deepcopy: builtin('copy.deepcopy', (c, site) => {
          const v = c.args[0] ?? NONE;
          return interp.domain.deepCopy ? interp.domain.deepCopy(v, site) : v;
        }),
      });
    case 'warnings':
      return mod({
        warn: builtin('warnings.warn', () => NONE),
        filterwarnings: builtin('warnings.filterwarnings', () => NONE),
        simplefilter: builtin('warnings.simplefilter', () => NONE),
      });
    case 'abc':
      return mod({ ABC: builtinClass('ABC'), abstractmethod: builtin('identity-decorator:abc.abstractmethod', (c) => c.args[0] ?? NONE) });
    case 'numpy': {
      // The part of numpy model code uses to compute sizes and drop rates; results are Python values
      // (a list stands for a 1-D array; `.tolist()` is accepted on it).
      const nums = (v: Value, site: CallSite): number[] | UnknownV => {
        const items = interp.iterate(v, site);
        if (isUnknown(items)) return items;
        const out: number[] = [];
        for (const it of items) {
          const x = f(it);
          if (!isNumber(x)) return unknown('numpy over values that are not numbers', site.range);
          out.push(numberOf(x));
        }
        return out;
      };
      const reduceFn = (name: string, op: (xs: number[]) => number, asInt: (xs: Value[]) => boolean) =>
        builtin(`numpy.${name}`, (c, site) => {
          const xs = nums(c.args[0] ?? NONE, site);
          if (isUnknown(xs)) return xs;
          const items = interp.iterate(c.args[0]!, site) as Value[];
          const r = op(xs);
          return asInt(items.map(f)) ? int(r) : float(r);
        });
      const allInt = (xs: Value[]) => xs.every((x) => x.kind === 'int' || x.kind === 'bool');
      return mod(
        {
          linspace: builtin('numpy.linspace', (c, site) => {
            const [a, b, n] = [c.args[0], c.args[1], c.args[2] ?? c.kwargs.get('num') ?? int(50)].map((v) => (v ? f(v) : NONE));
            if (!a || !b || !n || !isNumber(a) || !isNumber(b) || !isNumber(n))
              return unknown('numpy.linspace() arguments cannot be known', site.range);
            const [x0, x1, k] = [numberOf(a), numberOf(b), numberOf(n)];
            if (k > interp.limits.maxSequenceLength) return unknown('numpy.linspace() too long', site.range);
            const step = k > 1 ? (x1 - x0) / (k - 1) : 0;
            return list(Array.from({ length: k }, (_, i) => float(i === k - 1 && k > 1 ? x1 : x0 + i * step)));
          }),
          arange: builtin('numpy.arange', (c, site) =>
            interp.callValue(
              interp.domain.builtins.vars.get('list')!,
              { args: [interp.callValue(interp.domain.builtins.vars.get('range')!, c, site)], kwargs: new Map() },
              site,
            ),
          ),
          array: builtin('numpy.array', (c, site) =>
            interp.callValue(interp.domain.builtins.vars.get('list')!, { args: [c.args[0] ?? list([])], kwargs: new Map() }, site),
          ),
          prod: reduceFn('prod', (xs) => xs.reduce((a, b) => a * b, 1), allInt),
          sum: reduceFn('sum', (xs) => xs.reduce((a, b) => a + b, 0), allInt),
          cumsum: builtin('numpy.cumsum', (c, site) => {
            const xs = nums(c.args[0] ?? NONE, site);
            if (isUnknown(xs)) return xs;
            let acc = 0;
            return list(xs.map((x: number) => int((acc += x))));
          }),
          sqrt: numFn('sqrt', Math.sqrt, false),
          ceil: numFn('ceil', Math.ceil, false),
          floor: numFn('floor', Math.floor, false),
          log: numFn('log', Math.log, false),
          log2: numFn('log2', Math.log2, false),
          exp: numFn('exp', Math.exp, false),
          round: numFn('round', (x) => Math.round(x), false),
          pi: float(Math.PI),
          int64: builtin('numpy.int64', (c) => int(Math.trunc(numberOf(f(c.args[0] ?? int(0)) as never)))),
          float32: builtin('numpy.float32', (c) => float(Math.fround(numberOf(f(c.args[0] ?? int(0)) as never)))),
          float64: builtin('numpy.float64', (c) => float(numberOf(f(c.args[0] ?? int(0)) as never))),
        },
        (n) => unknown(`numpy.${n} is not modelled`, undefined, true),
      );
    }
    case 'dataclasses':
      return mod({
        dataclass: dataclassDecorator(interp),
        field: builtin('dataclasses.field', (c) => {
          const fieldCls = builtinClass('Field');
          return { kind: 'instance', cls: fieldCls, attrs: new Map(c.kwargs) };
        }),
        fields: builtin('dataclasses.fields', (_c, site) => unknown('dataclasses.fields() is not interpreted', site.range)),
        asdict: builtin('dataclasses.asdict', (_c, site) => unknown('dataclasses.asdict() is not interpreted', site.range)),
        replace: builtin('dataclasses.replace', (_c, site) => unknown('dataclasses.replace() is not interpreted', site.range)),
      });
    case '__future__':
      return mod({}, () => NONE);
    case 'types':
      return mod({ FunctionType: builtinClass('FunctionType'), SimpleNamespace: builtinClass('SimpleNamespace') });
    default:
      return undefined;
  }
}

/**
 * `@dataclass` / `@dataclass(...)`: generates `__init__` from the annotated fields of the class and
 * its dataclass bases (in MRO order, base fields first), with class-level defaults and
 * `field(default=..., default_factory=...)`, then calls `__post_init__` if defined.
 */
function dataclassDecorator(interp: Interpreter): Value {
  const f = (v: Value) => interp.force(v);
  const apply = (clsV: Value): Value => {
    const cls = f(clsV);
    if (cls.kind !== 'class') return clsV;
    cls.isDataclass = true;
    if (cls.attrs.has('__init__')) return cls;
    const fields: string[] = [];
    for (const c of [...cls.mro].reverse()) {
      if (!c.isDataclass) continue;
      for (const n of c.annotations ?? []) if (!fields.includes(n)) fields.push(n);
    }
    const defaultOf = (name: string, site: CallSite): Value | undefined => {
      const d = interp.findClassAttr(cls, name);
      if (d === undefined) return undefined;
      const dv = f(d);
      if (dv.kind === 'instance' && dv.cls.name === 'Field') {
        const factory = dv.attrs.get('default_factory');
        if (factory) return interp.callValue(factory, { args: [], kwargs: new Map() }, site);
        return dv.attrs.get('default');
      }
      return d;
    };
    cls.attrs.set(
      '__init__',
      builtin(`${cls.name}.__init__`, (c, site) => {
        const self = f(c.args[0] ?? NONE);
        if (self.kind !== 'instance') return NONE;
        const args = c.args.slice(1);
        if (args.length > fields.length)
          interp.raise(
            'TypeError',
            `${cls.name}.__init__() takes ${fields.length + 1} positional arguments but ${args.length + 1} were given`,
            site.range,
          );
        fields.forEach((name, i) => {
          const v = i < args.length ? args[i] : (c.kwargs.get(name) ?? defaultOf(name, site));
          if (v === undefined)
            interp.raise('TypeError', `${cls.name}.__init__() missing 1 required positional argument: '${name}'`, site.range);
          interp.setAttr(self, name, v!, site);
        });
        const post = interp.findClassAttr(cls, '__post_init__');
        if (post) interp.callValue(interp.bindMember(post, self, cls), { args: [], kwargs: new Map() }, site);
        return NONE;
      }),
    );
    return cls;
  };
  const dec: Value = builtin('decorator:dataclasses.dataclass', (c) => (c.args[0] ? apply(c.args[0]) : dec));
  return dec;
}

export { PyRaise };

/**
 * collections.namedtuple(typename, field_names, *, defaults=None): a class whose instances hold their
 * fields as attributes and index, iterate and unpack as a tuple, with `_fields`, `_replace(**kw)` and
 * `_asdict()`. `Cls.__new__.__defaults__ = (...)` (how older code sets defaults) is honoured: `__new__` is
 * an object whose `__defaults__` the constructor reads.
 */
function namedtupleFactory(interp: Interpreter): Value {
  const f = (v: Value) => interp.force(v);
  return builtin('collections.namedtuple', (c, site) => {
    const typename = f(c.args[0] ?? c.kwargs.get('typename') ?? NONE);
    const spec = f(c.args[1] ?? c.kwargs.get('field_names') ?? NONE);
    let names: string[] | undefined;
    if (spec.kind === 'str' && !spec.opaque) names = spec.v.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
    else if (spec.kind === 'list' || spec.kind === 'tuple') {
      const items = spec.items.map(f);
      if (items.every((x) => x.kind === 'str' && !x.opaque)) names = items.map((x) => (x as { v: string }).v);
    }
    if (typename.kind !== 'str' || typename.opaque || !names)
      return unknown('namedtuple with field names that cannot be known', site.range);
    // Python's own check (collections/__init__.py); the name is then safe to show in messages.
    const bad = [typename.v, ...(c.kwargs.has('rename') ? [] : names)].find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
    if (bad !== undefined)
      return interp.raise('ValueError', `Type names and field names must be valid identifiers: ${quotedToken(bad)}`, site.range);
    const fields = names;
    const newHolder: InstanceV = { kind: 'instance', cls: builtinClass('function'), attrs: new Map() };
    const given = c.kwargs.get('defaults');
    if (given) newHolder.attrs.set('__defaults__', given);
    const make = (values: Map<string, Value>): InstanceV => {
      const inst: InstanceV = { kind: 'instance', cls, attrs: new Map(values) };
      return inst;
    };
    const valuesOf = (self: Value): Value[] => {
      const x = f(self);
      return x.kind === 'instance' ? fields.map((n) => x.attrs.get(n) ?? NONE) : [];
    };
    const cls: ClassV = builtinClass(typename.v, (call, s) => {
      const defaults = f(newHolder.attrs.get('__defaults__') ?? NONE);
      const dflt = defaults.kind === 'tuple' || defaults.kind === 'list' ? defaults.items : [];
      const values = new Map<string, Value>();
      for (const k of call.kwargs.keys())
        if (!fields.includes(k))
          return interp.raise('TypeError', `${typename.v}.__new__() got an unexpected keyword argument '${k}'`, s.range);
      if (call.args.length > fields.length)
        return interp.raise(
          'TypeError',
          `${typename.v}.__new__() takes ${fields.length + 1} positional arguments but ${call.args.length + 1} were given`,
          s.range,
        );
      for (const [i, n] of fields.entries()) {
        const v = call.args[i] ?? call.kwargs.get(n) ?? dflt[i - (fields.length - dflt.length)];
        if (v === undefined) return interp.raise('TypeError', `${typename.v}.__new__() missing required argument: '${n}'`, s.range);
        values.set(n, v);
      }
      return make(values);
    });
    cls.attrs.set('_fields', tuple(fields.map(str)));
    cls.attrs.set('__new__', newHolder);
    cls.attrs.set(
      '_replace',
      builtin(`${typename.v}._replace`, (call, s) => {
        const self = f(call.args[0] ?? NONE);
        if (self.kind !== 'instance') return unknown('_replace of a value that is not a namedtuple', s.range);
        const values = new Map(fields.map((n) => [n, self.attrs.get(n) ?? NONE] as [string, Value]));
        for (const [k, v] of call.kwargs) {
          if (!fields.includes(k)) return interp.raise('ValueError', `Got unexpected field names: ['${k}']`, s.range);
          values.set(k, v);
        }
        return make(values);
      }),
    );
    cls.attrs.set(
      '_asdict',
      builtin(`${typename.v}._asdict`, (call) =>
        dict(fields.map((n, i) => [str(n), valuesOf(call.args[0] ?? NONE)[i]!] as [Value, Value])),
      ),
    );
    cls.attrs.set(
      '__getitem__',
      builtin(`${typename.v}.__getitem__`, (call, s) => interp.getItem(tuple(valuesOf(call.args[0] ?? NONE)), call.args[1] ?? NONE, s)),
    );
    cls.attrs.set(
      '__iter__',
      builtin(`${typename.v}.__iter__`, (call) => tuple(valuesOf(call.args[0] ?? NONE))),
    );
    cls.attrs.set(
      '__len__',
      builtin(`${typename.v}.__len__`, () => int(fields.length)),
    );
    return cls;
  });
}
