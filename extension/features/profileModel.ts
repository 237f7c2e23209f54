// Pure builders for what the profile view and the export command show: the view model of one entry
// (rows from the core's report, totals, MACs/pixel as the settings divide it) and the exported text,
// which goes through the same report functions as the CLI (`convlens profile --format ...`), so the two
// agree byte for byte. No vscode import.
import { formatReport, reportFromProfile } from '../core/report';
import type { ProfileExportFormat, ProfileViewModel } from '../protocol/profileMessages';
import type { EntryResult } from '../worker/analysisJob';
import { conventionProfile, entryInput, entryInputText, entryMacsPerPixel, formatShape, missingMacsReason, pixelsOf } from './format';
import { conventions, type ConvLensSettings, type Convention } from './settings';

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
}

export function buildProfileModel(entry: EntryResult, c: ModelContext): ProfileViewModel {
  const { settings } = c;
  const a = entry.analysis;
  const profile = conventionProfile(entry, settings.convention);
  const report = a ? reportFromProfile(a, settings.convention) : undefined;
  const input = entryInput(entry);
  const byOutput = settings.macsPerPixelDenominator === 'output';
  const plane = byOutput ? a?.outputShape : input;
  const perPixelNote = pixelsOf(plane)
    ? `H×W of the ${byOutput ? 'model output' : 'input'} = ${plane!.slice(-2).join('×')}`
    : `the ${byOutput ? 'model output' : 'input'} has no H×W`;
  const totals = profile?.totals;
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
    convention: settings.convention,
    conventions: [...conventions],
    tool: profile?.tool ?? '',
    summary: profile?.summary ?? '',
    input: input ? formatShape(input) : '?',
    inputSource: entryInputText(entry),
    outputShape: a?.outputShape ?? null,
    totals: {
      params: a?.totals.params ?? null,
      macs: totals && !totals.partial ? totals.macs : null,
      flops: totals && !totals.partial ? totals.flops : null,
      macsPerPixel: entryMacsPerPixel(entry, settings),
      perPixelNote,
      functionalMacs: (profile?.functionals ?? []).reduce((s, f) => s + (f.macs ?? 0), 0),
      partial: totals?.partial ?? true,
    },
    rows: (report?.layers ?? []).map((l) => ({
      path: l.path,
      type: l.type,
      line: l.file === a?.file ? (c.toDocumentLine(l.line - 1) ?? -1) : -1,
      params: l.params,
      macs: l.macs,
      inputShape: l.inputShape,
      outputShape: l.outputShape,
      formula: l.formula,
      reason: l.reason ?? null,
    })),
    units: settings.units,
    messages,
  };
}
