// Third-party helpers that real model files import from libraries whose source is usually absent:
// timm's DropPath (identity in eval mode, no parameters), its weight initialisers (no-ops here) and
// `to_2tuple`-style helpers, and its model registry decorator; einops (einops.ts). Facts about those APIs, modelled as the
// interpreter's own values; any other name in these libraries stays unknown, naming the library.
// A library whose source is present under the package roots is read from source instead.
import { NONE, builtin, tuple, unknown, isUnknown, type ClassV, type PyModuleV, type Value } from './values';
import type { Interpreter } from './eval';
import type { TorchModel } from './torch';
import { einopsEntries } from './einops';

const TIMM_MODULES = /^timm(\.models)?(\.layers(\.[a-z_]+)?|\.registry|\._registry|\.helpers)?$/;

/** A model of `name` when it is one of the known library modules; undefined otherwise. */
export function knownLibraryModule(interp: Interpreter, torch: TorchModel, name: string): PyModuleV | undefined {
  if (/^einops(\.layers\.torch)?$/.test(name))
    return libraryModule(name, einopsEntries(interp, torch), 'einops', 'rearrange, repeat, reduce and the Rearrange/Reduce layers are');
  if (TIMM_MODULES.test(name))
    return libraryModule(name, timmEntries(interp, torch), 'timm', 'only DropPath, the initialisers, to_Ntuple and register_model are');
  return undefined;
}

/** A library module of modelled entries; any other name is unknown, naming the library and what it has. */
function libraryModule(name: string, entries: ReadonlyMap<string, Value>, library: string, modelled: string): PyModuleV {
  return {
    kind: 'module',
    name,
    get: (n) =>
      entries.get(n) ??
      unknown(`${name}.${n} comes from ${library} (a library without source here; ${modelled} modelled)`, undefined, true),
  };
}

const cache = new WeakMap<TorchModel, Map<string, Value>>();

function timmEntries(interp: Interpreter, torch: TorchModel): Map<string, Value> {
  const hit = cache.get(torch);
  if (hit) return hit;
  // DropPath(drop_prob): stochastic depth; in eval mode forward returns its input, and it owns no parameters.
  const dropPath: ClassV = {
    kind: 'class',
    name: 'DropPath',
    qualname: 'DropPath',
    bases: [torch.moduleClass],
    mro: [],
    torch: { type: 'module' },
    attrs: new Map<string, Value>([
      [
        '__init__',
        builtin('DropPath.__init__', (c, site) => {
          const self = interp.force(c.args[0] ?? NONE);
          interp.setAttr(self, 'drop_prob', c.args[1] ?? c.kwargs.get('drop_prob') ?? NONE, site);
          return NONE;
        }),
      ],
      ['forward', builtin('DropPath.forward', (c) => c.args[1] ?? c.kwargs.get('x') ?? NONE)],
    ]),
  };
  dropPath.mro = [dropPath, ...torch.moduleClass.mro];
  const ntuple = (n: number) =>
    builtin(`timm.to_${n}tuple`, (c, site) => {
      const x = interp.force(c.args[0] ?? NONE);
      if (x.kind === 'tuple' || x.kind === 'list') return tuple(x.items);
      if (isUnknown(x)) return x;
      if (x.kind === 'str') return tuple(Array.from({ length: n }, () => x));
      const it = interp.iterate(x, site);
      return isUnknown(it) ? tuple(Array.from({ length: n }, () => x)) : tuple(it);
    });
  const initialiser = (n: string) => builtin(`timm.${n}`, (c) => c.args[0] ?? NONE);
  const entries = new Map<string, Value>([
    ['DropPath', dropPath],
    ['trunc_normal_', initialiser('trunc_normal_')],
    ['lecun_normal_', initialiser('lecun_normal_')],
    ['variance_scaling_', initialiser('variance_scaling_')],
    ['to_1tuple', ntuple(1)],
    ['to_2tuple', ntuple(2)],
    ['to_3tuple', ntuple(3)],
    ['to_4tuple', ntuple(4)],
    [
      'to_ntuple',
      builtin('timm.to_ntuple', (c) => {
        const n = interp.force(c.args[0] ?? NONE);
        return n.kind === 'int' ? ntuple(n.v) : unknown('to_ntuple of a count that cannot be known');
      }),
    ],
    ['register_model', builtin('identity-decorator:timm.register_model', (c) => c.args[0] ?? NONE)],
  ]);
  cache.set(torch, entries);
  return entries;
}
