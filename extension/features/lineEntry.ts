// Which entry's numbers a line shows, when several entries build layers there (resnet18() and resnet34()
// both build BasicBlock's convolutions): the entry of the class or def the line is in, else the first entry in
// CodeLens order. Pure, so that the early result's rule is tested in plain Node.
import type { EntrySpec } from '../worker/analysisJob';

function owns(spec: EntrySpec, unitLine: number): boolean {
  return !!spec.anchor && unitLine >= spec.anchor.line && unitLine <= spec.anchor.endLine;
}

/**
 * The entry a unit line shows among `candidates` (the entries with a layer there, in CodeLens order).
 * For an early result, `pending` holds the entries not profiled yet: when one of them could take the line once
 * profiled (it owns the line, or it comes first in CodeLens order), the line is not settled and this is undefined.
 */
export function lineEntry<E extends { readonly spec: EntrySpec }>(
  candidates: readonly E[],
  unitLine: number,
  pending: readonly EntrySpec[] = [],
): E | undefined {
  const owner = candidates.find((e) => owns(e.spec, unitLine));
  const shown = owner ?? candidates[0];
  if (!shown) return undefined;
  const before = (p: EntrySpec): boolean => p.lensLine <= shown.spec.lensLine;
  const unsettled = owner ? pending.some((p) => owns(p, unitLine) && before(p)) : pending.some((p) => owns(p, unitLine) || before(p));
  return unsettled ? undefined : shown;
}
