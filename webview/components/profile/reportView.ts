// Reading a CLI report under one counting convention, for the profile views: which conventions it
// carries, its layers and totals with that convention's MACs, and the module tree its layer paths
// describe. Pure data in, data out; no DOM.
import { CONVENTION_NAMES, type ConventionName } from '../../../extension/core/cost/costTypes';
import type { CliReport, ReportLayer, ReportTotals } from '../../../extension/core/report/types';

/** The conventions a report has figures for, in the core's order (the convention switcher's order). */
export function conventionsIn(report: CliReport): ConventionName[] {
  const present = CONVENTION_NAMES.filter((c) => report.conventions?.[c] !== undefined);
  return present.length > 0 ? present : [report.convention];
}

/**
 * The report as if it had been made with `convention`: layer MACs, formulas and totals from
 * `conventions[convention]`. The report itself when that is its own convention or it lacks the figures.
 */
export function reportUnder(report: CliReport, convention: ConventionName): CliReport {
  const summary = report.conventions?.[convention];
  if (convention === report.convention || !summary) return report;
  const byPath = new Map(summary.layers.map((l) => [l.path, l]));
  const layers: ReportLayer[] = report.layers.map((l) => {
    const c = byPath.get(l.path);
    return c ? { ...l, macs: c.macs, formula: c.formula ?? l.formula } : { ...l, macs: null };
  });
  return { ...report, convention, totals: summary.totals, layers };
}

/** One node of the module tree: a path segment, the layer at exactly that path (if any) and sums below it. */
export interface TreeNode {
  readonly name: string;
  readonly path: string;
  layer: ReportLayer | null;
  readonly children: TreeNode[];
  params: number;
  macs: number;
  /** True when some layer below has unknown params or MACs, so the sums are lower bounds. */
  partial: boolean;
  layerCount: number;
}

/** Paths deeper than this are folded into their last level (a hostile payload cannot nest the DOM without end). */
export const MAX_TREE_DEPTH = 24;

function newNode(name: string, path: string): TreeNode {
  return { name, path, layer: null, children: [], params: 0, macs: 0, partial: false, layerCount: 0 };
}

/**
 * Builds the module tree from dotted layer paths (`layer1.0.conv1`), as torch's `named_modules()`
 * names them. The root layer (path `''`) sits on the root node. Sums use the layers' own figures.
 */
export function moduleTree(layers: readonly ReportLayer[]): TreeNode {
  const root = newNode('', '');
  const index = new Map<string, TreeNode>([['', root]]);
  for (const layer of layers) {
    let parts = layer.path === '' ? [] : layer.path.split('.');
    if (parts.length > MAX_TREE_DEPTH) parts = [...parts.slice(0, MAX_TREE_DEPTH - 1), parts.slice(MAX_TREE_DEPTH - 1).join('.')];
    let node = root;
    const chain = [root];
    let path = '';
    for (const part of parts) {
      path = path === '' ? part : `${path}.${part}`;
      let child = index.get(path);
      if (!child) {
        child = newNode(part, path);
        index.set(path, child);
        node.children.push(child);
      }
      node = child;
      chain.push(node);
    }
    if (node.layer === null) node.layer = layer;
    for (const n of chain) {
      n.layerCount++;
      if (layer.params === null) n.partial = true;
      else n.params += layer.params;
      if (layer.macs === null) n.partial = true;
      else n.macs += layer.macs;
    }
  }
  return root;
}

/** `[1, 3, 224, 224]` → `1×3×224×224`; unknown dims as `?`. */
export function shapeText(shape: readonly (number | null)[] | null | undefined): string {
  if (!shape) return '?';
  return shape.length === 0 ? '()' : shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** Every digit with thin grouping: `1,234,567`; `?` for unknown. */
export function exactCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** The totals fields the views show, in their order, with labels. */
export const TOTAL_FIELDS: readonly {
  readonly key: keyof ReportTotals & ('params' | 'macs' | 'flops' | 'macsPerPixel');
  readonly label: string;
}[] = [
  { key: 'params', label: 'Params' },
  { key: 'macs', label: 'MACs' },
  { key: 'flops', label: 'FLOPs (2·MACs)' },
  { key: 'macsPerPixel', label: 'MACs/pixel' },
];
