// Runtime mode: validates the profile a live PyTorch model produced (media/python/convlens_runtime.py,
// schema `convlens.runtime/1`), turns it into the cost stage's CostInput, builds the same CliReport a
// static profile gives, and compares a static report with a runtime one layer by layer.
// It trusts nothing in the payload: every field is checked and bounded, and names stay plain data.
// It does not count anything itself (cost/ does) and does not render anything (the renderer does).
import {
  computeAllProfiles,
  computeProfile,
  CONVENTION_NAMES,
  type ConventionName,
  type ConventionProfile,
  type CostInput,
  type CostLayer,
  type FunctionalOp,
  type FunctionalVia,
  type KnownShape,
  type LayerCall,
} from './cost';
import type { JsonValue, OutputShape } from './resultTypes';
import type { CliReport, ConventionSummary, ReportDiagnostic, ReportLayer, ReportOutput, ReportTotals } from './report/reportTypes';

/** The notebook output MIME type the Python helper emits and the renderer reads. */
export const RUNTIME_PROFILE_MIME = 'application/vnd.convlens.profile+json';

/** The payload schema this file reads. */
export const RUNTIME_SCHEMA = 'convlens.runtime/1';

/** Bounds on a payload; anything beyond them is rejected, never truncated silently. */
export const RUNTIME_LIMITS = {
  layers: 100_000,
  functionals: 100_000,
  /** Calls summed over all layers. */
  calls: 1_000_000,
  callsPerLayer: 10_000,
  tensorsPerCall: 64,
  dims: 8,
  /** Path, type, op and error strings. */
  stringChars: 4_096,
  errors: 1_000,
  hyperparamKeys: 64,
  /** Nesting depth and array length inside one hyperparameter or op argument. */
  valueDepth: 4,
  valueItems: 256,
  /** A payload given as a JSON string. */
  jsonChars: 64 * 1024 * 1024,
} as const;

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

export type RuntimeParseResult = { readonly ok: true; readonly payload: RuntimePayload } | { readonly ok: false; readonly error: string };

/** Keys that would reach an object's prototype if the data were ever merged into an object. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const VIAS: ReadonlySet<string> = new Set<FunctionalVia>(['F', 'torch', 'method', 'operator']);

class Invalid extends Error {}

function fail(where: string, what: string): never {
  throw new Invalid(`${where}: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A plain object whose own keys are all allowed; returns it for reading by key. */
function record(v: unknown, where: string): Record<string, unknown> {
  if (!isRecord(v)) fail(where, 'expected an object');
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) fail(where, 'expected a plain object');
  for (const k of Object.keys(v)) if (FORBIDDEN_KEYS.has(k)) fail(where, `forbidden key ${JSON.stringify(k)}`);
  return v;
}

function string(v: unknown, where: string, allowEmpty = true): string {
  if (typeof v !== 'string') fail(where, 'expected a string');
  if (v.length > RUNTIME_LIMITS.stringChars) fail(where, `string longer than ${RUNTIME_LIMITS.stringChars} characters`);
  if (!allowEmpty && v.length === 0) fail(where, 'expected a non-empty string');
  return v;
}

function count(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(where, 'expected a non-negative integer');
  return v;
}

function array(v: unknown, where: string, max: number): readonly unknown[] {
  if (!Array.isArray(v)) fail(where, 'expected an array');
  if (v.length > max) fail(where, `more than ${max} items`);
  return v;
}

function shape(v: unknown, where: string): KnownShape {
  return array(v, where, RUNTIME_LIMITS.dims).map((d, i) => count(d, `${where}[${i}]`));
}

/** A tuple output (core/model.ts OutputShape): one entry per item, a shape, a nested tuple or null, 4 deep at most. */
function outputTree(v: unknown, where: string, depth = 0): OutputShape {
  const items = array(v, where, RUNTIME_LIMITS.tensorsPerCall);
  if (!items.some(Array.isArray)) return shape(v, where);
  if (depth >= 4) fail(where, 'nested too deep');
  return items.map((d, i) => (d === null ? null : outputTree(d, `${where}[${i}]`, depth + 1)));
}

function shapeOrNull(v: unknown, where: string): KnownShape | null {
  return v === null || v === undefined ? null : shape(v, where);
}

/** A JSON value (hyperparameter or op argument), copied into fresh objects and bounded in depth and size. */
function jsonValue(v: unknown, where: string, depth = 0): JsonValue {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(where, 'expected a finite number');
    return v;
  }
  if (typeof v === 'string') return string(v, where);
  if (depth >= RUNTIME_LIMITS.valueDepth) fail(where, `nested deeper than ${RUNTIME_LIMITS.valueDepth}`);
  if (Array.isArray(v)) return array(v, where, RUNTIME_LIMITS.valueItems).map((x, i) => jsonValue(x, `${where}[${i}]`, depth + 1));
  return jsonObject(v, where, RUNTIME_LIMITS.valueItems, depth + 1);
}

function jsonObject(v: unknown, where: string, maxKeys: number, depth = 0): Record<string, JsonValue> {
  const src = record(v, where);
  const keys = Object.keys(src);
  if (keys.length > maxKeys) fail(where, `more than ${maxKeys} keys`);
  const out: Record<string, JsonValue> = {};
  for (const k of keys) {
    string(k, `${where} key`);
    out[k] = jsonValue(src[k], `${where}.${k}`, depth);
  }
  return out;
}

