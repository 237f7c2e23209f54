// The one place the glue asks for analyses. Hover, inlay hints, CodeLens, commands, the status bar and the
// profile view all read from here and never parse anything themselves. Results are cached per unit (a file,
// or a whole notebook) and its text version; the first analysis of a unit runs at once, and so does one that
// VS Code asks for (hints, hovers and CodeLenses: VS Code debounced those requests already); one nobody asked
// for waits until the user pauses typing (`convlens.analysis.debounceMs`). Jobs run in the analysis worker (analysisRunner.ts);
// the entries on screen come back first. The core evaluates Python abstractly: nothing here runs user
// code, so it is the same in trusted and untrusted workspaces.
import * as vscode from 'vscode';
import type { LayerRecord, SourceRange } from '../core';
import { Disposable } from '../util/dispose';
import type { AnalysisJob, EntryResult, EntrySpec, JobMode, JobResult } from '../worker/analysisJob';
import type { JobRunner } from '../worker/inlineRunner';
import { partAt, unitFor, type AnalysisUnit } from './analysisUnit';
import { aggregate, formatShape } from './displayText';
import { lineEntry } from './lineEntry';
import {
  conventionAfterWrite,
  conventionWriteLevel,
  parseShape,
  settingsFor,
  settingsSchema,
  valueAt,
  type Convention,
  type ConvLensSettings,
  type SettingLevel,
} from './settings';
import { WorkspaceFiles } from './workspaceFiles';

export type { EntryResult, EntrySpec, InputSource } from '../worker/analysisJob';

/** A call in the current document that built layers (the site itself or any frame of a layer's stack). */
export interface LayerSite {
  readonly range: vscode.Range;
  readonly entry: EntryResult;
  readonly layers: readonly LayerRecord[];
  /** From the last analysis before an edit that stops the code from building (the site itself was not edited). */
  readonly stale?: boolean;
}

/** What one line's inlay hint summarises. */
export interface LineSummary {
  readonly line: number;
  /** Where the hint goes: the end of the line where the call that built the layers starts. */
  readonly position: vscode.Position;
  readonly entry: EntryResult;
  readonly layers: readonly LayerRecord[];
  /** See LayerSite.stale. */
  readonly stale?: boolean;
}

/** The analysis as one document sees it (for a notebook cell: only what lies in that cell). */
export interface DocumentAnalysis {
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly settings: ConvLensSettings;
  /** False while only the entries on screen are profiled (the rest follow; providers refresh then). */
  readonly complete: boolean;
  /** Entries whose CodeLens line lies in this document, with that line in document coordinates. */
  readonly entries: readonly { readonly result: EntryResult; readonly line: number; readonly stale?: boolean }[];
  /** Every entry of the unit (a notebook's entries may live in other cells). */
  readonly allEntries: readonly EntryResult[];
  readonly sites: readonly LayerSite[];
  readonly lines: readonly LineSummary[];
  readonly problems: readonly { readonly range: vscode.Range; readonly message: string }[];
  /** The unit's path as the core sees it (ranges in this file are the unit's own; others are imported files). */
  readonly unitFile: string;
  /** Maps a unit line (as in layer sites and report lines) to this document's line, if it lies here. */
  readonly toDocumentLine: (unitLine: number) => number | undefined;
}

interface UnitAnalysis {
  readonly key: string;
  readonly unit: AnalysisUnit;
  readonly complete: boolean;
  readonly entries: readonly EntryResult[];
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  readonly reads: ReadonlySet<string>;
  /** An early result's entries still to be profiled (see JobResult.pending). */
  readonly pending?: readonly EntrySpec[];
}

interface Pending {
  readonly key: string;
  readonly promise: Promise<UnitAnalysis>;
  resolve(v: UnitAnalysis | Promise<UnitAnalysis>): void;
  timer?: NodeJS.Timeout;
  /** Starts the job now if it still waits for the debounce (a request VS Code debounced already). */
  start?: () => void;
  /** The job running for this request, to cancel it when a newer one replaces it. */
  jobId?: number;
  /** The unit lines that job profiles first (those on screen when it started, or sent to it since). */
  screen?: AnalysisJob['priorityLines'];
  /** The newest early result (the entries on screen, before the rest are done) and the unit lines it covers. */
  early?: { readonly result: UnitAnalysis; readonly covered: AnalysisJob['priorityLines'] };
  /** Callers on screen waiting for an early result that covers their lines: true once served. */
  earlyWaiters: ((early: NonNullable<Pending['early']>) => boolean)[];
  /** True once a caller got an early result: the whole one may then change what it showed. */
  earlyServed?: boolean;
}

