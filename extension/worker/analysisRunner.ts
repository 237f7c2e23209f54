// Where analysis jobs run: in the analysis worker (dist/analysisWorker.js, a worker_threads Worker with
// its own heap limit) so the extension-host thread stays free while the user types, or inline only when no
// worker can start at all. A worker that dies (out of memory, a crash) fails the job it was running with a
// problem on that file, not retried, and a new worker takes the jobs after it. Stale jobs are cancelled:
// the core polls for it at its budget checkpoints. The web extension has no worker_threads and runs jobs
// inline (inlineRunner.ts).
import * as path from 'path';
import { MessageChannel, Worker, type MessagePort } from 'worker_threads';
import { isWorkerReply, type ScreenUpdate, type WorkerRequest } from './workerMessages';
import type { ShiftPlan } from '../core/reuse';
import type { AnalysisJob, EntryResult, EntrySpec, JobResult } from './analysisJob';
import { rebuildReused } from './reusedEntry';
import { readFromDisk } from './diskFiles';
import type { JobRunner, RunnerLog } from './inlineRunner';

export type { JobRunner } from './inlineRunner';

/**
 * The inline runner, loaded on its first job: it carries the whole engine, which the extension host does not
 * load at activation (webpack puts it in a chunk of its own). Cancels sent before it loaded are kept for it.
 */
export class DeferredInlineRunner implements JobRunner {
  readonly kind = 'inline';
  readonly readsDisk = true;
  #runner: Promise<JobRunner> | undefined;
  readonly #cancelled: number[] = [];

  constructor(private readonly log: RunnerLog) {}

  #load(): Promise<JobRunner> {
    return (this.#runner ??= import(/* webpackChunkName: "engine" */ './inlineRunner').then(({ InlineRunner }) => {
      const runner = new InlineRunner(this.log, readFromDisk);
      for (const id of this.#cancelled.splice(0)) runner.cancel(id);
      return runner;
    }));
  }

  async run(job: AnalysisJob, onEarly?: (early: JobResult) => void): Promise<JobResult | undefined> {
    return (await this.#load()).run(job, onEarly);
  }

  cancel(id: number): void {
    if (this.#runner) void this.#runner.then((r) => r.cancel(id));
    else this.#cancelled.push(id);
  }

  dispose(): void {
    void this.#runner?.then((r) => r.dispose());
  }
}

interface Waiting {
  resolve(result: JobResult | undefined): void;
  readonly onEarly: ((early: JobResult) => void) | undefined;
  readonly job: AnalysisJob;
  /** Entries received so far, by their position in the result. */
  readonly entries: Map<number, EntryResult>;
  /** Reused entries received so far (references to the last job's), by their position in the result. */
  readonly reused: Map<number, { readonly job: number; readonly from: number; readonly spec: EntrySpec }>;
  /** How the file's statements moved since that job (sent once, before the first reference). */
  plan?: ShiftPlan;
}

function withEntries(result: JobResult, entries: ReadonlyMap<number, EntryResult>): JobResult {
  return { ...result, entries: [...entries.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e) };
}

/** Units whose last complete job's entries the runner keeps, as the worker keeps its memos (analysisJob.ts). */
const KEPT_UNITS = 8;

/** Heap of the analysis worker: far above the core's own memory budget, far below what takes the host down. */
export const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 1536, maxYoungGenerationSizeMb: 64 };

type WorkerLimits = typeof WORKER_RESOURCE_LIMITS;

/**
 * The heap of the next worker to start: WORKER_RESOURCE_LIMITS, or `CONVLENS_WORKER_HEAP_MB` (16 to 1536) while
 * that variable is set in the extension host. Read at every start, so the real-VS-Code suite can make one
 * worker small enough to die on a file, and the worker after it normal again (suite/workerMemory.test.ts).
 */
