// A static model of the parts of `torch` that building a model touches: torch.nn.Module's
// bookkeeping (`__setattr__` routing to _modules/_parameters/_buffers, add_module, register_buffer),
// the catalog layers as classes, the containers (Sequential, ModuleList, ModuleDict) with torch's
// naming rules, nn.Parameter and tensor factories (as shapes), nn.init (no-ops). The forward pass
// (tensor ops) is added by forward.ts through the `ops` hook; this file does not compute costs.
import type { Shape, SourceRange } from '../resultTypes';
import {
  NONE,
  builtin,
  bool,
  int,
  str,
  unknown,
  isUnknown,
  isModuleInstance,
  isNumber,
  numberOf,
  type CallSite,
  type ClassV,
  type InstanceV,
  type PyModuleV,
  type TensorV,
  type Value,
} from './values';
import type { Interpreter } from './eval';
import { createContainers } from './nnContainers';
import { createLayerClasses } from './nnLayers';
import { createParameterClass, createTensorClass, likeFactory, tensorFactory } from './torchTensors';
import { createTransformers } from './nnTransformer';
import { deepCopy } from './deepCopy';
import { createModuleClass, moduleGetAttr, moduleSetAttr, newInstance, newParamId, registerParam } from './nnModule';

const TORCH_NN_SUBMODULES = new Set([
  'conv',
  'linear',
  'batchnorm',
  'activation',
  'pooling',
  'container',
  'module',
  'normalization',
  'dropout',
  'padding',
  'pixelshuffle',
  'upsampling',
  'flatten',
  'rnn',
  'transformer',
  'sparse',
  'channelshuffle',
  'instancenorm',
  'distance',
  'fold',
]);

export interface TorchModel {
  readonly torchModule: PyModuleV;
  readonly moduleClass: ClassV;
  newInstance(cls: ClassV, site: CallSite): InstanceV;
  setAttr(obj: InstanceV, name: string, value: Value, site: CallSite): boolean;
  getAttr(obj: Value, name: string, site: CallSite): Value | undefined;
  /** Extra torch attributes (functional ops, tensor ops) registered by the forward model. */
  readonly extraTorch: Map<string, Value>;
  readonly extraFunctional: Map<string, Value>;
  readonly tensorClass: ClassV;
  /** copy.deepcopy, module-aware (fresh modules and parameters, built at `site`). */
  deepCopy(v: Value, site?: CallSite): Value;
}

