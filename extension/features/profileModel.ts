// Pure builders for what the profile view and the export command show: the view model of one entry
// (the core's report with every convention, MACs/pixel as the settings divide it, each module's line) and the exported text,
// which goes through the same report functions as the CLI (`convlens profile --format ...`), so the two
// agree byte for byte. No vscode import.
import { formatReport, reportFromProfile, type CliReport } from '../core/report';
import type { ReportTotals } from '../core/report/reportTypes';
import { PROFILE_LIMITS, type ProfileExportFormat, type ProfileSite, type ProfileViewModel } from '../protocol/profileMessages';
import type { EntryResult } from '../worker/analysisJob';
import { conventionProfile, entryInput, entryInputText, formatShape, missingMacsReason, pixelsOf } from './displayText';
import { conventionNotes, conventions, type ConvLensSettings, type Convention } from './settings';

/** The report text of an entry in one format, exactly as the CLI prints it (without its final newline). */
export function exportText(entry: EntryResult, convention: Convention, format: ProfileExportFormat): string | undefined {
  if (!entry.analysis) return undefined;
  const report = reportFromProfile(entry.analysis, convention);
  return format === 'json' ? JSON.stringify(report, null, 1) : formatReport(format, report);
}

/** File extension and VS Code language of each export format. */
export const exportFormatInfo: Record<ProfileExportFormat, { readonly label: string; readonly ext: string; readonly language: string }> = {
  md: { label: 'Markdown', ext: 'md', language: 'markdown' },
  csv: { label: 'CSV', ext: 'csv', language: 'csv' },
  json: { label: 'JSON', ext: 'json', language: 'json' },
  jvet: { label: 'JVET (complexity table)', ext: 'txt', language: 'plaintext' },
};

export interface ModelContext {
  readonly uri: string;
  readonly fileName: string;
  readonly entries: readonly EntryResult[];
  readonly settings: ConvLensSettings;
  /** The document line of a 0-based line of the analysed unit, if it lies in the document shown. */
  readonly toDocumentLine: (unitLine: number) => number | undefined;
  /** The convention picked in the view, if any (else the setting's). */
  readonly convention?: Convention;
}

/** The report with MACs/pixel divided as the settings say: by the input's H×W (the report's own) or the model output's. */
function withPerPixel(report: CliReport, outputPixels: number | null, byOutput: boolean): CliReport {
  if (!byOutput) return report;
  const per = (t: ReportTotals): ReportTotals => ({
    ...t,
    macsPerPixel: t.macs !== null && !t.partial && outputPixels ? t.macs / outputPixels : null,
  });
  const conventions = Object.fromEntries(
    Object.entries(report.conventions ?? {}).map(([n, c]) => [n, { ...c, totals: per(c.totals) }]),
  ) as CliReport['conventions'];
  return { ...report, totals: per(report.totals), ...(conventions ? { conventions } : {}) };
}

/** Every module and layer of the entry with its class and the document line that built it (-1 elsewhere). */
function sitesOf(entry: EntryResult, toDocumentLine: (line: number) => number | undefined): ProfileSite[] {
  const a = entry.analysis;
  if (!a) return [];
  const line = (file: string | undefined, l: number | undefined): number =>
    file === a.file && l !== undefined ? (toDocumentLine(l) ?? -1) : -1;
  return [
    ...(entry.modules ?? []).map((m) => ({ path: m.path, type: m.type, line: line(m.file, m.line) })),
    ...a.layers.map((l) => ({ path: l.path, type: l.type, line: line(l.site.file, l.site.line) })),
  ].slice(0, PROFILE_LIMITS.maxLayers);
}

export function buildProfileModel(entry: EntryResult, c: ModelContext): ProfileViewModel {
  const { settings } = c;
  const a = entry.analysis;
  const convention = c.convention ?? settings.convention;
  const profile = conventionProfile(entry, convention);
  const input = entryInput(entry);
  const byOutput = settings.macsPerPixelDenominator === 'output';
  const plane = byOutput ? a?.outputShape : input;
  const perPixelNote = pixelsOf(plane)
    ? `MACs/pixel divides by H×W of the ${byOutput ? 'model output' : 'input'} = ${plane!.slice(-2).join('×')}`
    : `MACs/pixel: the ${byOutput ? 'model output' : 'input'} has no H×W`;
  const messages = [
    ...(entry.error ? [`The analysis failed: ${entry.error}`] : []),
    ...(!profile && a ? [missingMacsReason(entry) ?? 'no MACs'] : []),
    ...(a?.diagnostics ?? [])
      .filter((d) => d.severity !== 'info')
      .slice(0, 20)
      .map((d) => `${d.severity}: ${d.message}${d.range && d.range.file !== '<entry>' ? ` (line ${d.range.line + 1})` : ''}`),
  ];
  return {
    uri: c.uri,
    fileName: c.fileName,
    entries: c.entries.map((e) => e.spec.expr),
    entry: entry.spec.expr,
    convention,
    conventions: conventions.map((name) => ({ name, note: conventionNotes[name] })),
    report: a ? withPerPixel(reportFromProfile(a, 'all'), pixelsOf(a.outputShape), byOutput) : null,
    sites: sitesOf(entry, c.toDocumentLine),
    input: input ? formatShape(input) : '?',
    inputSource: entryInputText(entry),
    perPixelNote,
    units: settings.units,
    messages,
  };
}
