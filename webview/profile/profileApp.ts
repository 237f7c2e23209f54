// The profile view's UI, driven only through a `Host`: header (entry, convention, input shape, export),
// totals, a bar chart of MACs per layer (chart.js, theme colours) and the sortable per-layer table whose
// rows reveal their line in the editor. Inbound messages are validated with extension/protocol; every
// string from the model (layer paths and types come from user files) goes into a text node.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import {
  isProfileHostToWebview,
  isProfileViewState,
  PROFILE_EXPORT_FORMATS,
  type ProfileExportFormat,
  type ProfileFromWebview,
  type ProfileRow,
  type ProfileViewModel,
  type ProfileViewState,
} from '../../extension/protocol/profileMessages';
import { el, themeColor } from '../components/dom';
import { shapeText } from '../components/profile/reportView';
import type { Host } from '../host';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

type SortKey = 'order' | 'path' | 'type' | 'params' | 'macs';
const EXPORT_LABELS: Record<ProfileExportFormat, string> = { md: 'Markdown', csv: 'CSV', json: 'JSON', jvet: 'JVET' };
/** The chart shows the largest layers only; the table has all of them. */
const CHART_LAYERS = 12;

function siCount(n: number | null): string {
  if (n === null) return '?';
  const a = Math.abs(n);
  const steps: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  const step = steps.find(([s]) => a >= s);
  if (!step) return Number.isInteger(n) ? String(n) : n.toFixed(2);
  const v = n / step[0];
  return `${v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2)}${step[1]}`;
}

function exactCount(n: number | null): string {
  if (n === null) return '?';
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2);
}

const shape = shapeText;

export class ProfileApp {
  #model: ProfileViewModel | undefined;
  #sort: { key: SortKey; descending: boolean } = { key: 'order', descending: false };
  #chart: Chart | undefined;
  readonly #unsubscribe: () => void;
  readonly #header = el('header', { class: 'header' });
  readonly #totals = el('section', { class: 'totals', 'aria-label': 'Totals' });
  readonly #chartBox = el('section', { class: 'chart', 'aria-label': 'MACs per layer' });
  readonly #table = el('section', { class: 'layers' });
  readonly #messages = el('section', { class: 'messages' });
  readonly #status = el('p', { class: 'status', role: 'status' });

  constructor(
    root: HTMLElement,
    private readonly host: Host,
    private state: ProfileViewState | undefined,
  ) {
    root.append(this.#header, this.#status, this.#messages, this.#totals, this.#chartBox, this.#table);
    this.#status.textContent = 'Analysing…';
    this.#unsubscribe = host.onMessage((m) => this.#receive(m));
    this.#post({ type: 'ready' });
  }

  dispose(): void {
    this.#unsubscribe();
    this.#chart?.destroy();
  }

  #post(message: ProfileFromWebview.Message): void {
    this.host.post(message);
  }

