// Incremental analysis: which entries an edit can change. After the file's module body runs, each top-level
// statement is known by its text, the module names it read and bound, and whether it was inert (it called
// nothing and stored nothing: a plain `class` or `def`, or a name bound to an expression without calls).
// Each profiled entry is known by the module names it read (interpreter/globalReads.ts). After an edit:
//   - the statements must be the same in number, and every changed one inert before and after the edit;
//   - the names the changed statements bind are dirty, and so is every name an unchanged statement binds
//     when it read a dirty name while the module ran (`ALIAS = Block0`, `class Net(Block0)`); an unchanged
//     statement that read a dirty name and was not inert may have changed anything, and nothing is reused;
//   - an entry whose reads hold no dirty name computed exactly what it computed before, and its last result
//     stands, its positions moved with the statements that hold them. Line numbers also appear inside
//     messages (`line 12: …`), so an entry is reused only when every statement its code comes from kept its
//     line; columns never change (top-level statements start at column 0 and are the same text).
// Everything else (inputs, other files, directives) is the caller's to compare (worker/analysisJob.ts).
import type { StatementEffects } from './analyzer';
import type { NameEffects } from './interpreter/globalReads';

/** One top-level statement of the analysed file, as the last run saw it. */
export interface StatementMemo {
  readonly text: string;
  readonly from: number;
  readonly to: number;
  /** 0-based first and last line. */
  readonly line: number;
  readonly endLine: number;
  /** Undefined when the statement did not run (the module stopped before it). */
  readonly effects: StatementEffects | undefined;
}

/** What an entry read of the module's names. */
export type EntryMemo = Pick<NameEffects, 'reads' | 'whole'>;

export interface ReusePlan {
  /** True when the entry's last result still holds for the new text. */
  canReuse(entry: EntryMemo): boolean;
  /** `value` with every position in the file moved with its statement; undefined when one lies in no unchanged statement. */
  shift<T>(value: T): T | undefined;
  /** The same move as plain data, for shiftPositions on the other side of a thread (the worker's host). */
  readonly shiftPlan: ShiftPlan;
}

/** How each top-level statement of the old text moved: plain data, so the editor's host can move a result it kept. */
export interface ShiftPlan {
  readonly file: string;
  /** In the old text: offsets, lines, and how far the statement moved (`changed`: its text changed, nothing in it moves). */
  readonly statements: readonly {
    readonly from: number;
    readonly to: number;
    readonly line: number;
    readonly endLine: number;
    readonly dLine: number;
    readonly dChar: number;
    readonly changed: boolean;
  }[];
  /** False when no statement moved: every value stays as it is. */
  readonly moves: boolean;
}

/**
 * `value` with every position in `plan.file` (an object with `file` and `line`, and `from`/`to` offsets when it has
 * them) moved with the unchanged statement that holds it; undefined when one lies in no unchanged statement.
 */
export function shiftPositions<T>(plan: ShiftPlan, value: T): T | undefined {
  if (!plan.moves) return value;
  const { file, statements } = plan;
  /** The unchanged statement holding offsets [from, to) of the old text, if any. */
  const statementAt = (from: number, to: number): number | undefined => {
    let lo = 0;
    let hi = statements.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (statements[mid]!.to < from) lo = mid + 1;
      else hi = mid;
    }
    const s = statements[lo];
    return s && s.from <= from && to <= s.to && !s.changed ? lo : undefined;
  };
  const statementAtLine = (line: number): number | undefined => {
    const i = statements.findIndex((s) => s.line <= line && line <= s.endLine);
    return i >= 0 && !statements[i]!.changed ? i : undefined;
  };
  let ok = true;
  const walk = (v: unknown): unknown => {
    if (!ok || typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map(walk);
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) out[k] = walk(o[k]);
    if (o['file'] !== file || typeof o['line'] !== 'number') return out;
    const hasOffsets = typeof o['from'] === 'number' && typeof o['to'] === 'number';
    const i = hasOffsets ? statementAt(o['from'] as number, o['to'] as number) : statementAtLine(o['line']);
    if (i === undefined) {
      ok = false;
      return out;
    }
    const { dLine, dChar } = statements[i]!;
    out['line'] = (o['line'] as number) + dLine;
    if (typeof o['endLine'] === 'number') out['endLine'] = o['endLine'] + dLine;
    if (hasOffsets) {
      out['from'] = (o['from'] as number) + dChar;
      out['to'] = (o['to'] as number) + dChar;
    }
    return out;
  };
  const result = walk(value) as T;
  return ok ? result : undefined;
}

