// Validates a profile payload that claims to be the CLI's JSON report (CliReport, core/report/reportTypes.ts),
// as it arrives in a notebook output: every field is checked for type and bounds (REPORT_LIMITS) and
// copied into a fresh object; unknown fields are dropped. Strings stay plain data: the renderer only
// ever puts them in text nodes. Runtime payloads (`schema: "convlens.runtime/1"`) are core/runtime.ts's.
import { CONVENTION_NAMES, type ConventionName } from '../core/cost/costTypes';
import type {
  CliReport,
  ConventionSummary,
  ReportDiagnostic,
  ReportFunctional,
  ReportLayer,
  ReportModule,
  ReportOutput,
  ReportShape,
  ReportTotals,
} from '../core/report/reportTypes';
import { amount, count, fail, isRecord, list, nullable, oneOf, parseJson, record, str as checkStr, type Fields } from './check';
import { REPORT_LIMITS } from './rendererMessages';

export type ReportParseResult = { readonly ok: true; readonly report: CliReport } | { readonly ok: false; readonly error: string };

const str = (v: unknown, where: string, nonEmpty = false): string => checkStr(v, where, REPORT_LIMITS.stringChars, nonEmpty);

function optStr(v: unknown, where: string): string | undefined {
  return v === undefined ? undefined : str(v, where);
}

function shape(v: unknown, where: string): ReportShape {
  return list(v, where, REPORT_LIMITS.dims).map((d, i) => (d === null ? null : count(d, `${where}[${i}]`)));
}

/** A layer's output: a shape, or one entry per item (a shape, a tuple output or null) of a returned tuple, 4 deep at most. */
function output(v: unknown, where: string, depth = 0): ReportOutput {
  const items = list(v, where, REPORT_LIMITS.dims);
  if (!items.some(Array.isArray)) return shape(v, where);
  if (depth >= 4) fail(where, 'nested too deep');
  return items.map((d, i) => (d === null ? null : output(d, `${where}[${i}]`, depth + 1)));
}

function totals(v: unknown, where: string): ReportTotals {
  const t = record(v, where);
  if (t['partial'] !== undefined && typeof t['partial'] !== 'boolean') fail(`${where}.partial`, 'expected a boolean');
  return {
    params: nullable(t['params'], `${where}.params`, count),
    macs: nullable(t['macs'], `${where}.macs`, amount),
    macsPerPixel: nullable(t['macsPerPixel'], `${where}.macsPerPixel`, amount),
    flops: nullable(t['flops'], `${where}.flops`, amount),
    ...(t['pixels'] !== undefined ? { pixels: nullable(t['pixels'], `${where}.pixels`, count) } : {}),
    ...(t['partial'] === true ? { partial: true } : {}),
  };
}

function layer(v: unknown, where: string): ReportLayer {
  const l = record(v, where);
  const reason = optStr(l['reason'], `${where}.reason`);
  return {
    path: str(l['path'], `${where}.path`),
    type: str(l['type'], `${where}.type`, true),
    params: nullable(l['params'], `${where}.params`, count),
    file: str(l['file'], `${where}.file`),
    line: count(l['line'], `${where}.line`),
    status: oneOf(l['status'], `${where}.status`, ['ok', 'unknown'] as const),
    ...(reason !== undefined ? { reason } : {}),
    macs: nullable(l['macs'], `${where}.macs`, amount),
    inputShape: nullable(l['inputShape'], `${where}.inputShape`, shape),
    outputShape: nullable(l['outputShape'], `${where}.outputShape`, output),
    formula: str(l['formula'], `${where}.formula`),
  };
}

function moduleOutput(v: unknown, where: string): ReportModule {
  const m = record(v, where);
  const reason = optStr(m['reason'], `${where}.reason`);
  return {
    path: str(m['path'], `${where}.path`),
    outputShape: nullable(m['outputShape'], `${where}.outputShape`, output),
    calls: count(m['calls'], `${where}.calls`),
    ...(reason !== undefined ? { reason } : {}),
  };
}

function functional(v: unknown, where: string): ReportFunctional {
  const f = record(v, where);
  if (f['doubleCount'] !== undefined && typeof f['doubleCount'] !== 'boolean') fail(`${where}.doubleCount`, 'expected a boolean');
  const message = optStr(f['message'], `${where}.message`);
  return {
    path: str(f['path'], `${where}.path`),
    type: str(f['type'], `${where}.type`, true),
    macs: nullable(f['macs'], `${where}.macs`, amount),
    formula: str(f['formula'], `${where}.formula`),
    ...(f['doubleCount'] === true ? { doubleCount: true } : {}),
    ...(message !== undefined ? { message } : {}),
  };
}