/** The result a request gets: without lines the whole one; with lines whichever comes first of an early result covering them and the whole one. */
function waitFor(pending: Pending, lines: readonly [number, number] | undefined): Promise<UnitAnalysis> {
  if (!lines) return pending.promise;
  if (pending.early && within(pending.early.covered, lines)) {
    pending.earlyServed = true;
    return Promise.resolve(pending.early.result);
  }
  return new Promise<UnitAnalysis>((resolve) => {
    pending.earlyWaiters.push((early) => {
      if (!within(early.covered, lines)) return false;
      pending.earlyServed = true;
      resolve(early.result);
      return true;
    });
    void pending.promise.then(resolve);
  });
}

/** True when every line of `lines` lies in one of `ranges`. */
function within(ranges: AnalysisJob['priorityLines'] | undefined, lines: readonly [number, number]): boolean {
  return !!ranges && ranges.some(([a, b]) => a <= lines[0] && lines[1] <= b);
}

interface UnitState {
  result?: UnitAnalysis;
  pending?: Pending;
}

/** A convention switch being written to the settings (see switchConvention). */
interface ConventionWrite {
  readonly value: Convention;
  readonly level: SettingLevel;
  /** The file the switch was made for (its folder's and the workspace's values are the ones it sees). */
  readonly resource: vscode.Uri | undefined;
  /** For a folder-level write: that folder (only its files see the value). */
  readonly folder: string | undefined;
}

const configurationTargets: Readonly<Record<SettingLevel, vscode.ConfigurationTarget>> = {
  workspaceFolder: vscode.ConfigurationTarget.WorkspaceFolder,
  workspace: vscode.ConfigurationTarget.Workspace,
  user: vscode.ConfigurationTarget.Global,
};

/** Every `convlens.*` key but the convention: a change to one of them always re-renders. */
const otherKeys = Object.keys(settingsSchema).filter((k) => k !== 'convlens.convention');

const rememberedInputKey = 'convlens.rememberedInputShapes';
/** How many rounds of loading imported files one analysis may take (each round may discover more imports). */
const IMPORT_ROUNDS = 5;
const hintsHiddenKey = 'convlens.inlayHintsHidden';

/** Lines of a source range that lie in the unit file (frames in other files are skipped). */
function inUnit(frame: SourceRange, unit: AnalysisUnit): boolean {
  return frame.file === unit.file;
}

export interface AnalysisRequest {
  readonly token?: vscode.CancellationToken;
  /**
   * The document lines the caller will read (an inlay-hint range, a hover's line). When the entries on
   * screen are profiled before the rest and they cover these lines, that early result is enough;
   * without lines (CodeLens, commands, exports) the caller waits for every entry.
   */
  readonly lines?: readonly [number, number];
  /**
   * VS Code already delays this request after an edit (inlay hints, hovers and CodeLenses: its own debounce
   * adapts to how long the provider takes). It starts the job at once instead of adding our debounce to VS Code's,
   * which would make the hint wait for both; requests nobody debounced (status bar, diagnostics, commands) wait.
   */
  readonly debounced?: boolean;
}

