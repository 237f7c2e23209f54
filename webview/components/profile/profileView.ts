// Renders one CLI report under one counting convention: totals, every convention's totals, a MACs
// chart, the collapsible module tree, the per-layer table, functional ops and diagnostics. Every string
// from the report goes into a text node (dom.ts `el`); nothing from it becomes markup or a URL.
// Rendering only: choosing the convention and fetching reports is the caller's job.
import type { ConventionName } from '../../../extension/core/cost/costTypes';
import type { CliReport, ReportLayer } from '../../../extension/core/report/types';
import { el, formatCount, svg } from '../dom';
import { conventionsIn, exactCount, moduleTree, shapeText, TOTAL_FIELDS, type TreeNode } from './reportView';

/** The layer table shows at most this many rows; the module tree still holds every layer. */
export const MAX_TABLE_ROWS = 2_000;
/** How many layers the MACs chart shows (the largest ones). */
export const CHART_LAYERS = 12;
/** Tree levels open at first. */
const OPEN_LEVELS = 1;

export interface ProfileViewOptions {
  readonly interactive: boolean;
  /** Called when the user picks another convention (interactive views only). */
  readonly onConvention?: (convention: ConventionName) => void;
}

function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return '?';
  return n >= 1000 ? `${exactCount(n)} (${formatCount(n)})` : exactCount(n);
}

/** The convention switcher (a plain line of text in non-interactive views or with one convention). */
export function conventionPicker(report: CliReport, opts: ProfileViewOptions): HTMLElement {
  const names = conventionsIn(report);
  if (!opts.interactive || names.length < 2) {
    return el('p', { class: 'convention' }, 'Counting convention: ', el('strong', {}, report.convention));
  }
  const select = el(
    'select',
    { id: 'convention', 'aria-label': 'Counting convention' },
    ...names.map((n) => el('option', n === report.convention ? { value: n, selected: '' } : { value: n }, n)),
  );
  select.addEventListener('change', () => {
    const chosen = names.find((n) => n === select.value);
    if (chosen) opts.onConvention?.(chosen);
  });
  return el('p', { class: 'convention' }, el('label', { for: 'convention' }, 'Counting convention: '), select);
}

function totals(report: CliReport): HTMLElement {
  const t = report.totals;
  const items = TOTAL_FIELDS.map(({ key, label }) =>
    el(
      'div',
      { class: 'total', 'data-total': key },
      el('dt', {}, label),
      el('dd', {}, key === 'macsPerPixel' ? exactCount(t[key]) : count(t[key])),
    ),
  );
  return el(
    'section',
    { class: 'totals', 'aria-label': 'Totals' },
    el(
      'dl',
      {},
      ...items,
      el('div', { class: 'total', 'data-total': 'input' }, el('dt', {}, 'Input'), el('dd', {}, shapeText(report.input))),
      el('div', { class: 'total', 'data-total': 'output' }, el('dt', {}, 'Output'), el('dd', {}, shapeText(report.outputShape))),
    ),
    t.partial ? el('p', { class: 'warning' }, 'Some layers are unknown: the MAC total leaves them out.') : null,
  );
}

