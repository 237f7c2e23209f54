// The methods of builtin values: list, tuple, set and dict methods, str's (stdlib/strMethods.ts), int/float's
// is_integer and real, and functools.partial's attributes (func, args, keywords). The domain's `method`
// hook (domain.ts) reads them here; a method not modelled is undefined, and the evaluator says so.
import {
  NONE,
  bool,
  builtin,
  dict,
  int,
  keyOf,
  list,
  ndarray,
  str,
  tuple,
  unknown,
  isNumber,
  isUnknown,
  typeName,
  type BoolV,
  type CallSite,
  type FloatV,
  type IntV,
  type Value,
} from './values';
import { type Interpreter, repr } from './eval';
import { numpyReduce, type NumpyReduction } from './stdlib/numpyReduce';
import { strMethod } from './stdlib/strMethods';
import type { Fn } from './builtinTypes';

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
      if (obj.ndarray) return arrayMethod(interp, obj.items, name, m);
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

/**
 * The methods and attributes of a numpy array (a list marked `ndarray`) that model code uses to compute sizes: what
 * a Python list has but an array has not (append, pop…) and everything else is unknown, with the name.
 */
function arrayMethod(interp: Interpreter, items: readonly Value[], name: string, m: (fn: Fn) => Value): Value {
  const f = (v: Value) => interp.force(v);
  const notModelled = (what = `numpy.ndarray.${name}`) => unknown(`${what} is not modelled`, undefined, true);
  const numbers = (): (IntV | FloatV | BoolV)[] | undefined => {
    const xs = items.map(f);
    return xs.every(isNumber) ? xs : undefined;
  };
  const reduce = (what: NumpyReduction) =>
    m((c) => {
      const xs = numbers();
      if (c.args.length > 0 || c.kwargs.size > 0 || !xs || xs.length === 0) return notModelled(`numpy.ndarray.${name}() here`);
      const r = numpyReduce(what, xs);
      return r === 'pairwise' ? notModelled(`numpy.ndarray.${name}() of 8 or more floats (pairwise summation)`) : r;
    });
  switch (name) {
    case 'tolist': {
      const plain = (v: Value): Value => {
        const x = f(v);
        return x.kind === 'list' && x.ndarray ? list(x.items.map(plain)) : x;
      };
      return m(() => list(items.map(plain)));
    }
    case 'copy':
      return m(() => ndarray([...items]));
    case 'astype':
      // astype(T) is T(x) for every item with the dtypes model code passes (int, float, np.int64, np.float32…).
      return m((c, s) => {
        const t = f(c.args[0] ?? c.kwargs.get('dtype') ?? NONE);
        if (t.kind !== 'builtin' && t.kind !== 'class') return notModelled(`numpy.ndarray.astype(${typeName(t)})`);
        if (!numbers()) return notModelled('numpy.ndarray.astype() of values that are not numbers');
        return ndarray(items.map((x) => interp.callValue(t, { args: [x], kwargs: new Map() }, s)));
      });
    case 'sum':
    case 'prod':
    case 'max':
    case 'min':
    case 'mean':
      return reduce(name);
    case 'shape':
    case 'size':
    case 'ndim':
      // Known for a 1-D array of numbers; nested arrays would need every row's length.
      if (!numbers()) return notModelled(`numpy.ndarray.${name} of a nested array`);
      return name === 'shape' ? tuple([int(items.length)]) : int(name === 'size' ? items.length : 1);
    default:
      return notModelled();
  }
}
