// The torch package tree as Python modules: `torch` (tensor factories, dtypes, no_grad, jit, autograd,
// utils.checkpoint, cuda), `torch.nn` (the module classes, init, functional, utils) and the submodules that
// re-export them (torch.nn.modules.conv...). What is not modelled is an unknown that says so by name.
import type { Shape } from '../resultTypes';
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
  type BuiltinV,
  type ClassV,
  type InstanceV,
  type PyModuleV,
  type TensorV,
  type Value,
} from './values';
import type { Interpreter } from './eval';
import type { Containers } from './nnContainers';
import type { Transformers } from './nnTransformer';
import { newParamId, registerParam } from './nnModule';
import { likeFactory, tensorFactory } from './torchTensors';
import { quotedName as quoted } from '../messageText';

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

const noop = (name: string) => builtin(name, () => NONE);

/**
 * torch.nn.utils.weight_norm / spectral_norm: the module itself, its `weight` parameter replaced by the
 * ones torch registers (weight_g + weight_v; weight_orig with the power-iteration vectors as buffers).
 */
function reparametrize(interp: Interpreter, kind: 'weight_norm' | 'spectral_norm'): BuiltinV {
  const f = (v: Value) => interp.force(v);
  return builtin(`torch.nn.utils.${kind}`, (c, site) => {
    const m = c.args[0] ?? c.kwargs.get('module') ?? NONE;
    const mod = f(m);
    if (!isModuleInstance(mod)) return isUnknown(mod) ? mod : unknown(`${kind} of a value that is not a module`, site.range, true);
    const nameV = f(c.args[1] ?? c.kwargs.get('name') ?? str('weight'));
    const name = nameV.kind === 'str' ? nameV.v : 'weight';
    const slot = mod.module.params.get(name);
    if (!slot) return interp.raise('AttributeError', `'${mod.cls.name}' object has no parameter ${quoted(name)}`, site.range);
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
}

/** torch.nn.utils: weight_norm / spectral_norm (the parameters torch registers), their removal, gradient clipping (no-op). */
function nnUtilsModule(interp: Interpreter): PyModuleV {
  return {
    kind: 'module',
    name: 'torch.nn.utils',
    get: (n) => {
      if (n === 'weight_norm' || n === 'spectral_norm') return reparametrize(interp, n);
      if (n === 'remove_weight_norm' || n === 'remove_spectral_norm') return builtin(`torch.nn.utils.${n}`, (c) => c.args[0] ?? NONE);
      if (n === 'clip_grad_norm_' || n === 'clip_grad_value_') return noop(`torch.nn.utils.${n}`);
      return unknown(`torch.nn.utils.${n} is not modelled`, undefined, true);
    },
  };
}

/** The classes torch.nn lists, built by torch.ts's other files. */
export interface NnClasses {
  readonly moduleClass: ClassV;
  readonly layerClasses: ReadonlyMap<string, ClassV>;
  readonly containers: Containers;
  readonly transformers: Transformers;
  readonly parameterCls: ClassV;
  readonly functional: PyModuleV;
}

/** torch.nn: the module classes, nn.init (no-ops that return their tensor), nn.functional, nn.utils and torch.nn.modules.*. */
export function createNnModule(interp: Interpreter, classes: NnClasses): PyModuleV {
  const { moduleClass, layerClasses, parameterCls, functional } = classes;
  const { sequential, moduleList, moduleDict, paramList, paramDict } = classes.containers;
  const { transformerEncoder, transformerDecoder, transformer } = classes.transformers;
  const utils = nnUtilsModule(interp);
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
  return nnModule;
}

const DTYPES = [
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

/** torch.jit: its decorators are identities; is_scripting / is_tracing are False. */
function jitModule(): PyModuleV {
  return {
    kind: 'module',
    name: 'torch.jit',
    get: (n) =>
      ['script', 'ignore', 'unused', 'export', 'script_method', '_script_if_tracing', 'is_scripting', 'is_tracing'].includes(n)
        ? n === 'is_scripting' || n === 'is_tracing'
          ? builtin(`torch.jit.${n}`, () => bool(false))
          : builtin(`identity-decorator:torch.jit.${n}`, (c) => c.args[0] ?? NONE)
        : unknown(`torch.jit.${n} is not modelled`),
  };
}

/** torch.autograd: Function.apply runs the class's static forward; Variable is the tensor itself. */
function autogradModule(interp: Interpreter): PyModuleV {
  const f = (v: Value) => interp.force(v);
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
  return autograd;
}

/** torch.utils: checkpoint / checkpoint_sequential run their functions (recomputation is backward's business). */
function torchUtilsModule(interp: Interpreter): PyModuleV {
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
  return torchUtils;
}

/** torch.cuda: no GPU (the analysis models a CPU-only eval run), said where code asks. */
function cudaModule(interp: Interpreter): PyModuleV {
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
  return cuda;
}

/** The `torch` module: torch.nn, tensor factories, dtypes, jit, autograd, utils, cuda, and the forward model's `extraTorch`. */
export function createTorchModule(
  interp: Interpreter,
  nnModule: PyModuleV,
  tensorClass: ClassV,
  extraTorch: ReadonlyMap<string, Value>,
): PyModuleV {
  const f = (v: Value) => interp.force(v);
  const jit = jitModule();
  const autograd = autogradModule(interp);
  const torchUtils = torchUtilsModule(interp);
  const cuda = cudaModule(interp);
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
    ...DTYPES.map((n) => [n, str(`torch.${n}`)] as [string, Value]),
  ]);
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
  return torchModule;
}
