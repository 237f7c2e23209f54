// The cost stage's entry points: runs one convention (or all) over a CostInput and returns per-layer
// MACs with filled-in formulas, functional entries (ptflops' double counts included), totals and notes.
// Unknown shapes give null MACs with a reason and mark the totals partial; nothing is estimated.
// The counting rules themselves live in conventions/.
import { CATALOG_TYPES } from './catalog';
import type { Convention, HiddenOp, LayerRule } from './conventionTypes';
import { fvcore } from './conventions/fvcore';
import { paper } from './conventions/paper';
import { ptflops } from './conventions/ptflops';
import { ptflops06 } from './conventions/ptflops06';
import { thop } from './conventions/thop';
import { torchinfo } from './conventions/torchinfo';
import { torchstat } from './conventions/torchstat';
import { zero } from './formulas';
import { UnknownCost, unknown } from './geometry';
import { add, mul, named, ratio, render, sym, type Term } from './terms';
import { transformerParts } from './transformerParts';
import { unhookedWhy } from './unhooked';
import {
  CONVENTION_NAMES,
  type ConventionName,
  type ConventionProfile,
  type CostInput,
  type CostLayer,
  type FunctionalProfile,
  type KnownShape,
  type LayerCall,
  type LayerProfile,
} from './costTypes';

/** The conventions by name. */
export const CONVENTIONS: Readonly<Record<ConventionName, Convention>> = {
  ptflops,
  'ptflops-0.6': ptflops06,
  torchinfo,
  fvcore,
  thop,
  torchstat,
  paper,
};

/**
 * The rule a convention applies to a layer: for a torch.nn class its table entry, else the explicit 0
 * the tool gives a catalog type it has no rule for (unhooked.ts); for a user class (a subclass of a
 * torch layer, or a class that only shares a torch layer's name), what the convention's user-class policy says.
 */
export function resolveRule(convention: Convention, rules: ReadonlyMap<string, LayerRule>, layer: CostLayer): LayerRule {
  if (convention.userClasses.kind === 'parameters' && layer.container) {
    return {
      why: `${layer.type} has children: ${convention.tool} adds up leaf rows only, so the parameters it holds itself count 0 in the total.`,
      cost: zero,
    };
  }
  if (!layer.builtin) return userClassRule(convention, rules, layer);
  const rule = rules.get(layer.type);
  if (rule) return rule;
  const why = unhookedWhy(convention.name, layer.type);
  if (why) return { why, cost: zero };
  if (CATALOG_TYPES.has(layer.type)) return { why: `${convention.tool} has no rule for ${layer.type}: 0.`, cost: zero };
  return {
    why: `No ${convention.tool} rule is known for ${layer.type}.`,
    cost: () => unknown(`no ${convention.tool} rule is known for ${layer.type}`),
  };
}

function userClassRule(convention: Convention, rules: ReadonlyMap<string, LayerRule>, layer: CostLayer): LayerRule {
  const policy = convention.userClasses;
  const what = layer.torchBase ? `${layer.type} is a user subclass of ${layer.torchBase}` : `${layer.type} is a user class`;
  const base = layer.torchBase ? rules.get(layer.torchBase) : undefined;
  if (policy.kind === 'isinstance' && base) return { ...base, why: `${what}: ${policy.why} ${base.why}` };
  if (policy.kind === 'parameters' && policy.rule) return { ...policy.rule, why: `${what}: ${policy.why} ${policy.rule.why}` };
  return { why: `${what}: ${policy.why}`, cost: zero };
}

interface PathedHidden {
  readonly path: string;
  readonly op: HiddenOp | null;
  readonly reason?: string;
}

interface CallResult {
  readonly term: Term;
  readonly hidden: readonly PathedHidden[];
}

