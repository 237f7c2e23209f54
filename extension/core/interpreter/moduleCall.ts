// Calling an nn.Module in the forward pass: its interpreted `forward` (user modules, with the module's path
// on the recorder's stack so the ops it issues are attributed to it), a catalog layer's shape rule on the
// inputs torch's forward signature names, nn.Sequential's children in order, and `super().forward(x)` /
// `self._conv_forward(...)` in subclasses of torch layers. Each call's shapes are recorded on the module.
import { isTupleOutput, type JsonValue, type Shape } from '../resultTypes';
import { forwardArgs, forwardInputs, inferLayerShape, layerSpec } from '../torch';
import { SIGNATURES } from '../torch/signatures';
import {
  NONE,
  builtin,
  unknown,
  isUnknown,
  isModuleInstance,
  type CallArgs,
  type CallSite,
  type ClassV,
  type TensorV,
  type Value,
} from './values';
import { fromJson, toArg } from './torchArgs';
import type { ForwardContext, Mod } from './forward';

// ---------------------------------------------------------------- module calls

/** What calling a module runs: its interpreted `forward`, a catalog layer's shape rule, or a container's children. */
function moduleForward(fx: ForwardContext, self: Mod, c: CallArgs, site: CallSite): Value {
  const { interp, rec } = fx;
  const cls = self.cls;
  const userForward = findUserForward(cls);
  if (userForward) {
    const path = rec.pathOf.get(self.module) ?? '';
    rec.moduleStack.push(path);
    try {
      return interp.callValue(interp.bindMember(userForward, self, cls), c, site);
    } finally {
      rec.moduleStack.pop();
    }
  }
  const tk = cls.mro.find((k) => k.torch && k.torch.type !== 'module')?.torch;
  if (tk?.type === 'layer') {
    // A subclass without a forward of its own (EDSR's MeanShift(nn.Conv2d)) runs torch's forward, which the
    // counters see as the F call inside it, as for `super().forward(x)`.
    const inherited = cls.torch?.type !== 'layer' ? superMethod(fx, self, cls.mro, 'forward', site) : undefined;
    if (!inherited) return unregisteredLayerForward(fx, self, tk.name, c, site) ?? layerForward(fx, self, tk.name, c, site);
    // The F call is issued by this module (as for a forward of its own), not by its parent.
    rec.moduleStack.push(rec.pathOf.get(self.module) ?? '');
    try {
      return interp.callValue(inherited, c, site);
    } finally {
      rec.moduleStack.pop();
    }
  }
  if (tk?.type === 'container') return containerForward(fx, self, tk.name, c, site);
  if (cls.unknownBase)
    return unknown(`forward of '${cls.name}' comes from a base class without source (${cls.unknownBase})`, site.range, true);
  return interp.raise('NotImplementedError', `Module [${cls.name}] is missing the required "forward" function`, site.range);
}

/** nn.Sequential.forward runs the children in order; the other containers have no forward. */
function containerForward(fx: ForwardContext, self: Mod, name: string, c: CallArgs, site: CallSite): Value {
  const { interp } = fx;
  if (name !== 'Sequential')
    return interp.raise('NotImplementedError', `Module [${name}] is missing the required "forward" function`, site.range);
  let x: Value = c.args[0] ?? c.kwargs.get('input') ?? NONE;
  for (const [name, child] of self.module.children) {
    if (child.kind === 'none') continue;
    if (isUnknown(child)) return unknown(`child '${name}' cannot be known: ${child.reason}`, child.range ?? site.range);
    // An unknown input still goes on through the rest: each later layer records a call whose cost is
    // unknown with that reason, instead of looking as if it never ran (0 MACs).
    x = callModule(fx, child as Mod, { args: [x], kwargs: new Map() }, site);
  }
  return x;
}

/**
 * A catalog layer that is not in the module tree (built and called inside forward: `nn.AdaptiveAvgPool2d(s)(x)`)
 * has no hook in any counter; what they see is the F op its forward calls (ptflops patches F.*, fvcore traces
 * it), so it runs as that op, given the layer's stored hyperparameters and its parameter tensors by name.
 * Undefined when the op cannot take them all (a conv with a padding_mode, a layer of several inputs).
 */
function unregisteredLayerForward(fx: ForwardContext, self: Mod, layer: string, c: CallArgs, site: CallSite): Value | undefined {
  const { interp, rec } = fx;
  if (!rec.active || rec.pathOf.has(self.module) || self.module.unknownReason) return undefined;
  const fn = layerSpec(layer)?.functional?.[0];
  const sig = fn ? SIGNATURES.F.get(fn) : undefined;
  const impl = fn ? fx.torch.extraFunctional.get(fn) : undefined;
  const hyper = self.module.hyperparams;
  const input = c.args[0] ?? c.kwargs.get(forwardInputs(layer)[0] ?? 'input');
  if (!sig || !impl || !input || c.args.length + c.kwargs.size !== 1 || forwardInputs(layer).length !== 1) return undefined;
  if (hyper.padding_mode !== undefined && hyper.padding_mode !== 'zeros') return undefined;
  const kwargs = new Map<string, Value>();
  for (const p of sig.slice(1)) {
    if (p.name in hyper) kwargs.set(p.name, fromJson(hyper[p.name]!));
    else if (self.module.params.has(p.name) || self.module.buffers.has(p.name)) kwargs.set(p.name, interp.getAttr(self, p.name, site));
    else if (p.default === undefined) return undefined;
  }
  return interp.callValue(impl, { args: [input], kwargs }, site);
}

