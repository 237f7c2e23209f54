// How a value from the analysed code is quoted in a message (a diagnostic, a CLI error, a hover). The
// value may come from any file the model imports, a config module holding a key among them, and
// messages travel further than the numbers (notebook outputs, CI logs). So a string is shown only when
// it is an identifier-like token, which a name or a mode such as 'same' or 'zeros' is; any other string
// is shown as its type and length. It does not decide what a message says, only how a value appears.
import type { JsonValue } from './resultTypes';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** True when `s` may appear in a message as it is. */
export function isShowableToken(s: string): boolean {
  return IDENTIFIER.test(s);
}

/** A string for a message: quoted with `quote` when identifier-like, else `a str of N characters`. */
export function shownString(s: string, quote: (s: string) => string = JSON.stringify): string {
  return isShowableToken(s) ? quote(s) : `a str of ${[...s].length} characters`;
}

/** A JSON-safe argument value for a message: numbers and booleans as they are, strings per shownString, arrays item by item (at most 8). */
export function shownValue(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return shownString(v);
  if (Array.isArray(v)) return `[${v.slice(0, 8).map(shownValue).join(', ')}${v.length > 8 ? ', …' : ''}]`;
  if (v !== null && typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}