/** Cost of one call under a rule table, expanding composite blocks; throws UnknownCost. */
function evalCall(
  convention: Convention,
  rules: ReadonlyMap<string, LayerRule>,
  layer: CostLayer,
  call: LayerCall,
  withHidden: boolean,
): CallResult {
  const rule = resolveRule(convention, rules, layer);
  if (rule.composite) {
    const reason = rule.composite.guard?.(layer);
    if (reason) unknown(reason);
    const parts = transformerParts(layer, call).map((p) => ({
      name: p.layer.path.slice(layer.path.length + 1),
      r: evalCall(convention, rules, p.layer, p.call, withHidden),
    }));
    return { term: add(...parts.map((p) => named(p.name, p.r.term))), hidden: parts.flatMap((p) => p.r.hidden) };
  }
  const term = (rule.cost ?? zero)(layer, call);
  return { term, hidden: withHidden ? hiddenOf(convention, layer, call) : [] };
}

function hiddenOf(convention: Convention, layer: CostLayer, call: LayerCall): readonly PathedHidden[] {
  if (!convention.hiddenOps) return [];
  try {
    return convention.hiddenOps(layer, call).map((op) => ({ path: layer.path, op }));
  } catch (e) {
    if (e instanceof UnknownCost) return [{ path: layer.path, op: null, reason: e.message }];
    throw e;
  }
}

/** Joins the formulas of several calls: `2 × [formula]` when they are the same, `call 1: …; call 2: …` otherwise. */
export function joinCallFormulas(terms: readonly Term[]): string {
  if (terms.length === 0) return 'not called: 0';
  // Repeated calls share one Term object (see evalLayerWith): render each once.
  const cache = new Map<Term, string>();
  const rendered = terms.map((t) => cache.get(t) ?? cache.set(t, render(t)).get(t)!);
  if (rendered.length === 1) return rendered[0]!;
  if (rendered.every((r) => r === rendered[0])) return `${rendered.length} calls × [${rendered[0]}]`;
  return rendered.map((r, i) => `call ${i + 1}: ${r}`).join('; ');
}

interface LayerEval {
  readonly profile: LayerProfile;
  readonly hidden: readonly PathedHidden[];
}

/** A figure as the convention reports it: per sample (/N) for a tool that reports per sample, else as is. */
type Scale = (t: Term) => Term;

function scaleFor(convention: Convention, input: CostInput): Scale {
  const n = input.input[0] ?? 1;
  return convention.perSample && n > 1 ? (t) => ratio(t, sym('N', n)) : (t) => t;
}

/** A tool that registers one hook per `children()` path counts each call that many times. */
function hookCopies(convention: Convention, layer: CostLayer): number {
  return convention.repeatedPaths === 'hooks' ? (layer.paths ?? 1) : 1;
}

function evalLayerWith(
  convention: Convention,
  rules: ReadonlyMap<string, LayerRule>,
  layer: CostLayer,
  withHidden: boolean,
  scale: Scale,
): { macs: number | null; formula: string; reason?: string; hidden: readonly PathedHidden[] } {
  if (layer.unknownReason) return { macs: null, formula: '', reason: layer.unknownReason, hidden: [] };
  const calls = convention.reusedCalls === 'last' ? layer.calls.slice(-1) : layer.calls;
  const copies = hookCopies(convention, layer);
  try {
    // A layer called many times with the same shapes (a loop over time steps) costs the same each time:
    // each distinct call is evaluated once, so the work grows with the distinct shapes, not the calls.
    const distinct = new Map<string, { result: CallResult; term: Term }>();
    const evaluated = calls.map((call) => {
      const key = JSON.stringify(call);
      let e = distinct.get(key);
      if (!e) {
        const result = evalCall(convention, rules, layer, call, withHidden);
        e = { result, term: scale(copies > 1 ? mul(sym('hooks', copies), result.term) : result.term) };
        distinct.set(key, e);
      }
      return e;
    });
    const results = evaluated.map((e) => e.result);
    const terms = evaluated.map((e) => e.term);
    // A count is a non-negative finite number or unknown; anything else is an impossible layer that slipped through.
    const bad = terms.find((t) => !Number.isFinite(t.value) || t.value < 0);
    if (bad)
      return { macs: null, formula: '', reason: `the count would be ${bad.value} (${render(bad)}): not a possible layer`, hidden: [] };
    return { macs: terms.reduce((acc, t) => acc + t.value, 0), formula: joinCallFormulas(terms), hidden: results.flatMap((r) => r.hidden) };
  } catch (e) {
    if (e instanceof UnknownCost) return { macs: null, formula: '', reason: e.message, hidden: [] };
    throw e;
  }
}