  #receive(m: unknown): void {
    if (!isProfileHostToWebview(m)) return;
    switch (m.type) {
      case 'busy':
        this.#status.textContent = 'The file changed; analysing again…';
        break;
      case 'show':
        this.#model = m.model;
        this.state = { uri: m.model.uri, entry: m.model.entry };
        this.host.setState(this.state);
        this.#render();
        break;
    }
  }

  #render(): void {
    const model = this.#model;
    if (!model) return;
    this.#status.textContent = '';
    this.#renderHeader(model);
    this.#renderTotals(model);
    this.#messages.replaceChildren(...model.messages.map((t) => el('p', { class: 'message' }, t)));
    this.#renderChart(model);
    this.#renderTable(model);
    this.#post({ type: 'rendered', entry: model.entry, rows: model.rows.length, firstPaths: model.rows.slice(0, 50).map((r) => r.path) });
  }

  #renderHeader(model: ProfileViewModel): void {
    const entry = el('select', { id: 'entry', 'aria-label': 'Model' });
    for (const e of model.entries) {
      const o = el('option', { value: e }, e);
      if (e === model.entry) o.selected = true;
      entry.append(o);
    }
    entry.addEventListener('change', () => this.#post({ type: 'selectEntry', entry: entry.value }));
    const convention = el('select', { id: 'convention', 'aria-label': 'Counting convention' });
    for (const c of model.conventions) {
      const o = el('option', { value: c }, c);
      if (c === model.convention) o.selected = true;
      convention.append(o);
    }
    convention.addEventListener('change', () => {
      const picked = model.conventions.find((c) => c === convention.value);
      if (picked) this.#post({ type: 'setConvention', convention: picked });
    });
    const input = el('input', {
      id: 'input',
      type: 'text',
      value: model.input === '?' ? '' : model.input.replace(/×/g, 'x'),
      placeholder: '1x3x224x224',
      'aria-label': 'Input shape',
      size: '16',
    });
    const error = el('span', { class: 'error-inline', role: 'alert' });
    const apply = (): void => {
      const text = input.value.trim();
      if (text !== '' && !/^\d+(\s*[x×,]\s*\d+)*$/.test(text)) {
        error.textContent = 'Write the shape like 1x3x224x224';
        return;
      }
      error.textContent = '';
      this.#post({ type: 'setInputShape', text });
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') apply();
    });
    const setButton = el('button', { type: 'button' }, 'Set');
    setButton.addEventListener('click', apply);
    const exports = PROFILE_EXPORT_FORMATS.map((f) => {
      const b = el('button', { type: 'button', class: 'secondary', 'data-format': f }, EXPORT_LABELS[f]);
      b.addEventListener('click', () => this.#post({ type: 'exportReport', format: f }));
      return b;
    });
    this.#header.replaceChildren(
      el('h1', {}, el('span', { class: 'file' }, model.fileName), ' · ', el('code', {}, model.entry)),
      el(
        'div',
        { class: 'controls' },
        el('label', { for: 'entry' }, 'Model'),
        entry,
        el('label', { for: 'convention' }, 'Convention'),
        convention,
        el('label', { for: 'input' }, 'Input'),
        input,
        setButton,
        el('span', { class: 'source' }, `(${model.inputSource})`),
        error,
        el('span', { class: 'exports' }, 'Export: ', ...exports),
      ),
      el('p', { class: 'tool' }, model.tool ? `${model.tool} — ${model.summary}` : ''),
    );
  }

  #renderTotals(model: ProfileViewModel): void {
    const t = model.totals;
    const item = (label: string, value: string, detail?: string): HTMLElement =>
      el(
        'div',
        { class: 'total' },
        el('div', { class: 'value' }, value),
        el('div', { class: 'name' }, label),
        detail ? el('div', { class: 'detail' }, detail) : null,
      );
    this.#totals.replaceChildren(
      ...[
        item('params', siCount(t.params), exactCount(t.params)),
        item(`MACs (${model.convention})`, siCount(t.macs), t.partial ? 'partial: some layers unknown' : exactCount(t.macs)),
        item('FLOPs = 2·MACs', siCount(t.flops), exactCount(t.flops)),
        item('MACs/pixel', siCount(t.macsPerPixel), t.perPixelNote),
        item('input → output', `${model.input} → ${shape(model.outputShape)}`),
        t.functionalMacs > 0 ? item('in functional ops', siCount(t.functionalMacs), 'F.relu, torch.add… counted outside layers') : null,
      ].filter((x): x is HTMLElement => x !== null),
    );
  }

  #renderChart(model: ProfileViewModel): void {
    const rows = model.rows
      .filter((r) => r.macs !== null && r.macs > 0)
      .sort((a, b) => (b.macs ?? 0) - (a.macs ?? 0))
      .slice(0, CHART_LAYERS);
    const canvas = el('canvas', { role: 'img', 'aria-label': `MACs of the ${rows.length} largest layers` });
    const box = el('div', { class: 'chart-box' }, canvas);
    box.style.height = `${Math.max(100, rows.length * 16 + 36)}px`;
    this.#chartBox.replaceChildren(
      el('h2', {}, `MACs per layer (${rows.length < model.rows.length ? `largest ${rows.length}` : 'all'})`),
      box,
    );
    this.#chart?.destroy();
    const fg = themeColor(document.body, '--vscode-foreground', '#ccc');
    const bar = themeColor(document.body, '--vscode-charts-blue', '#3794ff');
    const grid = themeColor(document.body, '--vscode-panel-border', '#444');
    this.#chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: rows.map((r) => r.path), datasets: [{ label: 'MACs', data: rows.map((r) => r.macs ?? 0), backgroundColor: bar }] },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { ticks: { color: fg, callback: (v) => siCount(Number(v)) }, grid: { color: grid } },
          y: { ticks: { color: fg, autoSkip: false }, grid: { display: false } },
        },
        plugins: { tooltip: { callbacks: { label: (c) => `${exactCount(Number(c.raw))} MACs` } } },
        onClick: (_e, elements) => {
          const row = elements[0] ? rows[elements[0].index] : undefined;
          if (row && row.line >= 0) this.#post({ type: 'revealLine', line: row.line, path: row.path });
        },
      },
    });
  }

  #sorted(rows: readonly ProfileRow[]): ProfileRow[] {
    const { key, descending } = this.#sort;
    const indexed = rows.map((r, i) => ({ r, i }));
    const value = (x: { r: ProfileRow; i: number }): number | string =>
      key === 'order' ? x.i : key === 'path' ? x.r.path : key === 'type' ? x.r.type : (x.r[key] ?? -1);
    indexed.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return (descending ? -c : c) || a.i - b.i;
    });
    return indexed.map((x) => x.r);
  }

  #renderTable(model: ProfileViewModel): void {
    const columns: [SortKey | null, string][] = [
      ['order', '#'],
      ['path', 'Layer'],
      ['type', 'Type'],
      [null, 'Input → output'],
      ['params', 'Params'],
      ['macs', 'MACs'],
      [null, 'Formula'],
    ];
    const head = el(
      'tr',
      {},
      ...columns.map(([key, label]) => {
        if (!key) return el('th', { scope: 'col' }, label);
        const active = this.#sort.key === key;
        const button = el(
          'button',
          { type: 'button', class: 'sort', 'data-sort': key },
          `${label}${active ? (this.#sort.descending ? ' ▼' : ' ▲') : ''}`,
        );
        button.addEventListener('click', () => {
          this.#sort = { key, descending: active ? !this.#sort.descending : key === 'params' || key === 'macs' };
          this.#renderTable(model);
        });
        return el('th', { scope: 'col', 'aria-sort': active ? (this.#sort.descending ? 'descending' : 'ascending') : 'none' }, button);
      }),
    );
    const order = new Map(model.rows.map((r, i) => [r, i]));
    const body = el(
      'tbody',
      {},
      ...this.#sorted(model.rows).map((r) => {
        const tr = el(
          'tr',
          { 'data-path': r.path, 'data-line': String(r.line), class: r.line >= 0 ? 'clickable' : '' },
          el('td', { class: 'num' }, String((order.get(r) ?? 0) + 1)),
          el('th', { scope: 'row' }, el('code', {}, r.path)),
          el('td', {}, r.type),
          el('td', {}, `${shape(r.inputShape)} → ${shape(r.outputShape)}`),
          el('td', { class: 'num', title: exactCount(r.params) }, siCount(r.params)),
          el('td', { class: 'num', title: exactCount(r.macs) }, model.units === 'exact' ? exactCount(r.macs) : siCount(r.macs)),
          el('td', { class: 'formula' }, r.reason && (r.params === null || r.macs === null) ? `? — ${r.reason}` : r.formula),
        );
        if (r.line >= 0) {
          tr.tabIndex = 0;
          const reveal = (): void => this.#post({ type: 'revealLine', line: r.line, path: r.path });
          tr.addEventListener('click', reveal);
          tr.addEventListener('keydown', (e) => {
            if (e.key === 'Enter') reveal();
          });
        }
        return tr;
      }),
    );
    this.#table.replaceChildren(
      el('h2', {}, `Layers (${model.rows.length})`),
      el('table', { class: 'layer-table' }, el('thead', {}, head), body),
    );
  }
}

/** The state to start from: the webview's saved state (after a reload) or the one the host put in the page. */
export function initialProfileState(saved: unknown, fromMeta: unknown): ProfileViewState | undefined {
  if (isProfileViewState(saved)) return saved;
  return isProfileViewState(fromMeta) ? fromMeta : undefined;
}
