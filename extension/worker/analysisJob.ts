// One analysis of one unit (a file, or a notebook's cells joined), as plain data in and out so that it can
// run on the extension-host thread or in the analysis worker unchanged: finds the entries (`# convlens:`
// comments, buildable classes, factories), picks each one's input shape and profiles it with the core.
// Imported files come from a snapshot the caller took; paths missing from it are reported, loaded by the
// caller and the job runs again (or, for local files, read from the disk by the runner's disk reader). No vscode
// and no fs import (the worker has no vscode; the web extension has no fs); nothing here runs user code.
import {
  FileSession,
  planReuse,
  type EntryMemo,
  type LoadEvent,
  type NameEffects,
  type StatementMemo,
  inputDirectiveFor,
  profileEntry,
  directivesOf,
  type AnalysisOptions,
  type Definition,
  type Directives,
  type ModuleNode,
  type ProfileResult,
  type SourceHost,
} from '../core';
import { rebuildReused, type ReusedFrom } from './reusedEntry';

/** Wall-clock cap of one job: a file that takes longer is stopped with a budget diagnostic, never left running. */
export const DEFAULT_JOB_TIME_LIMIT_MS = 30_000;

/** What the caller knows about a path the core may read. */
export type FileSnapshot = { readonly kind: 'file'; readonly text: string } | { readonly kind: 'dir' } | { readonly kind: 'absent' };

/** What the glue hands the core for an entry: a shape set with Set Input Shape, or nothing (the core reads comments or infers). */
export type InputSource = 'remembered' | 'core';

/** One expression the glue builds for a unit. */
export interface EntrySpec {
  readonly expr: string;
  readonly origin: 'comment' | 'class' | 'factory';
  /** The definition the entry belongs to (for the CodeLens and for choosing which entry a line shows). */
  readonly anchor?: Definition;
  /** The unit line the CodeLens goes on. */
  readonly lensLine: number;
  /** The input shape handed to the core; undefined lets the core pick one (a comment, else inferred). */
  readonly input?: readonly number[];
  readonly inputSource: InputSource;
}

export interface EntryResult {
  readonly spec: EntrySpec;
  /** The core's profile (module tree, shapes, every convention's MACs). */
  readonly analysis?: ProfileResult;
  /** Set when the core threw (a bug in the core, reported, never shown as numbers). */
  readonly error?: string;
  /** The modules that hold other modules (the tree without its leaves), for the profile view's summary. */
  readonly modules?: readonly ModuleEntry[];
}

/** A module of the tree: its path, class and where it was built (the class of a container, `BasicBlock`). */
export interface ModuleEntry {
  readonly path: string;
  readonly type: string;
  readonly file?: string;
  /** 0-based line in `file`. */
  readonly line?: number;
}

/** The modules of `tree` that have children, depth-first (at most `limit`). */
export function containerModules(tree: ModuleNode | undefined, limit = 20_000): ModuleEntry[] {
  const out: ModuleEntry[] = [];
  const walk = (n: ModuleNode): void => {
    if (n.children.length === 0 || out.length >= limit) return;
    out.push({ path: n.path, type: n.type, ...(n.site ? { file: n.site.file, line: n.site.line } : {}) });
    for (const c of n.children) walk(c);
  };
  if (tree) walk(tree);
  return out;
}

/**
 * What a job does: the editor's analysis (every entry of the unit, the module tree dropped); `list` finds
 * the entries without profiling them; `profile` profiles one expression, keeping its module tree (for
 * Profile this cell and the renderer's static side of a comparison). Without `input` the core picks one.
 */
export type JobMode =
  | { readonly kind: 'editor' }
  | { readonly kind: 'list' }
  | { readonly kind: 'profile'; readonly expr: string; readonly input?: readonly number[]; readonly inputFrom?: 'explicit' | 'setting' };

