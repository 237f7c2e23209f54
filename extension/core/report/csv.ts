// The `csv` format: one row per layer and per functional entry, then a total row, RFC 4180 style
// (CRLF line ends; every field quoted, quotes doubled). Layer paths and reasons can come from the analysed
// code (`add_module('=cmd|...', ...)`), so a text field that a spreadsheet would read as a formula (leading
// = + - @ tab or CR) gets a leading apostrophe, as OWASP's CSV-injection advice says. Numbers are as they are.
import { shapeText } from './text';
import type { CliReport } from './reportTypes';

const HEADER = [
  'path',
  'type',
  'params',
  'macs',
  'percent_of_total',
  'input_shape',
  'output_shape',
  'file',
  'line',
  'status',
  'reason',
  'double_count',
  'formula',
];

/** One quoted field; text that a spreadsheet would run as a formula is neutralised with a leading apostrophe. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

function percentOf(part: number | null, whole: number | null): string {
  return part === null || whole === null || whole === 0 ? '' : ((part / whole) * 100).toFixed(4);
}

/** Formats a report as CSV. */
export function formatCsv(report: CliReport): string {
  const total = report.totals.macs;
  const rows: (string | number | boolean | null | undefined)[][] = [HEADER];
  for (const l of report.layers) {
    rows.push([
      l.path,
      l.type,
      l.params,
      l.macs,
      percentOf(l.macs, total),
      l.inputShape ? shapeText(l.inputShape) : '',
      l.outputShape ? shapeText(l.outputShape) : '',
      l.file,
      l.line,
      l.status,
      l.reason,
      '',
      l.formula,
    ]);
  }
  for (const f of report.functionals) {
    rows.push([
      f.path,
      f.type,
      '',
      f.macs,
      percentOf(f.macs, total),
      '',
      '',
      '',
      '',
      f.macs === null ? 'unknown' : 'ok',
      f.message,
      f.doubleCount ? 'true' : '',
      f.formula,
    ]);
  }
  rows.push([
    '',
    'total',
    report.totals.params,
    report.totals.macs,
    total === null ? '' : '100.0000',
    shapeText(report.input),
    '',
    report.file,
    '',
    report.totals.partial ? 'partial' : 'ok',
    '',
    '',
    `FLOPs = 2·MACs = ${report.totals.flops ?? '?'}`,
  ]);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
