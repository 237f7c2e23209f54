// dataclasses.dataclass: the generated `__init__` (fields in MRO order, defaults, field(default_factory=...))
// and `__post_init__`.
import { NONE, builtin, type CallSite, type Value } from '../values';
import type { Interpreter } from '../eval';

/**
 * `@dataclass` / `@dataclass(...)`: generates `__init__` from the annotated fields of the class and
 * its dataclass bases (in MRO order, base fields first), with class-level defaults and
 * `field(default=..., default_factory=...)`, then calls `__post_init__` if defined.
 */
export function dataclassDecorator(interp: Interpreter): Value {
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