function diagnostic(v: unknown, where: string): ReportDiagnostic {
  const d = record(v, where);
  const code = optStr(d['code'], `${where}.code`);
  const file = optStr(d['file'], `${where}.file`);
  return {
    severity: oneOf(d['severity'], `${where}.severity`, ['error', 'warning', 'info'] as const),
    message: str(d['message'], `${where}.message`),
    ...(code !== undefined ? { code } : {}),
    ...(file !== undefined ? { file } : {}),
    ...(d['line'] !== undefined ? { line: count(d['line'], `${where}.line`) } : {}),
  };
}

function conventionSummary(v: unknown, where: string): ConventionSummary {
  const s = record(v, where);
  return {
    totals: totals(s['totals'], `${where}.totals`),
    layers: list(s['layers'], `${where}.layers`, REPORT_LIMITS.layers).map((x, i) => {
      const at = `${where}.layers[${i}]`;
      const l = record(x, at);
      const formula = optStr(l['formula'], `${at}.formula`);
      return {
        path: str(l['path'], `${at}.path`),
        macs: nullable(l['macs'], `${at}.macs`, amount),
        ...(formula !== undefined ? { formula } : {}),
      };
    }),
  };
}

function conventions(v: unknown, where: string): Partial<Record<ConventionName, ConventionSummary>> {
  const c = record(v, where);
  const out: Partial<Record<ConventionName, ConventionSummary>> = {};
  for (const key of Object.keys(c)) {
    const name = oneOf(key, `${where} key ${JSON.stringify(key.slice(0, 40))}`, CONVENTION_NAMES);
    out[name] = conventionSummary(c[key], `${where}.${name}`);
  }
  return out;
}

/**
 * The model input: every dim at least 1. An empty input means the analysis found no input shape, and
 * then nothing was counted: a report with no input but MACs is refused (its numbers cannot be right).
 */
function inputShape(r: Fields): readonly number[] {
  const input = list(r['input'], 'report.input', REPORT_LIMITS.dims).map((d, i) => {
    if (count(d, `report.input[${i}]`) === 0) fail(`report.input[${i}]`, 'expected a dim of at least 1');
    return d as number;
  });
  const totals = isRecord(r['totals']) ? r['totals'] : {};
  if (input.length === 0 && (totals['macs'] ?? null) !== null)
    fail('report.input', 'empty (no input shape), but the report counts MACs; a profile without an input has none');
  return input;
}

function reportOf(value: unknown): CliReport {
  const r = record(value, 'report');
  const inputSource =
    r['inputSource'] === undefined
      ? undefined
      : nullable(r['inputSource'], 'report.inputSource', (v, w) =>
          oneOf(v, w, ['explicit', 'setting', 'comment', 'inferred', 'assumed', 'default'] as const),
        );
  const report: CliReport = {
    entry: str(r['entry'], 'report.entry'),
    file: str(r['file'], 'report.file'),
    input: inputShape(r),
    ...(inputSource !== undefined ? { inputSource } : {}),
    ...(r['inputNote'] !== undefined ? { inputNote: str(r['inputNote'], 'report.inputNote') } : {}),
    ...(r['outputShape'] !== undefined ? { outputShape: nullable(r['outputShape'], 'report.outputShape', shape) } : {}),
    convention: oneOf(r['convention'], 'report.convention', CONVENTION_NAMES),
    totals: totals(r['totals'], 'report.totals'),
    layers: list(r['layers'], 'report.layers', REPORT_LIMITS.layers).map((l, i) => layer(l, `report.layers[${i}]`)),
    ...(r['modules'] !== undefined
      ? { modules: list(r['modules'], 'report.modules', REPORT_LIMITS.layers).map((m, i) => moduleOutput(m, `report.modules[${i}]`)) }
      : {}),
    functionals: list(r['functionals'], 'report.functionals', REPORT_LIMITS.functionals).map((f, i) =>
      functional(f, `report.functionals[${i}]`),
    ),
    diagnostics: list(r['diagnostics'], 'report.diagnostics', REPORT_LIMITS.diagnostics).map((d, i) =>
      diagnostic(d, `report.diagnostics[${i}]`),
    ),
    ...(r['conventions'] !== undefined ? { conventions: conventions(r['conventions'], 'report.conventions') } : {}),
  };
  return report;
}

/**
 * Validates a CLI report (the parsed output data, or its JSON text). Never throws: anything malformed,
 * too large or nested too deeply gives `{ ok: false, error }` with the path of the first bad field.
 */
export function parseProfileReport(json: unknown): ReportParseResult {
  const r = parseJson(json, 'report', REPORT_LIMITS.jsonChars, reportOf);
  return r.ok ? { ok: true, report: r.value } : r;
}
