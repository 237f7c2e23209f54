// A reused entry as a reference (incremental analysis, analysisJob.ts): the worker sends where the entry comes
// from instead of the entry, and its host rebuilds it from the result it kept, exactly as the job built it.
// Imports only core/reuse.ts, so the extension host's bundle does not take in the engine.
import { shiftPositions, type ShiftPlan } from '../core/reuse';

/**
 * Where a reused entry comes from: entry `index` of job `job` (the last complete job on the same file), its
 * positions moved by `plan`: `{ ...that, ...shiftPositions(plan, { analysis, modules }), spec }` is the entry.
 * The worker sends this instead of the entry; its host keeps that job's entries (analysisRunner.ts).
 */
export interface ReusedFrom<Spec> {
  readonly job: number;
  readonly index: number;
  readonly spec: Spec;
  readonly plan: ShiftPlan;
}

/** What this module reads of an entry (analysisJob.ts's EntryResult, without importing it: no import cycle). */
interface Entry<Spec> {
  readonly spec: Spec;
  readonly analysis?: unknown;
  readonly modules?: unknown;
}

/** A reused entry rebuilt from the one it came from (what the worker's job built, on the other side). */
export function rebuildReused<Spec, E extends Entry<Spec>>(base: E, from: ReusedFrom<Spec>): E | undefined {
  const moved = shiftPositions(from.plan, { analysis: base.analysis, modules: base.modules });
  return moved ? { ...base, ...moved, spec: from.spec } : undefined;
}
