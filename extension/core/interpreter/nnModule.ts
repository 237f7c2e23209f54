// torch.nn.Module's bookkeeping: what `__setattr__` does with modules, parameters and buffers, the
// builtin methods of nn.Module (add_module, register_buffer, named_modules...), new instances of module
// classes, and the ids that tell modules and parameters apart (shared ones are counted once).
// Containers, layers and torch's namespaces are built on it in nnContainers.ts, nnLayers.ts and torchNamespace.ts.
import {
  NONE,
  builtin,
  bool,
  str,
  tuple,
  list,
  unknown,
  isUnknown,
  isModuleInstance,
  typeName,
  type CallArgs,
  type CallSite,
  type ClassV,
  type InstanceV,
  type ModuleData,
  type TensorV,
  type UnknownV,
  type Value,
  type TorchKind,
} from './values';
import type { Interpreter } from './eval';
import { toArg } from './torchArgs';
import { quotedName as quoted, shownString } from '../messageText';

let nextModuleId = 1;
let nextParamId = 1;
/** A fresh module id (a deep copy's modules get new ones too). */
export const newModuleId = (): number => nextModuleId++;
/** A fresh parameter id: two slots with the same id are one tied parameter. */
export const newParamId = (): number => nextParamId++;

/** A torch class (Module, a layer, a container): its MRO is itself then its bases' MROs. */
export function mkClass(name: string, torchKind: TorchKind, bases: ClassV[] = [], attrs: [string, Value][] = []): ClassV {
  const cls: ClassV = { kind: 'class', name, qualname: name, bases, mro: [], attrs: new Map(attrs), torch: torchKind };
  cls.mro = [cls, ...bases.flatMap((b) => b.mro).filter((c, i, a) => a.indexOf(c) === i)];
  return cls;
}

function moduleData(interp: Interpreter, site: CallSite): ModuleData {
  return {
    id: newModuleId(),
    children: new Map(),
    params: new Map(),
    buffers: new Map(),
    hyperparams: {},
    site: site.range,
    stack: [...interp.callStack, site.range],
    calls: [],
  };
}

/** A new instance of `cls`; a subclass of a torch module gets its module bookkeeping. */
export function newInstance(interp: Interpreter, cls: ClassV, site: CallSite): InstanceV {
  const isModule = cls.mro.some((c) => c.torch);
  return { kind: 'instance', cls, attrs: new Map(), ...(isModule ? { module: moduleData(interp, site) } : {}) };
}

// ---------------------------------------------------------------- Module bookkeeping

/** `self.name = module` (or None, or an unknown that may be a module): registers a child module. */
export function registerChild(
  interp: Interpreter,
  self: InstanceV & { module: ModuleData },
  name: string,
  value: Value,
  site: CallSite,
): void {
  const f = (v: Value) => interp.force(v);
  const v = f(value);
  self.attrs.delete(name);
  self.module.params.delete(name);
  self.module.buffers.delete(name);
  if (isModuleInstance(v)) {
    v.module.attach ??= site.range;
    self.module.children.set(name, v);
  } else if (v.kind === 'none') self.module.children.set(name, NONE);
  // An unknown child is listed where it is registered (the reason names where it became unknown).
  else if (isUnknown(v)) self.module.children.set(name, unknown(v.reason, site.range, true));
  else interp.raise('TypeError', `${typeName(v)} is not a Module subclass`, site.range);
}

/**
 * A child given by user code (add_module, a Sequential/ModuleList item): None is legal in torch (an
 * empty slot) but where a module was expected it is usually a helper that returned nothing, so say so.
 */
export function registerGivenChild(
  interp: Interpreter,
  self: InstanceV & { module: ModuleData },
  name: string,
  value: Value,
  site: CallSite,
  via: string,
): void {
  if (interp.force(value).kind === 'none') {
    // A ModuleList slot left empty on purpose is a known idiom (HRNet's fuse layers append None where no
    // fusion is needed), so it is information there; elsewhere it is a warning.
    interp.diag(
      self.cls.name === 'ModuleList' ? 'info' : 'warning',
      'none-module',
      `None registered as child module ${quoted(name)} of ${self.cls.name} by ${via}: torch keeps an empty slot that runs nothing; if a module was expected, what produced None is the cause`,
      site.range,
    );
  }
  registerChild(interp, self, name, value, site);
}