/**
 * What a layer's cost depends on under one convention: the layer without its path (no rule reads it; a memo hit gets
 * its own path back), the batch a per-sample tool divides by, and the convention. JSON with the numbers JSON cannot
 * tell apart (NaN, ±Infinity, -0) spelled out, so that two layers share a key only if they are equal.
 */
export function layerKey(convention: Convention, layer: CostLayer, batch: number): string {
  let signature = signatures.get(layer);
  if (signature === undefined) {
    const { path: _path, ...rest } = layer;
    signature = JSON.stringify(rest, exactJson);
    signatures.set(layer, signature);
  }
  return `${convention.name}\u0001${convention.perSample ? batch : 1}\u0001${signature}`;
}

const signatures = new WeakMap<CostLayer, string>();

function exactJson(_key: string, v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : `\u0000n${String(Object.is(v, -0) ? '-0' : v)}`;
  if (typeof v === 'string' && v.startsWith('\u0000')) return `\u0000${v}`;
  return v;
}

/** A memoised evaluation: its hidden ops' paths below the layer's own (`''` for the layer itself). */
interface MemoEval {
  readonly profile: LayerProfile;
  readonly hidden: readonly { readonly below: string; readonly op: HiddenOp | null; readonly reason?: string }[];
}

/**
 * Layer evaluations by layerKey, shared by every profile the process computes: torchvision's resnet152 repeats the
 * same few convolutions hundreds of times, and every entry of a file builds the same blocks again. Bounded: emptied
 * when full.
 */
const evalMemo = new Map<string, MemoEval>();
const EVAL_MEMO_LIMIT = 50_000;

/** Empties the memo of layer evaluations (tests compare a cold evaluation with a memoised one). */
export function clearCostMemo(): void {
  evalMemo.clear();
}

function evalLayer(convention: Convention, layer: CostLayer, scale: Scale, batch: number): LayerEval {
  const key = layerKey(convention, layer, batch);
  const hit = evalMemo.get(key);
  if (hit) {
    return {
      profile: { ...hit.profile, path: layer.path },
      hidden: hit.hidden.map((h) => {
        const path = layer.path + h.below;
        return h.reason !== undefined ? { path, op: h.op, reason: h.reason } : { path, op: h.op };
      }),
    };
  }
  const evaluated = evalLayerFresh(convention, layer, scale);
  // Hidden ops sit on the layer or below it (a composite's parts); anything else is not memoised.
  if (evaluated.hidden.every((h) => h.path === layer.path || h.path.startsWith(`${layer.path}.`))) {
    if (evalMemo.size >= EVAL_MEMO_LIMIT) evalMemo.clear();
    evalMemo.set(key, {
      profile: { ...evaluated.profile },
      hidden: evaluated.hidden.map((h) => ({
        below: h.path.slice(layer.path.length),
        op: h.op,
        ...(h.reason !== undefined ? { reason: h.reason } : {}),
      })),
    });
  }
  return evaluated;
}

function evalLayerFresh(convention: Convention, layer: CostLayer, scale: Scale): LayerEval {
  const main = evalLayerWith(convention, convention.rules, layer, true, scale);
  const countedCalls = convention.reusedCalls === 'last' ? Math.min(1, layer.calls.length) : layer.calls.length;
  let profile: LayerProfile = {
    path: layer.path,
    type: layer.type,
    macs: main.macs,
    formula: main.formula,
    why: resolveRule(convention, convention.rules, layer).why,
    calls: layer.calls.length,
    countedCalls,
    ...(main.reason !== undefined ? { reason: main.reason } : {}),
  };
  if (convention.secondary) {
    const second = evalLayerWith(convention, convention.secondary.rules, layer, false, scale);
    profile = { ...profile, secondaryMacs: second.macs, secondaryFormula: second.reason ?? second.formula };
  }
  return { profile, hidden: main.hidden };
}

