// The one place the glue calls the analysis core. Hover, inlay hints, CodeLens, commands, the status bar
// and the profile view all read from here and never parse anything themselves. Results are cached per unit
// (a file, or a whole notebook) and its text version; the first analysis of a unit runs at once, later ones
// after the user pauses typing (`convlens.analysis.debounceMs`). The core evaluates Python abstractly:
// nothing here runs user code, so it is the same in trusted and untrusted workspaces.
import * as vscode from 'vscode';
import * as core from '../core';
import type { AnalysisOptions, EntryAnalysis, FileAnalysis, LayerRecord, SourceRange } from '../core';
import { Disposable } from '../util/dispose';
import { partAt, unitFor, type AnalysisUnit } from './analysisUnit';
import { scanDirectives, type Definition } from './directives';
import { formatShape } from './format';
import { parseShape, settingsFor, type ConvLensSettings, type Convention } from './settings';
import { WorkspaceFiles } from './workspaceFiles';

/**
 * The core functions the glue uses. `analyzeEntry` is the core's published entry point; the file listing
 * and the profile are optional until the core publishes them, and are feature-detected at run time.
 */
export interface CoreApi {
  analyzeEntry(source: string, file: string, entry: string, options?: AnalysisOptions): EntryAnalysis;
  analyzeFile?(source: string, file: string, options?: AnalysisOptions): FileAnalysis;
  profileEntry?(source: string, file: string, entry: string, input: readonly number[], options?: AnalysisOptions): unknown;
}

/** Per-layer figures from a profile, under each convention (filled in once the core profiles). */
export interface LayerProfileView {
  readonly inputShapes: readonly (readonly (number | null)[] | null)[];
  readonly outputShape: readonly (number | null)[] | null;
  readonly macs: Readonly<Partial<Record<Convention, { readonly macs: number | null; readonly formula: string; readonly why?: string }>>>;
}

export interface EntryProfileView {
  readonly input: readonly number[];
  readonly layers: ReadonlyMap<string, LayerProfileView>;
  readonly totals: Readonly<Partial<Record<Convention, { readonly macs: number | null; readonly flops: number | null; readonly macsPerPixel: number | null }>>>;
}

export type InputSource = 'comment' | 'remembered' | 'setting';

/** One expression the glue builds for a document. */
export interface EntrySpec {
  readonly expr: string;
  readonly origin: 'comment' | 'class' | 'factory';
  /** The definition the entry belongs to (for the CodeLens and for choosing which entry a line shows). */
  readonly anchor?: Definition;
  /** The unit line the CodeLens goes on. */
  readonly lensLine: number;
  readonly input: readonly number[];
  readonly inputSource: InputSource;
}

export interface EntryResult {
  readonly spec: EntrySpec;
  readonly analysis?: EntryAnalysis;
  readonly profile?: EntryProfileView;
  /** Set when the core threw (a bug in the core, reported, never shown as numbers). */
  readonly error?: string;
}

/** A call in the current document that built layers (the site itself or any frame of a layer's stack). */
export interface LayerSite {
  readonly range: vscode.Range;
  readonly entry: EntryResult;
  readonly layers: readonly LayerRecord[];
}

/** What one line's inlay hint summarises. */
export interface LineSummary {
  readonly line: number;
  /** Where the hint goes: the end of the line where the call that built the layers starts. */
  readonly position: vscode.Position;
  readonly entry: EntryResult;
  readonly layers: readonly LayerRecord[];
}

/** The analysis as one document sees it (for a notebook cell: only what lies in that cell). */
export interface DocumentAnalysis {
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly settings: ConvLensSettings;
  /** Entries whose CodeLens line lies in this document, with that line in document coordinates. */
  readonly entries: readonly { readonly result: EntryResult; readonly line: number }[];
  /** Every entry of the unit (a notebook's entries may live in other cells). */
  readonly allEntries: readonly EntryResult[];
  readonly sites: readonly LayerSite[];
  readonly lines: readonly LineSummary[];
  readonly problems: readonly { readonly range: vscode.Range; readonly message: string }[];
}

interface UnitAnalysis {
  readonly key: string;
  readonly unit: AnalysisUnit;
  readonly entries: readonly EntryResult[];
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  readonly reads: ReadonlySet<string>;
}

