// The report formatters' public surface: the CLI report type and one function per text format.
// Pure: a report object in, a string out.
export * from './reportTypes';
export { formatTable } from './table';
export { formatCsv, csvField } from './csv';
export { formatMarkdown, mdCell } from './markdown';
export { formatJvet } from './jvet';
export { reportFromProfile, diagnosticsForReport } from './fromProfile';
import { formatCsv } from './csv';
import { formatJvet } from './jvet';
import { formatMarkdown } from './markdown';
import { formatTable } from './table';
import type { CliReport } from './reportTypes';

/** The text formats the CLI offers besides json. */
export type ReportFormat = 'table' | 'csv' | 'md' | 'jvet';

export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'csv', 'md', 'jvet'];

/** Formats a report in one of the text formats. */
export function formatReport(format: ReportFormat, report: CliReport): string {
  switch (format) {
    case 'table':
      return formatTable(report);
    case 'csv':
      return formatCsv(report);
    case 'md':
      return formatMarkdown(report);
    case 'jvet':
      return formatJvet(report);
  }
}
