// The torchinfo-style summary both profile UIs show (the editor's profile view and the notebook renderer):
// one row per module of the tree the layer paths describe, indented and collapsible, with the module's
// type, output shape, params and MACs summed over the layers below it and its share of the total MACs;
// a depth control that opens the tree to that many levels; and the MACs chart at the same depth (macsChart.ts).
// Every string from the report goes into a text node. Clicking a row calls `onReveal` (the editor jumps
// to the line that built the module); the renderer passes none.
import type { CliReport, ReportModule } from '../../../extension/core/report/reportTypes';
import { el, formatCount, formatPercent } from '../dom';
import { macsBarChart, type ChartBar } from './macsChart';
import { moduleTree, shapeText, type TreeNode } from './reportView';

/** What the host knows about a module that is not a layer itself (its class), by path. */
export interface ModuleSite {
  readonly type: string;
}

export interface ModuleTableOptions {
  /** Levels open below the model (1: its direct children). `Infinity` opens everything. */
  readonly depth: number;
  readonly onDepth?: (depth: number) => void;
  /** How counts are written in the columns; the title of each cell has the other form. */
  readonly units?: 'si' | 'exact';
  /** Types of container modules (`BasicBlock`, `Sequential`), which the report's layer list does not name. */
  readonly modules?: ReadonlyMap<string, ModuleSite>;
  /** Paths the user can jump to; rows for them are clickable. */
  readonly canReveal?: (path: string) => boolean;
  readonly onReveal?: (path: string) => void;
}

/** How many bars the chart shows at most (the largest modules at the chosen depth). */
export const CHART_MODULES = 12;
/**
 * The module table draws at most this many rows (the first in tree order): a payload of 20,000 layers would
 * otherwise build 40,000 rows, seconds of work on the notebook's thread.
 */
export const MAX_TREE_ROWS = 1_000;

interface Row {
  readonly node: TreeNode;
  readonly depth: number;
  readonly parent: string | null;
}

function rowsOf(root: TreeNode): Row[] {
  const rows: Row[] = [];
  const walk = (n: TreeNode, depth: number, parent: string | null): void => {
    rows.push({ node: n, depth, parent });
    for (const c of n.children) walk(c, depth + 1, n.path);
  };
  walk(root, 0, null);
  return rows;
}

/** The deepest level of the tree (the model itself is level 0). */
export function treeDepth(root: TreeNode): number {
  let max = 0;
  const walk = (n: TreeNode, d: number): void => {
    max = Math.max(max, d);
    for (const c of n.children) walk(c, d + 1);
  };
  walk(root, 0);
  return max;
}

/** The modules the chart shows at `depth`: the nodes at that level, and the leaves above it. */
export function modulesAtDepth(root: TreeNode, depth: number): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (n: TreeNode, d: number): void => {
    if (d === depth || (d > 0 && n.children.length === 0)) {
      out.push(n);
      return;
    }
    for (const c of n.children) walk(c, d + 1);
  };
  walk(root, 0);
  return out;
}

function typeOf(n: TreeNode, modules: ReadonlyMap<string, ModuleSite> | undefined): string {
  return n.layer?.type ?? modules?.get(n.path)?.type ?? '';
}

/**
 * The output cell: a layer's own output; a container's is what its last call returned (the report's `modules`),
 * the model's the forward's result. `—` with the reason in its title when that is not known.
 */
function outputCell(n: TreeNode, report: CliReport, modules: ReadonlyMap<string, ReportModule>): HTMLElement {
  if (n.layer) return el('td', {}, shapeText(n.layer.outputShape));
  const m = modules.get(n.path);
  const shape = m?.outputShape ?? (n.path === '' ? report.outputShape : null);
  if (shape) return el('td', { title: m && m.calls > 1 ? `the last of its ${m.calls} calls` : '' }, shapeText(shape));
  const reason = m?.reason ?? (report.modules ? 'not called in the forward pass' : 'this report does not carry container outputs');
  return el('td', { class: 'no-output', title: reason }, '—');
}

function figure(n: number, partial: boolean, units: 'si' | 'exact'): HTMLElement {
  const text = `${partial ? '≥ ' : ''}${formatCount(n, units)}`;
  return el('td', { class: 'num', title: formatCount(n, units === 'si' ? 'exact' : 'si') }, text);
}

/** The depth picker: `1` … the tree's depth, and `all`. */
function depthControl(max: number, depth: number, onDepth: ((d: number) => void) | undefined): HTMLElement | null {
  if (!onDepth || max < 2) return null;
  const select = el('select', { id: 'depth', 'aria-label': 'Depth' });
  for (let d = 1; d <= max; d++)
    select.append(el('option', d === Math.min(depth, max) ? { value: String(d), selected: '' } : { value: String(d) }, String(d)));
  select.append(el('option', depth >= max ? { value: 'all', selected: '' } : { value: 'all' }, 'all'));
  select.addEventListener('change', () => onDepth(select.value === 'all' ? Infinity : Number(select.value)));
  return el('label', { class: 'depth' }, 'Depth ', select);
}