function call(v: unknown, where: string): RuntimeCall {
  const c = record(v, where);
  return {
    inputShapes: array(c['inputShapes'], `${where}.inputShapes`, RUNTIME_LIMITS.tensorsPerCall).map((s, i) =>
      shapeOrNull(s, `${where}.inputShapes[${i}]`),
    ),
    outputShape: shapeOrNull(c['outputShape'], `${where}.outputShape`),
    ...(c['output'] !== undefined && c['output'] !== null ? { output: outputTree(c['output'], `${where}.output`) } : {}),
  };
}

function layer(v: unknown, where: string): RuntimeLayer {
  const l = record(v, where);
  if (typeof l['builtin'] !== 'boolean') fail(`${where}.builtin`, 'expected a boolean');
  const error = l['error'] === undefined || l['error'] === null ? undefined : string(l['error'], `${where}.error`);
  return {
    path: string(l['path'], `${where}.path`),
    type: string(l['type'], `${where}.type`, false),
    builtin: l['builtin'],
    hyperparams: jsonObject(l['hyperparams'], `${where}.hyperparams`, RUNTIME_LIMITS.hyperparamKeys),
    params: l['params'] === null ? null : count(l['params'], `${where}.params`),
    calls: array(l['calls'], `${where}.calls`, RUNTIME_LIMITS.callsPerLayer).map((c, i) => call(c, `${where}.calls[${i}]`)),
    ...(error !== undefined ? { error } : {}),
    ...(l['torchBase'] !== undefined ? { torchBase: string(l['torchBase'], `${where}.torchBase`, false) } : {}),
    ...(l['paths'] !== undefined ? { paths: count(l['paths'], `${where}.paths`) } : {}),
    ...(l['paramNames'] !== undefined ? { paramNames: paramNames(l['paramNames'], `${where}.paramNames`) } : {}),
  };
}

/** A layer's own parameters by name: `[{name, numel}]`. */
function paramNames(v: unknown, where: string): { name: string; numel: number }[] {
  return array(v, where, RUNTIME_LIMITS.hyperparamKeys).map((p, i) => {
    const r = record(p, `${where}[${i}]`);
    return { name: string(r['name'], `${where}[${i}].name`, false), numel: count(r['numel'], `${where}[${i}].numel`) };
  });
}

function functional(v: unknown, where: string): FunctionalOp {
  const f = record(v, where);
  const via = string(f['via'], `${where}.via`);
  if (!VIAS.has(via)) fail(`${where}.via`, `expected one of ${[...VIAS].join(', ')}`);
  const c = call(f, where);
  return {
    op: string(f['op'], `${where}.op`, false),
    via: via as FunctionalVia,
    modulePath: string(f['modulePath'], `${where}.modulePath`),
    inputShapes: c.inputShapes,
    outputShape: c.outputShape,
    args: f['args'] === undefined ? {} : jsonObject(f['args'], `${where}.args`, RUNTIME_LIMITS.hyperparamKeys),
  };
}

function payloadOf(json: unknown): RuntimePayload {
  const p = record(json, 'payload');
  if (p['schema'] !== RUNTIME_SCHEMA) fail('payload.schema', `expected ${JSON.stringify(RUNTIME_SCHEMA)}`);
  const layers = array(p['layers'], 'payload.layers', RUNTIME_LIMITS.layers).map((l, i) => layer(l, `payload.layers[${i}]`));
  const seen = new Set<string>();
  let calls = 0;
  for (const l of layers) {
    if (seen.has(l.path)) fail('payload.layers', `duplicate path ${JSON.stringify(l.path)}`);
    seen.add(l.path);
    calls += l.calls.length;
  }
  if (calls > RUNTIME_LIMITS.calls) fail('payload.layers', `more than ${RUNTIME_LIMITS.calls} calls in all`);
  const input = shape(p['input'], 'payload.input');
  if (input.length === 0) fail('payload.input', 'expected at least one dim');
  return {
    schema: RUNTIME_SCHEMA,
    name: string(p['name'], 'payload.name'),
    input,
    torch: string(p['torch'], 'payload.torch'),
    totalParams: p['totalParams'] === null ? null : count(p['totalParams'], 'payload.totalParams'),
    layers,
    functionals:
      p['functionals'] === undefined
        ? []
        : array(p['functionals'], 'payload.functionals', RUNTIME_LIMITS.functionals).map((f, i) =>
            functional(f, `payload.functionals[${i}]`),
          ),
    outputShape: shapeOrNull(p['outputShape'], 'payload.outputShape'),
    errors: array(p['errors'], 'payload.errors', RUNTIME_LIMITS.errors).map((e, i) => string(e, `payload.errors[${i}]`)),
  };
}

/**
 * Validates a runtime payload (the parsed MIME data, or its JSON text). Every field is checked for
 * type and bounds; unknown extra fields are ignored and not copied. Never throws.
 */
export function parseRuntimePayload(json: unknown): RuntimeParseResult {
  try {
    let value = json;
    if (typeof json === 'string') {
      if (json.length > RUNTIME_LIMITS.jsonChars)
        return { ok: false, error: `payload: JSON text longer than ${RUNTIME_LIMITS.jsonChars} characters` };
      value = JSON.parse(json) as unknown;
    }
    return { ok: true, payload: payloadOf(value) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    if (e instanceof SyntaxError) return { ok: false, error: `payload: not JSON (${e.message})` };
    if (e instanceof RangeError) return { ok: false, error: 'payload: nested too deeply' };
    throw e;
  }
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