export function workerLimitsFromEnv(): WorkerLimits {
  const mb = Number(process.env['CONVLENS_WORKER_HEAP_MB']);
  return Number.isInteger(mb) && mb >= 16 && mb <= WORKER_RESOURCE_LIMITS.maxOldGenerationSizeMb
    ? {
        maxOldGenerationSizeMb: mb,
        maxYoungGenerationSizeMb: Math.min(WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb, Math.max(4, mb >> 2)),
      }
    : WORKER_RESOURCE_LIMITS;
}

/** The result given to the job that was running when the worker died. */
export function workerDiedResult(job: AnalysisJob, reason: string): JobResult {
  return {
    id: job.id,
    complete: true,
    entries: [],
    reads: [],
    misses: [],
    elapsedMs: 0,
    problems: [
      {
        line: 0,
        message: `Conv Lens: the analysis of this file stopped the analysis worker (${reason}); it was not retried. Other files are still analysed.`,
      },
    ],
  };
}

export class WorkerRunner implements JobRunner {
  readonly kind = 'worker';
  readonly readsDisk = true;
  #worker: Worker | undefined;
  #controlPort: MessagePort | undefined;
  #failed = false;
  readonly #waiting = new Map<number, Waiting>();
  readonly #fallback: JobRunner;
  /** Per unit file, the last complete editor job's entries by position: what the worker's reused entries refer to. */
  readonly #kept = new Map<string, { readonly id: number; readonly entries: ReadonlyMap<number, EntryResult> }>();

  /** Entries rebuilt from references so far, and jobs run again because a reference could not be (tests, bench). */
  readonly stats = { rebuilt: 0, reruns: 0 };

  /** Workers that died so far (for the log and the tests). */
  deaths = 0;

  constructor(
    private readonly script: string,
    private readonly log: RunnerLog,
    private readonly resourceLimits: WorkerLimits | (() => WorkerLimits) = WORKER_RESOURCE_LIMITS,
    /** Units whose last complete job's entries are kept (the worker keeps as many memos; tests make it fewer). */
    private readonly keptUnits = KEPT_UNITS,
  ) {
    this.#fallback = new DeferredInlineRunner(log);
  }