function inert(s: StatementMemo): boolean {
  return !!s.effects?.inert;
}

/** How the statements moved from `before` to `after`, and which module names the edit made dirty; undefined reuses nothing. */
export function planReuse(file: string, before: readonly StatementMemo[], after: readonly StatementMemo[]): ReusePlan | undefined {
  if (before.length !== after.length) return undefined;
  const changed = new Set<number>();
  for (let i = 0; i < before.length; i++) if (before[i]!.text !== after[i]!.text) changed.add(i);
  const dirty = new Set<string>();
  for (const i of changed) {
    if (!inert(before[i]!) || !inert(after[i]!)) return undefined;
    for (const n of before[i]!.effects!.writes) dirty.add(n);
    for (const n of after[i]!.effects!.writes) dirty.add(n);
  }
  const readsDirty = (e: StatementEffects | undefined): boolean => !!e && (e.whole || [...e.reads].some((n) => dirty.has(n)));
  for (let grew = true; grew;) {
    grew = false;
    for (let i = 0; i < before.length; i++) {
      if (changed.has(i)) continue;
      const [b, a] = [before[i]!, after[i]!];
      if (!readsDirty(b.effects) && !readsDirty(a.effects)) continue;
      if (!inert(b) || !inert(a)) return undefined;
      for (const n of [...b.effects!.writes, ...a.effects!.writes]) {
        if (!dirty.has(n)) {
          dirty.add(n);
          grew = true;
        }
      }
    }
  }
  // Which statements bind each name, and what each read while the module ran (the code an entry may reach
  // without reading a name itself: a base class's methods, a default argument's helper).
  const writers = new Map<string, number[]>();
  after.forEach((s, i) => {
    for (const n of s.effects?.writes ?? []) writers.set(n, [...(writers.get(n) ?? []), i]);
  });
  const lineMoved = after.map((s, i) => s.line !== before[i]!.line || s.endLine - s.line !== before[i]!.endLine - before[i]!.line);
  const moved = after.some((s, i) => s.from !== before[i]!.from);

  const canReuse = (entry: EntryMemo): boolean => {
    if (entry.whole) return false;
    for (const n of entry.reads) if (dirty.has(n)) return false;
    // Every statement whose code the entry may have run kept its lines.
    const seen = new Set<number>();
    const queue = [...entry.reads];
    while (queue.length > 0) {
      for (const i of writers.get(queue.pop()!) ?? []) {
        if (seen.has(i)) continue;
        seen.add(i);
        if (lineMoved[i] || changed.has(i)) return false;
        const e = after[i]!.effects;
        if (e?.whole) return false;
        queue.push(...(e?.reads ?? []));
      }
    }
    return true;
  };

  const shiftPlan: ShiftPlan = {
    file,
    statements: before.map((s, i) => ({
      from: s.from,
      to: s.to,
      line: s.line,
      endLine: s.endLine,
      dLine: after[i]!.line - s.line,
      dChar: after[i]!.from - s.from,
      changed: changed.has(i),
    })),
    moves: moved || lineMoved.some(Boolean),
  };
  const shift = <T>(value: T): T | undefined => shiftPositions(shiftPlan, value);

  return { canReuse, shift, shiftPlan };
}
