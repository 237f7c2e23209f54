// Which measured figure each convention must reproduce, read from a ground-truth JSON
// (test/fixtures/groundtruth/*.json and groundtruth/zoo/*.json, both written by the same runner).
// torchstat's convention is its MAdd column; `paper` is the analytic conv/linear count without bias.
import type { ConventionName } from '../../../extension/core';

export interface GtLayer {
  readonly name: string;
  readonly type: string;
  readonly params: number;
  readonly calls: number;
  readonly output_shape: number[];
  readonly tools: Record<string, { macs: number | null; madd?: number } | undefined>;
  readonly reference: { macs_no_bias: number } | null;
}
export interface GtTotals {
  macs?: number;
  madd?: number;
  params?: number;
  conv_linear_macs_no_bias?: number;
  params_total?: number;
}
export interface Gt {
  layers: GtLayer[];
  output_shape: number[];
  totals: Record<string, GtTotals | undefined>;
}

/** The ground truth's tool key for a convention. */
export function gtTool(conv: ConventionName): string {
  return conv === 'ptflops-0.6' ? 'ptflops_v069' : conv === 'paper' ? 'reference' : conv;
}

/**
 * The ground truth's figure for one layer under one convention. ptflops records `null` for a type it
 * has no hook for (nn.Identity): it counts 0 there. Undefined when that tool did not run.
 */
export function gtLayerMacs(l: GtLayer, conv: ConventionName): number | undefined {
  if (conv === 'paper') return l.reference?.macs_no_bias ?? 0;
  const tool = l.tools[gtTool(conv)];
  if (!tool) return undefined;
  return conv === 'torchstat' ? tool.madd : (tool.macs ?? 0);
}

/** The ground truth's total under one convention; undefined when that tool did not run. */
export function gtTotalMacs(gt: Gt, conv: ConventionName): number | undefined {
  const t = gt.totals[gtTool(conv)];
  if (!t) return undefined;
  return conv === 'torchstat' ? t.madd : conv === 'paper' ? t.conv_linear_macs_no_bias : t.macs;
}
