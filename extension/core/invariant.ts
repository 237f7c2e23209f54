// Never silently wrong (issue 9): the rule every profile must hold, checked on each one the engine makes.
// Every module in the tree has a number or a reason; an unknown parameter total comes with the layers that make
// it unknown; a MAC total that leaves unknown entries out is marked partial and says how many. profileEntry
// runs this on its own result and reports a broken rule as a diagnostic (code `invariant`), so the CLI's JSON,
// the editor and every test suite see it. Pure: no I/O, nothing evaluated.
import type { ConventionProfile } from './cost/costTypes';

/** What the invariant reads of a profile (core/profileEntry.ts ProfileResult has all of it). */
export interface InvariantSubject {
  readonly status: 'ok' | 'error';
  readonly layers: readonly { readonly path: string; readonly params: number | null; readonly status: string; readonly reason?: string }[];
  readonly totals: { readonly params: number | null };
  readonly profiles?: Readonly<Record<string, ConventionProfile>>;
}

/** The ways a profile breaks the rule, one line each; empty when it holds. */
export function invariantViolations(r: InvariantSubject): string[] {
  const out: string[] = [];
  if (r.status === 'error') return out;
  for (const l of r.layers) {
    if ((l.params === null || l.status === 'unknown') && !l.reason) out.push(`${l.path} is unknown without a reason`);
  }
  if (r.totals.params === null && !r.layers.some((l) => l.params === null))
    out.push('the parameter total is unknown with every layer known');
  for (const p of Object.values(r.profiles ?? {})) {
    const unknownEntries = [...p.layers, ...p.functionals].filter((e) => e.macs === null);
    for (const e of unknownEntries) if (!e.reason) out.push(`${p.convention}: ${e.path} has unknown MACs without a reason`);
    if (unknownEntries.length > 0 && !p.notes.some((n) => n.startsWith(`Partial total: ${unknownEntries.length} `)))
      out.push(`${p.convention}: the total leaves out ${unknownEntries.length} entries without saying so`);
  }
  return out;
}
