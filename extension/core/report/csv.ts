// The `csv` format: one row per layer and per functional entry, then a total row, RFC 4180 style
// (CRLF line ends; fields with a quote, comma or line break are quoted and their quotes doubled).
// Values are written as they are: no thousands separators, no spreadsheet-formula rewriting.
import { shapeText } from './text';
import type { CliReport } from './types';

const HEADER = ['path', 'type', 'params', 'macs', 'percent_of_total', 'input_shape', 'output_shape', 'file', 'line', 'status', 'reason', 'double_count', 'formula'];

/** Quotes one field when RFC 4180 requires it. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function percentOf(part: number | null, whole: number | null): string {
  return part === null || whole === null || whole === 0 ? '' : (part / whole * 100).toFixed(4);
}

/** Formats a report as CSV. */
export function formatCsv(report: CliReport): string {
  const total = report.totals.macs;
  const rows: (string | number | boolean | null | undefined)[][] = [HEADER];
  for (const l of report.layers) {
    rows.push([l.path, l.type, l.params, l.macs, percentOf(l.macs, total), l.inputShape ? shapeText(l.inputShape) : '', l.outputShape ? shapeText(l.outputShape) : '', l.file, l.line, l.status, l.reason, '', l.formula]);
  }
  for (const f of report.functionals) {
    rows.push([f.path, f.type, '', f.macs, percentOf(f.macs, total), '', '', '', '', f.macs === null ? 'unknown' : 'ok', f.message, f.doubleCount ? 'true' : '', f.formula]);
  }
  rows.push(['', 'total', report.totals.params, report.totals.macs, total === null ? '' : '100.0000', shapeText(report.input), '', report.file, '', report.totals.partial ? 'partial' : 'ok', '', '', `FLOPs = 2·MACs = ${report.totals.flops ?? '?'}`]);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