export class AnalysisService extends Disposable {
  readonly #states = new Map<string, UnitState>();
  readonly #files = this._register(new WorkspaceFiles());
  /** Per document: the last view whose code built, and the text it was made from (see keepLastGood). */
  readonly #lastGood = new Map<string, { readonly lines: readonly string[]; readonly view: DocumentAnalysis }>();
  /** Document views of each unit result (see #viewOf); dropped with the result. */
  readonly #views = new WeakMap<UnitAnalysis, Map<vscode.TextDocument, { version: number; settingsKey: string; view: DocumentAnalysis }>>();
  readonly #onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when results or the way they are shown (settings) may have changed: diagnostics, the status bar and the profile view refresh on it. */
  readonly onDidChange = this.#onDidChange.event;
  readonly #onDidChangeAnswered = this._register(new vscode.EventEmitter<{ readonly lenses: boolean }>());
  /**
   * Fires when what the inlay hint and CodeLens providers already gave VS Code may be out of date (`lenses`: the
   * lenses too), for them to fire their own change events. Not for the result of a new text version: VS Code asks
   * again after every edit, and each of those requests waits for that result, so a change event would only make it
   * ask a third time (on every keystroke, all of the file's lenses and the screen's hints, sent and laid out again).
   * It does fire then when an early result answered some of them (the whole one may settle more lines), and for a
   * notebook, whose other cells VS Code does not ask again when one cell changes.
   */
  readonly onDidChangeAnswered = this.#onDidChangeAnswered.event;
  #generation = 0;
  #nextJobId = 1;
  /**
   * VS Code's settings per resource, read once until a `convlens` setting or the workspace folders change:
   * every hint, hover and status-bar request asks, and VS Code builds a new configuration object each time.
   */
  readonly #settingsRead = new Map<string, ConvLensSettings>();
  /** Convention switches written but not yet resolved, oldest first; the last one is what every file shows. */
  #conventionWrites: ConventionWrite[] = [];

