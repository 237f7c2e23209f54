// Runtime mode: the profile a live PyTorch model produced (media/python/convlens_runtime.py, schema
// `convlens.runtime/1`) turned into the cost stage's CostInput, the same CliReport a static profile
// gives, and a static report compared with a runtime one layer by layer. Payloads are validated before
// they get here (extension/protocol/validateRuntime.ts); this file does not count anything itself
// (cost/ does) and does not render anything (the renderer does).
import {
  computeAllProfiles,
  computeProfile,
  CONVENTION_NAMES,
  type ConventionName,
  type ConventionProfile,
  type CostInput,
  type CostLayer,
  type FunctionalOp,
  type KnownShape,
  type LayerCall,
} from './cost';
import type { JsonValue, OutputShape } from './resultTypes';
import type { CliReport, ConventionSummary, ReportDiagnostic, ReportLayer, ReportOutput, ReportTotals } from './report/reportTypes';

/** The notebook output MIME type the Python helper emits and the renderer reads. */
export const RUNTIME_PROFILE_MIME = 'application/vnd.convlens.profile+json';

/** The payload schema this file reads. */
export const RUNTIME_SCHEMA = 'convlens.runtime/1';

/** One call of a layer, as the forward hooks recorded it (the cost stage's LayerCall). */
/** A call as the runtime helper saw it; `output` is the whole result when forward returned a tuple or list. */
export type RuntimeCall = LayerCall & { readonly output?: OutputShape };

/** One layer as torch listed it; `error` is set when the helper could not read the module fully. */
export interface RuntimeLayer extends Omit<CostLayer, 'unknownReason' | 'calls'> {
  readonly calls: readonly RuntimeCall[];
  readonly error?: string;
}

/** A validated `convlens.runtime/1` payload. */
export interface RuntimePayload {
  readonly schema: typeof RUNTIME_SCHEMA;
  readonly name: string;
  readonly input: KnownShape;
  /** `torch.__version__` of the kernel. */
  readonly torch: string;
  readonly totalParams: number | null;
  readonly layers: readonly RuntimeLayer[];
  readonly functionals: readonly FunctionalOp[];
  readonly outputShape: KnownShape | null;
  readonly errors: readonly string[];
}

/** The cost stage's input for a runtime payload: its layers, calls and functional ops as recorded by torch. */
export function runtimeCostInput(payload: RuntimePayload): CostInput {
  const layers: CostLayer[] = payload.layers.map((l) => ({
    path: l.path,
    type: l.type,
    builtin: l.builtin,
    hyperparams: l.hyperparams,
    params: l.params,
    calls: l.calls,
    ...(l.torchBase !== undefined ? { torchBase: l.torchBase } : {}),
    ...(l.paths !== undefined ? { paths: l.paths } : {}),
    ...(l.paramNames !== undefined ? { paramNames: l.paramNames } : {}),
    ...(l.error !== undefined ? { unknownReason: l.error } : {}),
  }));
  return { input: payload.input, layers, functionals: payload.functionals, totalParams: payload.totalParams };
}

function totalsOf(p: ConventionProfile): ReportTotals {
  const t = p.totals;
  return {
    params: t.params,
    macs: t.macs,
    macsPerPixel: t.macsPerPixel,
    flops: t.flops,
    pixels: t.pixels,
    ...(t.partial ? { partial: true } : {}),
  };
}

/**
 * The CLI report for a runtime payload under one convention (or every one with `all`, the table then
 * using ptflops). There is no source file: `file` is the payload name and every `line` is 0, which a
 * diagnostic states; shapes are the first call's, as torch recorded them.
 */