/** A catalog layer's own forward: its shape rule on the inputs torch's forward signature names. */
function layerForward(fx: ForwardContext, self: Mod, layer: string, c: CallArgs, site: CallSite): Value {
  const { interp, rec, f, resultToValue } = fx;
  if (self.module.unknownReason)
    return unknown(`${layer} '${rec.pathOf.get(self.module) ?? ''}' has unknown arguments: ${self.module.unknownReason}`, site.range);
  // Tensor inputs in the order of torch's forward signature, positional or by keyword
  // (`attn(query=x, key=x, value=x)`); the recurrent layers' initial state is not an input shape.
  const names = forwardInputs(layer);
  const given = [
    ...c.args.slice(0, names.length),
    ...names
      .slice(c.args.length)
      .map((n) => c.kwargs.get(n))
      .filter((v): v is Value => v !== undefined),
  ];
  const inputs: Shape[] = [];
  for (const a of given) {
    const x = f(a);
    if (x.kind === 'tensor') inputs.push(x.shape);
    else if (isUnknown(x)) return unknown(x.reason, x.range ?? site.range);
  }
  if (!inputs.length) return unknown(`${layer} called without a tensor input`, site.range);
  // Forward's other arguments (MaxUnpool's output_size) join the stored hyperparameters for the shape rule.
  const hyper: Record<string, JsonValue> = { ...self.module.hyperparams };
  for (const [i, n] of forwardArgs(layer).entries()) {
    const v = c.args[names.length + i] ?? c.kwargs.get(n);
    // A tensor argument (MultiheadAttention's masks) does not change the output's shape.
    if (v === undefined || v.kind === 'tensor') continue;
    const a = toArg(interp, v);
    if (!a.known) return unknown(`${layer}'s ${n} cannot be known: ${a.reason}`, site.range);
    hyper[n] = a.value;
  }
  return resultToValue(inferLayerShape(layer, hyper, inputs), site);
}

// `super().forward(x)` in a subclass of a catalog layer (a causal Conv1d, a weight-standardised Conv2d)
// runs that layer's forward; `self._conv_forward(x, weight, bias)` too, with the layer's hyperparameters.
// The subclass is not the catalog type, so counters do not see a Conv2d/Linear module there (ptflops and thop
// match exact types): what they see is the F.conv{n}d / F.linear that torch's forward calls, recorded as such.
/** The `superMethod` hook: `super().forward` / `self._conv_forward` of a torch layer or container the source does not define. */
export function superMethod(fx: ForwardContext, self: Value, rest: readonly ClassV[], name: string, site: CallSite): Value | undefined {
  const { interp } = fx;
  // `super().forward(x)` in a subclass of nn.Sequential (DeepLab's ASPPPooling) runs the children in order.
  const container = rest.find((k) => k.torch?.type === 'container')?.torch;
  if (container?.type === 'container' && name === 'forward' && isModuleInstance(self)) {
    return builtin(`${container.name}.forward`, (c, s) => containerForward(fx, self, container.name, c, s ?? site));
  }
  const layer = rest.find((k) => k.torch?.type === 'layer')?.torch;
  if (!layer || layer.type !== 'layer' || !isModuleInstance(self)) return undefined;
  const conv = /^Conv([123])d$/.exec(layer.name);
  const attr = (n: string): Value => interp.getAttr(self, n, site);
  const viaF = (fn: string, x: Value, weight: Value, bias: Value, s: CallSite): Value => {
    const extra = fn === 'linear' ? [] : ['stride', 'padding', 'dilation', 'groups'].map(attr);
    return interp.callValue(fx.torch.extraFunctional.get(fn)!, { args: [x, weight, bias, ...extra], kwargs: new Map() }, s);
  };
  const inputOf = (c: CallArgs): Value => c.args[0] ?? c.kwargs.get('input') ?? NONE;
  if (name === 'forward') {
    return builtin(`${layer.name}.forward`, (c, s) => {
      if (self.module.unknownReason || !(conv || layer.name === 'Linear')) return layerForward(fx, self, layer.name, c, s ?? site);
      return viaF(conv ? `conv${conv[1]}d` : 'linear', inputOf(c), attr('weight'), attr('bias'), s ?? site);
    });
  }
  if (name === '_conv_forward' && conv) {
    return builtin(`${layer.name}._conv_forward`, (c, s) =>
      viaF(`conv${conv[1]}d`, inputOf(c), c.args[1] ?? attr('weight'), c.args[2] ?? attr('bias'), s ?? site),
    );
  }
  return undefined;
}

/** Calls a module (`module(x)`): runs its forward and, while the profiled pass runs, records the call's shapes on it. */
export function callModule(fx: ForwardContext, self: Mod, c: CallArgs, site: CallSite): Value {
  const { rec, f, outputOf, firstTensorShape } = fx;
  const out = moduleForward(fx, self, c, site);
  if (rec.active) {
    const inputShapes = [...c.args, ...c.kwargs.values()].filter((a) => f(a).kind === 'tensor').map((a) => (f(a) as TensorV).shape);
    const o = f(out);
    const output = outputOf(o);
    // An input that is not known is a call with an unknown cost: say why (the input's own reason).
    const unknownInput = [...c.args, ...c.kwargs.values()].map(f).find(isUnknown);
    const reason = isUnknown(o) ? o.reason : unknownInput?.reason;
    self.module.calls.push({
      inputShapes,
      outputShape: firstTensorShape(o),
      ...(output && isTupleOutput(output) ? { output } : {}),
      ...(reason !== undefined ? { reason } : {}),
    });
  }
  return out;
}

function findUserForward(cls: ClassV): Value | undefined {
  for (const c of cls.mro) {
    const fwd = c.attrs.get('forward');
    if (fwd !== undefined) return fwd; // user code, or a torch class modelled with its own forward
    if (c.torch && !c.range) return undefined; // reached a catalog layer or container: its shape rule applies
  }
  return undefined;
}