interface UnitState {
  result?: UnitAnalysis;
  pending?: { readonly key: string; readonly promise: Promise<UnitAnalysis>; timer?: NodeJS.Timeout; resolve(v: UnitAnalysis | Promise<UnitAnalysis>): void };
}

const rememberedInputKey = 'convlens.rememberedInputShapes';

/** Lines of a source range that lie in the unit file (frames in other files are skipped). */
function inUnit(frame: SourceRange, unit: AnalysisUnit): boolean {
  return frame.file === unit.file;
}

export class AnalysisService extends Disposable {
  readonly #states = new Map<string, UnitState>();
  readonly #files = this._register(new WorkspaceFiles());
  readonly #onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when results or the way they are shown (settings) may have changed. Providers refresh on it. */
  readonly onDidChange = this.#onDidChange.event;
  #generation = 0;

  constructor(private readonly core: CoreApi, private readonly memento: vscode.Memento, private readonly log: vscode.LogOutputChannel) {
    super();
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('convlens')) this.#invalidate();
    }));
    this._register(this.#files.onDidChange((path) => {
      // An edit to a file another unit imports makes that unit stale.
      const stale = [...this.#states.values()].some((s) => s.result && s.result.unit.file !== path && s.result.reads.has(path));
      if (stale) this.#invalidate();
    }));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.#states.delete(d.uri.toString())));
  }

  /** Drops every cached result (the Re-analyse command). */
  refresh(): void {
    this.#files.clear();
    this.#invalidate();
  }

  #invalidate(): void {
    this.#generation++;
    this.#onDidChange.fire();
  }

  settings(document: vscode.TextDocument): ConvLensSettings {
    return settingsFor(vscode.workspace, document.uri);
  }

  /** The per-file input shape set by the Set Input Shape command, if any. */
  rememberedInput(uri: vscode.Uri): readonly number[] | undefined {
    const all = this.memento.get<Record<string, string>>(rememberedInputKey, {});
    const text = all[uri.toString()];
    return text ? parseShape(text) : undefined;
  }

  async setRememberedInput(uri: vscode.Uri, shape: readonly number[] | undefined): Promise<void> {
    const all = { ...this.memento.get<Record<string, string>>(rememberedInputKey, {}) };
    if (shape) all[uri.toString()] = formatShape(shape);
    else delete all[uri.toString()];
    await this.memento.update(rememberedInputKey, all);
    this.#invalidate();
  }

  /** The analysis for a document's current text, or undefined if it is not Python. */
  async analysisFor(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentAnalysis | undefined> {
    const unit = unitFor(document);
    if (!unit) return undefined;
    const settings = this.settings(document);
    const remembered = this.rememberedInput(unit.uri);
    const key = `${unit.versionKey}|${this.#generation}|${formatShape(settings.defaultInputShape)}|${remembered ? formatShape(remembered) : ''}`;
    const result = await this.#schedule(unit, key, settings, remembered);
    if (token?.isCancellationRequested) return undefined;
    return documentView(document, result, settings);
  }

  #schedule(unit: AnalysisUnit, key: string, settings: ConvLensSettings, remembered: readonly number[] | undefined): Promise<UnitAnalysis> {
    let state = this.#states.get(unit.id);
    if (!state) this.#states.set(unit.id, (state = {}));
    if (state.result?.key === key) return Promise.resolve(state.result);
    if (state.pending?.key === key) return state.pending.promise;
    // The first analysis of a unit runs at once; later ones wait for a pause in typing. A newer request
    // replaces a waiting one, and whoever waited for the old one gets the new result.
    const delay = state.result || state.pending ? settings.debounceMs : 0;
    const previous = state.pending;
    if (previous?.timer) clearTimeout(previous.timer);
    let resolve!: (v: UnitAnalysis | Promise<UnitAnalysis>) => void;
    const promise = new Promise<UnitAnalysis>((r) => { resolve = r; });
    const pending: NonNullable<UnitState['pending']> = { key, promise, resolve };
    state.pending = pending;
    previous?.resolve(promise);
    const st = state;
    pending.timer = setTimeout(() => {
      pending.timer = undefined;
      void this.#analyzeUnit(unit, key, settings, remembered).then((value) => {
        if (st.pending === pending) {
          st.pending = undefined;
          st.result = value;
          this.#onDidChange.fire();
        }
        resolve(value);
      });
    }, delay);
    return promise;
  }

  async #analyzeUnit(unit: AnalysisUnit, key: string, settings: ConvLensSettings, remembered: readonly number[] | undefined): Promise<UnitAnalysis> {
    const started = Date.now();
    const canReadFiles = unit.uri.scheme !== 'untitled';
    // Imports are resolved against the file's folder and the workspace folder holding it.
    const folder = vscode.workspace.getWorkspaceFolder(unit.uri);
    const dir = unit.file.slice(0, unit.file.lastIndexOf('/')) || '/';
    const roots = [dir, ...(folder && folder.uri.path !== dir ? [folder.uri.path] : [])];
    let result: UnitAnalysis | undefined;
    // Each round may discover imported files the cache does not have yet; load them and go again.
    for (let round = 0; round < 5; round++) {
      const host = this.#files.hostFor(unit.uri);
      const options: AnalysisOptions = canReadFiles ? { host, roots } : {};
      result = this.#analyzeOnce(unit, key, settings, remembered, options, host.reads);
      if (!canReadFiles || host.misses.size === 0) break;
      if (!(await this.#files.load(unit.uri, host.misses))) break;
    }
    this.log.debug(`analysed ${unit.file} (${result!.entries.length} entries) in ${Date.now() - started} ms`);
    return result!;
  }

  #analyzeOnce(unit: AnalysisUnit, key: string, settings: ConvLensSettings, remembered: readonly number[] | undefined,
    options: AnalysisOptions, reads: ReadonlySet<string>): UnitAnalysis {
    const lines = unit.text.split('\n');
    const directives = scanDirectives(lines);
    const fileInput = directives.inputs.find((i) => !i.anchor);
    const inputFor = (anchor: Definition | undefined): { input: readonly number[]; inputSource: InputSource } => {
      const own = anchor && directives.inputs.find((i) => i.anchor?.line === anchor.line);
      if (own) return { input: own.shape, inputSource: 'comment' };
      if (fileInput) return { input: fileInput.shape, inputSource: 'comment' };
      if (remembered) return { input: remembered, inputSource: 'remembered' };
      return { input: settings.defaultInputShape, inputSource: 'setting' };
    };

    const specs: EntrySpec[] = directives.entries.map((d) => ({
      expr: d.expr, origin: 'comment', ...(d.anchor ? { anchor: d.anchor } : {}),
      lensLine: d.anchor?.line ?? d.line, ...inputFor(d.anchor),
    }));
    const fileInfo = this.#call('analyzeFile', () => this.core.analyzeFile?.(unit.text, unit.file, options));
    if (fileInfo) {
      // Classes and factories that build without arguments, unless a comment already names an entry for them.
      const explicit = new Set(specs.map((s) => s.anchor?.line));
      const implicit = [
        ...fileInfo.classes.filter((c) => c.isModule && c.buildableWithoutArgs).map((c) => ({ name: c.name, line: c.range.line, origin: 'class' as const })),
        ...fileInfo.factories.map((f) => ({ name: f.name, line: f.range.line, origin: 'factory' as const })),
      ];
      for (const item of implicit) {
        if (explicit.has(item.line)) continue;
        const anchor = directives.definitions.find((d) => d.line === item.line);
        specs.push({ expr: `${item.name}()`, origin: item.origin, ...(anchor ? { anchor } : {}), lensLine: item.line, ...inputFor(anchor) });
      }
      specs.sort((a, b) => a.lensLine - b.lensLine);
    }

    const entries = specs.map((spec): EntryResult => {
      try {
        const analysis = this.core.analyzeEntry(unit.text, unit.file, spec.expr, options);
        return { spec, analysis };
      } catch (err) {
        this.log.error(`core failed on ${spec.expr} in ${unit.file}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return { spec, error: err instanceof Error ? err.message : String(err) };
      }
    });
    return { key, unit, entries, problems: directives.problems, reads };
  }

  /** Calls an optional core function, logging (not throwing) if it fails. */
  #call<T>(name: string, fn: () => T | undefined): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.log.error(`core ${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    }
  }
}

function toRange(unit: AnalysisUnit, document: vscode.TextDocument, r: { line: number; col: number; endLine: number; endCol: number }): vscode.Range | undefined {
  const start = partAt(unit, r.line);
  const end = partAt(unit, r.endLine);
  if (!start || start.part.document !== document) return undefined;
  // A range that runs past the end of this cell is cut at the cell's end.
  const endPos = end && end.part.document === document ? new vscode.Position(end.line, r.endCol) : document.lineAt(document.lineCount - 1).range.end;
  return new vscode.Range(start.line, r.col, endPos.line, endPos.character);
}

/** Translates a unit's results into one document's coordinates and groups layers by call site and line. */
function documentView(document: vscode.TextDocument, ua: UnitAnalysis, settings: ConvLensSettings): DocumentAnalysis {
  const { unit } = ua;
  const sites: LayerSite[] = [];
  for (const entry of ua.entries) {
    const byCall = new Map<string, { range: vscode.Range; layers: LayerRecord[] }>();
    for (const layer of entry.analysis?.layers ?? []) {
      const seen = new Set<string>();
      for (const frame of layer.stack) {
        if (!inUnit(frame, unit)) continue;
        const callKey = `${frame.from}:${frame.to}`;
        if (seen.has(callKey)) continue;
        seen.add(callKey);
        let site = byCall.get(callKey);
        if (!site) {
          const range = toRange(unit, document, frame);
          if (!range) continue;
          byCall.set(callKey, (site = { range, layers: [] }));
        }
        site.layers.push(layer);
      }
    }
    for (const s of byCall.values()) sites.push({ range: s.range, entry, layers: s.layers });
  }

  const entries = ua.entries.flatMap((result) => {
    const at = partAt(unit, result.spec.lensLine);
    return at && at.part.document === document ? [{ result, line: at.line }] : [];
  });

  // Which entry a line shows: the entry of the class/def the line is in, else the first entry reaching it.
  const docLineToUnit = (line: number): number => (unit.parts.find((p) => p.document === document)?.startLine ?? 0) + line;
  const owns = (entry: EntryResult, unitLine: number): boolean =>
    !!entry.spec.anchor && unitLine >= entry.spec.anchor.line && unitLine <= entry.spec.anchor.endLine;
  const byLine = new Map<number, LayerSite[]>();
  for (const site of sites) {
    const list = byLine.get(site.range.start.line) ?? [];
    list.push(site);
    byLine.set(site.range.start.line, list);
  }
  const lines: LineSummary[] = [];
  for (const [line, list] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
    const unitLine = docLineToUnit(line);
    const candidates = ua.entries.filter((e) => list.some((s) => s.entry === e));
    const entry = candidates.find((e) => owns(e, unitLine)) ?? candidates[0]!;
    const layers = new Map<string, LayerRecord>();
    for (const s of list) {
      if (s.entry !== entry) continue;
      for (const l of s.layers) layers.set(l.path, l);
    }
    lines.push({ line, position: document.lineAt(line).range.end, entry, layers: [...layers.values()] });
  }

  const problems = ua.problems.flatMap((p) => {
    const at = partAt(unit, p.line);
    return at && at.part.document === document ? [{ range: document.lineAt(at.line).range, message: p.message }] : [];
  });
  return { document, version: document.version, settings, entries, allEntries: ua.entries, sites, lines, problems };
}

/** The site under a position: the innermost call containing it, preferring the entry the line shows. */
export function siteAt(view: DocumentAnalysis, position: vscode.Position): LayerSite | undefined {
  const containing = view.sites.filter((s) => s.range.contains(position));
  if (containing.length === 0) return undefined;
  const lineEntry = view.lines.find((l) => l.line === containing[0]!.range.start.line)?.entry;
  const size = (r: vscode.Range): number => (r.end.line - r.start.line) * 1e6 + (r.end.character - r.start.character);
  containing.sort((a, b) => size(a.range) - size(b.range) || Number(b.entry === lineEntry) - Number(a.entry === lineEntry));
  return containing[0];
}

/** The real core, as the glue sees it (optional functions appear once the core exports them). */
export function coreApi(): CoreApi {
  const mod = core as unknown as Record<string, unknown>;
  const fn = <T>(name: string): T | undefined => (typeof mod[name] === 'function' ? (mod[name] as T) : undefined);
  return {
    analyzeEntry: (...args) => {
      const f = fn<CoreApi['analyzeEntry']>('analyzeEntry');
      if (!f) throw new Error('the analysis core does not export analyzeEntry yet');
      return f(...args);
    },
    ...(fn<CoreApi['analyzeFile']>('analyzeFile') ? { analyzeFile: fn<NonNullable<CoreApi['analyzeFile']>>('analyzeFile')! } : {}),
  };
}