/** Groups a layer's hidden ops by op name so a reused module gives one entry per op. */
function hiddenEntries(hidden: readonly PathedHidden[], scale: Scale): FunctionalProfile[] {
  const groups = new Map<string, PathedHidden[]>();
  for (const h of hidden) {
    const key = `${h.path}\u0000${h.op?.op ?? '?'}`;
    const group = groups.get(key);
    if (group) group.push(h);
    else groups.set(key, [h]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    if (group.some((g) => g.op === null)) {
      return {
        path: first.path,
        type: 'functional:unknown',
        macs: null,
        formula: '',
        reason: group.find((g) => g.reason)?.reason ?? 'unknown',
      };
    }
    const ops = group.map((g) => g.op!);
    const terms = ops.map((o) => scale(o.term));
    return {
      path: first.path,
      type: `functional:${ops[0]!.op}`,
      macs: terms.reduce((acc, t) => acc + t.value, 0),
      formula: joinCallFormulas(terms),
      ...(ops[0]!.doubleCount ? { doubleCount: true } : {}),
      message: ops[0]!.message,
    };
  });
}

function directFunctionals(convention: Convention, input: CostInput, scale: Scale): FunctionalProfile[] {
  const out: FunctionalProfile[] = [];
  for (const op of input.functionals) {
    try {
      const counted = convention.functional(op);
      const term = counted && scale(counted.term);
      if (counted && term)
        out.push({ path: op.modulePath, type: `functional:${op.op}`, macs: term.value, formula: render(term), message: counted.message });
    } catch (e) {
      if (!(e instanceof UnknownCost)) throw e;
      out.push({ path: op.modulePath, type: `functional:${op.op}`, macs: null, formula: '', reason: e.message });
    }
  }
  return out;
}

/**
 * The pixel count behind MACs/pixel: H×W, the last two dims of the input, for 4-D (N,C,H,W) and 5-D
 * (N,C,D,H,W, so MACs per pixel of the whole clip) inputs; the length L for 3-D (N,C,L) inputs;
 * null for anything smaller (no pixel plane).
 */
export function pixelCountForInput(input: KnownShape): number | null {
  if (input.length >= 4) return input[input.length - 1]! * input[input.length - 2]!;
  if (input.length === 3) return input[2]!;
  return null;
}

/**
 * Under a `traced` convention (fvcore), the ops a user-class leaf runs in its forward are that module's
 * cost: they move from the functional list into the layer's figure, as the tool's by_module() shows them.
 */
function foldTraced(
  convention: Convention,
  input: CostInput,
  layers: LayerProfile[],
  functionals: FunctionalProfile[],
): FunctionalProfile[] {
  if (convention.userClasses.kind !== 'traced') return functionals;
  const userLeaves = new Map(
    input.layers
      .map((l, i) => [l.path, i] as const)
      .filter(([, i]) => !input.layers[i]!.builtin && !input.layers[i]!.container && layers[i]!.macs !== null),
  );
  const rest: FunctionalProfile[] = [];
  const folded = new Map<number, FunctionalProfile[]>();
  for (const f of functionals) {
    const i = userLeaves.get(f.path);
    if (i === undefined || f.macs === null || f.doubleCount) rest.push(f);
    else folded.set(i, [...(folded.get(i) ?? []), f]);
  }
  for (const [i, fs] of folded) {
    const l = layers[i]!;
    const inside = fs.map((f) => `${f.type.slice('functional:'.length)} ${f.formula}`).join('; ');
    layers[i] = {
      ...l,
      macs: l.macs! + fs.reduce((a, f) => a + f.macs!, 0),
      formula: l.macs ? `${l.formula}; ops in its forward: ${inside}` : `ops in its forward: ${inside}`,
    };
  }
  return rest;
}

/**
 * A module reachable by several `children()` paths is in the total once per path for a tool that adds up
 * over children(): listed as its own entry so the per-layer figure stays the tool's and the total says why.
 */
function repeatedPathEntries(convention: Convention, input: CostInput, layers: readonly LayerProfile[]): FunctionalProfile[] {
  if (!convention.repeatedPaths) return [];
  return input.layers.flatMap((l, i) => {
    const paths = l.paths ?? 1,
      macs = layers[i]!.macs;
    if (paths <= 1 || !macs) return [];
    return [
      {
        path: l.path,
        type: `functional:${l.type} again` as const,
        macs: macs * (paths - 1),
        formula: `(${paths} − 1)·${macs}`,
        doubleCount: true,
        message: `${l.path} is reachable by ${paths} children() paths (registered twice); ${convention.tool} adds its MACs up once per path, so it is in the total ${paths} times`,
      },
    ];
  });
}

