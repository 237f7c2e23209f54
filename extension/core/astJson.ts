// The AST (ast.ts) as JSON text and back, for a host that keeps parses between runs (storedSource.ts).
// The only thing JSON cannot hold is a lazy function body: when written, each `def`'s body is converted
// and written inline (except the one body the caller keeps apart, written as 0); when read, it becomes a
// LazyBody again. A number JSON would change (Infinity, NaN, -0) makes the statement not storable: it is
// parsed from the source instead. This file does no I/O and parses no Python.
import type { LazyBody, Stmt } from './ast';

/** The AST of `stmts` as JSON; `apart` (a def among them) gets 0 for its body. Undefined when JSON cannot hold it exactly. */
export function astToJson(stmts: readonly Stmt[], apart?: Stmt): string | undefined {
  try {
    return JSON.stringify(stmts, function (this: unknown, _key: string, v: unknown) {
      if (typeof v === 'number') {
        if (!Number.isFinite(v) || Object.is(v, -0)) throw new Unstorable();
        return v;
      }
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Partial<LazyBody>).get === 'function') {
        return this === apart ? 0 : (v as LazyBody).get();
      }
      return v;
    });
  } catch (e) {
    if (e instanceof Unstorable) return undefined;
    throw e;
  }
}

class Unstorable extends Error {}

/**
 * Statements read back from astToJson's text, with lazy bodies again; a body written as 0 reads `apartBody`.
 * Throws on text that is not JSON (the caller parses the source instead).
 */
export function astFromJson(json: string, apartBody?: LazyBody): Stmt[] {
  return revive(JSON.parse(json) as Stmt[], apartBody);
}

/**
 * Gives every `def` in `stmts` (at any depth of statements) a LazyBody again, at once, so text of the wrong shape
 * fails here and not in the middle of an analysis. Expressions hold no statements.
 */
function revive(stmts: Stmt[], apartBody?: LazyBody): Stmt[] {
  for (const s of stmts) {
    switch (s.kind) {
      case 'def': {
        const written = s.body as unknown;
        if (written === 0 && apartBody) (s as { body: LazyBody }).body = apartBody;
        else if (!Array.isArray(written)) throw new Error('a stored def without its body');
        else {
          const body = revive(written as Stmt[]);
          (s as { body: LazyBody }).body = { get: () => body };
        }
        break;
      }
      case 'class':
      case 'with':
        revive(s.body);
        break;
      case 'if':
      case 'for':
      case 'while':
        revive(s.body);
        revive(s.orelse);
        break;
      case 'try':
        revive(s.body);
        for (const h of s.handlers) revive(h.body);
        revive(s.orelse);
        revive(s.finalbody);
        break;
      default:
    }
  }
  return stmts;
}
