// Static and runtime profiles of the same model side by side (core/runtime.ts compareProfiles): totals,
// then one row per layer path with its type and both sides' params, MACs and output shape, every difference
// flagged in words (not colour alone). Rendering only; the comparison itself is the core's.
import type { ComparedLayer, ProfileComparison, ProfileDifference } from '../../../extension/core/runtime';
import { el } from '../dom';
import { MAX_TABLE_ROWS } from './reportDisplay';
import { exactCount, shapeText } from './reportView';

const KIND_TEXT: Record<ProfileDifference['kind'], string> = {
  staticOnly: 'only in the static analysis',
  runtimeOnly: 'only at runtime',
  type: 'type differs',
  params: 'params differ',
  macs: 'MACs differ',
  inputShape: 'input shape differs',
  outputShape: 'output shape differs',
  staticUnknown: 'unknown statically',
};

function flagText(path: string, byPath: ReadonlyMap<string, readonly ProfileDifference[]>): string {
  const ds = byPath.get(path) ?? [];
  return ds.map((d) => (d.kind === 'staticUnknown' && d.field ? `${d.field} ${KIND_TEXT[d.kind]}` : KIND_TEXT[d.kind])).join('; ');
}

function row(r: ComparedLayer, byPath: ReadonlyMap<string, readonly ProfileDifference[]>): HTMLElement {
  const s = r.static,
    t = r.runtime;
  const flags = flagText(r.path, byPath);
  const cls = r.same ? 'same' : (byPath.get(r.path) ?? []).every((d) => d.kind === 'staticUnknown') ? 'gap' : 'diff';
  return el(
    'tr',
    { class: cls, 'data-path': r.path },
    el('th', { scope: 'row' }, el('code', {}, r.path || '(root)')),
    // One type column: both sides' type when they differ (the flag column says so too).
    el('td', {}, s && t && s.type !== t.type ? `${s.type} ≠ ${t.type}` : (s ?? t)!.type),
    el('td', { class: 'num' }, s ? exactCount(s.params) : '—'),
    el('td', { class: 'num' }, t ? exactCount(t.params) : '—'),
    el('td', { class: 'num' }, s ? exactCount(s.macs) : '—'),
    el('td', { class: 'num' }, t ? exactCount(t.macs) : '—'),
    el('td', {}, s ? shapeText(s.outputShape) : '—'),
    el('td', {}, t ? shapeText(t.outputShape) : '—'),
    el('td', { class: 'flag' }, r.same ? '✓ same' : `⚠ ${flags}`),
  );
}

/** The side-by-side view of a comparison; `source` says where the static side comes from. */
export function comparisonView(c: ProfileComparison, source: string): HTMLElement {
  const byPath = new Map<string, ProfileDifference[]>();
  for (const d of c.differences) byPath.set(d.path, [...(byPath.get(d.path) ?? []), d]);
  const realDiffs = c.differences.filter((d) => d.kind !== 'staticUnknown');
  const gaps = c.differences.length - realDiffs.length;
  const verdict =
    realDiffs.length === 0
      ? `Static and runtime profiles agree on every layer${gaps ? ` (${gaps} value${gaps === 1 ? '' : 's'} unknown statically)` : ''}.`
      : `${realDiffs.length} difference${realDiffs.length === 1 ? '' : 's'} between the static and the runtime profile${gaps ? `, ${gaps} value${gaps === 1 ? '' : 's'} unknown statically` : ''}.`;
  const totalRow = (label: string, t: { static: number | null; runtime: number | null; same: boolean }, compared: boolean) =>
    el(
      'tr',
      { class: t.same || !compared ? 'same' : 'diff', 'data-total': label },
      el('th', { scope: 'row' }, label),
      el('td', { class: 'num' }, exactCount(t.static)),
      el('td', { class: 'num' }, exactCount(t.runtime)),
      el('td', { class: 'flag' }, !compared ? 'not compared (different conventions)' : t.same ? '✓ same' : '⚠ differs'),
    );
  const shown = c.rows.slice(0, MAX_TABLE_ROWS);
  return el(
    'section',
    { class: 'comparison', 'aria-label': 'Static vs runtime' },
    el('h3', {}, 'Static analysis vs runtime'),
    el('p', { class: 'source' }, `Static side: ${source}.`),
    el('p', { class: realDiffs.length ? 'verdict warning' : 'verdict' }, verdict),
    el(
      'table',
      { class: 'compare-totals' },
      el('thead', {}, el('tr', {}, ...['Total', 'Static', 'Runtime', ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, totalRow('params', c.totals.params, true), totalRow('MACs', c.totals.macs, c.convention !== null)),
    ),
    el(
      'table',
      { class: 'compare' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col', rowspan: '2' }, 'Layer'),
          el('th', { scope: 'col', rowspan: '2' }, 'Type'),
          el('th', { scope: 'colgroup', colspan: '2' }, 'Params'),
          el('th', { scope: 'colgroup', colspan: '2' }, `MACs (${c.convention ?? '—'})`),
          el('th', { scope: 'colgroup', colspan: '2' }, 'Output'),
          el('th', { scope: 'col', rowspan: '2' }, 'Difference'),
        ),
        el(
          'tr',
          {},
          ...Array.from({ length: 3 }, () => [el('th', { scope: 'col' }, 'static'), el('th', { scope: 'col' }, 'runtime')]).flat(),
        ),
      ),
      el('tbody', {}, ...shown.map((r) => row(r, byPath))),
    ),
    c.rows.length > shown.length ? el('p', { class: 'hint' }, `${c.rows.length - shown.length} more rows not shown.`) : null,
  );
}
