// The torch.nn containers: Sequential (children by position or by an OrderedDict's keys), ModuleList,
// ModuleDict, ParameterList and ParameterDict, with torch's naming rules for their children and the
// list/dict methods model code uses to build them. Their forward (Sequential's) is moduleCall.ts's.
import {
  NONE,
  builtin,
  bool,
  int,
  str,
  tuple,
  list,
  unknown,
  isUnknown,
  isModuleInstance,
  numberOf,
  typeName,
  type CallSite,
  type ClassV,
  type InstanceV,
  type ModuleData,
  type Value,
} from './values';
import type { Interpreter } from './eval';
import { mkClass, moduleGetAttr, newInstance, registerChild, registerGivenChild, registerParam, selfOf, strArg, method } from './nnModule';
import { quotedName as quoted } from '../messageText';

function childList(self: InstanceV & { module: ModuleData }): [string, Value][] {
  return [...self.module.children];
}
function indexInto(interp: Interpreter, self: InstanceV & { module: ModuleData }, idx: Value, site: CallSite): Value {
  const f = (v: Value) => interp.force(v);
  const entries = childList(self);
  const i = f(idx);
  if (i.kind === 'int' || i.kind === 'bool') {
    const n = numberOf(i);
    const j = n < 0 ? entries.length + n : n;
    if (j < 0 || j >= entries.length) interp.raise('IndexError', `index ${n} is out of range`, site.range);
    return entries[j]![1];
  }
  if (i.kind === 'slice') {
    const picked = interp.getItem(list(entries.map(([k, v]) => tuple([str(k), v]))), i, site);
    const p = f(picked);
    // torch: Sequential[a:b] builds a new Sequential of the same modules (keeping their names).
    const out = newInstance(interp, self.cls, site) as InstanceV & { module: ModuleData };
    if (p.kind === 'list') {
      const isList = self.cls.mro.some((c) => c.torch?.type === 'container' && c.torch.name === 'ModuleList');
      p.items.forEach((pair, k) => {
        const t = f(pair);
        if (t.kind === 'tuple') out.module.children.set(isList ? String(k) : (t.items[0] as { v: string }).v, t.items[1] as InstanceV);
      });
    }
    return out;
  }
  if (isUnknown(i)) return unknown(i.reason, i.range, true);
  return interp.raise('TypeError', `indices must be integers or slices, not ${typeName(i)}`, site.range);
}

function appendChild(interp: Interpreter, self: InstanceV & { module: ModuleData }, v: Value, site: CallSite) {
  return registerGivenChild(interp, self, String(self.module.children.size), v, site, `${self.cls.name}.append`);
}
function extendChildren(interp: Interpreter, self: InstanceV & { module: ModuleData }, v: Value, site: CallSite) {
  const items = interp.iterate(v, site);
  if (isUnknown(items)) {
    self.module.unknownReason ??= `extended with modules that cannot be known: ${items.reason}`;
    return;
  }
  for (const it of items) appendChild(interp, self, it, site);
}
function insertChild(interp: Interpreter, self: InstanceV & { module: ModuleData }, index: Value, v: Value, site: CallSite) {
  const f = (v: Value) => interp.force(v);
  const entries = [...self.module.children.values()];
  const i = f(index);
  const n = i.kind === 'int' ? (i.v < 0 ? entries.length + i.v : i.v) : entries.length;
  const mod = f(v);
  if (!isModuleInstance(mod)) interp.raise('TypeError', `${typeName(mod)} is not a Module subclass`, site.range);
  mod.module.attach ??= site.range;
  entries.splice(Math.max(0, Math.min(n, entries.length)), 0, mod);
  self.module.children.clear();
  entries.forEach((e, k) => self.module.children.set(String(k), e));
}

