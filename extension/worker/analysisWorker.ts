// Entry of the analysis worker (a worker_threads Worker, bundled as dist/analysisWorker.js): runs analysis
// jobs off the extension-host thread so typing never waits for the core. Jobs arrive on the parent port
// and run one at a time; cancellations and screen updates arrive on a second port that is drained synchronously
// between entries, so a stale job stops within one entry's time and the entries newly on screen go next. Replies: one `entry` per profiled entry (a
// reused one as a `reused` reference after one `plan`), `early` once the entries on screen are done, then `done` or
// `cancelled` (see workerMessages.ts).
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'worker_threads';
import { runAnalysisJob, type AnalysisJob } from './analysisJob';
import { readFromDisk } from './diskFiles';
import { isScreenUpdate, isWorkerRequest, type WorkerReply } from './workerMessages';

const port = parentPort;
const controlPort = (workerData as { controlPort?: MessagePort } | undefined)?.controlPort;
const cancelled = new Set<number>();
/** The newest screen lines the host sent for a job, until the job reads them. */
const screens = new Map<number, AnalysisJob['priorityLines']>();

function drainControl(): void {
  if (!controlPort) return;
  for (let m = receiveMessageOnPort(controlPort); m; m = receiveMessageOnPort(controlPort)) {
    const control: unknown = m.message;
    if (typeof control === 'number') cancelled.add(control);
    else if (isScreenUpdate(control)) screens.set(control.id, control.priorityLines);
  }
}

function reply(message: WorkerReply): void {
  port?.postMessage(message);
}

port?.on('message', (message: unknown) => {
  if (!isWorkerRequest(message)) return;
  const { job } = message;
  drainControl();
  const isCancelled = (): boolean => {
    drainControl();
    return cancelled.has(job.id);
  };
  const logs: string[] = [];
  let planSent = false;
  const result = runAnalysisJob(job, {
    isCancelled,
    priorityLines: () => {
      drainControl();
      const screen = screens.get(job.id);
      screens.delete(job.id);
      return screen;
    },
    onEntry: (index, entry, from) => {
      if (!from) return reply({ type: 'entry', id: job.id, index, entry });
      // A reused entry goes as a reference to the last job's, which the host kept (reusedEntry.ts).
      if (!planSent) reply({ type: 'plan', id: job.id, plan: from.plan });
      planSent = true;
      reply({ type: 'reused', id: job.id, index, job: from.job, from: from.index, spec: from.spec });
    },
    onEarly: (early) => reply({ type: 'early', result: { ...early, entries: [] } }),
    logError: (m) => logs.push(m),
    readDisk: readFromDisk,
  });
  cancelled.delete(job.id);
  screens.delete(job.id);
  reply(result ? { type: 'done', result: { ...result, entries: [] }, logs } : { type: 'cancelled', id: job.id });
});