export function createTorch(interp: Interpreter): TorchModel {
  const f = (v: Value) => interp.force(v);
  const extraTorch = new Map<string, Value>();
  const extraFunctional = new Map<string, Value>();

  const moduleClass = createModuleClass(interp);

  // ---------------------------------------------------------------- catalog layers

  const layerClasses = createLayerClasses(interp, moduleClass);

  const { sequential, moduleList, moduleDict, paramList, paramDict } = createContainers(interp, moduleClass);
  const functional: PyModuleV = {
    kind: 'module',
    name: 'torch.nn.functional',
    get: (n) => extraFunctional.get(n) ?? unknown(`torch.nn.functional.${n} is not modelled`, undefined, false),
  };
  const { transformerEncoder, transformerDecoder, transformer } = createTransformers(
    interp,
    moduleClass,
    moduleList,
    layerClasses,
    functional,
  );

  const parameterCls = createParameterClass(interp);
  const tensorClass = createTensorClass(interp, extraTorch);

  // ---------------------------------------------------------------- namespaces

  const noop = (name: string) => builtin(name, () => NONE);
  const initModule: PyModuleV = {
    kind: 'module',
    name: 'torch.nn.init',
    get: (n) => (n.startsWith('_') ? undefined : builtin(`torch.nn.init.${n}`, (c) => c.args[0] ?? NONE)),
  };
  const nnEntries = new Map<string, Value>([
    ['Module', moduleClass],
    ['Sequential', sequential],
    ['ModuleList', moduleList],
    ['ModuleDict', moduleDict],
    ['ParameterList', paramList],
    ['ParameterDict', paramDict],
    ['Parameter', parameterCls],
    ['TransformerEncoder', transformerEncoder],
    ['TransformerDecoder', transformerDecoder],
    ['Transformer', transformer],
    ['init', initModule],
    ['functional', functional],
    ...[...layerClasses],
  ]);
  const nnModule: PyModuleV = {
    kind: 'module',
    name: 'torch.nn',
    get: (n) => {
      const v = nnEntries.get(n);
      if (v) return v;
      // torch.nn.modules.conv.Conv2d and friends: the submodules of torch.nn.modules re-export the same classes.
      if (n === 'modules' || n === 'parameter' || TORCH_NN_SUBMODULES.has(n)) return nnModule;
      if (n === 'utils') return utils;
      if (/^[A-Z]/.test(n)) return unknown(`torch.nn.${n} is not in Conv Lens's layer catalog`, undefined, true);
      return unknown(`torch.nn.${n} is not modelled`, undefined, true);
    },
    names: () => [...nnEntries.keys()],
  };

  // torch.nn.utils.weight_norm / spectral_norm: the module itself, its `weight` parameter replaced by the
  // ones torch registers (weight_g + weight_v; weight_orig with the power-iteration vectors as buffers).
  const reparametrize = (kind: 'weight_norm' | 'spectral_norm') =>
    builtin(`torch.nn.utils.${kind}`, (c, site) => {
      const m = c.args[0] ?? c.kwargs.get('module') ?? NONE;
      const mod = f(m);
      if (!isModuleInstance(mod)) return isUnknown(mod) ? mod : unknown(`${kind} of a value that is not a module`, site.range, true);
      const nameV = f(c.args[1] ?? c.kwargs.get('name') ?? str('weight'));
      const name = nameV.kind === 'str' ? nameV.v : 'weight';
      const slot = mod.module.params.get(name);
      if (!slot) return interp.raise('AttributeError', `'${mod.cls.name}' object has no parameter '${name}'`, site.range);
      const shape = slot.shape;
      const transposed = /^ConvTranspose/.test(mod.cls.mro.find((k) => k.torch?.type === 'layer')?.name ?? '');
      const dimV = f(c.args[kind === 'weight_norm' ? 2 : 4] ?? c.kwargs.get('dim') ?? (kind === 'weight_norm' ? int(0) : NONE));
      const rank = shape.length;
      const dim =
        dimV.kind === 'none'
          ? kind === 'weight_norm'
            ? -1
            : transposed
              ? 1
              : 0
          : isNumber(dimV)
            ? (numberOf(dimV) + rank) % Math.max(rank, 1)
            : 0;
      mod.module.params.delete(name);
      const param = (s2: Shape): TensorV => ({ kind: 'tensor', shape: s2, isParameter: true, paramId: newParamId() });
      if (kind === 'weight_norm') {
        // dim=None normalises over the whole tensor: weight_g is a scalar.
        registerParam(interp, mod, `${name}_g`, param(dim < 0 ? [] : shape.map((d, i) => (i === dim ? d : 1))));
        registerParam(interp, mod, `${name}_v`, param(shape));
      } else {
        registerParam(interp, mod, `${name}_orig`, param(shape));
        const h = shape[dim] ?? null;
        const w = shape.every((d) => d !== null) && h ? (shape as number[]).reduce((a, b) => a * b, 1) / h : null;
        mod.module.buffers.set(`${name}_u`, { kind: 'tensor', shape: [h] });
        mod.module.buffers.set(`${name}_v`, { kind: 'tensor', shape: [w] });
      }
      // `module.weight` is still a tensor of the original shape (recomputed before each forward in torch).
      mod.attrs.set(name, { kind: 'tensor', shape });
      return mod;
    });
  const utils: PyModuleV = {
    kind: 'module',
    name: 'torch.nn.utils',
    get: (n) => {
      if (n === 'weight_norm' || n === 'spectral_norm') return reparametrize(n);
      if (n === 'remove_weight_norm' || n === 'remove_spectral_norm') return builtin(`torch.nn.utils.${n}`, (c) => c.args[0] ?? NONE);
      if (n === 'clip_grad_norm_' || n === 'clip_grad_value_') return noop(`torch.nn.utils.${n}`);
      return unknown(`torch.nn.utils.${n} is not modelled`, undefined, true);
    },
  };

  const dtypes = [
    'float32',
    'float',
    'float16',
    'half',
    'bfloat16',
    'float64',
    'double',
    'int64',
    'long',
    'int32',
    'int',
    'bool',
    'uint8',
    'int8',
  ];
  const torchEntries = new Map<string, Value>([
    ['nn', nnModule],
    ['Tensor', tensorClass],
    ...['zeros', 'ones', 'empty', 'randn', 'rand', 'FloatTensor', 'LongTensor'].map(
      (n) => [n, tensorFactory(interp, extraTorch, n)] as [string, Value],
    ),
    [
      'full',
      builtin('torch.full', (c, site) =>
        tensorFactory(interp, extraTorch, 'full').fn({ args: c.args.slice(0, 1), kwargs: new Map() }, site),
      ),
    ],
    ...['zeros_like', 'ones_like', 'empty_like', 'randn_like', 'rand_like', 'full_like'].map(
      (n) => [n, likeFactory(interp, n)] as [string, Value],
    ),
    ['no_grad', builtin('identity-decorator:torch.no_grad', () => builtin('identity-decorator:torch.no_grad', (c) => c.args[0] ?? NONE))],
    ['manual_seed', noop('torch.manual_seed')],
    ['is_tensor', builtin('torch.is_tensor', (c) => bool(f(c.args[0] ?? NONE).kind === 'tensor'))],
    ['__version__', str('1.13.1')],
    ...dtypes.map((n) => [n, str(`torch.${n}`)] as [string, Value]),
  ]);
  const jit: PyModuleV = {
    kind: 'module',
    name: 'torch.jit',
    get: (n) =>
      ['script', 'ignore', 'unused', 'export', 'script_method', '_script_if_tracing', 'is_scripting', 'is_tracing'].includes(n)
        ? n === 'is_scripting' || n === 'is_tracing'
          ? builtin(`torch.jit.${n}`, () => bool(false))
          : builtin(`identity-decorator:torch.jit.${n}`, (c) => c.args[0] ?? NONE)
        : unknown(`torch.jit.${n} is not modelled`),
  };
  // torch.autograd.Function: `Cls.apply(*args)` runs the class's static `forward(ctx, *args)`; the ctx
  // methods (save_for_backward, mark_dirty...) only matter to backward and are no-ops here.
  const ctxCls: ClassV = {
    kind: 'class',
    name: 'FunctionCtx',
    qualname: 'FunctionCtx',
    bases: [],
    mro: [],
    attrs: new Map(
      ['save_for_backward', 'mark_dirty', 'mark_non_differentiable', 'set_materialize_grads', 'save_for_forward'].map((n) => [
        n,
        noop(`FunctionCtx.${n}`),
      ]),
    ),
  };
  ctxCls.mro = [ctxCls];
  const autogradFunction: ClassV = {
    kind: 'class',
    name: 'Function',
    qualname: 'Function',
    bases: [],
    mro: [],
    attrs: new Map<string, Value>([
      [
        'apply',
        {
          kind: 'classmethod',
          fn: builtin('Function.apply', (c, site) => {
            const cls = f(c.args[0] ?? NONE);
            const fwd = cls.kind === 'class' ? interp.findClassAttr(cls, 'forward') : undefined;
            if (!fwd || cls.kind !== 'class' || fwd.kind === 'builtin')
              return unknown(`${cls.kind === 'class' ? cls.name : 'Function'}.forward is not defined in source`, site.range, true);
            const ctx: InstanceV = { kind: 'instance', cls: ctxCls, attrs: new Map() };
            const fn = fwd.kind === 'staticmethod' || fwd.kind === 'classmethod' ? fwd.fn : fwd;
            return interp.callValue(fn, { args: [ctx, ...c.args.slice(1)], kwargs: c.kwargs }, site);
          }),
        },
      ],
    ]),
  };
  autogradFunction.mro = [autogradFunction];
  const autograd: PyModuleV = {
    kind: 'module',
    name: 'torch.autograd',
    get: (n) => {
      if (n === 'Function') return autogradFunction;
      if (n === 'function') return autograd;
      // Variable is the tensor itself since torch 0.4.
      if (n === 'Variable') return builtin('torch.autograd.Variable', (c) => c.args[0] ?? NONE);
      return unknown(`torch.autograd.${n} is not modelled`, undefined, true);
    },
  };
  // torch.utils.checkpoint: recomputation during backward; the forward value is the function's own.
  const checkpointFn = builtin('torch.utils.checkpoint.checkpoint', (c, site) => {
    const kwargs = new Map(
      [...c.kwargs].filter(([k]) => !['use_reentrant', 'preserve_rng_state', 'context_fn', 'determinism_check', 'debug'].includes(k)),
    );
    return interp.callValue(c.args[0] ?? NONE, { args: c.args.slice(1), kwargs }, site);
  });
  const checkpointSequential = builtin('torch.utils.checkpoint.checkpoint_sequential', (c, site) => {
    const fns = interp.iterate(c.args[0] ?? c.kwargs.get('functions') ?? NONE, site);
    if (isUnknown(fns)) return fns;
    let x: Value = c.args[2] ?? c.kwargs.get('input') ?? NONE;
    for (const fn of fns) x = interp.callValue(fn, { args: [x], kwargs: new Map() }, site);
    return x;
  });
  const checkpointModule: PyModuleV = {
    kind: 'module',
    name: 'torch.utils.checkpoint',
    get: (n) =>
      n === 'checkpoint'
        ? checkpointFn
        : n === 'checkpoint_sequential'
          ? checkpointSequential
          : unknown(`torch.utils.checkpoint.${n} is not modelled`, undefined, true),
  };
  const torchUtils: PyModuleV = {
    kind: 'module',
    name: 'torch.utils',
    get: (n) => (n === 'checkpoint' ? checkpointModule : unknown(`torch.utils.${n} is not modelled`, undefined, true)),
  };
  // What torch says about the machine: the analysis is a CPU-only eval run, and says so where code asks.
  const machine = (name: string, value: Value, answer: string) =>
    builtin(name, (_c, site) => {
      interp.diag('info', 'machine', `${name}() is ${answer} here: the analysis models a CPU-only eval run`, site.range);
      return value;
    });
  const cuda: PyModuleV = {
    kind: 'module',
    name: 'torch.cuda',
    get: (n) =>
      n === 'is_available'
        ? machine('torch.cuda.is_available', bool(false), 'False')
        : n === 'device_count'
          ? machine('torch.cuda.device_count', int(0), '0')
          : n === 'is_initialized'
            ? machine('torch.cuda.is_initialized', bool(false), 'False')
            : unknown(`torch.cuda.${n} is not modelled`, undefined, true),
  };
  const torchModule: PyModuleV = {
    kind: 'module',
    name: 'torch',
    get: (n) => {
      if (n === 'jit') return jit;
      if (n === 'cuda' && !extraTorch.has('cuda')) return cuda;
      if (n === 'autograd') return autograd;
      if (n === 'utils') return torchUtils;
      return torchEntries.get(n) ?? extraTorch.get(n) ?? unknown(`torch.${n} is not modelled`, undefined, true);
    },
  };
  return {
    torchModule,
    moduleClass,
    newInstance: (cls, site) => newInstance(interp, cls, site),
    setAttr: (obj, name, value, site) => moduleSetAttr(interp, obj, name, value, site),
    getAttr: (obj, name) => moduleGetAttr(obj, name),
    extraTorch,
    extraFunctional,
    tensorClass,
    deepCopy: (v, site) => deepCopy(interp, v, site),
  };
}

/** Resolves `torch.nn.X` style dotted names inside the torch model (for `import torch.nn.functional as F`). */
export function torchSubmodule(model: TorchModel, dotted: string): Value | undefined {
  const parts = dotted.split('.');
  if (parts[0] !== 'torch') return undefined;
  let cur: Value = model.torchModule;
  for (const p of parts.slice(1)) {
    if (cur.kind !== 'module') return undefined;
    const next = cur.get(p);
    if (!next) return undefined;
    cur = next;
  }
  return cur;
}

export type { SourceRange };
