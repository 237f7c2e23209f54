// The profile view's UI, driven only through a `Host`: a header with the model, the counting convention
// (one line on what each is for), the input shape and the exports, then the same profile the notebook
// renderer shows (components/profile/profileView.ts: totals, MACs by module, the torchinfo-style module
// summary with a depth control, the per-layer formulas). Switching the convention re-renders from the
// report the host sent (it carries every convention) and tells the host, which remembers it for this view
// only: the `convlens.convention` setting is never written from here. A row click reveals its line in the
// editor. Inbound messages are validated with extension/protocol; every string from the model goes into
// a text node.
import type { ConventionName } from '../../extension/core/cost/costTypes';
import {
  isProfileHostToWebview,
  isProfileViewState,
  PROFILE_EXPORT_FORMATS,
  type ProfileExportFormat,
  type ProfileFromWebview,
  type ProfileViewModel,
  type ProfileViewState,
} from '../../extension/protocol/profileMessages';
import { el } from '../components/dom';
import { OPEN_LEVELS, profileView } from '../components/profile/reportDisplay';
import { reportUnder } from '../components/profile/reportView';
import type { Host } from '../host';

const EXPORT_LABELS: Record<ProfileExportFormat, string> = { md: 'Markdown', csv: 'CSV', json: 'JSON', jvet: 'JVET' };

export class ProfileApp {
  #model: ProfileViewModel | undefined;
  #convention: ConventionName | undefined;
  #depth = OPEN_LEVELS;
  readonly #unsubscribe: () => void;
  readonly #header = el('header', { class: 'header' });
  readonly #messages = el('section', { class: 'messages' });
  readonly #status = el('p', { class: 'status', role: 'status' });
  readonly #body = el('div', { class: 'convlens-output' });

  constructor(
    root: HTMLElement,
    private readonly host: Host,
    private state: ProfileViewState | undefined,
  ) {
    root.append(this.#header, this.#status, this.#messages, this.#body);
    this.#status.textContent = 'Analysing…';
    this.#unsubscribe = host.onMessage((m) => this.#receive(m));
    this.#post({ type: 'ready' });
  }

  dispose(): void {
    this.#unsubscribe();
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
        this.#convention = m.model.convention;
        this.#saveState();
        this.#render();
        break;
    }
  }

  #saveState(): void {
    const model = this.#model;
    if (!model) return;
    this.state = { uri: model.uri, entry: model.entry, ...(this.#convention ? { convention: this.#convention } : {}) };
    this.host.setState(this.state);
  }

  #setConvention(c: ConventionName): void {
    this.#convention = c;
    this.#saveState();
    this.#post({ type: 'setConvention', convention: c });
    this.#render();
  }

  #render(): void {
    const model = this.#model;
    if (!model) return;
    const started = performance.now();
    this.#status.textContent = '';
    this.#renderHeader(model);
    this.#messages.replaceChildren(...model.messages.map((t) => el('p', { class: 'message' }, t)));
    const report = model.report ? reportUnder(model.report, this.#convention ?? model.convention) : null;
    const lines = new Map(model.sites.filter((s) => s.line >= 0).map((s) => [s.path, s.line]));
    const modules = new Map(model.sites.map((s) => [s.path, { type: s.type }]));
    this.#body.replaceChildren(
      ...(report
        ? [
            profileView(report, {
              depth: this.#depth,
              onDepth: (d) => {
                this.#depth = d;
                this.#render();
              },
              units: model.units,
              modules,
              canReveal: (path) => lines.has(path),
              onReveal: (path) => this.#post({ type: 'revealLine', line: lines.get(path)!, path }),
            }),
          ]
        : []),
    );
    const layers = model.report?.layers ?? [];
    this.#post({
      type: 'rendered',
      entry: model.entry,
      rows: layers.length,
      firstPaths: layers.slice(0, 50).map((l) => l.path),
      renderMs: performance.now() - started,
      atMs: performance.now(),
    });
  }

  #renderHeader(model: ProfileViewModel): void {
    const current = this.#convention ?? model.convention;
    const entry = el('select', { id: 'entry', 'aria-label': 'Model' });
    for (const e of model.entries) {
      const o = el('option', { value: e }, e);
      if (e === model.entry) o.selected = true;
      entry.append(o);
    }
    entry.addEventListener('change', () => this.#post({ type: 'selectEntry', entry: entry.value }));
    const convention = el('select', { id: 'convention', 'aria-label': 'Counting convention' });
    for (const c of model.conventions) {
      const o = el('option', { value: c.name, title: c.note }, c.name);
      if (c.name === current) o.selected = true;
      convention.append(o);
    }
    convention.addEventListener('change', () => {
      const picked = model.conventions.find((c) => c.name === convention.value);
      if (picked) this.#setConvention(picked.name);
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
    const note = model.conventions.find((c) => c.name === current)?.note ?? '';
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
      el('p', { class: 'tool' }, [note, model.perPixelNote].filter(Boolean).join(' · ')),
    );
  }
}

/** The state to start from: the webview's saved state (after a reload) or the one the host put in the page. */
export function initialProfileState(saved: unknown, fromMeta: unknown): ProfileViewState | undefined {
  if (isProfileViewState(saved)) return saved;
  return isProfileViewState(fromMeta) ? fromMeta : undefined;
}