export function runtimeReport(payload: RuntimePayload, convention: ConventionName | 'all'): CliReport {
  const main: ConventionName = convention === 'all' ? 'ptflops' : convention;
  const input = runtimeCostInput(payload);
  const profiles: Partial<Record<ConventionName, ConventionProfile>> =
    convention === 'all' ? computeAllProfiles(input) : { [main]: computeProfile(main, input) };
  const profile = profiles[main]!;
  const layers: ReportLayer[] = payload.layers.map((l, i) => {
    const c = profile.layers[i]!;
    const first = l.calls[0];
    const reason = l.error ?? (c.macs === null ? c.reason : undefined);
    return {
      path: l.path,
      type: l.type,
      params: l.params,
      file: payload.name,
      line: 0,
      status: l.error !== undefined ? 'unknown' : 'ok',
      ...(reason !== undefined ? { reason } : {}),
      macs: c.macs,
      inputShape: first?.inputShapes[0] ?? null,
      outputShape: first?.output ?? first?.outputShape ?? null,
      formula: l.calls.length === 0 ? 'not executed in forward' : c.formula,
    };
  });
  const diagnostics: ReportDiagnostic[] = [
    {
      severity: 'info',
      code: 'runtime',
      message: `Runtime profile recorded by torch ${payload.torch} on a zero tensor of shape ${payload.input.join('x')}; no source file, so file is the profile name and line is 0.`,
    },
    ...payload.errors.map((message): ReportDiagnostic => ({ severity: 'error', code: 'runtime', message })),
    ...payload.layers
      .filter((l) => l.error !== undefined)
      .map((l): ReportDiagnostic => ({ severity: 'warning', code: 'runtime', message: `${l.path || '<root>'}: ${l.error}` })),
  ];
  const conventions: Partial<Record<ConventionName, ConventionSummary>> = {};
  if (convention === 'all') {
    for (const name of CONVENTION_NAMES) {
      const p = profiles[name]!;
      conventions[name] = { totals: totalsOf(p), layers: p.layers.map((l) => ({ path: l.path, macs: l.macs, formula: l.formula })) };
    }
  }
  return {
    entry: payload.name,
    file: payload.name,
    input: payload.input,
    inputSource: 'explicit',
    outputShape: payload.outputShape,
    convention: main,
    totals: totalsOf(profile),
    layers,
    functionals: profile.functionals.map((f) => ({
      path: f.path,
      type: f.type,
      macs: f.macs,
      formula: f.formula,
      ...(f.doubleCount ? { doubleCount: true } : {}),
      ...(f.message ? { message: f.message } : {}),
    })),
    diagnostics,
    ...(convention === 'all' ? { conventions } : {}),
  };
}

// ------------------------------------------------------------------ static vs runtime

/** What differs for one layer path between a static and a runtime report. */
export type ProfileDifferenceKind =
  /** The static analysis lists a layer torch does not have. */
  | 'staticOnly'
  /** Torch has a layer the static analysis did not find. */
  | 'runtimeOnly'
  | 'type'
  | 'params'
  | 'macs'
  | 'inputShape'
  | 'outputShape'
  /** The static value is unknown (null) where torch measured one: not a disagreement, a gap. */
  | 'staticUnknown';

export interface ProfileDifference {
  readonly path: string;
  readonly kind: ProfileDifferenceKind;
  /** For `staticUnknown`: which field. */
  readonly field?: 'params' | 'macs' | 'inputShape' | 'outputShape';
  readonly staticValue: JsonValue;
  readonly runtimeValue: JsonValue;
}

/** One row of the side-by-side view: the same path in both reports (either may be missing). */
export interface ComparedLayer {
  readonly path: string;
  readonly static: ReportLayer | null;
  readonly runtime: ReportLayer | null;
  /** True when the row has no difference (gaps in the static side included as differences). */
  readonly same: boolean;
}

export interface ProfileComparison {
  /** The convention both reports' MACs use; null when they differ (MACs are then not compared). */
  readonly convention: ConventionName | null;
  /** Runtime order, with static-only layers placed after the runtime layer that precedes them statically. */
  readonly rows: readonly ComparedLayer[];
  readonly differences: readonly ProfileDifference[];
  readonly totals: {
    readonly params: { readonly static: number | null; readonly runtime: number | null; readonly same: boolean };
    readonly macs: { readonly static: number | null; readonly runtime: number | null; readonly same: boolean };
  };
}

function shapeKey(s: ReportOutput | null): string | null {
  return s === null ? null : JSON.stringify(s);
}

