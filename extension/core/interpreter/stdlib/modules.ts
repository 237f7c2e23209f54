// The standard-library modules model code imports, modelled just enough: math, functools (partial, reduce,
// wraps...), collections (OrderedDict, namedtuple), typing, itertools and re (their own files), operator, copy,
// warnings, abc, numpy's few constants and helpers, dataclasses, types. A name not modelled here is an
// unknown value with a reason, never a guess. The binder resolves `import math` here.
import {
  NONE,
  bool,
  builtin,
  float,
  int,
  list,
  ndarray,
  unknown,
  isNumber,
  isUnknown,
  numberOf,
  typeName,
  type CallSite,
  type PyModuleV,
  type UnknownV,
  type Value,
} from '../values';
import type { Interpreter } from '../eval';
import { builtinClass, partialClass } from '../builtinTypes';
import { reModule } from './re';
import { itertoolsModule } from './itertools';
import { numpyReduce } from './numpyReduce';
import { dataclassDecorator } from './dataclasses';
import { namedtupleFactory } from './namedtuple';

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
      // The part of numpy model code uses to compute sizes, drop rates and permutations. An array is a list marked
      // `ndarray` (values.ts): indexing it with an integer array gathers, arithmetic on it is elementwise, and what
      // numpy does differently from a Python list and is not modelled is unknown; `.tolist()` gives the plain list.
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
      const reduceFn = (name: 'sum' | 'prod') =>
        builtin(`numpy.${name}`, (c, site) => {
          const xs = nums(c.args[0] ?? NONE, site);
          if (isUnknown(xs)) return xs;
          const r = numpyReduce(name, (interp.iterate(c.args[0]!, site) as Value[]).map(f).filter(isNumber));
          return r === 'pairwise' ? unknown(`numpy.${name}() of 8 or more floats (pairwise summation) is not modelled`, site.range) : r;
        });
      const allInt = (xs: Value[]) => xs.every((x) => x.kind === 'int' || x.kind === 'bool');
      /** A Python sequence as numpy.array makes it: nested lists and tuples become arrays too. */
      const toArray = (v: Value, site: CallSite): Value => {
        const items = interp.iterate(v, site);
        if (isUnknown(items)) return items;
        return ndarray(items.map((x) => (x.kind === 'list' || x.kind === 'tuple' ? toArray(x, site) : x)));
      };
      /**
       * np.zeros / ones / empty: nested arrays of that shape (model code fills them, e.g. an identity kernel, then hands
       * them to torch.from_numpy); `empty`'s values are never read as numbers that matter, so 0 stands for them. The
       * dtype is float unless an int dtype is given; more than maxSequenceLength items is unknown.
       */
      const filled = (fname: string, fill: number) =>
        builtin(`numpy.${fname}`, (c, site) => {
          const spec = f(c.args[0] ?? c.kwargs.get('shape') ?? NONE);
          const dims = isNumber(spec) ? [spec] : spec.kind === 'tuple' || spec.kind === 'list' ? spec.items.map(f) : undefined;
          if (!dims || !dims.every((d) => d.kind === 'int' && d.v >= 0))
            return unknown(`numpy.${fname}() of a shape that cannot be known`, site.range);
          const shape = dims.map((d) => numberOf(d as Value & { kind: 'int' }));
          if (shape.reduce((a, b) => a * b, 1) > interp.limits.maxSequenceLength)
            return unknown(`numpy.${fname}() of more items than the interpreter builds`, site.range);
          const dtype = f(c.args[1] ?? c.kwargs.get('dtype') ?? NONE);
          const asInt = dtype.kind === 'builtin' && /^(int|numpy\.int\d*|numpy\.uint\d*)$/.test(dtype.name);
          const build = (k: number): Value =>
            ndarray(Array.from({ length: shape[k]! }, () => (k + 1 < shape.length ? build(k + 1) : asInt ? int(fill) : float(fill))));
          return shape.length === 0 ? (asInt ? int(fill) : float(fill)) : build(0);
        });
      /** numpy sorts with introsort, which is insertion sort (stable) up to 16 items; equal keys beyond that have no modelled order. */
      const STABLE_UP_TO = 16;
      return mod(
        {
          linspace: builtin('numpy.linspace', (c, site) => {
            const [a, b, n] = [c.args[0], c.args[1], c.args[2] ?? c.kwargs.get('num') ?? int(50)].map((v) => (v ? f(v) : NONE));
            if (!a || !b || !n || !isNumber(a) || !isNumber(b) || !isNumber(n))
              return unknown('numpy.linspace() arguments cannot be known', site.range);
            const [x0, x1, k] = [numberOf(a), numberOf(b), numberOf(n)];
            if (k > interp.limits.maxSequenceLength) return unknown('numpy.linspace() too long', site.range);
            const step = k > 1 ? (x1 - x0) / (k - 1) : 0;
            return ndarray(Array.from({ length: k }, (_, i) => float(i === k - 1 && k > 1 ? x1 : x0 + i * step)));
          }),
          arange: builtin('numpy.arange', (c, site) => toArray(interp.callValue(interp.domain.builtins.vars.get('range')!, c, site), site)),
          array: builtin('numpy.array', (c, site) => toArray(c.args[0] ?? list([]), site)),
          zeros: filled('zeros', 0),
          ones: filled('ones', 1),
          empty: filled('empty', 0),
          argsort: builtin('numpy.argsort', (c, site) => {
            const xs = nums(c.args[0] ?? NONE, site);
            if (isUnknown(xs)) return xs;
            const kind = f(c.kwargs.get('kind') ?? NONE);
            const stable = kind.kind === 'str' && (kind.v === 'stable' || kind.v === 'mergesort');
            if (!stable && xs.length > STABLE_UP_TO && new Set(xs).size < xs.length)
              return unknown("numpy.argsort() of more than 16 values with equal ones: numpy's order for them is not modelled", site.range);
            const order = xs.map((_, i) => i).sort((i, j) => xs[i]! - xs[j]! || i - j);
            return ndarray(order.map((i) => int(i)));
          }),
          prod: reduceFn('prod'),
          sum: reduceFn('sum'),
          cumsum: builtin('numpy.cumsum', (c, site) => {
            const xs = nums(c.args[0] ?? NONE, site);
            if (isUnknown(xs)) return xs;
            // Integers stay integers (numpy's int64); anything else is a float running sum, added in order as numpy does.
            const asInt = allInt((interp.iterate(c.args[0]!, site) as Value[]).map(f));
            let acc = 0;
            return ndarray(xs.map((x: number) => ((acc += x), asInt ? int(acc) : float(acc))));
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
