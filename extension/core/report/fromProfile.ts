// Builds the CLI's JSON report (`CliReport`) from a static profile: the engine's layers (paths,
// types, params, source lines, status) joined with one convention's MACs and formulas, plus every
// convention's totals for `--convention all`. The editor and the notebook renderer read the same
// object. No formatting here (see table.ts, csv.ts...) and no counting (see cost/).
import type { ConventionName, ConventionProfile } from '../cost/costTypes';
import type { CoreDiagnostic } from '../resultTypes';
import type { ProfileResult } from '../profileEntry';
import type { CliReport, ConventionSummary, ReportDiagnostic, ReportLayer, ReportTotals } from './reportTypes';

function totalsOf(p: ConventionProfile | undefined, params: number | null): ReportTotals {
  if (!p) return { params, macs: null, macsPerPixel: null, flops: null, pixels: null };
  const t = p.totals;
  return {
    params: t.params ?? params,
    macs: t.macs,
    macsPerPixel: t.macsPerPixel,
    flops: t.flops,
    pixels: t.pixels,
    ...(t.partial ? { partial: true } : {}),
  };
}

export function diagnosticsForReport(ds: readonly CoreDiagnostic[]): ReportDiagnostic[] {
  return ds.map((d) => ({
    severity: d.severity,
    message: d.message,
    code: d.code,
    ...(d.range ? { file: d.range.file, line: d.range.line + 1 } : {}),
  }));
}

/** The report for one convention (and, with `all`, every convention's totals and layer figures too). */
export function reportFromProfile(result: ProfileResult, convention: ConventionName | 'all'): CliReport {
  const main: ConventionName = convention === 'all' ? 'ptflops' : convention;
  const profile = result.profiles?.[main];
  const byPath = new Map(profile?.layers.map((l) => [l.path, l]) ?? []);
  const layers: ReportLayer[] = result.layers.map((l) => {
    const c = byPath.get(l.path);
    return {
      path: l.path,
      type: l.type,
      params: l.params,
      file: l.site.file,
      line: l.site.line + 1,
      status: l.status,
      ...(l.reason ? { reason: l.reason } : c?.reason && c.macs === null ? { reason: c.reason } : {}),
      macs: c ? c.macs : null,
      inputShape: l.inputShape,
      outputShape: l.output ?? l.outputShape,
      formula: c?.formula ?? (result.input ? 'not executed in forward' : 'no input shape'),
    };
  });
  const conventions: Partial<Record<ConventionName, ConventionSummary>> = {};
  if (convention === 'all' && result.profiles) {
    for (const [name, p] of Object.entries(result.profiles) as [ConventionName, ConventionProfile][]) {
      conventions[name] = {
        totals: totalsOf(p, result.totals.params),
        layers: p.layers.map((l) => ({ path: l.path, macs: l.macs, formula: l.formula })),
      };
    }
  }
  return {
    entry: result.entry,
    file: result.file,
    input: result.input ?? [],
    inputSource: result.inputSource,
    ...(result.inputNote ? { inputNote: result.inputNote } : {}),
    outputShape: result.outputShape,
    convention: main,
    totals: totalsOf(profile, result.totals.params),
    layers,
    ...(result.modules
      ? {
          modules: result.modules.map((m) => ({
            path: m.path,
            outputShape: m.outputShape,
            calls: m.calls,
            ...(m.reason ? { reason: m.reason } : {}),
          })),
        }
      : {}),
    functionals: (profile?.functionals ?? []).map((f) => ({
      path: f.path,
      type: f.type,
      macs: f.macs,
      formula: f.formula,
      ...(f.doubleCount ? { doubleCount: true } : {}),
      ...(f.message ? { message: f.message } : {}),
    })),
    diagnostics: diagnosticsForReport(result.diagnostics),
    ...(convention === 'all' ? { conventions } : {}),
  };
}