export interface AnalysisJob {
  readonly id: number;
  /** The editor's analysis when absent. */
  readonly mode?: JobMode;
  readonly text: string;
  /** The unit's path as the core sees it (POSIX). */
  readonly file: string;
  /** Import roots; empty when the unit cannot read other files (untitled documents). */
  readonly roots: readonly string[];
  readonly canReadFiles: boolean;
  readonly files: Readonly<Record<string, FileSnapshot>>;
  /**
   * For units on the local disk (`file:` URIs): paths the snapshot lacks are read from the disk here, in one
   * pass, instead of being reported as misses for another round (imports import more imports: a torchvision
   * model file took 4–6 rounds). The snapshot still wins, so unsaved editors' text is what the core sees.
   */
  readonly readDisk?: boolean;
  /** The per-file shape set with Set Input Shape, if any. */
  readonly remembered?: readonly number[];
  /** H = W the core uses when nothing gives the input shape. */
  readonly defaultResolution: number;
  /** What `os.environ` holds for the analysed code (setting convlens.environment). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Wall-clock cap of the whole job in milliseconds (default DEFAULT_JOB_TIME_LIMIT_MS); an entry past it stops with a budget diagnostic. */
  readonly timeLimitMs?: number;
  /** True: reuse nothing from the last job on this file (its host could not rebuild an entry it referred to). */
  readonly fresh?: boolean;
  /** Unit lines on screen: entries covering them are profiled first and published early. */
  readonly priorityLines: readonly (readonly [number, number])[];
}

export interface JobResult {
  readonly id: number;
  /** False for an early result: the entries on screen, or the first ones to build a layer on screen. */
  readonly complete: boolean;
  /** In CodeLens-line order. Entries not profiled yet (early result) are left out. */
  readonly entries: readonly EntryResult[];
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  /** Every path the core asked about (to know which file edits make this analysis stale). */
  readonly reads: readonly string[];
  /** Paths the snapshot lacked; the caller loads them and runs the job again. */
  readonly misses: readonly string[];
  /** Milliseconds spent in the core. */
  readonly elapsedMs: number;
  /** Entries whose last result still held after the edit (incremental analysis) and were not profiled again. */
  readonly reused?: number;
  /**
   * An early result's entries not profiled yet, in CodeLens order: a line one of them owns, or may reach
   * before the entry the early result shows there, is not settled yet (features/lineEntry.ts).
   */
  readonly pending?: readonly EntrySpec[];
  /** An early result's unit lines on screen: the ones it was published for. */
  readonly screen?: AnalysisJob['priorityLines'];
}

function snapshotHost(
  job: AnalysisJob,
  readDisk: DiskReader | undefined,
  reads: Set<string>,
  misses: Set<string>,
): SourceHost & { lookup(path: string): FileSnapshot | undefined } {
  const files = job.files;
  const disk = new Map<string, FileSnapshot>();
  // Each path is read from the disk at most once per job.
  const fromDisk =
    job.readDisk && readDisk
      ? (path: string): FileSnapshot => {
          let hit = disk.get(path);
          if (!hit) disk.set(path, (hit = readDisk(path, job.roots)));
          return hit;
        }
      : undefined;
  const lookup = (path: string): FileSnapshot | undefined => {
    reads.add(path);
    const hit = Object.prototype.hasOwnProperty.call(files, path) ? files[path] : fromDisk?.(path);
    if (!hit) misses.add(path);
    return hit;
  };
  return {
    lookup,
    readFile: (path) => {
      const hit = lookup(path);
      return hit?.kind === 'file' ? hit.text : undefined;
    },
    isDirectory: (path) => lookup(path)?.kind === 'dir',
  };
}

/**
 * What the last editor job of a unit leaves for the next one (incremental analysis, core/reuse.ts): its
 * statements, each profiled entry's result with the module names it read, and everything else its results
 * depend on, which the next job must find unchanged to reuse any of them.
 */
interface UnitMemo {
  /** The job's settings (inputsKey). */
  readonly inputs: string;
  /** Every other file the job was given or read, as it read it. */
  readonly paths: ReadonlyMap<string, FileSnapshot | undefined>;
  /** The `# convlens:` entry and input comments (their lines included). */
  readonly directives: string;
  readonly statements: readonly StatementMemo[];
  readonly entries: ReadonlyMap<string, KeptEntry>;
  /** The job that left this memo (a reused entry refers to its result there: ReusedFrom). */
  readonly jobId: number;
}

