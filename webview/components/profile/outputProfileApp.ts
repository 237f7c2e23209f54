// A profile output, driven only through a `Host` (a notebook output, a test page): reads the payload
// (a CLI report, or a runtime payload turned into one by the core's conventions), shows it under the
// chosen counting convention, and for a runtime profile asks the host for the static profile of the
// same model and shows both side by side. Bad payloads become an error message in the output.
import type { ConventionName } from '../../../extension/core/cost/costTypes';
import type { CliReport } from '../../../extension/core/report/reportTypes';
// A pure wording module (no imports): the same words for the input's origin as the editor and the CLI.
import { inputSourceText } from '../../../extension/core/inputSource';
import { compareProfiles } from '../../../extension/core/runtime';
import type { FromRenderer } from '../../../extension/protocol/rendererMessages';
import { parseHostToRenderer } from '../../../extension/protocol/validateRenderer';
import type { Host } from '../../host';
import { el } from '../dom';
import { comparisonView } from './comparisonView';
import { conventionPicker, OPEN_LEVELS, profileView } from './reportDisplay';
import type { ProfileInput } from './readProfile';
import { conventionsIn, reportUnder, shapeText } from './reportView';

export { readProfilePayload, type ProfileInput, type ProfileReadResult } from './readProfile';

/** An error inside an output: the message as text, never markup. */
export function errorBox(title: string, message: string): HTMLElement {
  return el('div', { class: 'error', role: 'alert' }, el('strong', {}, title), el('pre', {}, message));
}

export interface ProfileAppOptions {
  /** False in untrusted workspaces: no switcher, nothing that reacts to input. */
  readonly interactive: boolean;
  /** Whether the host can answer `requestStaticProfile` (the renderer has messaging). */
  readonly canRequestStatic: boolean;
  /** How long to wait for the static profile before saying it is unavailable. */
  readonly staticTimeoutMs?: number;
}

interface SavedState {
  readonly convention: ConventionName;
  /** Levels the module summary opens; null for all. */
  readonly depth?: number | null;
}

type StaticSide =
  | { readonly kind: 'none' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'ready'; readonly report: CliReport; readonly source: string };

export class ProfileApp {
  private convention: ConventionName;
  private depth: number = OPEN_LEVELS;
  private staticSide: StaticSide = { kind: 'none' };
  private readonly unsubscribe: () => void;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
    private readonly input: ProfileInput,
    private readonly opts: ProfileAppOptions,
  ) {
    // Saved state is whatever an earlier render stored; only a convention the report carries is used.
    const saved = host.getState<Partial<SavedState>>();
    const restored = opts.interactive ? conventionsIn(input.report).find((n) => n === saved?.convention) : undefined;
    this.convention = restored ?? input.report.convention;
    if (opts.interactive && saved?.depth === null) this.depth = Infinity;
    else if (opts.interactive && typeof saved?.depth === 'number' && Number.isSafeInteger(saved.depth) && saved.depth > 0)
      this.depth = saved.depth;
    this.unsubscribe = host.onMessage((m) => this.onMessage(m));
    if (input.kind === 'runtime') this.requestStatic();
    this.render();
  }

  private requestStatic(): void {
    if (this.input.kind !== 'runtime') return;
    if (!this.opts.canRequestStatic) {
      this.staticSide = { kind: 'unavailable', reason: 'this notebook viewer does not let the renderer talk to the Conv Lens extension' };
      return;
    }
    this.staticSide = { kind: 'pending' };
    const request: Omit<FromRenderer.RequestStaticProfile, 'outputId'> = {
      type: 'requestStaticProfile',
      name: this.input.payload.name,
      input: this.input.payload.input,
    };
    this.host.post(request);
    const timeoutMs = this.opts.staticTimeoutMs ?? 30_000;
    this.timer = setTimeout(() => {
      if (this.staticSide.kind !== 'pending') return;
      this.staticSide = { kind: 'unavailable', reason: `the Conv Lens extension did not answer within ${timeoutMs / 1000} s` };
      this.render();
    }, timeoutMs);
  }

  private onMessage(raw: unknown): void {
    const m = parseHostToRenderer(raw);
    if (!m || this.input.kind !== 'runtime') return;
    if (m.type === 'staticProfile') this.staticSide = { kind: 'ready', report: m.report, source: m.source };
    else if (m.type === 'staticProfileUnavailable') this.staticSide = { kind: 'unavailable', reason: m.reason };
    else return;
    if (this.timer) clearTimeout(this.timer);
    this.render();
  }

  private setConvention(c: ConventionName): void {
    this.convention = c;
    this.save();
    this.render();
  }

  private setDepth(d: number): void {
    this.depth = d;
    this.save();
    this.render();
  }

  private save(): void {
    this.host.setState<SavedState>({ convention: this.convention, depth: Number.isFinite(this.depth) ? this.depth : null });
  }

  private header(): HTMLElement {
    const r = this.input.report;
    if (this.input.kind === 'runtime') {
      const p = this.input.payload;
      return el(
        'header',
        {},
        el('h2', {}, el('code', {}, p.name || '(unnamed model)'), ' — runtime profile'),
        el(
          'p',
          { class: 'subtitle' },
          `Recorded by torch ${p.torch} on a zero tensor ${shapeText(p.input)}; MACs counted by Conv Lens's conventions.`,
        ),
      );
    }
    const source = inputSourceText(r.inputSource, r.inputNote);
    return el(
      'header',
      {},
      el('h2', {}, el('code', {}, r.entry || '(entry)'), ' — static profile'),
      // The file name only: a notebook output travels with the notebook, the absolute path would not fit.
      el(
        'p',
        { class: 'subtitle', title: r.file },
        `${r.file.slice(r.file.lastIndexOf('/') + 1)} · input ${shapeText(r.input)} (${source}) · computed from source, no kernel`,
      ),
    );
  }

  private comparison(): HTMLElement | null {
    const s = this.staticSide;
    switch (s.kind) {
      case 'none':
        return null;
      case 'pending':
        return el(
          'section',
          { class: 'comparison pending' },
          el('h3', {}, 'Static analysis vs runtime'),
          el('p', {}, 'Asking Conv Lens for the static profile of the same model…'),
        );
      case 'unavailable':
        return el(
          'section',
          { class: 'comparison unavailable' },
          el('h3', {}, 'Static analysis vs runtime'),
          el('p', {}, `No static profile to compare with: ${s.reason}.`),
        );
      case 'ready': {
        // Both sides under the convention the switcher shows (each report carries every convention).
        const c = compareProfiles(reportUnder(s.report, this.convention), reportUnder(this.input.report, this.convention));
        return comparisonView(c, s.source);
      }
    }
  }

  private render(): void {
    const report = reportUnder(this.input.report, this.convention);
    this.root.replaceChildren(
      el(
        'div',
        { class: `profile ${this.input.kind}`, 'data-entry': this.input.report.entry, 'data-convention': this.convention },
        this.header(),
        conventionPicker(report, { interactive: this.opts.interactive, onConvention: (c) => this.setConvention(c) }),
        this.comparison(),
        profileView(report, { depth: this.depth, ...(this.opts.interactive ? { onDepth: (d: number) => this.setDepth(d) } : {}) }),
      ),
    );
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe();
    this.root.replaceChildren();
  }
}
