// itertools over known iterables, materialised as lists (model code consumes them at once): repeat,
// chain (and chain.from_iterable), product (with repeat=), accumulate (with func and initial=), islice,
// zip_longest, combinations, permutations. A result longer than the interpreter's sequence limit, or
// an infinite iterator (count, cycle, repeat without a count), is unknown with the reason.
import {
  NONE,
  builtin,
  isUnknown,
  list,
  tuple,
  unknown,
  type CallArgs,
  type CallSite,
  type ClassV,
  type PyModuleV,
  type UnknownV,
  type Value,
} from '../values';
import type { Interpreter } from '../eval';

export function itertoolsModule(interp: Interpreter): PyModuleV {
  const f = (v: Value) => interp.force(v);
  const limit = interp.limits.maxSequenceLength;
  const tooLong = (n: number, name: string, site: CallSite) =>
    unknown(`itertools.${name}() would make ${n} items, more than the limit of ${limit}`, site.range);
  const intArg = (v: Value | undefined, dflt: number | undefined): number | undefined | null => {
    if (!v) return dflt;
    const x = f(v);
    if (x.kind === 'none') return dflt ?? null;
    return x.kind === 'int' || x.kind === 'bool' ? Number(x.v) : undefined;
  };
  const iterables = (vs: Value[], site: CallSite): Value[][] | UnknownV => {
    const out: Value[][] = [];
    for (const v of vs) {
      const items = interp.iterate(v, site);
      if (isUnknown(items)) return items;
      out.push(items);
    }
    return out;
  };
  const chainOf = (vs: Value[], site: CallSite): Value => {
    const parts = iterables(vs, site);
    return isUnknown(parts) ? parts : list(parts.flat());
  };
  // A class, so that it is callable and has the attribute from_iterable.
  const chain: ClassV = {
    kind: 'class',
    name: 'chain',
    qualname: 'itertools.chain',
    bases: [],
    mro: [],
    attrs: new Map(),
    construct: (c, site) => chainOf(c.args, site),
  };
  chain.mro = [chain];
  const fromIterable = builtin('itertools.chain.from_iterable', (c, site) => {
    const outer = interp.iterate(c.args[0] ?? NONE, site);
    return isUnknown(outer) ? outer : chainOf(outer, site);
  });
  chain.attrs.set('from_iterable', fromIterable);
  const entries: Record<string, Value> = {
    chain,
    repeat: builtin('itertools.repeat', (c, site) => {
      const n = intArg(c.args[1] ?? c.kwargs.get('times'), undefined);
      if (n === undefined || n === null) return unknown('itertools.repeat() without a known count is endless', site.range);
      if (n > limit) return tooLong(n, 'repeat', site);
      return list(Array.from({ length: Math.max(0, n) }, () => c.args[0] ?? NONE));
    }),
    product: builtin('itertools.product', (c, site) => {
      const rep = intArg(c.kwargs.get('repeat'), 1);
      if (typeof rep !== 'number') return unknown('itertools.product() with a repeat that is not known', site.range);
      const pools = iterables(c.args, site);
      if (isUnknown(pools)) return pools;
      const all = Array.from({ length: rep }, () => pools).flat();
      const n = all.reduce((a, p) => a * p.length, 1);
      if (n > limit) return tooLong(n, 'product', site);
      let acc: Value[][] = [[]];
      for (const pool of all) acc = acc.flatMap((p) => pool.map((it) => [...p, it]));
      return list(acc.map(tuple));
    }),
    accumulate: builtin('itertools.accumulate', (c: CallArgs, site) => {
      const items = interp.iterate(c.args[0] ?? NONE, site);
      if (isUnknown(items)) return items;
      const fn = c.args[1] ?? c.kwargs.get('func');
      const initial = c.kwargs.get('initial');
      const out: Value[] = [];
      let acc: Value | undefined = initial && f(initial).kind !== 'none' ? initial : undefined;
      if (acc) out.push(acc);
      for (const it of items) {
        acc =
          acc === undefined
            ? it
            : fn && f(fn).kind !== 'none'
              ? interp.callValue(fn, { args: [acc, it], kwargs: new Map() }, site)
              : interp.binop('+', acc, it, site);
        out.push(acc);
      }
      return list(out);
    }),
    islice: builtin('itertools.islice', (c, site) => {
      const items = interp.iterate(c.args[0] ?? NONE, site);
      if (isUnknown(items)) return items;
      const bounds =
        c.args.length <= 2
          ? [0, intArg(c.args[1], undefined) ?? items.length, 1]
          : [intArg(c.args[1], 0), intArg(c.args[2], undefined) ?? items.length, intArg(c.args[3], 1)];
      if (bounds.some((b) => typeof b !== 'number' || b < 0))
        return unknown('itertools.islice() with bounds that are not known non-negative ints', site.range);
      const [start, stop, step] = bounds as number[];
      const out: Value[] = [];
      for (let i = start!; i < Math.min(stop!, items.length); i += step!) out.push(items[i]!);
      return list(out);
    }),
    zip_longest: builtin('itertools.zip_longest', (c, site) => {
      const pools = iterables(c.args, site);
      if (isUnknown(pools)) return pools;
      const fill = c.kwargs.get('fillvalue') ?? NONE;
      const n = Math.max(0, ...pools.map((p) => p.length));
      return list(Array.from({ length: n }, (_x, i) => tuple(pools.map((p) => p[i] ?? fill))));
    }),
    combinations: builtin('itertools.combinations', (c, site) => {
      const pool = interp.iterate(c.args[0] ?? NONE, site);
      const r = intArg(c.args[1] ?? c.kwargs.get('r'), undefined);
      if (isUnknown(pool)) return pool;
      if (typeof r !== 'number') return unknown('itertools.combinations() with an r that is not known', site.range);
      const out: Value[] = [];
      const pick = (from: number, chosen: Value[]): boolean => {
        if (chosen.length === r) return out.push(tuple(chosen)) <= limit;
        for (let i = from; i < pool.length; i++) if (!pick(i + 1, [...chosen, pool[i]!])) return false;
        return true;
      };
      return pick(0, []) ? list(out) : tooLong(out.length, 'combinations', site);
    }),
    permutations: builtin('itertools.permutations', (c, site) => {
      const pool = interp.iterate(c.args[0] ?? NONE, site);
      if (isUnknown(pool)) return pool;
      const r = intArg(c.args[1] ?? c.kwargs.get('r'), pool.length);
      if (typeof r !== 'number') return unknown('itertools.permutations() with an r that is not known', site.range);
      const out: Value[] = [];
      const pick = (used: boolean[], chosen: Value[]): boolean => {
        if (chosen.length === r) return out.push(tuple(chosen)) <= limit;
        for (let i = 0; i < pool.length; i++) {
          if (used[i]) continue;
          used[i] = true;
          const ok = pick(used, [...chosen, pool[i]!]);
          used[i] = false;
          if (!ok) return false;
        }
        return true;
      };
      return pick([], []) ? list(out) : tooLong(out.length, 'permutations', site);
    }),
    count: builtin('itertools.count', (_c, site) => unknown('itertools.count() is endless', site.range)),
    cycle: builtin('itertools.cycle', (_c, site) => unknown('itertools.cycle() is endless', site.range)),
  };
  return { kind: 'module', name: 'itertools', get: (n) => entries[n], names: () => Object.keys(entries) };
}