/** An entry's result with what it read of the module and the imported code it ran (replayed when it is reused). */
interface KeptEntry {
  readonly result: EntryResult;
  /** Its position in its job's entries (onEntry's index). */
  readonly index: number;
  readonly names: EntryMemo;
  readonly loads: readonly LoadEvent[];
}

/** The last editor job's memo per unit file, most recent last (a few units: the editors the user switches between). */
const unitMemos = new Map<string, UnitMemo>();
const UNIT_MEMOS_MAX = 8;

/** Forgets every unit's memo (tests, and the benchmark's cold runs). */
export function clearJobMemos(): void {
  unitMemos.clear();
}

function rememberUnit(file: string, memo: UnitMemo): void {
  unitMemos.delete(file);
  unitMemos.set(file, memo);
  while (unitMemos.size > UNIT_MEMOS_MAX) unitMemos.delete(unitMemos.keys().next().value!);
}

function inputsKey(job: AnalysisJob): string {
  const { defaultResolution, remembered, environment, roots, canReadFiles, readDisk } = job;
  return JSON.stringify([defaultResolution, remembered, environment, roots, canReadFiles, !!readDisk]);
}

function sameSnapshot(a: FileSnapshot | undefined, b: FileSnapshot | undefined): boolean {
  return a?.kind === b?.kind && (a?.kind !== 'file' || a.text === (b as typeof a).text);
}

/** An entry's identity across jobs: what it builds and at which input. */
function entryKey(spec: EntrySpec): string {
  return JSON.stringify([spec.expr, spec.input, spec.inputSource]);
}

/** A result worth keeping for the next job: it did not stop on an error (a budget, a raise), which may not repeat. */
function reusable(entry: EntryResult): boolean {
  return !entry.error && !!entry.analysis && !entry.analysis.diagnostics.some((d) => d.severity === 'error');
}

/** The entries a unit asks for, in CodeLens-line order. */
function entrySpecs(job: AnalysisJob, session: FileSession): { specs: EntrySpec[]; problems: JobResult['problems'] } {
  const directives = directivesOf(job.text);
  const inputFor = (expr: string): Pick<EntrySpec, 'input' | 'inputSource'> => rememberedUnlessComment(directives, expr, job.remembered);
  const specs: EntrySpec[] = directives.entries.map((d) => ({
    expr: d.expr,
    origin: 'comment',
    ...(d.anchor ? { anchor: d.anchor } : {}),
    lensLine: d.anchor?.line ?? d.line,
    ...inputFor(d.expr),
  }));
  const info = session.fileInfo();
  // Classes and factories that build without arguments, unless a comment already names an entry for them.
  const explicit = new Set(specs.map((s) => s.anchor?.line));
  const implicit = [
    ...info.classes
      .filter((c) => c.isModule && c.buildableWithoutArgs)
      .map((c) => ({ name: c.name, line: c.range.line, origin: 'class' as const })),
    ...info.factories.map((f) => ({ name: f.name, line: f.range.line, origin: 'factory' as const })),
  ];
  for (const item of implicit) {
    if (explicit.has(item.line)) continue;
    const anchor = directives.definitions.find((d) => d.line === item.line);
    specs.push({
      expr: `${item.name}()`,
      origin: item.origin,
      ...(anchor ? { anchor } : {}),
      lensLine: item.line,
      ...inputFor(`${item.name}()`),
    });
  }
  specs.sort((a, b) => a.lensLine - b.lensLine);
  return { specs, problems: directives.problems };
}

/** A `# convlens: input` comment for the entry wins (the core reads it); else the shape set for the file. */
function rememberedUnlessComment(
  directives: Directives,
  expr: string,
  remembered: readonly number[] | undefined,
): Pick<EntrySpec, 'input' | 'inputSource'> {
  const head = /^\s*([A-Za-z_]\w*)/.exec(expr)?.[1];
  if (!remembered || inputDirectiveFor(directives, head)) return { inputSource: 'core' };
  return { input: remembered, inputSource: 'remembered' };
}

