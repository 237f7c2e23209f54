// The `jvet` format: the complexity summary JVET NNVC proposals give for a neural-network coding tool
// (total parameters, total MACs, kMAC/pixel with the pixel count used), stating the counting
// convention and the tool version it matches. No per-layer detail.
import { count, figureName, oneLine, scaled, shapeText, toolOf, withThousands } from './text';
import type { CliReport } from './reportTypes';

/** Formats a report as a JVET-style complexity summary. */
export function formatJvet(report: CliReport): string {
  const t = report.totals;
  const pixels = t.pixels ?? null;
  const h = report.input.length >= 4 ? report.input[report.input.length - 2] : undefined;
  const w = report.input.length >= 4 ? report.input[report.input.length - 1] : undefined;
  const kmacPerPixel = t.macs !== null && pixels ? withThousands(t.macs / pixels / 1000, 3) : '?';
  const pixelNote = pixels
    ? `${withThousands(pixels)} pixels${h !== undefined && w !== undefined ? ` = ${h}×${w}` : ''}`
    : 'no pixel plane';
  const lines = [
    `Complexity of ${oneLine(report.entry)} (${oneLine(report.file)})`,
    `Input:            ${shapeText(report.input)}`,
    `Total parameters: ${count(t.params)}${t.params !== null ? ` (${scaled(t.params, '')})` : ''}`,
    `Total MACs:       ${count(t.macs)}${t.macs !== null ? ` (${scaled(t.macs, 'MACs')})` : ''}${t.partial ? ', partial: unknown layers left out' : ''}`,
    `kMAC/pixel:       ${kmacPerPixel} (MACs / ${pixelNote} / 1000)`,
    `FLOPs:            ${count(t.flops)} (FLOPs = 2 × MACs)`,
    `Convention:       ${report.convention}, matches ${toolOf(report.convention)}`,
    ...(figureName(report.convention) === 'MACs'
      ? []
      : ["Note:             torchstat's figure is its MAdd column (multiplies and adds counted separately, ≈ 2× MACs)."]),
  ];
  return `${lines.join('\n')}\n`;
}