/** `self.name = nn.Parameter(...)` / register_parameter: the parameter slot (its shape, or why it is unknown). */
export function registerParam(interp: Interpreter, self: InstanceV & { module: ModuleData }, name: string, value: Value): void {
  const f = (v: Value) => interp.force(v);
  const v = f(value);
  self.attrs.delete(name);
  self.module.children.delete(name);
  if (v.kind === 'none') {
    self.module.params.set(name, null);
    return;
  }
  if (v.kind === 'tensor') {
    const known = v.shape.every((d) => d !== null);
    self.module.params.set(name, {
      id: v.paramId ?? newParamId(),
      shape: v.shape,
      numel: known ? (v.shape as number[]).reduce((a, b) => a * b, 1) : null,
      ...(known ? {} : { reason: v.reason ?? 'parameter shape cannot be known' }),
    });
    return;
  }
  self.module.params.set(name, {
    id: newParamId(),
    shape: [],
    numel: null,
    reason: isUnknown(v) ? v.reason : `parameter of type ${typeName(v)}`,
  });
}

/** torch.nn.Module.__setattr__: `self.x = v` routed to _modules, _parameters, _buffers or the instance dict. */
export function moduleSetAttr(interp: Interpreter, obj: InstanceV, name: string, value: Value, site: CallSite): boolean {
  const f = (v: Value) => interp.force(v);
  if (!isModuleInstance(obj)) return false;
  const v = f(value);
  // torch.nn.Module.__setattr__: Parameters → _parameters; Modules → _modules; an existing entry keeps its kind.
  if (v.kind === 'tensor' && v.isParameter) {
    registerParam(interp, obj, name, v);
    return true;
  }
  if (obj.module.params.has(name)) {
    if (v.kind === 'none') {
      obj.module.params.set(name, null);
      return true;
    }
    if (v.kind === 'tensor') {
      interp.raise(
        'TypeError',
        `cannot assign 'torch.Tensor' as parameter ${quoted(name)} (torch.nn.Parameter or None expected)`,
        site.range,
      );
    }
  }
  if (isModuleInstance(v)) {
    registerChild(interp, obj, name, v, site);
    return true;
  }
  if (obj.module.children.has(name)) {
    if (v.kind === 'none' || isUnknown(v)) {
      obj.module.children.set(name, v.kind === 'none' ? NONE : unknown(v.reason, site.range, true));
      return true;
    }
    interp.raise(
      'TypeError',
      `cannot assign '${typeName(v)}' as child module ${quoted(name)} (torch.nn.Module or None expected)`,
      site.range,
    );
  }
  if (obj.module.buffers.has(name) && (v.kind === 'tensor' || v.kind === 'none')) {
    obj.module.buffers.set(name, v);
    return true;
  }
  // An unknown value produced by a call may well be a module (a factory from a library without source),
  // unless the name is already an ordinary attribute or a layer's hyperparameter (`self.stride = ...`).
  if (isUnknown(v) && v.maybeModule && !obj.attrs.has(name) && !Object.prototype.hasOwnProperty.call(obj.module.hyperparams ?? {}, name)) {
    obj.module.children.set(name, unknown(v.reason, site.range, true));
    obj.attrs.delete(name);
    return true;
  }
  setHyperparam(interp, obj, name, v);
  obj.attrs.set(name, v);
  return true;
}

/**
 * A catalog layer reads its hyperparameters from its attributes at each forward (`F.conv2d(x, w, b, self.stride, ...)`),
 * so setting one after construction (`m.dilation, m.padding, m.stride = (2, 2), (2, 2), (1, 1)` to dilate a
 * backbone) changes the layer's shape and cost from then on; a value that cannot be known makes the layer unknown.
 */
