// The interpreter's domain hooks, built in one place for every entry point (analyzer.ts's Session is the
// only caller). createDomain gives what building a model needs: imports, builtins, nn.Module bookkeeping
// (torch.ts), builtin methods, deepcopy. installForward adds the forward model on top: calling a module
// (moduleCall.ts), operators, indexing, len and iteration on tensors (operators.ts), tensor attributes and
// methods (tensorMethods.ts), and the torch.* / torch.nn.functional tables (torchFunctions.ts, functional.ts).
// Each of those files takes the ForwardContext (forward.ts) as a parameter; this file only wires them.
import { SIGNATURES } from '../torch/signatures';
import { isUnknown, isModuleInstance, type Scope } from './values';
import type { Domain, Interpreter } from './eval';
import { builtinMethod } from './builtinMethods';
import type { TorchModel } from './torch';
import { ForwardContext, type ForwardRecorder } from './forward';
import { callModule, superMethod } from './moduleCall';
import { binop, getItem, iterate, len, setItem } from './operators';
import { tensorAttr } from './tensorMethods';
import { installFunctional } from './functional';
import { installTorchFunctions } from './torchFunctions';

/** The domain a model is built in: the import system, the builtins, and torch's module bookkeeping. */
export function createDomain(interp: Interpreter, importModule: Domain['importModule'], builtins: Scope, torch: TorchModel): Domain {
  return {
    importModule,
    builtins,
    getAttr: (obj, name, site) => torch.getAttr(obj, name, site),
    setAttr: (obj, name, value, site) => torch.setAttr(obj, name, value, site),
    newInstance: (cls, site) => torch.newInstance(cls, site),
    method: (obj, name, site) => builtinMethod(interp, obj, name, site),
    deepCopy: (v, site) => torch.deepCopy(v, site),
  };
}

/**
 * Installs the forward model (tensors as shapes) into the interpreter's domain and the torch namespaces.
 * Calls are recorded only while the returned recorder is `active`.
 */
export function installForward(interp: Interpreter, torch: TorchModel): ForwardRecorder {
  const fx = new ForwardContext(interp, torch);
  torch.inForward = () => fx.rec.active;
  const dom = interp.domain;

  // Module calls.
  dom.superMethod = (self, rest, name, site) => superMethod(fx, self, rest, name, site);
  dom.callInstance = (obj, c, site) => (isModuleInstance(obj) ? callModule(fx, obj, c, site) : undefined);
  dom.canExploreBranches = () => !fx.rec.active;

  // Operators, indexing, len() and iteration on tensors.
  dom.binop = (op, a, b, site) => binop(fx, op, a, b, site);
  dom.setItem = (obj, index, value, site) => setItem(fx, obj, index, value, site);
  dom.getItem = (obj, index, site) => getItem(fx, obj, index, site);
  dom.len = (obj) => len(fx, obj);
  dom.iterate = (obj, site) => iterate(fx, obj, site);

  // torch.nn.functional and torch.*.
  installFunctional(fx);
  installTorchFunctions(fx);

  // Tensor attributes and methods; every other attribute as the domain gives it.
  dom.getAttr = (obj, name, site) => {
    if (obj.kind === 'tensor') return tensorAttr(fx, obj, name, site);
    const prev = torch.getAttr(obj, name, site);
    // `self._conv_forward(x, w, b)` in a conv subclass (torch's own helper, not in user source).
    if (name === '_conv_forward' && isModuleInstance(obj) && (prev === undefined || isUnknown(fx.f(prev)))) {
      return superMethod(fx, obj, obj.cls.mro, name, site) ?? prev;
    }
    return prev;
  };

  // Every torch.nn.functional and torch function takes its arguments positionally and by keyword, exactly
  // as torch declares them (torch/signatures.ts): each call is bound to its declared signature first.
  for (const [ns, table] of [
    ['F', torch.extraFunctional],
    ['torch', torch.extraTorch],
  ] as const) {
    for (const [name, impl] of table) {
      const sig = SIGNATURES[ns].get(name);
      if (sig && impl.kind === 'builtin') table.set(name, fx.declared(name, sig, impl));
    }
  }

  return fx.rec;
}
