// Messages between the analysis service and the analysis worker (both run our own code in one process,
// so the guard only checks the envelope). Job and result shapes are analysisJob.ts's.
import { isRecord } from '../protocol/check';
import type { ShiftPlan } from '../core/reuse';
import type { AnalysisJob, EntryResult, EntrySpec, JobResult } from './analysisJob';

export interface WorkerRequest {
  readonly type: 'run';
  readonly job: AnalysisJob;
}

/**
 * Each profiled entry travels in its own `entry` message, so the host deserialises a large result in
 * small pieces between other events; `early` and `done` then carry everything but the entries. An entry the
 * job reused from the last one travels as a `reused` reference (after the job's one `plan`): the host rebuilds it
 * from the entries it kept of that job.
 */
export type WorkerReply =
  | { readonly type: 'entry'; readonly id: number; readonly index: number; readonly entry: EntryResult }
  // A reused entry (incremental analysis): entry `from` of job `job`, moved by the job's `plan` (reusedEntry.ts).
  | {
      readonly type: 'reused';
      readonly id: number;
      readonly index: number;
      readonly job: number;
      readonly from: number;
      readonly spec: EntrySpec;
    }
  | { readonly type: 'plan'; readonly id: number; readonly plan: ShiftPlan }
  | { readonly type: 'early'; readonly result: JobResult }
  | { readonly type: 'done'; readonly result: JobResult; readonly logs: readonly string[] }
  | { readonly type: 'cancelled'; readonly id: number };

/**
 * On the control port (read between entries, beside a job id to cancel): the unit lines now on screen for a
 * running job, so its entries there go next.
 */
export interface ScreenUpdate {
  readonly id: number;
  readonly priorityLines: AnalysisJob['priorityLines'];
}

export function isScreenUpdate(x: unknown): x is ScreenUpdate {
  return (
    isRecord(x) &&
    typeof x['id'] === 'number' &&
    Array.isArray(x['priorityLines']) &&
    x['priorityLines'].every(
      (r: unknown) => Array.isArray(r) && r.length === 2 && r.every((n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0),
    )
  );
}

export function isWorkerRequest(x: unknown): x is WorkerRequest {
  return (
    isRecord(x) && x['type'] === 'run' && isRecord(x['job']) && typeof x['job']['id'] === 'number' && typeof x['job']['text'] === 'string'
  );
}

export function isWorkerReply(x: unknown): x is WorkerReply {
  if (!isRecord(x)) return false;
  switch (x['type']) {
    case 'early':
    case 'done':
      return isRecord(x['result']) && typeof x['result']['id'] === 'number' && Array.isArray(x['result']['entries']);
    case 'cancelled':
      return typeof x['id'] === 'number';
    case 'entry':
      return typeof x['id'] === 'number' && typeof x['index'] === 'number' && isRecord(x['entry']);
    case 'reused':
      return (
        typeof x['id'] === 'number' &&
        typeof x['index'] === 'number' &&
        typeof x['job'] === 'number' &&
        typeof x['from'] === 'number' &&
        isRecord(x['spec'])
      );
    case 'plan':
      return typeof x['id'] === 'number' && isRecord(x['plan']) && Array.isArray(x['plan']['statements']);
    default:
      return false;
  }
}
