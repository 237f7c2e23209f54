// Turns a built nn.Module instance into the JSON module tree and the flat layer list, with torch's
// naming (`named_modules()`: depth-first, registration order, a shared module listed once under its
// first name) and torch's parameter count (each parameter once, buffers excluded).
// It reads the interpreter's module bookkeeping; it does not evaluate anything.
import { hiddenNames, shownJson } from './messageText';
import type { JsonValue, LayerRecord, ModuleNode } from './resultTypes';
import { isModuleInstance, type InstanceV, type ModuleData } from './interpreter/values';

type Mod = InstanceV & { module: ModuleData };

export interface BuiltTree {
  readonly tree: ModuleNode;
  readonly layers: LayerRecord[];
  readonly totalParams: number | null;
  /** Module identity → qualified name (first name wins), for the forward pass. */
  readonly pathOf: Map<ModuleData, string>;
}

function ownParams(m: ModuleData): { count: number | null; reason?: string } {
  let count = 0;
  for (const p of m.params.values()) {
    if (!p) continue;
    if (p.numel === null) return { count: null, reason: p.reason ?? 'a parameter shape cannot be known' };
    count += p.numel;
  }
  return { count };
}

/** The catalog layer a user class derives from (`class StdConv2d(nn.Conv2d)` → `Conv2d`). */
function torchBaseOf(m: Mod): string | undefined {
  if (m.cls.torch?.type === 'layer' || m.cls.torch?.type === 'container') return undefined;
  const base = m.cls.mro.find((k) => k.torch?.type === 'layer')?.torch;
  return base?.type === 'layer' ? base.name : undefined;
}

/**
 * How many paths from the root reach each module through `children()`, which, unlike `named_modules()`,
 * does not skip a module seen under another parent (`self.conv1` that is also `self.net[0]`); within one
 * parent it yields a module once (named_children's memo: `nn.Sequential(relu, conv, relu)` is one path to
 * relu). Tools that walk `children()` or `apply()` count such a module once per path. Stops counting past `limit` visits.
 */
function pathCounts(root: Mod, limit = 100_000): Map<ModuleData, number> {
  const counts = new Map<ModuleData, number>();
  let visits = 0;
  const walk = (m: Mod) => {
    if (++visits > limit) return;
    counts.set(m.module, (counts.get(m.module) ?? 0) + 1);
    const yielded = new Set<ModuleData>();
    for (const c of m.module.children.values()) {
      if (!isModuleInstance(c) || yielded.has(c.module)) continue;
      yielded.add(c.module);
      walk(c);
    }
  };
  walk(root);
  return counts;
}

function typeOf(m: Mod): { type: string; builtin: boolean } {
  const torch = m.cls.torch;
  if (torch && torch.type === 'layer') return { type: torch.name, builtin: true };
  if (torch && torch.type === 'container') return { type: torch.name, builtin: true };
  return { type: m.cls.name, builtin: false };
}

export function buildTree(root: Mod): BuiltTree {
  const layers: LayerRecord[] = [];
  const pathOf = new Map<ModuleData, string>();
  const seenParams = new Set<number>();
  let total: number | null = 0;
  // Names and string hyperparameters come from the analysed code (or a file it imports): shown only as tokens.
  const named = hiddenNames();

  const countUnique = (m: ModuleData) => {
    for (const p of m.params.values()) {
      if (!p || seenParams.has(p.id)) continue;
      seenParams.add(p.id);
      if (p.numel === null) total = null;
      else if (total !== null) total += p.numel;
    }
  };

  const visit = (m: Mod, path: string, name: string): ModuleNode => {
    pathOf.set(m.module, path);
    countUnique(m.module);
    const { type, builtin } = typeOf(m);
    const own = ownParams(m.module);
    const children: ModuleNode[] = [];
    // This module's own record goes before its children's, as named_modules() lists a parent first;
    // whether it is listed at all is known only after the children are seen.
    const at = layers.length;
    let hasChildren = false;
    for (const [n, c] of m.module.children) {
      const childPath = path ? `${path}.${named(n)}` : named(n);
      if (isModuleInstance(c)) {
        hasChildren = true;
        if (pathOf.has(c.module)) continue; // shared: torch lists it once
        children.push(visit(c, childPath, named(n)));
      } else if (c.kind === 'unknown') {
        hasChildren = true;
        total = null;
        layers.push({
          path: childPath,
          type: '?',
          builtin: false,
          hyperparams: {},
          params: null,
          status: 'unknown',
          reason: c.reason,
          site: c.range ?? m.module.site,
          stack: [...m.module.stack, ...(c.range ? [c.range] : [])],
        });
      }
    }
    const unknownReason = m.module.unknownReason ?? own.reason;
    if (unknownReason) total = null;
    // A leaf, or a module with parameters of its own (MultiheadAttention's in_proj, a user LayerScale),
    // or one whose structure is unknown: listed as a layer with its own parameters, so the layers sum to the total.
    if (!hasChildren || own.count !== 0 || unknownReason) {
      layers.splice(at, 0, {
        path,
        type,
        builtin,
        hyperparams: shownJson(m.module.hyperparams) as Record<string, JsonValue>,
        params: unknownReason ? null : own.count,
        ...(torchBaseOf(m) ? { torchBase: torchBaseOf(m)! } : {}),
        ...((paths.get(m.module) ?? 1) > 1 ? { paths: paths.get(m.module)! } : {}),
        paramNames: [...m.module.params].filter(([, p]) => p).map(([name, p]) => ({ name: named(name), numel: p!.numel })),
        ...(m.module.paramsFormula ? { paramsFormula: m.module.paramsFormula } : {}),
        status: unknownReason ? 'unknown' : 'ok',
        ...(unknownReason ? { reason: unknownReason } : {}),
        site: m.module.site,
        stack: m.module.stack,
      });
    }
    const subtotal = sumTree(m);
    return {
      path,
      name,
      type,
      builtin,
      ownParams: unknownReason ? null : own.count,
      totalParams: subtotal,
      children,
      site: m.module.site,
    };
  };
  const paths = pathCounts(root);
  const tree = visit(root, '', '');
  return { tree, layers, totalParams: total, pathOf };
}

function sumTree(root: Mod): number | null {
  const seen = new Set<number>();
  const seenMods = new Set<ModuleData>();
  let total = 0;
  const walk = (m: Mod): boolean => {
    if (seenMods.has(m.module)) return true;
    seenMods.add(m.module);
    if (m.module.unknownReason) return false;
    for (const p of m.module.params.values()) {
      if (!p || seen.has(p.id)) continue;
      seen.add(p.id);
      if (p.numel === null) return false;
      total += p.numel;
    }
    for (const c of m.module.children.values()) {
      if (c.kind === 'unknown') return false;
      if (isModuleInstance(c) && !walk(c)) return false;
    }
    return true;
  };
  return walk(root) ? total : null;
}