function onScreen(spec: EntrySpec, ranges: AnalysisJob['priorityLines']): boolean {
  const from = spec.anchor ? Math.min(spec.anchor.line, spec.lensLine) : spec.lensLine;
  const to = spec.anchor ? Math.max(spec.anchor.endLine, spec.lensLine) : spec.lensLine;
  return ranges.some(([a, b]) => from <= b && to >= a);
}

/** True when the entry built a layer from a line of `file` on screen (any frame of its call stack). */
function buildsOnScreen(entry: EntryResult, file: string, screen: AnalysisJob['priorityLines']): boolean {
  return (entry.analysis?.layers ?? []).some((layer) =>
    layer.stack.some((f) => f.file === file && screen.some(([a, b]) => f.line <= b && f.endLine >= a)),
  );
}

export interface JobHooks {
  /** Called with the entries profiled so far when those on screen are ready and others remain: once per screen (see runAnalysisJob). */
  readonly onEarly?: (early: JobResult) => void;
  /**
   * Polled between entries: the unit lines on screen when they changed since the job started (or since the last
   * poll that returned some), else undefined. The entries there are profiled next, with an early result of their own.
   */
  readonly priorityLines?: () => AnalysisJob['priorityLines'] | undefined;
  /** Polled between entries; true abandons the job (it returns undefined). */
  readonly isCancelled?: () => boolean;
  /** Turns a core exception into a message for the log. */
  readonly logError?: (message: string) => void;
  /** Called as each entry is profiled, with its position in the result's entry order. */
  readonly onEntry?: (index: number, entry: EntryResult, from?: ReusedFrom<EntrySpec>) => void;
  /**
   * Reads a local path for a job with `readDisk` (Node runners pass diskFiles.readFromDisk). Without it such
   * paths are misses, as for any other file system.
   */
  readonly readDisk?: DiskReader;
}

/** Reads one path of the local disk (read only, never executed). */
/** Reads a local path; `inside` are the folders whose real paths it may read (symlinks out of them are absent). */
export type DiskReader = (path: string, inside: readonly string[]) => FileSnapshot;

