// Python's builtin types as classes that construct values: int, float, bool, str, list, tuple, set, frozenset,
// dict, object, type, staticmethod/classmethod/property, the exception hierarchy, functools.partial's class,
// and isinstance() over them, user classes and torch classes. builtins.ts registers them with the functions.
import {
  NONE,
  bool,
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
  type Value,
} from './values';
import { type Interpreter, repr } from './eval';
import { pyStr } from './pyFormat';
import { parsePyFloat, parsePyInt } from './stdlib/numParse';

export type Fn = (call: CallArgs, site: CallSite) => Value;

/** A builtin class (int, list, dict, exceptions...) that constructs values from call arguments. */
export function builtinClass(name: string, construct?: Fn, extra: Partial<ClassV> = {}): ClassV {
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

/** Registers the builtin types and exceptions into the builtins scope's `vars`. */
export function defineBuiltinTypes(interp: Interpreter, vars: Map<string, Value>): void {
  const f = (v: Value) => interp.force(v);
  const seq = (v: Value, site: CallSite) => interp.iterate(v, site);
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
export function partialClass(interp: Interpreter): ClassV {
  let cls = partialClasses.get(interp);
  if (!cls) {
    cls = builtinClass('partial', (c) => ({ kind: 'partial', fn: c.args[0] ?? NONE, args: c.args.slice(1), kwargs: new Map(c.kwargs) }));
    partialClasses.set(interp, cls);
  }
  return cls;
}