/** What Sequential, ModuleList and ModuleDict share: indexing, len, iteration, append/extend/insert, item assignment. */
function containerMethods(interp: Interpreter): [string, Value][] {
  const f = (v: Value) => interp.force(v);
  return [
    method(interp, '__getitem__', (self, c, site) => {
      const i = f(c.args[0] ?? NONE);
      if (i.kind === 'str' && !i.opaque) return self.module.children.get(i.v) ?? interp.raise('KeyError', quoted(i.v), site.range);
      return indexInto(interp, self, i, site);
    }),
    method(interp, '__len__', (self) => int(self.module.children.size)),
    method(interp, '__iter__', (self) => list([...self.module.children.values()])),
    method(interp, 'append', (self, c, site) => {
      appendChild(interp, self, c.args[0] ?? NONE, site);
      return self;
    }),
    method(interp, 'extend', (self, c, site) => {
      extendChildren(interp, self, c.args[0] ?? NONE, site);
      return self;
    }),
    method(interp, '__iadd__', (self, c, site) => {
      extendChildren(interp, self, c.args[0] ?? NONE, site);
      return self;
    }),
    method(interp, 'insert', (self, c, site) => {
      insertChild(interp, self, c.args[0] ?? NONE, c.args[1] ?? NONE, site);
      return NONE;
    }),
    method(interp, '__setitem__', (self, c, site) => {
      const k = f(c.args[0] ?? NONE);
      if (k.kind === 'int') {
        const keys = [...self.module.children.keys()];
        const key = keys[k.v < 0 ? keys.length + k.v : k.v];
        if (key === undefined) interp.raise('IndexError', `index ${k.v} is out of range`, site.range);
        registerChild(interp, self, key!, c.args[1] ?? NONE, site);
      } else if (k.kind === 'str') registerChild(interp, self, k.v, c.args[1] ?? NONE, site);
      return NONE;
    }),
  ];
}

function dictUpdate(interp: Interpreter, self: InstanceV & { module: ModuleData }, src: Value, site: CallSite) {
  const f = (v: Value) => interp.force(v);
  const d = f(src);
  if (d.kind === 'dict') {
    for (const [k, v] of d.map.values()) {
      const name = strArg(interp, k, 'child module name', site);
      if (typeof name === 'string') registerChild(interp, self, name, v, site);
      else self.module.unknownReason ??= name.reason;
    }
    return;
  }
  const items = interp.iterate(d, site);
  if (isUnknown(items)) {
    self.module.unknownReason ??= `ModuleDict built from values that cannot be known: ${items.reason}`;
    return;
  }
  for (const it of items) {
    const pair = interp.iterate(it, site);
    if (isUnknown(pair) || pair.length !== 2) continue;
    const name = strArg(interp, pair[0], 'child module name', site);
    if (typeof name === 'string') registerChild(interp, self, name, pair[1]!, site);
  }
}
/** `__init__` of a container: `fill(self, firstArg)` registers the children it is given. */
function containerInit(
  interp: Interpreter,
  name: string,
  fill: (self: InstanceV & { module: ModuleData }, first: Value | undefined, rest: Value[], site: CallSite) => void,
): [string, Value] {
  return [
    '__init__',
    builtin(`${name}.__init__`, (c, site) => {
      fill(selfOf(interp, c, site), c.args[1] ?? c.kwargs.get('modules'), c.args.slice(1), site);
      return NONE;
    }),
  ];
}
/** The torch.nn containers, with torch's naming rules for their children. */
export interface Containers {
  readonly sequential: ClassV;
  readonly moduleList: ClassV;
  readonly moduleDict: ClassV;
  readonly paramList: ClassV;
  readonly paramDict: ClassV;
}

/** Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict, subclasses of `moduleClass`. */
export function createContainers(interp: Interpreter, moduleClass: ClassV): Containers {
  const f = (v: Value) => interp.force(v);
  const methods = containerMethods(interp);
  const sequential = mkClass(
    'Sequential',
    { type: 'container', name: 'Sequential' },
    [moduleClass],
    [
      // Sequential(OrderedDict(...)) names its children by the keys; Sequential(a, b) by position.
      containerInit(interp, 'Sequential', (self, first, rest, site) => {
        if (rest.length === 1 && f(first!).kind === 'dict') dictUpdate(interp, self, first!, site);
        else rest.forEach((a, i) => registerGivenChild(interp, self, String(i), a, site, 'nn.Sequential(...)'));
      }),
      ...methods,
    ],
  );
  const moduleList = mkClass(
    'ModuleList',
    { type: 'container', name: 'ModuleList' },
    [moduleClass],
    [
      containerInit(interp, 'ModuleList', (self, first, _rest, site) => {
        if (first && f(first).kind !== 'none') extendChildren(interp, self, first, site);
      }),
      ...methods,
    ],
  );
  const moduleDict = mkClass(
    'ModuleDict',
    { type: 'container', name: 'ModuleDict' },
    [moduleClass],
    [
      containerInit(interp, 'ModuleDict', (self, first, _rest, site) => {
        if (first && f(first).kind !== 'none') dictUpdate(interp, self, first, site);
      }),
      ...methods,
      method(interp, '__iter__', (self) => list([...self.module.children.keys()].map(str))),
      method(interp, 'keys', (self) => list([...self.module.children.keys()].map(str))),
      method(interp, 'values', (self) => list([...self.module.children.values()])),
      method(interp, 'items', (self) => list([...self.module.children].map(([k, v]) => tuple([str(k), v])))),
      method(interp, 'update', (self, c, site) => {
        dictUpdate(interp, self, c.args[0] ?? NONE, site);
        return NONE;
      }),
      method(interp, '__contains__', (self, c) => {
        const k = f(c.args[0] ?? NONE);
        return k.kind === 'str' ? bool(self.module.children.has(k.v)) : unknown('key cannot be known');
      }),
    ],
  );
  const paramList = mkClass(
    'ParameterList',
    { type: 'container', name: 'ParameterList' },
    [moduleClass],
    [
      [
        '__init__',
        builtin('ParameterList.__init__', (c, site) => {
          const self = selfOf(interp, c, site);
          const items = c.args[1] ? interp.iterate(c.args[1], site) : [];
          if (isUnknown(items)) self.module.unknownReason ??= items.reason;
          else items.forEach((p, i) => registerParam(interp, self, String(i), p));
          return NONE;
        }),
      ],
      method(interp, 'append', (self, c) => {
        registerParam(interp, self, String(self.module.params.size), c.args[0] ?? NONE);
        return self;
      }),
      method(interp, 'extend', (self, c, site) => {
        const items = interp.iterate(c.args[0] ?? NONE, site);
        if (isUnknown(items)) self.module.unknownReason ??= items.reason;
        else for (const p of items) registerParam(interp, self, String(self.module.params.size), p);
        return self;
      }),
      method(interp, '__len__', (self) => int(self.module.params.size)),
      method(interp, '__getitem__', (self, c, site) => {
        const i = f(c.args[0] ?? NONE);
        const n = self.module.params.size;
        if (i.kind !== 'int') return unknown(`ParameterList index of type ${typeName(i)}`, site.range);
        const k = i.v < 0 ? n + i.v : i.v;
        if (k < 0 || k >= n) return interp.raise('IndexError', `index ${i.v} is out of range`, site.range);
        return moduleGetAttr(self, String(k)) ?? NONE;
      }),
      method(interp, '__iter__', (self) => list([...self.module.params.keys()].map((k) => moduleGetAttr(self, k) ?? NONE))),
    ],
  );
  const paramDict = mkClass(
    'ParameterDict',
    { type: 'container', name: 'ParameterDict' },
    [moduleClass],
    [
      [
        '__init__',
        builtin('ParameterDict.__init__', (c, site) => {
          const self = selfOf(interp, c, site);
          const d = c.args[1] ? f(c.args[1]) : NONE;
          if (d.kind === 'dict')
            for (const [k, v] of d.map.values()) {
              const name = strArg(interp, k, 'ParameterDict key', site);
              if (typeof name === 'string') registerParam(interp, self, name, v);
            }
          return NONE;
        }),
      ],
      method(interp, '__getitem__', (self, c, site) => {
        const k = strArg(interp, c.args[0], 'ParameterDict key', site);
        if (typeof k !== 'string') return k;
        return self.module.params.has(k) ? (moduleGetAttr(self, k) ?? NONE) : interp.raise('KeyError', quoted(k), site.range);
      }),
      method(interp, '__setitem__', (self, c, site) => {
        const k = strArg(interp, c.args[0], 'ParameterDict key', site);
        if (typeof k === 'string') registerParam(interp, self, k, c.args[1] ?? NONE);
        else self.module.unknownReason ??= k.reason;
        return NONE;
      }),
      method(interp, '__len__', (self) => int(self.module.params.size)),
      method(interp, 'keys', (self) => list([...self.module.params.keys()].map(str))),
      method(interp, 'values', (self) => list([...self.module.params.keys()].map((k) => moduleGetAttr(self, k) ?? NONE))),
      method(interp, 'items', (self) => list([...self.module.params.keys()].map((k) => tuple([str(k), moduleGetAttr(self, k) ?? NONE])))),
    ],
  );
  return { sequential, moduleList, moduleDict, paramList, paramDict };
}
