// The catalog layers as classes (torch.nn.Conv2d, nn.Linear...): `__init__` binds the call to the spec's
// signature in torch's positional order (torch's TypeErrors for bad calls), runs the spec's build (stored
// hyperparameters as attributes, parameter slots, child modules) and raises torch's own exception for an
// impossible layer. The specs are core/torch/'s; a layer's forward shape rule runs in moduleCall.ts.
import type { JsonValue } from '../resultTypes';
import { Args, LayerArgError, UnknownArg, layerNames, layerSpec, REQUIRED, type ArgValue, type OpSpec } from '../torch';
import {
  NONE,
  builtin,
  int,
  tuple,
  type CallArgs,
  type CallSite,
  type ClassV,
  type InstanceV,
  type ModuleData,
  type Value,
} from './values';
import type { Interpreter } from './eval';
import { fromJson, toArg } from './torchArgs';
import { mkClass, newInstance, newParamId, registerChild, registerParam, selfOf } from './nnModule';

/** Binds call arguments to a catalog signature (PyTorch's positional order). */
function bindLayerArgs(interp: Interpreter, spec: OpSpec, c: CallArgs, site: CallSite): Map<string, ArgValue> {
  const values = new Map<string, ArgValue>();
  const sig = spec.signature;
  if (!spec.varargs && c.args.length > sig.length) {
    interp.raise(
      'TypeError',
      `${spec.name}.__init__() takes ${sig.length} positional arguments but ${c.args.length} were given`,
      site.range,
    );
  }
  c.args.forEach((a, i) => {
    if (sig[i]) values.set(sig[i]![0], toArg(interp, a));
  });
  for (const [k, v] of c.kwargs) {
    if (!sig.some(([n]) => n === k)) {
      if (spec.varargs) continue;
      interp.raise('TypeError', `${spec.name}.__init__() got an unexpected keyword argument '${k}'`, site.range);
    }
    values.set(k, toArg(interp, v));
  }
  for (const [n, d] of sig) {
    if (values.has(n)) continue;
    if (d === REQUIRED) interp.raise('TypeError', `${spec.name}.__init__() missing 1 required positional argument: '${n}'`, site.range);
    values.set(n, { known: true, value: d as JsonValue });
  }
  return values;
}

/** `__init__` of a catalog layer: the spec's build on the bound arguments; an unknown argument keeps what is known. */
function initLayer(
  interp: Interpreter,
  layerClasses: ReadonlyMap<string, ClassV>,
  spec: OpSpec,
  self: InstanceV & { module: ModuleData },
  c: CallArgs,
  site: CallSite,
): void {
  const values = bindLayerArgs(interp, spec, c, site);
  const args = new Args(spec.name, values);
  try {
    const built = spec.build(args);
    self.module.hyperparams = built.hyperparams;
    self.module.paramsFormula = built.formula;
    for (const [k, v] of Object.entries(built.hyperparams)) self.attrs.set(k, fromJson(v));
    for (const w of built.weights)
      registerParam(interp, self, w.name, { kind: 'tensor', shape: w.shape ?? [null], isParameter: true, paramId: newParamId() });
    for (const ch of built.children ?? []) {
      const chSpec = layerSpec(ch.type)!;
      const child = newInstance(interp, layerClasses.get(ch.type)!, site);
      const kw = new Map<string, Value>(Object.entries(ch.args).map(([k, v]) => [k, fromJson(v)]));
      initLayer(interp, layerClasses, chSpec, child as InstanceV & { module: ModuleData }, { args: [], kwargs: kw }, site);
      registerChild(interp, self, ch.name, child, site);
    }
  } catch (e) {
    if (e instanceof UnknownArg) {
      self.module.hyperparams = args.knownRaw();
      self.module.unknownReason = `${e.arg} cannot be known: ${e.reason}`;
      // The known arguments are still the layer's attributes (a conv stores its sizes as tuples).
      const nd = /^Conv(?:Transpose)?([123])d$/.exec(spec.name)?.[1];
      for (const [k, v] of Object.entries(self.module.hyperparams)) {
        const sized = nd && typeof v === 'number' && ['kernel_size', 'stride', 'padding', 'dilation', 'output_padding'].includes(k);
        self.attrs.set(k, sized ? tuple(Array.from({ length: Number(nd) }, () => int(v))) : fromJson(v));
      }
      return;
    }
    if (e instanceof LayerArgError) interp.raise(e.pyType, e.message, site.range);
    throw e;
  }
}

/** One class per catalog layer (torch.nn.Conv2d...), a subclass of `moduleClass`, whose `__init__` builds it from its spec. */
export function createLayerClasses(interp: Interpreter, moduleClass: ClassV): Map<string, ClassV> {
  const layerClasses = new Map<string, ClassV>();
  for (const name of layerNames()) {
    const spec = layerSpec(name)!;
    const cls = mkClass(
      name,
      { type: 'layer', name },
      [moduleClass],
      [
        [
          '__init__',
          builtin(`${name}.__init__`, (c, site) => {
            const self = selfOf(interp, c, site);
            initLayer(interp, layerClasses, spec, self, { args: c.args.slice(1), kwargs: c.kwargs }, site);
            // A Transformer layer's activation may be a callable (F.gelu, nn.GELU()); its forward calls it.
            const activation = name.startsWith('Transformer') ? (c.args[5] ?? c.kwargs.get('activation')) : undefined;
            if (activation && interp.force(activation).kind !== 'str') self.attrs.set('activation', activation);
            return NONE;
          }),
        ],
      ],
    );
    layerClasses.set(name, cls);
  }
  return layerClasses;
}