function layerDifferences(s: ReportLayer, r: ReportLayer, compareMacs: boolean): ProfileDifference[] {
  const out: ProfileDifference[] = [];
  const path = r.path;
  if (s.type !== r.type) out.push({ path, kind: 'type', staticValue: s.type, runtimeValue: r.type });
  const numbers: ('params' | 'macs')[] = compareMacs ? ['params', 'macs'] : ['params'];
  for (const field of numbers) {
    const sv = s[field],
      rv = r[field];
    if (sv === null && rv !== null) out.push({ path, kind: 'staticUnknown', field, staticValue: null, runtimeValue: rv });
    else if (sv !== null && rv !== null && sv !== rv) out.push({ path, kind: field, staticValue: sv, runtimeValue: rv });
  }
  for (const field of ['inputShape', 'outputShape'] as const) {
    const sv = s[field],
      rv = r[field];
    if (rv === null) continue;
    // A static shape with an unknown dim is a gap where torch knows the dim, not a disagreement,
    // unless a known dim (or the rank) differs.
    const sameRank = sv !== null && sv.length === rv.length;
    const knownDimsAgree = sameRank && sv.every((d, i) => d === null || (!Array.isArray(d) && d === rv[i]));
    if (sv !== null && shapeKey(sv) === shapeKey(rv)) continue;
    if (sv === null || knownDimsAgree)
      out.push({ path, kind: 'staticUnknown', field, staticValue: sv as JsonValue, runtimeValue: rv as JsonValue });
    else out.push({ path, kind: field, staticValue: sv as JsonValue, runtimeValue: rv as JsonValue });
  }
  return out;
}

/**
 * Compares a static report with a runtime report of the same model, path by path: layers only one
 * side has, and differing types, params, MACs (when both use the same convention) and first-call
 * shapes. Unknown static values where torch measured one are listed as `staticUnknown` gaps.
 */
export function compareProfiles(staticReport: CliReport, runtimeReport: CliReport): ProfileComparison {
  const compareMacs = staticReport.convention === runtimeReport.convention;
  const staticByPath = new Map(staticReport.layers.map((l) => [l.path, l]));
  const runtimeByPath = new Map(runtimeReport.layers.map((l) => [l.path, l]));
  const differences: ProfileDifference[] = [];
  const rows: ComparedLayer[] = [];
  // Static-only layers go right after the nearest preceding static layer that torch also has.
  const staticOnlyAfter = new Map<string | null, ReportLayer[]>();
  let anchor: string | null = null;
  for (const s of staticReport.layers) {
    if (runtimeByPath.has(s.path)) anchor = s.path;
    else staticOnlyAfter.set(anchor, [...(staticOnlyAfter.get(anchor) ?? []), s]);
  }
  const pushStaticOnly = (after: string | null) => {
    for (const s of staticOnlyAfter.get(after) ?? []) {
      differences.push({ path: s.path, kind: 'staticOnly', staticValue: s.type, runtimeValue: null });
      rows.push({ path: s.path, static: s, runtime: null, same: false });
    }
  };
  pushStaticOnly(null);
  for (const r of runtimeReport.layers) {
    const s = staticByPath.get(r.path);
    if (!s) {
      differences.push({ path: r.path, kind: 'runtimeOnly', staticValue: null, runtimeValue: r.type });
      rows.push({ path: r.path, static: null, runtime: r, same: false });
    } else {
      const ds = layerDifferences(s, r, compareMacs);
      differences.push(...ds);
      rows.push({ path: r.path, static: s, runtime: r, same: ds.length === 0 });
    }
    pushStaticOnly(r.path);
  }
  const total = (field: 'params' | 'macs', enabled: boolean) => {
    const sv = staticReport.totals[field],
      rv = runtimeReport.totals[field];
    return { static: sv, runtime: rv, same: enabled && sv !== null && sv === rv };
  };
  return {
    convention: compareMacs ? runtimeReport.convention : null,
    rows,
    differences,
    totals: { params: total('params', true), macs: total('macs', compareMacs) },
  };
}