/** A `profile` job: one expression, the core's own input choice unless one is given, the module tree kept. */
function profileOne(
  job: AnalysisJob,
  mode: Extract<JobMode, { kind: 'profile' }>,
  options: AnalysisOptions,
  hooks: JobHooks,
  run: { started: number; reads: Set<string>; misses: Set<string> },
): JobResult {
  // The same input choice as the editor's CodeLens: a given shape, else the entry's comment, else the shape
  // set for the file, else the core infers one.
  const chosen: Pick<EntrySpec, 'input' | 'inputSource'> = mode.input
    ? { input: mode.input, inputSource: 'remembered' }
    : rememberedUnlessComment(directivesOf(job.text), mode.expr, job.remembered);
  const spec: EntrySpec = { expr: mode.expr, origin: 'comment', lensLine: 0, ...chosen };
  const inputFrom = mode.input ? (mode.inputFrom ?? 'explicit') : 'setting';
  let entry: EntryResult;
  try {
    entry = {
      spec,
      analysis: profileEntry(job.text, job.file, mode.expr, {
        ...options,
        ...(spec.input ? { input: spec.input, inputFrom } : {}),
        defaultResolution: job.defaultResolution,
      }),
    };
  } catch (err) {
    hooks.logError?.(`core failed on ${mode.expr} in ${job.file}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    entry = { spec, error: err instanceof Error ? err.message : String(err) };
  }
  hooks.onEntry?.(0, entry);
  return {
    id: job.id,
    complete: true,
    entries: [entry],
    problems: [],
    reads: [...run.reads],
    misses: [...run.misses],
    elapsedMs: Date.now() - run.started,
  };
}

/** Runs a job; undefined when it was cancelled. Never throws for problems in the analysed code. */
export function runAnalysisJob(job: AnalysisJob, hooks: JobHooks = {}): JobResult | undefined {
  const started = Date.now();
  const reads = new Set<string>();
  const misses = new Set<string>();
  const host = snapshotHost(job, hooks.readDisk, reads, misses);
  const mode: JobMode = job.mode ?? { kind: 'editor' };
  // The core polls cancellation and the job's clock at its budget checkpoints, so a stale or runaway job
  // stops inside a long entry, not only between entries.
  const timeLimitMs = job.timeLimitMs ?? DEFAULT_JOB_TIME_LIMIT_MS;
  // What is left of the job's time, for each core call as it starts.
  const options = (): AnalysisOptions => ({
    ...(hooks.isCancelled ? { isCancelled: hooks.isCancelled } : {}),
    timeLimitMs: Math.max(0, timeLimitMs - (Date.now() - started)),
    ...(job.canReadFiles ? { host, roots: job.roots } : {}),
    ...(job.environment ? { environment: job.environment } : {}),
  });
  if (mode.kind === 'profile') return profileOne(job, mode, options(), hooks, { started, reads, misses });
  // One session for the whole job: the file's module body and its imports run once, not once per entry.
  // The editor's session records which module names each statement and entry reads (incremental analysis).
  const editor = mode.kind === 'editor';
  const session = new FileSession(job.text, job.file, options, editor);
  const { specs, problems } = entrySpecs(job, session);
  if (mode.kind === 'list') {
    const entries = specs.map((spec) => ({ spec }));
    // Every result's entries go through onEntry: the worker sends them that way, not in its `done` reply.
    entries.forEach((e, i) => hooks.onEntry?.(i, e));
    return { id: job.id, complete: true, entries, problems, reads: [...reads], misses: [...misses], elapsedMs: Date.now() - started };
  }
  const results = new Map<EntrySpec, EntryResult>();
  const incremental = editor ? startIncremental(job, session, host, reads) : undefined;
  const profile = (spec: EntrySpec): void => {
    const index = specs.indexOf(spec);
    const reused = incremental?.reuse(spec, index);
    if (reused) {
      results.set(spec, reused.result);
      hooks.onEntry?.(index, reused.result, reused.from);
      return;
    }
    try {
      const {
        result: analysis,
        names,
        loads,
      } = session.profileRecorded(spec.expr, {
        ...(spec.input ? { input: spec.input, inputFrom: 'setting' as const } : {}),
        defaultResolution: job.defaultResolution,
      });
      // The editor shows the tree only as the profile view's summary: its containers' classes and lines are
      // enough (the layers are in the analysis); dropping the rest keeps results small to pass around.
      const { tree, ...shown } = analysis;
      const entry: EntryResult = { spec, analysis: shown, modules: containerModules(tree) };
      results.set(spec, entry);
      incremental?.profiled(spec, index, entry, names, loads);
    } catch (err) {
      hooks.logError?.(`core failed on ${spec.expr} in ${job.file}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      results.set(spec, { spec, error: err instanceof Error ? err.message : String(err) });
    }
    hooks.onEntry?.(index, results.get(spec)!);
  };
  const snapshot = (complete: boolean): JobResult => ({
    id: job.id,
    complete,
    entries: specs.flatMap((s) => results.get(s) ?? []),
    problems,
    reads: [...reads],
    misses: [...misses],
    elapsedMs: Date.now() - started,
    ...(incremental ? { reused: incremental.reused } : {}),
  });

  // The entries on screen first, then the rest in CodeLens order. The early result goes out once the entries on
  // screen are done or, when none is (torchvision's resnet.py: the classes on screen are built only by the
  // factories at its end), once an entry has built a layer on screen. It names the entries still to come, so
  // the editor shows only the lines none of them can take (features/lineEntry.ts). When the screen moves while
  // the job runs (the file opened at its top, then scrolled), the entries on the new screen go next and get an
  // early result of their own.
  let screen = job.priorityLines;
  const byScreen = (list: readonly EntrySpec[]): EntrySpec[] => [
    ...list.filter((s) => onScreen(s, screen)),
    ...list.filter((s) => !onScreen(s, screen)),
  ];
  const reachesScreen = (spec: EntrySpec): boolean => onScreen(spec, screen) || buildsOnScreen(results.get(spec)!, job.file, screen);
  let todo = byScreen(specs);
  let built = false;
  let publishedFor: typeof screen | undefined;
  const publish = (): void => {
    // An early result is only worth publishing when it is right: with imports still missing it is not.
    if (!built || publishedFor === screen || todo.length === 0 || todo.some((s) => onScreen(s, screen)) || misses.size > 0) return;
    publishedFor = screen;
    hooks.onEarly?.({ ...snapshot(false), pending: todo, screen });
  };
  while (todo.length > 0) {
    if (hooks.isCancelled?.()) return undefined;
    const moved = hooks.priorityLines?.();
    if (moved) {
      screen = moved;
      todo = byScreen(todo);
      built = [...results.keys()].some(reachesScreen);
      publish();
    }
    const spec = todo.shift()!;
    profile(spec);
    built ||= reachesScreen(spec);
    publish();
  }
  if (hooks.isCancelled?.()) return undefined;
  const done = snapshot(true);
  incremental?.finish(done.misses.length === 0);
  return done;
}

