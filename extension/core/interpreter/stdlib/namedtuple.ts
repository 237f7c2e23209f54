// collections.namedtuple: a class whose instances are attributes and a tuple at once.
import { NONE, builtin, dict, int, str, tuple, unknown, type ClassV, type InstanceV, type Value } from '../values';
import type { Interpreter } from '../eval';
import { builtinClass } from '../builtinTypes';
import { quotedToken } from '../../messageText';

/**
 * collections.namedtuple(typename, field_names, *, defaults=None): a class whose instances hold their
 * fields as attributes and index, iterate and unpack as a tuple, with `_fields`, `_replace(**kw)` and
 * `_asdict()`. `Cls.__new__.__defaults__ = (...)` (how older code sets defaults) is honoured: `__new__` is
 * an object whose `__defaults__` the constructor reads.
 */
export function namedtupleFactory(interp: Interpreter): Value {
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