  constructor(
    private readonly runner: JobRunner,
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(runner);
    this._register(
      // Only how results are shown changes with most settings (convention, units, hints): every setting a job
      // reads is part of the request key (analysisFor), so providers re-render from the results they have.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('convlens')) return;
        this.#settingsRead.clear();
        if (this.#isOwnConventionWrite(e)) return;
        // Anything else (settings.json edited, another window) wins over a switch still being written.
        this.#conventionWrites = [];
        this.#changed();
      }),
    );
    this._register(
      this.#files.onDidChange((path) => {
        // An edit to a file another unit imports makes that unit stale.
        const stale = [...this.#states.values()].some((s) => s.result && s.result.unit.file !== path && s.result.reads.has(path));
        if (stale) this.#invalidate();
      }),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.#settingsRead.clear()));
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.#states.delete(d.uri.toString());
        this.#lastGood.delete(d.uri.toString());
        this.#settingsRead.delete(d.uri.toString());
      }),
    );
  }

  /** Everything shown may have changed (settings, a re-analysis, an imported file). */
  #changed(): void {
    this.#onDidChange.fire();
    this.#onDidChangeAnswered.fire({ lenses: true });
  }

  /** Where analyses run (`worker` or `inline`). */
  get runnerKind(): JobRunner['kind'] {
    return this.runner.kind;
  }

  /** Drops every cached result (the Re-analyse command). */
  refresh(): void {
    this.#files.clear();
    this.#invalidate();
  }

  #invalidate(): void {
    this.#generation++;
    this.#changed();
  }

  /** The settings a document is shown with: VS Code's, with a convention switch still being written applied. */
  settings(document: vscode.TextDocument): ConvLensSettings {
    const settings = this.#read(document.uri);
    const write = this.#conventionWrites.at(-1);
    if (!write) return settings;
    const levels = vscode.workspace.getConfiguration('convlens', document.uri).inspect('convention');
    const shared = write.level !== 'workspaceFolder' || vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString() === write.folder;
    return Object.freeze({ ...settings, convention: conventionAfterWrite(levels, write, shared) });
  }

  #read(resource: vscode.Uri): ConvLensSettings {
    const key = resource.toString();
    let settings = this.#settingsRead.get(key);
    if (!settings) this.#settingsRead.set(key, (settings = settingsFor(vscode.workspace, resource)));
    return settings;
  }

  /**
   * Switch Counting Convention: every surface shows `value` at once (every convention is computed already, so
   * nothing is re-analysed), then `convlens.convention` is written at the level the file `resource` sees it from
   * (its folder's or the workspace's value if either sets it, else the user setting). VS Code's configuration
   * change for that write re-renders nothing a second time; any other change of the setting wins over it.
   */
  async switchConvention(resource: vscode.Uri | undefined, value: Convention): Promise<void> {
    const config = vscode.workspace.getConfiguration('convlens', resource ?? null);
    const level = conventionWriteLevel(config.inspect('convention'));
    const folder = level === 'workspaceFolder' && resource ? vscode.workspace.getWorkspaceFolder(resource)?.uri.toString() : undefined;
    const write: ConventionWrite = { value, level, resource, folder };
    this.#conventionWrites.push(write);
    this.#changed();
    try {
      await config.update('convention', value, configurationTargets[level]);
    } finally {
      const at = this.#conventionWrites.indexOf(write);
      if (at >= 0) {
        this.#conventionWrites.splice(at, 1);
        // Written, VS Code's settings now show it (its change arrives before the write resolves); if they do not
        // (the write failed), show what they say.
        if (!this.#isWritten(write)) this.#changed();
      }
    }
  }

  #isWritten(write: ConventionWrite): boolean {
    return (
      valueAt(vscode.workspace.getConfiguration('convlens', write.resource ?? null).inspect('convention'), write.level) === write.value
    );
  }

  /** True for the configuration change a convention switch's own write causes: what it shows is shown already. */
  #isOwnConventionWrite(e: vscode.ConfigurationChangeEvent): boolean {
    return (
      this.#conventionWrites.length > 0 &&
      e.affectsConfiguration('convlens.convention') &&
      !otherKeys.some((k) => e.affectsConfiguration(k)) &&
      this.#conventionWrites.some((w) => this.#isWritten(w))
    );
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

  /** False after Toggle Inlay Hints hid them (remembered per workspace). */
  get hintsShown(): boolean {
    return !this.memento.get<boolean>(hintsHiddenKey, false);
  }

  async setHintsShown(shown: boolean): Promise<void> {
    await this.memento.update(hintsHiddenKey, !shown);
    this.#changed();
  }

  /** The analysis for a document's current text, or undefined if it is not Python. */
  async analysisFor(
    document: vscode.TextDocument,
    request: AnalysisRequest | vscode.CancellationToken = {},
  ): Promise<DocumentAnalysis | undefined> {
    const { token, lines, debounced } =
      'isCancellationRequested' in request ? { token: request, lines: undefined, debounced: false } : request;
    const unit = unitFor(document);
    if (!unit) return undefined;
    const start = unit.parts.find((p) => p.document === document)?.startLine ?? 0;
    const unitLines = lines ? ([start + lines[0], start + lines[1]] as const) : undefined;
    const settings = this.settings(document);
    const remembered = this.rememberedInput(unit.uri);
    // Everything a job reads from the settings; the rest (convention, units, hints) only changes how results show.
    const key = `${unit.versionKey}|${this.#generation}|${settings.defaultResolution}|${remembered ? formatShape(remembered) : ''}|${JSON.stringify(settings.environment)}|${JSON.stringify(settings.packageRoots)}`;
    const result = await this.#schedule(unit, key, settings, remembered, unitLines, debounced === true);
    if (token?.isCancellationRequested) return undefined;
    return this.#viewOf(document, result, settings);
  }

  /**
   * One view per document, result and settings, shared by hints, hovers, lenses, diagnostics and the status bar:
   * a hover or a convention switch reads it, it is not rebuilt (nor is the text split again) per request.
   */
  #viewOf(document: vscode.TextDocument, result: UnitAnalysis, settings: ConvLensSettings): DocumentAnalysis {
    const settingsKey = JSON.stringify(settings);
    const views =
      this.#views.get(result) ?? new Map<vscode.TextDocument, { version: number; settingsKey: string; view: DocumentAnalysis }>();
    this.#views.set(result, views);
    const hit = views.get(document);
    if (hit && hit.version === document.version && hit.settingsKey === settingsKey) return hit.view;
    const view = this.#keepLastGood(documentView(document, result, settings));
    views.set(document, { version: document.version, settingsKey, view });
    return view;
  }

  /**
   * While an edit stops the code from building (a half-typed `nn.Conv2d(`, or `nn.Conv2d()` without its
   * arguments), the lines the edit did not touch keep the last results that built, marked stale, instead of
   * the whole file going blank; everything the new analysis does resolve is shown as it is.
   */
  #keepLastGood(view: DocumentAnalysis): DocumentAnalysis {
    const key = view.document.uri.toString();
    const lines = view.document.getText().split(/\r?\n/);
    if (!isDegraded(view)) {
      if (view.complete) this.#lastGood.set(key, { lines, view });
      return view;
    }
    const last = this.#lastGood.get(key);
    return last ? mergeStale(view, last.view, lineMap(last.lines, lines)) : view;
  }

  #schedule(
    unit: AnalysisUnit,
    key: string,
    settings: ConvLensSettings,
    remembered: readonly number[] | undefined,
    lines: readonly [number, number] | undefined,
    debounced: boolean,
  ): Promise<UnitAnalysis> {
    let state = this.#states.get(unit.id);
    if (!state) this.#states.set(unit.id, (state = {}));
    if (state.result?.key === key) return Promise.resolve(state.result);
    if (state.pending?.key === key) {
      if (debounced) state.pending.start?.();
      // The entries on screen are ready: a hint or hover on those lines does not need to wait for the rest.
      if (lines) this.#followScreen(unit, state.pending, lines);
      return waitFor(state.pending, lines);
    }
    // The first analysis of a unit runs at once, and so does one VS Code debounced already; others wait for a
    // pause in typing. A newer request replaces a waiting or running one (which is cancelled), and whoever
    // waited for it gets the new result.
    const delay = debounced || !(state.result || state.pending) ? 0 : settings.debounceMs;
    const previous = state.pending;
    if (previous?.timer) clearTimeout(previous.timer);
    if (previous) previous.start = undefined;
    if (previous?.jobId !== undefined) this.runner.cancel(previous.jobId);
    let resolve!: (v: UnitAnalysis | Promise<UnitAnalysis>) => void;
    const promise = new Promise<UnitAnalysis>((r) => {
      resolve = r;
    });
    const pending: Pending = { key, promise, resolve, earlyWaiters: [] };
    state.pending = pending;
    previous?.resolve(promise);
    const st = state;
    pending.start = () => {
      if (pending.timer) clearTimeout(pending.timer);
      pending.timer = undefined;
      pending.start = undefined;
      void this.#analyzeUnit(unit, key, settings, remembered, pending).then(
        (value) => {
          if (!value) return; // Cancelled: a newer request took over and resolves `promise`.
          if (st.pending === pending) {
            st.pending = undefined;
            st.result = value;
            this.#onDidChange.fire();
            const notebook = unit.parts.length > 1;
            if (notebook || pending.earlyServed) this.#onDidChangeAnswered.fire({ lenses: notebook });
          }
          resolve(value);
        },
        (err: unknown) => {
          this.log.error(`analysis of ${unit.file} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          if (st.pending === pending) st.pending = undefined;
          resolve({ key, unit, complete: true, entries: [], problems: [], reads: new Set() });
        },
      );
    };
    if (delay === 0) pending.start();
    else pending.timer = setTimeout(pending.start, delay);
    return waitFor(pending, lines);
  }

  /**
   * A request for lines the running job does not favour (the file was opened at its top, then scrolled): the job
   * gets the lines on screen now, so that the entries there go next and publish an early result of their own.
   */
  #followScreen(unit: AnalysisUnit, pending: Pending, lines: readonly [number, number]): void {
    if (pending.jobId === undefined || !this.runner.prioritize || within(pending.screen, lines)) return;
    const screen = [...this.#visibleUnitLines(unit), lines];
    pending.screen = screen;
    this.runner.prioritize(pending.jobId, screen);
  }

  /** Unit lines shown in visible editors, so the worker profiles the entries there first. */
  #visibleUnitLines(unit: AnalysisUnit): [number, number][] {
    const ranges: [number, number][] = [];
    for (const editor of vscode.window.visibleTextEditors) {
      const part = unit.parts.find((p) => p.document === editor.document);
      if (!part) continue;
      for (const r of editor.visibleRanges) ranges.push([part.startLine + r.start.line, part.startLine + r.end.line]);
    }
    return ranges;
  }

  async #analyzeUnit(
    unit: AnalysisUnit,
    key: string,
    settings: ConvLensSettings,
    remembered: readonly number[] | undefined,
    pending: Pending,
  ): Promise<UnitAnalysis | undefined> {
    const started = Date.now();
    const toUnit = (r: JobResult, complete: boolean): UnitAnalysis => ({
      key,
      unit,
      complete,
      entries: r.entries,
      problems: r.problems,
      reads: new Set(r.reads),
      ...(r.pending ? { pending: r.pending } : {}),
    });
    // Paths the last analysis of this unit read are sent along, so one round is usually enough.
    const result = await this.#runRounds(unit, this.#states.get(unit.id)?.result?.reads ?? [], (files) => {
      const priorityLines = this.#visibleUnitLines(unit);
      const job: AnalysisJob = {
        ...files,
        id: this.#nextJobId++,
        text: unit.text,
        file: unit.file,
        ...(remembered ? { remembered } : {}),
        defaultResolution: settings.defaultResolution,
        environment: settings.environment,
        priorityLines,
      };
      pending.jobId = job.id;
      pending.screen = priorityLines;
      return this.runner
        .run(job, (early) => {
          if (early.misses.length > 0) return;
          const published = { result: toUnit(early, false), covered: early.screen ?? priorityLines };
          pending.early = published;
          pending.earlyWaiters = pending.earlyWaiters.filter((serve) => !serve(published));
          this.#onDidChange.fire();
        })
        .finally(() => {
          pending.jobId = undefined;
        });
    });
    if (!result) return undefined;
    this.log.debug(
      `analysed ${unit.file} (${result.entries.length} entries${result.reused ? `, ${result.reused} unchanged by the edit` : ''}) in ${Date.now() - started} ms (${result.elapsedMs} ms in the core, ${this.runner.kind})`,
    );
    return toUnit(result, true);
  }

  /**
   * Runs a job on `unit` until the files it imports are all in its snapshot: each round may discover
   * imports the snapshot lacks; they are loaded and the job runs again (at most IMPORT_ROUNDS times).
   * Undefined when the job was cancelled.
   */
  async #runRounds(
    unit: AnalysisUnit,
    known: Iterable<string>,
    run: (files: Pick<AnalysisJob, 'roots' | 'canReadFiles' | 'readDisk' | 'files'>) => Promise<JobResult | undefined>,
  ): Promise<JobResult | undefined> {
    const canReadFiles = unit.uri.scheme !== 'untitled';
    // Imports are resolved against the file's folder and the workspace folder holding it.
    const folder = vscode.workspace.getWorkspaceFolder(unit.uri);
    const dir = unit.file.slice(0, unit.file.lastIndexOf('/')) || '/';
    // `convlens.packageRoots` adds folders (relative ones against the workspace folder), as the CLI's --root.
    const extra = this.#read(unit.uri).packageRoots.map((r) =>
      r.startsWith('/') || !folder ? r : `${folder.uri.path.replace(/\/$/, '')}/${r}`,
    );
    const roots = canReadFiles ? [dir, ...(folder && folder.uri.path !== dir ? [folder.uri.path] : []), ...extra] : [];
    // Local files: the job reads what it needs from the disk itself, in one round; the snapshot then only
    // carries the open editors' text. Other file systems (remote, virtual), and every file system in the web
    // extension (no disk), go through vscode.workspace.fs.
    const readDisk = canReadFiles && unit.uri.scheme === 'file' && this.runner.readsDisk;
    let wanted = known;
    let result: JobResult | undefined;
    for (let round = 0; round < IMPORT_ROUNDS; round++) {
      const files = !canReadFiles ? {} : readDisk ? this.#files.openDocuments(unit.uri) : this.#files.snapshot(unit.uri, wanted);
      result = await run({ roots, canReadFiles, readDisk, files });
      if (!result) return undefined;
      if (!canReadFiles || result.misses.length === 0) break;
      if (!(await this.#files.load(unit.uri, result.misses))) break;
      wanted = [...result.reads, ...result.misses];
    }
    return result;
  }

  /**
   * One job outside the editor's cache and debounce, in the same worker: `list` finds a unit's entries,
   * `profile` profiles one expression with its module tree (Profile this cell, the renderer's comparison).
   */
  async runOnce(unit: AnalysisUnit, mode: Exclude<JobMode, { kind: 'editor' }>): Promise<JobResult> {
    const settings = this.#read(unit.uri);
    const remembered = this.rememberedInput(unit.uri);
    const result = await this.#runRounds(unit, [], (files) =>
      this.runner.run({
        ...files,
        id: this.#nextJobId++,
        mode,
        text: unit.text,
        file: unit.file,
        ...(remembered ? { remembered } : {}),
        defaultResolution: settings.defaultResolution,
        environment: settings.environment,
        priorityLines: [],
      }),
    );
    if (!result) throw new Error('the analysis was cancelled');
    return result;
  }
}

function toRange(
  unit: AnalysisUnit,
  document: vscode.TextDocument,
  r: { line: number; col: number; endLine: number; endCol: number },
): vscode.Range | undefined {
  const start = partAt(unit, r.line);
  const end = partAt(unit, r.endLine);
  if (!start || start.part.document !== document) return undefined;
  // A range that runs past the end of this cell is cut at the cell's end.
  const endPos =
    end && end.part.document === document ? new vscode.Position(end.line, r.endCol) : document.lineAt(document.lineCount - 1).range.end;
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

  const docLineToUnit = (line: number): number => (unit.parts.find((p) => p.document === document)?.startLine ?? 0) + line;
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
    // An early result leaves out the lines an entry still to be profiled may take.
    const entry = lineEntry(candidates, unitLine, ua.pending);
    if (!entry) continue;
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
  const shownBy = new Map(lines.map((l) => [l.line, l.entry]));
  const toDocumentLine = (unitLine: number): number | undefined => {
    const at = partAt(unit, unitLine);
    return at && at.part.document === document ? at.line : undefined;
  };
  return {
    document,
    version: document.version,
    settings,
    complete: ua.complete,
    entries,
    allEntries: ua.entries,
    // An early result's sites are those of the lines it settles (a hover elsewhere waits for the whole result).
    sites: ua.pending ? sites.filter((s) => shownBy.get(s.range.start.line) === s.entry) : sites,
    lines,
    problems,
    unitFile: unit.file,
    toDocumentLine,
  };
}

/** True when some entry of the view does not build or the text has a syntax error. */
function isDegraded(view: DocumentAnalysis): boolean {
  return view.allEntries.some(
    (e) => e.error !== undefined || e.analysis?.status === 'error' || (e.analysis?.diagnostics ?? []).some((d) => d.code === 'syntax'),
  );
}

/**
 * Maps the old text's lines to the new text's: lines before the first changed line keep their number, lines
 * after the last changed one shift by the change in line count, the edited lines map to nothing.
 */
export function lineMap(before: readonly string[], after: readonly string[]): (line: number) => number | undefined {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail])
    tail++;
  const delta = after.length - before.length;
  return (line) => (line < head ? line : line >= before.length - tail ? line + delta : undefined);
}

/** `view` plus the parts of `last` it lacks, on lines the edit did not touch, marked stale. */
function mergeStale(view: DocumentAnalysis, last: DocumentAnalysis, map: (line: number) => number | undefined): DocumentAnalysis {
  const { document } = view;
  const shift = (r: vscode.Range): vscode.Range | undefined => {
    const start = map(r.start.line),
      end = map(r.end.line);
    return start === undefined || end === undefined || end >= document.lineCount
      ? undefined
      : new vscode.Range(start, r.start.character, end, r.end.character);
  };
  const broken = (e: EntryResult): boolean => e.error !== undefined || e.analysis?.status === 'error';
  const lastEntry = (expr: string): EntryResult | undefined => last.allEntries.find((e) => e.spec.expr === expr && !broken(e));
  // An entry that does not build shows its last good figures (the lens says so).
  const entries = view.entries.map((e) => {
    const old = broken(e.result) ? lastEntry(e.result.spec.expr) : undefined;
    return old ? { result: old, line: e.line, stale: true } : e;
  });
  const allEntries = view.allEntries.map((e) => (broken(e) ? (lastEntry(e.spec.expr) ?? e) : e));
  const siteLines = new Set(view.sites.map((s) => s.range.start.line));
  const sites = [
    ...view.sites,
    ...last.sites.flatMap((s) => {
      const range = shift(s.range);
      return range && !siteLines.has(range.start.line) ? [{ ...s, range, stale: true }] : [];
    }),
  ];
  // A line keeps its last good hint when the new analysis has none for it, or only unknowns (the forward
  // pass stops at the edit, so layers after it lose their MACs).
  const known = (l: LineSummary): boolean => {
    const agg = aggregate(l.entry, l.layers, view.settings.convention);
    return agg.params !== null && agg.macs !== null;
  };
  const stale = new Map<number, LineSummary>();
  for (const l of last.lines) {
    const line = map(l.line);
    if (line !== undefined && line < document.lineCount && known(l))
      stale.set(line, { ...l, line, position: document.lineAt(line).range.end, stale: true });
  }
  const fresh = view.lines.filter((l) => known(l) || !stale.has(l.line));
  const freshLines = new Set(fresh.map((l) => l.line));
  const lines = [...fresh, ...[...stale.values()].filter((l) => !freshLines.has(l.line))].sort((a, b) => a.line - b.line);
  return { ...view, entries, allEntries, sites, lines };
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