/**
 * The editor job's side of incremental analysis: reuses the last job's result of an entry the edit cannot
 * have changed (core/reuse.ts), and leaves this job's memo for the next. Reuse needs the same settings, the
 * same text in every other file the last job read, the same `# convlens:` comments, and an edit the plan
 * accepts; anything else profiles every entry, as a first job does.
 */
function startIncremental(
  job: AnalysisJob,
  session: FileSession,
  host: ReturnType<typeof snapshotHost>,
  reads: ReadonlySet<string>,
): {
  /** Entries reused so far. */
  reused: number;
  reuse(spec: EntrySpec, index: number): { result: EntryResult; from: ReusedFrom<EntrySpec> } | undefined;
  profiled(
    spec: EntrySpec,
    index: number,
    entry: EntryResult,
    names: NameEffects | undefined,
    loads: readonly LoadEvent[] | undefined,
  ): void;
  finish(complete: boolean): void;
} {
  const statements = session.statements();
  const inputs = inputsKey(job);
  const d = directivesOf(job.text);
  const directives = JSON.stringify([d.entries, d.inputs]);
  // A fresh job (its host could not rebuild a reused entry) starts without the last job's memo.
  const last = job.fresh ? undefined : unitMemos.get(job.file);
  // Every other file the last job read must read the same now (this also makes them this job's reads).
  const same =
    !!last &&
    !!statements &&
    last.inputs === inputs &&
    last.directives === directives &&
    [...last.paths].every(([path, snap]) => path === job.file || sameSnapshot(snap, host.lookup(path)));
  const plan = same ? planReuse(job.file, last.statements, statements) : undefined;
  const entries = new Map<string, KeptEntry>();
  // An entry that binds module names (`global x`) changes what the others read: nothing is kept then.
  let keep = !!statements;
  return {
    reused: 0,
    reuse(spec, index) {
      const key = entryKey(spec);
      const old = plan && last!.entries.get(key);
      if (!old || !plan.canReuse(old.names)) return undefined;
      const from: ReusedFrom<EntrySpec> = { job: last!.jobId, index: old.index, spec, plan: plan.shiftPlan };
      const result = rebuildReused(old.result, from);
      if (!result) return undefined;
      // The entries after it find the imported modules as they would had it run.
      session.replayLoads(old.loads);
      entries.set(key, { result, index, names: old.names, loads: old.loads });
      this.reused++;
      return { result, from };
    },
    profiled(spec, index, entry, names, loads) {
      if (names && names.writes.size > 0) keep = false;
      if (names && loads && reusable(entry)) entries.set(entryKey(spec), { result: entry, index, names, loads });
    },
    finish(complete) {
      if (!keep || !complete || !statements) {
        unitMemos.delete(job.file);
        return;
      }
      const paths = new Map<string, FileSnapshot | undefined>();
      for (const path of [...reads]) paths.set(path, host.lookup(path));
      rememberUnit(job.file, { inputs, paths, directives, statements, entries, jobId: job.id });
    },
  };
}
