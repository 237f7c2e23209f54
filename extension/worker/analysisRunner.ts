// Where analysis jobs run: in the analysis worker (dist/analysisWorker.js, a worker_threads Worker with
// its own heap limit) so the extension-host thread stays free while the user types, or inline only when no
// worker can start at all. A worker that dies (out of memory, a crash) fails the job it was running with a
// problem on that file, not retried, and a new worker takes the jobs after it. Stale jobs are cancelled:
// the core polls for it at its budget checkpoints. The web extension has no worker_threads and runs jobs
// inline (inlineRunner.ts).
import * as path from 'path';
import { MessageChannel, Worker, type MessagePort } from 'worker_threads';
import { isWorkerReply, type WorkerRequest } from './workerMessages';
import type { AnalysisJob, EntryResult, JobResult } from './analysisJob';
import { readFromDisk } from './diskFiles';
import { InlineRunner, type JobRunner, type RunnerLog } from './inlineRunner';

export type { JobRunner } from './inlineRunner';

interface Waiting {
  resolve(result: JobResult | undefined): void;
  readonly onEarly: ((early: JobResult) => void) | undefined;
  readonly job: AnalysisJob;
  /** Entries received so far, by their position in the result. */
  readonly entries: Map<number, EntryResult>;
}

function withEntries(result: JobResult, entries: ReadonlyMap<number, EntryResult>): JobResult {
  return { ...result, entries: [...entries.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e) };
}

/** Heap of the analysis worker: far above the core's own memory budget, far below what takes the host down. */
export const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 1536, maxYoungGenerationSizeMb: 64 };

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
  #cancelPort: MessagePort | undefined;
  #failed = false;
  readonly #waiting = new Map<number, Waiting>();
  readonly #fallback: InlineRunner;

  /** Workers that died so far (for the log and the tests). */
  deaths = 0;

  constructor(
    private readonly script: string,
    private readonly log: RunnerLog,
    private readonly resourceLimits = WORKER_RESOURCE_LIMITS,
  ) {
    this.#fallback = new InlineRunner(log, readFromDisk);
  }

  #start(): Worker | undefined {
    if (this.#worker || this.#failed) return this.#worker;
    try {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(this.script, {
        workerData: { cancelPort: port2 },
        transferList: [port2],
        resourceLimits: this.resourceLimits,
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
      this.#cancelPort = port1;
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
    const waiting = this.#waiting.get(m.result.id);
    if (!waiting) return;
    if (m.type === 'early') {
      waiting.onEarly?.(withEntries(m.result, waiting.entries));
      return;
    }
    for (const line of m.logs) this.log('error', line);
    this.#waiting.delete(m.result.id);
    waiting.resolve(withEntries(m.result, waiting.entries));
  }

  /**
   * The worker died. It runs jobs one at a time in the order they were sent, so the oldest waiting job is
   * the one that killed it: that job gets a problem and is not retried; the others go to a new worker.
   */
  #onExit(reason: string): void {
    this.deaths++;
    const dead = this.#worker;
    this.#worker = undefined;
    this.#cancelPort?.close();
    this.#cancelPort = undefined;
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
      this.#waiting.set(job.id, { resolve, onEarly, job, entries: new Map() });
      const request: WorkerRequest = { type: 'run', job };
      worker.postMessage(request);
    });
  }

  cancel(id: number): void {
    if (!this.#waiting.has(id)) return;
    this.#cancelPort?.postMessage(id);
  }

  dispose(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#cancelPort?.close();
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
  if (process.env['CONVLENS_ANALYSIS_INLINE'] === '1') return new InlineRunner(log, readFromDisk);
  return new WorkerRunner(path.join(extensionPath, 'dist', 'analysisWorker.js'), log);
}

function describeDeath(err: Error): string {
  return (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : `it failed: ${err.message}`;
}
