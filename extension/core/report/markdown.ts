// The `md` format: a GitHub-flavoured Markdown table of the layers plus a totals list. Names are
// escaped so a `|`, a backtick, `<script>` or a line break in a path cannot break the table or inject HTML.
import { inputSourceText } from '../inputSource';
import { count, percent, shapeText, toolOf, withThousands } from './text';
import type { CliReport } from './reportTypes';

/** Escapes text for one GitHub Markdown table cell. */
export function mdCell(text: string): string {
  return (
    text
      .replace(/\\/g, '\\\\')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[|`*_[\]#]/g, (c) => `\\${c}`)
      .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
  );
}

/** Formats a report as Markdown. */
export function formatMarkdown(report: CliReport): string {
  const total = report.totals.macs;
  const lines = [
    `**${mdCell(report.entry)}** in ${mdCell(report.file)}, input ${shapeText(report.input)} (${mdCell(inputSourceText(report.inputSource, report.inputNote))}), convention ${report.convention} (${mdCell(toolOf(report.convention))})`,
    '',
    '| Layer | Type | Output shape | Params | MACs | % MACs |',
    '|---|---|---|---:|---:|---:|',
    ...report.layers.map(
      (l) =>
        `| ${mdCell(l.path)} | ${mdCell(l.type)} | ${shapeText(l.outputShape)} | ${count(l.params)} | ${count(l.macs)} | ${percent(l.macs, total)} |`,
    ),
    ...report.functionals.map(
      (f) =>
        `| ${mdCell(f.path || '(root)')} | ${mdCell(f.type)}${f.doubleCount ? ' (double count)' : ''} |  |  | ${count(f.macs)} | ${percent(f.macs, total)} |`,
    ),
    '',
    `- Total params: ${count(report.totals.params)}`,
    `- Total MACs: ${count(report.totals.macs)}${report.totals.partial ? ' (partial)' : ''}`,
    `- MACs/pixel: ${report.totals.macsPerPixel === null ? '?' : withThousands(report.totals.macsPerPixel, 2)}`,
    `- FLOPs: ${count(report.totals.flops)} (FLOPs = 2 × MACs)`,
  ];
  return `${lines.join('\n')}\n`;
}