function setHyperparam(interp: Interpreter, obj: InstanceV & { module: ModuleData }, name: string, v: Value): void {
  if (!Object.prototype.hasOwnProperty.call(obj.module.hyperparams, name)) return;
  const a = toArg(interp, v);
  if (a.known) obj.module.hyperparams = { ...obj.module.hyperparams, [name]: a.value };
  else obj.module.unknownReason ??= `${name} was set to a value that cannot be known: ${a.reason}`;
}

/**
 * torch.nn.Module.__getattr__: children, parameters and buffers; undefined for ordinary attributes.
 * `inForward`: whether the profiled forward pass runs (then `training` is False, as the counters run after model.eval()).
 */
export function moduleGetAttr(obj: Value, name: string, inForward: () => boolean = () => false): Value | undefined {
  if (!isModuleInstance(obj)) return undefined;
  if (obj.attrs.has(name)) return undefined; // Ordinary attributes: the evaluator reads them.
  const child = obj.module.children.get(name);
  if (child !== undefined) return child;
  if (obj.module.params.has(name)) {
    const p = obj.module.params.get(name);
    if (!p) return NONE;
    return {
      kind: 'tensor',
      shape: p.shape,
      isParameter: true,
      paramId: p.id,
      ...(p.reason ? { reason: p.reason } : {}),
    } satisfies TensorV;
  }
  const b = obj.module.buffers.get(name);
  if (b !== undefined) return b;
  // nn.Module.__init__ sets training=True, so `if self.training:` in a constructor builds the training-only
  // heads torch lists; the counters run the forward after model.eval().
  if (name === 'training') return bool(!inForward());
  return undefined;
}

/** The module a builtin method is called on (its first argument). */
export function selfOf(interp: Interpreter, c: CallArgs, site: CallSite): InstanceV & { module: ModuleData } {
  const f = (v: Value) => interp.force(v);
  const s = f(c.args[0] ?? NONE);
  if (!isModuleInstance(s)) interp.raise('TypeError', 'expected an nn.Module instance', site.range);
  return s as InstanceV & { module: ModuleData };
}
/** A name argument (add_module, register_buffer...): its string, or an unknown saying it cannot be known. */
export function strArg(interp: Interpreter, v: Value | undefined, what: string, site: CallSite): string | UnknownV {
  const f = (v: Value) => interp.force(v);
  const s = v ? f(v) : NONE;
  if (s.kind === 'str' && !s.opaque) return s.v;
  if (s.kind === 'int') return String(s.v);
  return unknown(`${what} cannot be known`, site.range);
}
/** A builtin method of a module class: `fn(self, call without self, site)`. */
export function method(
  interp: Interpreter,
  name: string,
  fn: (self: InstanceV & { module: ModuleData }, c: CallArgs, site: CallSite) => Value,
): [string, Value] {
  return [name, builtin(`Module.${name}`, (c, site) => fn(selfOf(interp, c, site), { args: c.args.slice(1), kwargs: c.kwargs }, site))];
}

function addModule(interp: Interpreter, self: InstanceV & { module: ModuleData }, c: CallArgs, site: CallSite): Value {
  const name = strArg(interp, c.args[0] ?? c.kwargs.get('name'), 'module name', site);
  const mod = c.args[1] ?? c.kwargs.get('module') ?? NONE;
  if (typeof name !== 'string') {
    self.module.unknownReason ??= `add_module() with a name that cannot be known (${name.reason})`;
    return NONE;
  }
  if (name.includes('.')) interp.raise('KeyError', `module name can't contain ".", got: ${shownString(name, String)}`, site.range);
  if (name === '') interp.raise('KeyError', 'module name can\'t be empty string ""', site.range);
  registerGivenChild(interp, self, name, mod, site, 'add_module');
  return NONE;
}

