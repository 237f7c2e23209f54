// The `table` format: a torchinfo-like per-layer text table (name, type, output shape, params, MACs,
// % of total), functional entries, then totals, MACs/pixel and FLOPs = 2·MACs, and for
// `--convention all` a comparison of every convention. Plain text, no colour, no terminal width logic.
import { CONVENTION_NAMES } from '../cost/costTypes';
import { inputSourceText } from '../inputSource';
import { count, figureName, oneLine, percent, shapeText, toolOf, withThousands } from './text';
import type { CliReport, ReportTotals } from './types';

type Align = 'left' | 'right';

/** Lays out rows under a header with one space-padded column per field. */
export function layoutColumns(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1));
  return [line(header), rule, ...rows.map(line)];
}

function totalsLines(totals: ReportTotals, figure: string): string[] {
  const partial = totals.partial ? ' (partial: unknown layers left out)' : '';
  const pixels = totals.pixels ? ` (pixels = H×W of the input = ${withThousands(totals.pixels)})` : '';
  return [
    `Total params: ${count(totals.params)}`,
    `Total ${figure}: ${count(totals.macs)}${partial}`,
    // A partial total per pixel reads like a measurement (a forward that raised gave "0.00"): it says "at least".
    `${figure}/pixel: ${totals.macsPerPixel === null ? '?' : `${totals.partial ? '≥ ' : ''}${withThousands(totals.macsPerPixel, 2)}`}${pixels}${partial}`,
    `FLOPs: ${count(totals.flops)} (FLOPs = 2 × ${figure})`,
    ...(figure === 'MACs' ? [] : [`(${figure} counts multiplies and adds separately: it is about 2× the MAC figure of the other tools.)`]),
  ];
}

/** Formats a report as a text table. */
export function formatTable(report: CliReport): string {
  const total = report.totals.macs;
  const figure = figureName(report.convention);
  const rows = report.layers.map((l) => [
    oneLine(l.path),
    oneLine(l.type),
    shapeText(l.outputShape),
    count(l.params),
    count(l.macs),
    percent(l.macs, total),
  ]);
  for (const f of report.functionals) {
    const mark = f.doubleCount ? ' (double count)' : '';
    rows.push([oneLine(f.path || '(root)'), oneLine(`${f.type}${mark}`), '', '', count(f.macs), percent(f.macs, total)]);
  }
  const out = [
    `Conv Lens profile: ${oneLine(report.entry)} in ${oneLine(report.file)}`,
    `Input ${report.input.length ? shapeText(report.input) : 'none'} (${oneLine(inputSourceText(report.inputSource, report.inputNote))}), convention ${report.convention} (${toolOf(report.convention)})`,
    '',
    ...layoutColumns(['Layer', 'Type', 'Output shape', 'Params', figure, `% ${figure}`], rows, [
      'left',
      'left',
      'left',
      'right',
      'right',
      'right',
    ]),
    '',
    ...totalsLines(report.totals, figure),
  ];
  const unknown = report.layers.filter((l) => l.macs === null || l.status === 'unknown');
  if (unknown.length > 0) out.push('', 'Unknown:', ...unknown.map((l) => `  ${oneLine(l.path)}: ${oneLine(l.reason ?? 'unknown')}`));
  const doubles = report.functionals.filter((f) => f.doubleCount);
  if (doubles.length > 0)
    out.push(
      '',
      `Double counts (in the total, as ${toolOf(report.convention)} reports it): ${withThousands(doubles.reduce((a, f) => a + (f.macs ?? 0), 0))} MACs`,
    );
  if (report.conventions) {
    const compare = CONVENTION_NAMES.filter((n) => report.conventions![n]).map((n) => {
      const t = report.conventions![n]!.totals;
      return [n, toolOf(n), count(t.params), count(t.macs), t.macsPerPixel === null ? '?' : withThousands(t.macsPerPixel, 2)];
    });
    out.push(
      '',
      'All conventions:',
      ...layoutColumns(['Convention', 'Tool', 'Params', 'MACs', 'MACs/pixel'], compare, ['left', 'left', 'right', 'right', 'right']),
    );
  }
  if (report.diagnostics.length > 0) {
    out.push(
      '',
      'Diagnostics:',
      ...report.diagnostics.map(
        (d) => `  ${d.severity}: ${oneLine(d.message)}${d.file ? ` (${oneLine(d.file)}${d.line ? `:${d.line}` : ''})` : ''}`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
