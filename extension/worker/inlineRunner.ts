// Runs analysis jobs on the calling thread: the web extension's runner (its extension host is already a web
// worker, and it has neither worker_threads nor a disk), and the Node runner's fallback when its worker cannot
// start. A job blocks the thread for its duration; a stale job stops at the next entry after cancel().
import type { IDisposable } from '../util/dispose';
import { runAnalysisJob, type AnalysisJob, type DiskReader, type JobResult } from './analysisJob';

export interface JobRunner extends IDisposable {
  /** Where jobs run, for the log and the benchmark. */
  readonly kind: 'worker' | 'inline';
  /** True when jobs with `readDisk` read local files themselves (Node); false sends every import through workspace.fs. */
  readonly readsDisk: boolean;
  /** Resolves with the result, or undefined when the job was cancelled. */
  run(job: AnalysisJob, onEarly?: (early: JobResult) => void): Promise<JobResult | undefined>;
  cancel(id: number): void;
  /**
   * The unit lines now on screen for a running job: its entries there go next. Only a worker's job can hear it
   * (an inline job holds the thread until it ends).
   */
  prioritize?(id: number, priorityLines: AnalysisJob['priorityLines']): void;
}

export type RunnerLog = (level: 'error' | 'info', message: string) => void;

export class InlineRunner implements JobRunner {
  readonly kind = 'inline';
  readonly #cancelled = new Set<number>();

  /** Without `readDisk` (the web extension) local files are read through workspace.fs like any other. */
  constructor(
    private readonly log: RunnerLog,
    private readonly readDisk?: DiskReader,
  ) {}

  get readsDisk(): boolean {
    return this.readDisk !== undefined;
  }

  run(job: AnalysisJob, onEarly?: (early: JobResult) => void): Promise<JobResult | undefined> {
    const result = runAnalysisJob(job, {
      isCancelled: () => this.#cancelled.has(job.id),
      ...(onEarly ? { onEarly } : {}),
      ...(this.readDisk ? { readDisk: this.readDisk } : {}),
      logError: (m) => this.log('error', m),
    });
    this.#cancelled.delete(job.id);
    return Promise.resolve(result);
  }

  cancel(id: number): void {
    this.#cancelled.add(id);
  }

  dispose(): void {}
}
