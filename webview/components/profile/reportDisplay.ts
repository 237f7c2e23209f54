// Renders one CLI report under one counting convention: totals, every convention's totals, the MACs
// chart and the torchinfo-style module summary at the chosen depth (moduleTable.ts), the per-layer
// table with formulas (folded), functional ops and diagnostics. Both profile UIs (the editor's profile
// view and the notebook renderer) render through this. Every string
// from the report goes into a text node (dom.ts `el`); nothing from it becomes markup or a URL.
// Rendering only: choosing the convention and fetching reports is the caller's job.
import type { ConventionName } from '../../../extension/core/cost/costTypes';
import type { CliReport } from '../../../extension/core/report/reportTypes';
import { el, formatCountBoth } from '../dom';
import { macsByModule, moduleTable, type ModuleTableOptions } from './moduleTable';
import { conventionsIn, exactCount, moduleTree, shapeText, TOTAL_FIELDS } from './reportView';

/** The layer table shows at most this many rows; the module tree still holds every layer. */
export const MAX_TABLE_ROWS = 1_000;
/** Tree levels open at first (the model's direct children). */
export const OPEN_LEVELS = 1;

export interface ProfileViewOptions {
  readonly interactive: boolean;
  /** Called when the user picks another convention (interactive views only). */
  readonly onConvention?: (convention: ConventionName) => void;
  /** One line per convention: what it is and when to use it (the picker's tooltips and the line under it). */
  readonly conventionNotes?: Readonly<Partial<Record<ConventionName, string>>>;
}

const count = formatCountBoth;

/** The convention switcher (a plain line of text in non-interactive views or with one convention). */
export function conventionPicker(report: CliReport, opts: ProfileViewOptions): HTMLElement {
  const names = conventionsIn(report);
  if (!opts.interactive || names.length < 2) {
    return el('p', { class: 'convention' }, 'Counting convention: ', el('strong', {}, report.convention));
  }
  const select = el(
    'select',
    { id: 'convention', 'aria-label': 'Counting convention' },
    ...names.map((n) => {
      const note = opts.conventionNotes?.[n];
      return el('option', { value: n, ...(n === report.convention ? { selected: '' } : {}), ...(note ? { title: note } : {}) }, n);
    }),
  );
  select.addEventListener('change', () => {
    const chosen = names.find((n) => n === select.value);
    if (chosen) opts.onConvention?.(chosen);
  });
  const note = opts.conventionNotes?.[report.convention];
  return el(
    'p',
    { class: 'convention' },
    el('label', { for: 'convention' }, 'Counting convention: '),
    select,
    note ? el('span', { class: 'convention-note' }, ` ${note}`) : null,
  );
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
    'details',
    { class: 'layers' },
    el('summary', {}, `Layers with their formulas (${report.layers.length})`),
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
export function profileView(report: CliReport, summary: ModuleTableOptions = { depth: OPEN_LEVELS }): HTMLElement {
  const root = moduleTree(report.layers);
  return el(
    'div',
    { class: 'profile-view' },
    totals(report),
    conventionTotals(report),
    report.layers.length > 0 ? macsByModule(root, summary.depth, summary.modules) : null,
    moduleTable(report, summary, root),
    layerTable(report),
    functionals(report),
    diagnostics(report),
  );
}
