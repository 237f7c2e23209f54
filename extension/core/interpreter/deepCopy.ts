// copy.deepcopy, module-aware: lists, tuples, dicts and instances are copied, modules get fresh ids and
// parameters fresh parameter ids (sharing and tying inside the copied value are kept); every other value
// is returned as it is. torch.ts hands it to the domain; nnTransformer.ts clones layers with it.
import { tuple, list, dict, type CallSite, type InstanceV, type ModuleData, type Value } from './values';
import type { Interpreter } from './eval';
import { newModuleId, newParamId } from './nnModule';

/**
 * `copy.deepcopy` of values holding modules (`_get_clones`, nn.TransformerEncoder): a fresh module
 * tree with fresh parameters; what is shared or tied inside the original stays shared in the copy.
 * Copies are built where the copy is made: their construction site and stack are the copy call's.
 */
export function deepCopy(
  interp: Interpreter,
  v: Value,
  at: CallSite | undefined,
  memo = new Map<object, Value>(),
  paramIds = new Map<number, number>(),
): Value {
  const f = (v: Value) => interp.force(v);
  const x = f(v);
  const seen = memo.get(x);
  if (seen) return seen;
  switch (x.kind) {
    case 'list': {
      const out = list([]);
      memo.set(x, out);
      out.items.push(...x.items.map((i) => deepCopy(interp, i, at, memo, paramIds)));
      return out;
    }
    case 'tuple':
      return tuple(x.items.map((i) => deepCopy(interp, i, at, memo, paramIds)));
    case 'dict': {
      const out = dict([], x.ordered);
      memo.set(x, out);
      for (const [k, [kv, vv]] of x.map) out.map.set(k, [kv, deepCopy(interp, vv, at, memo, paramIds)]);
      return out;
    }
    case 'tensor': {
      if (!x.isParameter || x.paramId === undefined) return x;
      const id = paramIds.get(x.paramId) ?? newParamId();
      paramIds.set(x.paramId, id);
      return { ...x, paramId: id };
    }
    case 'instance': {
      const where = at ? { site: at.range, stack: [...interp.callStack, at.range] } : {};
      const out: InstanceV = {
        kind: 'instance',
        cls: x.cls,
        attrs: new Map(),
        ...(x.module
          ? {
              module: {
                ...x.module,
                ...where,
                id: newModuleId(),
                children: new Map(),
                params: new Map(),
                buffers: new Map(x.module.buffers),
                calls: [],
                attach: undefined,
              } as ModuleData,
            }
          : {}),
      };
      memo.set(x, out);
      for (const [k, a] of x.attrs) out.attrs.set(k, deepCopy(interp, a, at, memo, paramIds));
      if (x.module && out.module) {
        for (const [k, c] of x.module.children)
          out.module.children.set(k, c.kind === 'instance' ? (deepCopy(interp, c, at, memo, paramIds) as InstanceV) : c);
        for (const [k, p] of x.module.params) {
          if (!p) {
            out.module.params.set(k, null);
            continue;
          }
          const id = paramIds.get(p.id) ?? newParamId();
          paramIds.set(p.id, id);
          out.module.params.set(k, { ...p, id });
        }
      }
      return out;
    }
    default:
      return x;
  }
}