/** Horizontal bars of the modules at `depth` with the most MACs (Chart.js); null when no module has any (no empty axis). */
export function macsByModule(root: TreeNode, depth: number, modules?: ReadonlyMap<string, ModuleSite>): HTMLElement | null {
  const known = modulesAtDepth(root, depth)
    .filter((n) => n.macs > 0)
    .sort((a, b) => b.macs - a.macs)
    .slice(0, CHART_MODULES);
  if (known.length === 0) return null;
  const bars: ChartBar[] = known.map((n) => {
    const type = typeOf(n, modules);
    const name = n.path || '(model)';
    return {
      label: name.length > 34 ? `…${name.slice(-33)}` : name,
      title: `${name}${type ? ` (${type})` : ''}${n.partial ? ', partial' : ''} · ${formatCount(n.macs, 'exact')} MACs`,
      macs: n.macs,
      share: formatPercent(n.macs, root.macs),
    };
  });
  const what = Number.isFinite(depth) ? `depth ${depth}` : 'every layer';
  const label = `MACs of the ${known.length} largest modules at ${what}`;
  return el('section', { class: 'chart' }, el('h3', {}, `MACs by module (${what})`), macsBarChart(bars, label));
}

/**
 * The hierarchical summary of `report` (already under the chosen convention): a table with one row per
 * module, open to `opts.depth` levels, each row collapsible. Percentages are of the report's MAC total.
 */
export function moduleTable(report: CliReport, opts: ModuleTableOptions, root: TreeNode = moduleTree(report.layers)): HTMLElement | null {
  if (report.layers.length === 0) return null;
  const units = opts.units ?? 'exact';
  const total = report.totals.macs ?? root.macs;
  const rows = rowsOf(root);
  const moduleOutputs = new Map((report.modules ?? []).map((m) => [m.path, m]));
  const open = new Set(rows.filter((r) => r.depth < opts.depth && r.node.children.length > 0).map((r) => r.node.path));
  // The first MAX_TREE_ROWS rows in tree order are built (a collapsed one hidden, so its text is still there
  // to find); the rest are counted in a note.
  const drawn = rows.slice(0, MAX_TREE_ROWS);
  const over = rows.length - drawn.length;
  const trs = new Map<string, HTMLTableRowElement>();
  const parentOf = new Map(drawn.map((r) => [r.node.path, r.parent]));
  const visible = (path: string): boolean => {
    for (let p = parentOf.get(path); p !== null && p !== undefined; p = parentOf.get(p)) if (!open.has(p)) return false;
    return true;
  };
  const refresh = (): void => {
    for (const [path, tr] of trs) {
      tr.hidden = !visible(path);
      const toggle = tr.querySelector('button.toggle');
      if (toggle) {
        toggle.textContent = open.has(path) ? '▾' : '▸';
        toggle.setAttribute('aria-expanded', String(open.has(path)));
      }
    }
  };
  const rowOf = ({ node: n, depth }: Row): HTMLTableRowElement => {
    const hasChildren = n.children.length > 0;
    const name = depth === 0 ? report.entry || '(model)' : n.name;
    const toggle = hasChildren ? el('button', { type: 'button', class: 'toggle', 'aria-label': `Open or close ${name}` }, '▾') : null;
    toggle?.addEventListener('click', (e) => {
      e.stopPropagation();
      if (open.has(n.path)) open.delete(n.path);
      else open.add(n.path);
      refresh();
    });
    const cell = el('th', { scope: 'row' }, toggle ?? el('span', { class: 'toggle-space' }), el('code', {}, name));
    cell.style.paddingLeft = `${4 + depth * 14}px`;
    const reason = n.layer?.reason;
    const tr = el(
      'tr',
      {
        'data-path': n.path,
        'data-depth': String(depth),
        class: [hasChildren ? 'module' : 'layer', n.partial ? 'unknown' : ''].filter(Boolean).join(' '),
        ...(n.layer ? { title: reason ? `${n.layer.formula} — ${reason}` : n.layer.formula } : {}),
      },
      cell,
      el('td', {}, typeOf(n, opts.modules)),
      outputCell(n, report, moduleOutputs),
      figure(n.params, n.partial, units),
      n.layer && n.layer.macs === null && !hasChildren
        ? el('td', { class: 'num', title: reason ?? '' }, '?')
        : figure(n.macs, n.partial, units),
      el('td', { class: 'num pct' }, formatPercent(n.macs, total)),
    );
    if (opts.onReveal && (opts.canReveal?.(n.path) ?? true)) {
      tr.classList.add('clickable');
      tr.tabIndex = 0;
      const reveal = (): void => opts.onReveal!(n.path);
      tr.addEventListener('click', reveal);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') reveal();
      });
    }
    return tr;
  };
  const body = el('tbody', {});
  for (const r of drawn) {
    const tr = rowOf(r);
    trs.set(r.node.path, tr);
    body.append(tr);
  }
  if (over > 0)
    body.append(
      el(
        'tr',
        { class: 'more' },
        el('td', { colspan: '6' }, `${over} more modules not drawn (the first ${MAX_TREE_ROWS} are); the totals count them`),
      ),
    );
  refresh();
  const head = el(
    'thead',
    {},
    el(
      'tr',
      {},
      ...['Module', 'Type', 'Output', 'Params', `MACs (${report.convention})`, '% MACs'].map((h) => el('th', { scope: 'col' }, h)),
    ),
  );
  return el(
    'section',
    { class: 'tree', 'aria-label': 'Module tree' },
    el('h3', {}, 'Summary by module', depthControl(treeDepth(root), opts.depth, opts.onDepth)),
    el('p', { class: 'hint' }, 'Each module sums the layers below it; functional ops (F.relu, torch.add…) count in the totals only.'),
    el('table', { class: 'module-tree' }, head, body),
  );
}