function conventionTotals(report: CliReport): HTMLElement | null {
  const names = conventionsIn(report).filter((n) => report.conventions?.[n]);
  if (names.length < 2) return null;
  const rows = names.map((n) => {
    const t = report.conventions![n]!.totals;
    return el(
      'tr',
      n === report.convention ? { class: 'current', 'data-convention': n } : { 'data-convention': n },
      el('th', { scope: 'row' }, n),
      el('td', {}, count(t.macs)),
      el('td', {}, exactCount(t.macsPerPixel)),
    );
  });
  return el(
    'details',
    { class: 'all-conventions' },
    el('summary', {}, 'Totals under every convention'),
    el(
      'table',
      { class: 'conventions' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Convention'),
          el('th', { scope: 'col' }, 'MACs'),
          el('th', { scope: 'col' }, 'MACs/pixel'),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
  );
}

/** Horizontal bars of the layers with the most MACs, largest first. */
function macsChart(layers: readonly ReportLayer[]): HTMLElement | null {
  const known = layers
    .filter((l) => l.macs !== null && l.macs > 0)
    .sort((a, b) => b.macs! - a.macs!)
    .slice(0, CHART_LAYERS);
  if (known.length === 0) return null;
  const max = known[0]!.macs!;
  const rowH = 18,
    labelW = 220,
    barW = 360,
    valueW = 90;
  const chart = svg('svg', {
    class: 'macs-chart',
    role: 'img',
    width: labelW + barW + valueW,
    height: known.length * rowH + 4,
    'aria-label': `MACs of the ${known.length} largest layers`,
  });
  known.forEach((l, i) => {
    const y = i * rowH + 2;
    const label = svg('text', { x: labelW - 6, y: y + 13, 'text-anchor': 'end', class: 'bar-label' });
    label.textContent = l.path.length > 32 ? `…${l.path.slice(-31)}` : l.path || '(root)';
    const title = svg('title');
    title.textContent = `${l.path || '(root)'} (${l.type}): ${exactCount(l.macs)} MACs`;
    const bar = svg('rect', { x: labelW, y: y + 2, height: rowH - 5, width: Math.max(1, (l.macs! / max) * barW), class: 'bar' });
    bar.append(title);
    const value = svg('text', { x: labelW + barW + 6, y: y + 13, class: 'value' });
    value.textContent = formatCount(l.macs!);
    chart.append(label, bar, value);
  });
  return el('section', { class: 'chart' }, el('h3', {}, 'MACs by layer'), chart);
}

/** The label of a tree node: its name, the layer type at that path, and the sums below it. */
function treeLabel(n: TreeNode): (HTMLElement | string)[] {
  const figures = `${exactCount(n.params)} params · ${formatCount(n.macs)} MACs${n.partial ? ' (partial)' : ''}`;
  return [el('code', {}, n.name || '(root)'), n.layer ? ` ${n.layer.type}` : '', el('span', { class: 'figures' }, ` — ${figures}`)];
}

function treeNode(n: TreeNode, depth: number): HTMLElement {
  if (n.children.length === 0) return el('div', { class: 'leaf', 'data-path': n.path }, ...treeLabel(n));
  const details = el(
    'details',
    { 'data-path': n.path },
    el('summary', {}, ...treeLabel(n)),
    ...n.children.map((c) => treeNode(c, depth + 1)),
  );
  if (depth < OPEN_LEVELS) details.open = true;
  return details;
}

function tree(report: CliReport): HTMLElement | null {
  if (report.layers.length === 0) return null;
  const root = moduleTree(report.layers);
  return el(
    'section',
    { class: 'tree', 'aria-label': 'Module tree' },
    el('h3', {}, 'Module tree'),
    el('p', { class: 'hint' }, 'Sums of the layers below each module; functional ops (F.relu, torch.add…) count in the totals only.'),
    treeNode({ ...root, name: report.entry || '(model)' }, 0),
  );
}

function layerTable(report: CliReport): HTMLElement {
  const shown = report.layers.slice(0, MAX_TABLE_ROWS);
  const rows = shown.map((l) =>
    el(
      'tr',
      l.status === 'unknown' || l.macs === null ? { class: 'unknown', 'data-path': l.path } : { 'data-path': l.path },
      el('th', { scope: 'row' }, el('code', {}, l.path || '(root)')),
      el('td', {}, l.type),
      el('td', { class: 'num' }, exactCount(l.params)),
      el('td', { class: 'num' }, exactCount(l.macs)),
      el('td', {}, shapeText(l.inputShape)),
      el('td', {}, shapeText(l.outputShape)),
      el('td', { class: 'formula' }, l.reason ? `${l.formula} — ${l.reason}` : l.formula),
    ),
  );
  return el(
    'section',
    { class: 'layers' },
    el('h3', {}, `Layers (${report.layers.length})`),
    el(
      'table',
      { class: 'layers' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['Layer', 'Type', 'Params', `MACs (${report.convention})`, 'Input', 'Output', 'Formula'].map((h) =>
            el('th', { scope: 'col' }, h),
          ),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
    report.layers.length > shown.length
      ? el('p', { class: 'hint' }, `${report.layers.length - shown.length} more layers are in the module tree above.`)
      : null,
  );
}

function functionals(report: CliReport): HTMLElement | null {
  if (report.functionals.length === 0) return null;
  const rows = report.functionals
    .slice(0, MAX_TABLE_ROWS)
    .map((f) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, el('code', {}, f.path || '(root)')),
        el('td', {}, f.type),
        el('td', { class: 'num' }, exactCount(f.macs)),
        el(
          'td',
          { class: 'formula' },
          [f.formula, f.doubleCount ? 'counted again inside a module' : '', f.message ?? ''].filter((s) => s).join(' — '),
        ),
      ),
    );
  return el(
    'details',
    { class: 'functionals' },
    el('summary', {}, `Functional ops (${report.functionals.length})`),
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...['Where', 'Op', 'MACs', 'Formula'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows),
    ),
  );
}

function diagnostics(report: CliReport): HTMLElement | null {
  if (report.diagnostics.length === 0) return null;
  return el(
    'section',
    { class: 'diagnostics', 'aria-label': 'Diagnostics' },
    el('h3', {}, 'Diagnostics'),
    el(
      'ul',
      {},
      ...report.diagnostics.map((d) =>
        el('li', { class: d.severity }, `${d.severity}: ${d.message}`, d.line !== undefined && d.line > 0 ? ` (line ${d.line})` : ''),
      ),
    ),
  );
}

/** The profile of `report` (already put under the chosen convention, see reportUnder), below the switcher. */
export function profileView(report: CliReport): HTMLElement {
  return el(
    'div',
    { class: 'profile-view' },
    totals(report),
    conventionTotals(report),
    macsChart(report.layers),
    tree(report),
    layerTable(report),
    functionals(report),
    diagnostics(report),
  );
}
