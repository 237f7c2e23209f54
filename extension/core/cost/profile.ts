// The cost stage's entry points: runs one convention (or all) over a CostInput and returns per-layer
// MACs with filled-in formulas, functional entries (ptflops' double counts included), totals and notes.
// Unknown shapes give null MACs with a reason and mark the totals partial; nothing is estimated.
// The counting rules themselves live in conventions/.
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
import { add, named, render, type Term } from './terms';
import { transformerParts } from './transformerParts';
import { unhookedWhy } from './unhooked';
import {
  CONVENTION_NAMES, type ConventionName, type ConventionProfile, type CostInput, type CostLayer, type FunctionalProfile,
  type KnownShape, type LayerCall, type LayerProfile,
} from './types';

/** The conventions by name. */
export const CONVENTIONS: Readonly<Record<ConventionName, Convention>> = {
  ptflops, 'ptflops-0.6': ptflops06, torchinfo, fvcore, thop, torchstat, paper,
};

/** The rule a convention applies to a layer: its table entry, else the explicit 0 the tool gives a catalog type it has no rule for. */
export function resolveRule(convention: Convention, rules: ReadonlyMap<string, LayerRule>, layer: Pick<CostLayer, 'type' | 'builtin'>): LayerRule {
  const rule = rules.get(layer.type);
  if (rule) return rule;
  const why = unhookedWhy(convention.name, layer.type);
  if (why) return { why, cost: zero };
  if (!layer.builtin) {
    return { why: `${layer.type} is a user-defined leaf: ${convention.tool} has no rule for it (ops in its forward are listed as functionals).`, cost: zero };
  }
  return { why: `No ${convention.tool} rule is known for ${layer.type}.`, cost: () => unknown(`no ${convention.tool} rule is known for ${layer.type}`) };
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
function evalCall(convention: Convention, rules: ReadonlyMap<string, LayerRule>, layer: CostLayer, call: LayerCall, withHidden: boolean): CallResult {
  const rule = resolveRule(convention, rules, layer);
  if (rule.composite) {
    const reason = rule.composite.guard?.(layer);
    if (reason) unknown(reason);
    const parts = transformerParts(layer, call).map((p) => ({ name: p.layer.path.slice(layer.path.length + 1), r: evalCall(convention, rules, p.layer, p.call, withHidden) }));
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
  const rendered = terms.map(render);
  if (rendered.length === 1) return rendered[0]!;
  if (rendered.every((r) => r === rendered[0])) return `${rendered.length} calls × [${rendered[0]}]`;
  return rendered.map((r, i) => `call ${i + 1}: ${r}`).join('; ');
}

interface LayerEval {
  readonly profile: LayerProfile;
  readonly hidden: readonly PathedHidden[];
}

function evalLayerWith(convention: Convention, rules: ReadonlyMap<string, LayerRule>, layer: CostLayer, withHidden: boolean): { macs: number | null; formula: string; reason?: string; hidden: readonly PathedHidden[] } {
  if (layer.unknownReason) return { macs: null, formula: '', reason: layer.unknownReason, hidden: [] };
  const calls = convention.reusedCalls === 'last' ? layer.calls.slice(-1) : layer.calls;
  try {
    const results = calls.map((call) => evalCall(convention, rules, layer, call, withHidden));
    const terms = results.map((r) => r.term);
    // A count is a non-negative finite number or unknown; anything else is an impossible layer that slipped through.
    const bad = terms.find((t) => !Number.isFinite(t.value) || t.value < 0);
    if (bad) return { macs: null, formula: '', reason: `the count would be ${bad.value} (${render(bad)}): not a possible layer`, hidden: [] };
    return { macs: terms.reduce((acc, t) => acc + t.value, 0), formula: joinCallFormulas(terms), hidden: results.flatMap((r) => r.hidden) };
  } catch (e) {
    if (e instanceof UnknownCost) return { macs: null, formula: '', reason: e.message, hidden: [] };
    throw e;
  }
}

function evalLayer(convention: Convention, layer: CostLayer): LayerEval {
  const main = evalLayerWith(convention, convention.rules, layer, true);
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
    const second = evalLayerWith(convention, convention.secondary.rules, layer, false);
    profile = { ...profile, secondaryMacs: second.macs, secondaryFormula: second.reason ?? second.formula };
  }
  return { profile, hidden: main.hidden };
}

/** Groups a layer's hidden ops by op name so a reused module gives one entry per op. */
function hiddenEntries(hidden: readonly PathedHidden[]): FunctionalProfile[] {
  const groups = new Map<string, PathedHidden[]>();
  for (const h of hidden) {
    const key = `${h.path}\u0000${h.op?.op ?? '?'}`;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    if (group.some((g) => g.op === null)) {
      return { path: first.path, type: 'functional:unknown', macs: null, formula: '', reason: group.find((g) => g.reason)?.reason ?? 'unknown' };
    }
    const ops = group.map((g) => g.op!);
    const terms = ops.map((o) => o.term);
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

function directFunctionals(convention: Convention, input: CostInput): FunctionalProfile[] {
  const out: FunctionalProfile[] = [];
  for (const op of input.functionals) {
    try {
      const counted = convention.functional(op);
      if (counted) out.push({ path: op.modulePath, type: `functional:${op.op}`, macs: counted.term.value, formula: render(counted.term), message: counted.message });
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

function paramsFor(convention: Convention, input: CostInput): number | null {
  const counts = convention.countsParamsOf;
  if (!counts) return input.totalParams;
  let sum = 0;
  for (const layer of input.layers) {
    if (!counts(layer, convention.rules.get(layer.type))) continue;
    if (layer.params === null) return null;
    sum += layer.params;
  }
  return sum;
}

/** Runs one convention over one model. */
export function computeProfile(name: ConventionName, input: CostInput): ConventionProfile {
  const convention = CONVENTIONS[name];
  const evaluated = input.layers.map((layer) => evalLayer(convention, layer));
  const layers = evaluated.map((e) => e.profile);
  const functionals = [...evaluated.flatMap((e) => hiddenEntries(e.hidden)), ...directFunctionals(convention, input)];
  const entries = [...layers, ...functionals];
  const macs = entries.reduce((acc, e) => acc + (e.macs ?? 0), 0);
  const unknownPaths = entries.filter((e) => e.macs === null).map((e) => e.path);
  const pixels = pixelCountForInput(input.input);
  const notes = [...convention.notes];
  if (unknownPaths.length > 0) notes.push(`Partial total: ${unknownPaths.length} entr${unknownPaths.length === 1 ? 'y is' : 'ies are'} unknown and left out (${unknownPaths.join(', ')}).`);
  const reused = input.layers.filter((l) => l.calls.length > 1);
  if (convention.reusedCalls === 'last' && reused.length > 0) {
    notes.push(`${reused.length} reused module(s) counted for their last call only, as ${convention.tool} does: ${reused.map((l) => `${l.path} (${l.calls.length} calls)`).join(', ')}.`);
  }
  const doubles = functionals.filter((f) => f.doubleCount);
  if (doubles.length > 0) {
    notes.push(`${doubles.reduce((a, f) => a + (f.macs ?? 0), 0)} MACs of the total are ops counted twice (module hook and functional patch).`);
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


