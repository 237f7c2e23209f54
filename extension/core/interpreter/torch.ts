// A static model of the parts of `torch` that building a model touches, assembled from its files:
// nnModule.ts (nn.Module's bookkeeping), nnLayers.ts (the catalog layers as classes), nnContainers.ts,
// nnTransformer.ts, torchTensors.ts (factories, nn.Parameter), deepCopy.ts and torchNamespace.ts (the
// `torch` / `torch.nn` modules). The forward pass fills `extraTorch` / `extraFunctional` (domain.ts);
// this file does not compute shapes or costs.
import type { SourceRange } from '../resultTypes';
import { unknown, type CallSite, type ClassV, type InstanceV, type PyModuleV, type Value } from './values';
import type { Interpreter } from './eval';
import { createContainers } from './nnContainers';
import { createLayerClasses } from './nnLayers';
import { createParameterClass, createTensorClass } from './torchTensors';
import { createTransformers } from './nnTransformer';
import { deepCopy } from './deepCopy';
import { createNnModule, createTorchModule } from './torchNamespace';
import { createModuleClass, moduleGetAttr, moduleSetAttr, newInstance } from './nnModule';
import { shownString } from '../messageText';

/** What the interpreter's domain and the import system use of torch. */
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
  /** Whether the profiled forward pass runs (set by the forward model): modules are then in eval mode. */
  inForward: () => boolean;
}

/** The torch model one interpreter builds models with (every class and namespace is per interpreter). */
export function createTorch(interp: Interpreter): TorchModel {
  const extraTorch = new Map<string, Value>();
  const extraFunctional = new Map<string, Value>();

  const moduleClass = createModuleClass(interp);

  const layerClasses = createLayerClasses(interp, moduleClass);

  const containers = createContainers(interp, moduleClass);
  const functional: PyModuleV = {
    kind: 'module',
    name: 'torch.nn.functional',
    get: (n) => extraFunctional.get(n) ?? unknown(`torch.nn.functional.${shownString(n, String)} is not modelled`, undefined, false),
  };
  const transformers = createTransformers(interp, moduleClass, containers.moduleList, layerClasses, functional);

  const parameterCls = createParameterClass(interp);
  const tensorClass = createTensorClass(interp, extraTorch);

  const nnModule = createNnModule(interp, {
    moduleClass,
    layerClasses,
    containers,
    transformers,
    parameterCls,
    functional,
  });
  const torchModule = createTorchModule(interp, nnModule, tensorClass, extraTorch);
  const model: TorchModel = {
    torchModule,
    moduleClass,
    newInstance: (cls, site) => newInstance(interp, cls, site),
    setAttr: (obj, name, value, site) => moduleSetAttr(interp, obj, name, value, site),
    getAttr: (obj, name) => moduleGetAttr(obj, name, () => model.inForward()),
    extraTorch,
    extraFunctional,
    tensorClass,
    inForward: () => false,
    deepCopy: (v, site) => deepCopy(interp, v, site),
  };
  return model;
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