  #start(): Worker | undefined {
    if (this.#worker || this.#failed) return this.#worker;
    try {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(this.script, {
        workerData: { controlPort: port2 },
        transferList: [port2],
        resourceLimits: typeof this.resourceLimits === 'function' ? this.resourceLimits() : this.resourceLimits,
      });
      worker.on('message', (m: unknown) => this.#onReply(m));
      worker.on('error', (err) => {
        if (this.#worker === worker) this.#onExit(describeDeath(err));
      });
      worker.on('exit', (code) => {
        if (this.#worker === worker) this.#onExit(`it exited with code ${code}`);
      });
      // The worker must not keep the extension host alive on shutdown.
      worker.unref();
      this.#worker = worker;
      this.#controlPort = port1;
    } catch (err) {
      this.#failed = true;
      this.log(
        'error',
        `cannot start the analysis worker, analysing on the extension-host thread: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return this.#worker;
  }

  #onReply(m: unknown): void {
    if (!isWorkerReply(m)) return;
    if (m.type === 'cancelled') {
      this.#waiting.get(m.id)?.resolve(undefined);
      this.#waiting.delete(m.id);
      return;
    }
    if (m.type === 'entry') {
      this.#waiting.get(m.id)?.entries.set(m.index, m.entry);
      return;
    }
    if (m.type === 'reused') {
      this.#waiting.get(m.id)?.reused.set(m.index, { job: m.job, from: m.from, spec: m.spec });
      return;
    }
    if (m.type === 'plan') {
      const w = this.#waiting.get(m.id);
      if (w) w.plan = m.plan;
      return;
    }
    const waiting = this.#waiting.get(m.result.id);
    if (!waiting) return;
    const whole = this.#rebuild(waiting);
    if (m.type === 'early') {
      if (whole) waiting.onEarly?.(withEntries(m.result, waiting.entries));
      return;
    }
    for (const line of m.logs) this.log('error', line);
    this.#waiting.delete(m.result.id);
    if (!whole) {
      // A reference to entries this host no longer holds: never a guess; the job runs again without reuse.
      this.stats.reruns++;
      this.log('info', `analysis of ${waiting.job.file}: a reused entry referred to a result no longer kept; analysing it afresh`);
      void this.run({ ...waiting.job, fresh: true }, waiting.onEarly).then(waiting.resolve);
      return;
    }
    const result = withEntries(m.result, waiting.entries);
    // Only an editor job leaves the worker a memo its next job on the file refers to: a `list` or `profile` job
    // there (Profile this cell) must not take the place of the editor job's entries.
    if (result.complete && (waiting.job.mode?.kind ?? 'editor') === 'editor') this.#keep(waiting.job.file, result.id, waiting.entries);
    waiting.resolve(result);
  }

  /** Turns the references received so far into entries (from the kept job's); false when one cannot be. */
  #rebuild(waiting: Waiting): boolean {
    const kept = this.#kept.get(waiting.job.file);
    for (const [index, ref] of waiting.reused) {
      const base = kept?.id === ref.job ? kept.entries.get(ref.from) : undefined;
      const entry =
        base && waiting.plan ? rebuildReused(base, { job: ref.job, index: ref.from, spec: ref.spec, plan: waiting.plan }) : undefined;
      if (!entry) return false;
      waiting.entries.set(index, entry);
      waiting.reused.delete(index);
      this.stats.rebuilt++;
    }
    return true;
  }

  #keep(file: string, id: number, entries: ReadonlyMap<number, EntryResult>): void {
    this.#kept.delete(file);
    this.#kept.set(file, { id, entries: new Map(entries) });
    while (this.#kept.size > this.keptUnits) this.#kept.delete(this.#kept.keys().next().value!);
  }

  /**
   * The worker died. It runs jobs one at a time in the order they were sent, so the oldest waiting job is
   * the one that killed it: that job gets a problem and is not retried; the others go to a new worker.
   */
  #onExit(reason: string): void {
    this.deaths++;
    const dead = this.#worker;
    this.#worker = undefined;
    this.#controlPort?.close();
    this.#controlPort = undefined;
    void dead?.terminate();
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    const [culprit, ...rest] = waiting;
    this.log(
      'error',
      `analysis worker died (${reason})${culprit ? ` while analysing ${culprit.job.file}; that job is reported, not retried` : ''}; starting a new worker`,
    );
    culprit?.resolve(workerDiedResult(culprit.job, reason));
    for (const w of rest) void this.run(w.job, w.onEarly ?? undefined).then(w.resolve);
  }

  run(job: AnalysisJob, onEarly?: (early: JobResult) => void): Promise<JobResult | undefined> {
    const worker = this.#start();
    if (!worker) return this.#fallback.run(job, onEarly);
    return new Promise((resolve) => {
      this.#waiting.set(job.id, { resolve, onEarly, job, entries: new Map(), reused: new Map() });
      const request: WorkerRequest = { type: 'run', job };
      worker.postMessage(request);
    });
  }

  cancel(id: number): void {
    if (!this.#waiting.has(id)) return;
    this.#controlPort?.postMessage(id);
  }

  prioritize(id: number, priorityLines: AnalysisJob['priorityLines']): void {
    if (!this.#waiting.has(id)) return;
    const update: ScreenUpdate = { id, priorityLines };
    this.#controlPort?.postMessage(update);
  }

  dispose(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#controlPort?.close();
    for (const w of this.#waiting.values()) w.resolve(undefined);
    this.#waiting.clear();
    void worker?.terminate();
  }
}

/**
 * The worker runner for an installed extension (the bundle sits next to dist/extension.js).
 * `CONVLENS_ANALYSIS_INLINE=1` analyses on the host thread instead (the editor benchmark compares both).
 */
export function createJobRunner(extensionPath: string, log: RunnerLog): JobRunner {
  if (process.env['CONVLENS_ANALYSIS_INLINE'] === '1') return new DeferredInlineRunner(log);
  return new WorkerRunner(path.join(extensionPath, 'dist', 'analysisWorker.js'), log, workerLimitsFromEnv);
}

function describeDeath(err: Error): string {
  return (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : `it failed: ${err.message}`;
}