function allModules(root: InstanceV & { module: ModuleData }): [string, InstanceV & { module: ModuleData }][] {
  const out: [string, InstanceV & { module: ModuleData }][] = [];
  const seen = new Set<ModuleData>();
  const walk = (m: InstanceV & { module: ModuleData }, prefix: string) => {
    if (seen.has(m.module)) return;
    seen.add(m.module);
    out.push([prefix, m]);
    for (const [n, c] of m.module.children) if (isModuleInstance(c)) walk(c, prefix ? `${prefix}.${n}` : n);
  };
  walk(root, '');
  return out;
}

function paramTensors(root: InstanceV & { module: ModuleData }, named: boolean): Value {
  const out: Value[] = [];
  const seen = new Set<number>();
  for (const [prefix, m] of allModules(root)) {
    for (const [n, p] of m.module.params) {
      if (!p || seen.has(p.id)) continue;
      seen.add(p.id);
      const t: TensorV = { kind: 'tensor', shape: p.shape, isParameter: true, paramId: p.id };
      out.push(named ? tuple([str(prefix ? `${prefix}.${n}` : n), t]) : t);
    }
  }
  return list(out);
}

function returnsSelf(interp: Interpreter, name: string): [string, Value] {
  return method(interp, name, (self) => self);
}

/** torch.nn.Module: the base class every module derives from, with its builtin methods. */
export function createModuleClass(interp: Interpreter): ClassV {
  const f = (v: Value) => interp.force(v);
  return mkClass(
    'Module',
    { type: 'module' },
    [],
    [
      ['__init__', builtin('Module.__init__', () => NONE)],
      method(interp, 'add_module', (self, c, site) => addModule(interp, self, c, site)),
      method(interp, 'register_module', (self, c, site) => addModule(interp, self, c, site)),
      method(interp, 'register_parameter', (self, c, site) => {
        const name = strArg(interp, c.args[0], 'parameter name', site);
        if (typeof name === 'string') registerParam(interp, self, name, c.args[1] ?? NONE);
        else self.module.unknownReason ??= 'register_parameter() with a name that cannot be known';
        return NONE;
      }),
      method(interp, 'register_buffer', (self, c, site) => {
        const name = strArg(interp, c.args[0], 'buffer name', site);
        const t = f(c.args[1] ?? NONE);
        if (typeof name === 'string') self.module.buffers.set(name, t.kind === 'tensor' ? { ...t, isParameter: false } : NONE);
        return NONE;
      }),
      method(interp, 'children', (self) => list([...self.module.children.values()].filter((v) => isModuleInstance(v)))),
      method(interp, 'named_children', (self) =>
        list([...self.module.children].filter(([, v]) => isModuleInstance(v)).map(([k, v]) => tuple([str(k), v]))),
      ),
      method(interp, 'modules', (self) => list(allModules(self).map(([, m]) => m))),
      method(interp, 'named_modules', (self) => list(allModules(self).map(([n, m]) => tuple([str(n), m])))),
      method(interp, 'parameters', (self) => paramTensors(self, false)),
      method(interp, 'named_parameters', (self) => paramTensors(self, true)),
      method(interp, 'buffers', (self) => list([...self.module.buffers.values()])),
      method(interp, 'apply', (self) => self), // Usually weight initialisation; it changes no structure.
      ...[
        'train',
        'eval',
        'to',
        'cuda',
        'cpu',
        'float',
        'double',
        'half',
        'bfloat16',
        'requires_grad_',
        'share_memory',
        'type',
        'to_empty',
      ].map((n) => returnsSelf(interp, n)),
      method(interp, 'zero_grad', () => NONE),
      method(interp, 'extra_repr', () => str('')),
      method(interp, 'load_state_dict', (_s, _c, site) =>
        unknown('load_state_dict() reads weights at run time (no effect on structure)', site.range),
      ),
      method(interp, 'state_dict', (_s, _c, site) => unknown('state_dict() is not interpreted', site.range)),
      method(interp, 'register_forward_hook', () => NONE),
      method(interp, 'register_forward_pre_hook', () => NONE),
      method(interp, '_get_name', (self) => str(self.cls.name)),
    ],
  );
}