function paramsFor(convention: Convention, input: CostInput): number | null {
  const counts = convention.countsParamsOf;
  if (!counts) return input.totalParams;
  let sum = 0;
  for (const layer of input.layers) {
    if (!counts(layer, layer.builtin ? convention.rules.get(layer.type) : undefined)) continue;
    if (layer.params === null) return null;
    sum += layer.params;
  }
  return sum;
}

/** Marks the layers listed for their own parameters that also have children (a path prefix of another layer). */
function markContainers(input: CostInput): CostInput {
  const parents = new Set<string>();
  for (const l of input.layers) {
    for (let i = l.path.indexOf('.'); i >= 0; i = l.path.indexOf('.', i + 1)) parents.add(l.path.slice(0, i));
  }
  if (!input.layers.some((l) => parents.has(l.path) && !l.container)) return input;
  return { ...input, layers: input.layers.map((l) => (parents.has(l.path) ? { ...l, container: true } : l)) };
}

/** Runs one convention over one model. */
export function computeProfile(name: ConventionName, costInput: CostInput): ConventionProfile {
  const convention = CONVENTIONS[name];
  const input = markContainers(costInput);
  const scale = scaleFor(convention, input);
  const batch = input.input[0] ?? 1;
  const evaluated = input.layers.map((layer) => evalLayer(convention, layer, scale, batch));
  const layers = evaluated.map((e) => e.profile);
  const functionals = [
    ...foldTraced(convention, input, layers, [
      ...evaluated.flatMap((e) => hiddenEntries(e.hidden, scale)),
      ...directFunctionals(convention, input, scale),
    ]),
    ...repeatedPathEntries(convention, input, layers),
  ];
  const entries = [...layers, ...functionals];
  const macs = entries.reduce((acc, e) => acc + (e.macs ?? 0), 0);
  const unknownPaths = entries.filter((e) => e.macs === null).map((e) => e.path);
  const pixels = pixelCountForInput(input.input);
  const notes = [...convention.notes];
  if (unknownPaths.length > 0)
    notes.push(
      `Partial total: ${unknownPaths.length} entr${unknownPaths.length === 1 ? 'y is' : 'ies are'} unknown and left out (${unknownPaths.join(', ')}).`,
    );
  const reused = input.layers.filter((l) => l.calls.length > 1);
  if (convention.reusedCalls === 'last' && reused.length > 0) {
    notes.push(
      `${reused.length} reused module(s) counted for their last call only, as ${convention.tool} does: ${reused.map((l) => `${l.path} (${l.calls.length} calls)`).join(', ')}.`,
    );
  }
  const doubles = functionals.filter((f) => f.doubleCount);
  if (doubles.length > 0) {
    notes.push(
      `${doubles.reduce((a, f) => a + (f.macs ?? 0), 0)} MACs of the total are ops counted twice (module hook and functional patch).`,
    );
  }
  const secondaryMacs = convention.secondary ? layers.reduce((acc, l) => acc + (l.secondaryMacs ?? 0), 0) : undefined;
  return {
    convention: name,
    tool: convention.tool,
    summary: convention.summary,
    layers,
    functionals,
    totals: {
      params: paramsFor(convention, input),
      macs,
      partial: unknownPaths.length > 0,
      unknownPaths,
      macsPerPixel: pixels ? macs / pixels : null,
      pixels,
      flops: 2 * macs,
      ...(secondaryMacs !== undefined ? { secondaryMacs } : {}),
    },
    notes,
  };
}

/** Runs every convention over one model. */
export function computeAllProfiles(input: CostInput): Readonly<Record<ConventionName, ConventionProfile>> {
  const out = {} as Record<ConventionName, ConventionProfile>;
  for (const name of CONVENTION_NAMES) out[name] = computeProfile(name, input);
  return out;
}
