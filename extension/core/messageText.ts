// How a value from the analysed code is quoted in a message (a diagnostic, a CLI error, a hover). The
// value may come from any file the model imports, a config module holding a key among them, and
// messages travel further than the numbers (notebook outputs, CI logs). So a string is shown only when
// it is an identifier-like token, which a name or a mode such as 'same' or 'zeros' is; any other string
// is shown as its type and length. It does not decide what a message says, only how a value appears.
// The same rule covers the data a result carries: module names in layer paths (add_module, setattr,
// ModuleDict keys), parameter names, and string hyperparameters and functional arguments (hiddenNames,
// shownJson), applied where the module tree is built (tree.ts) and where a profile is returned.
import type { JsonValue } from './resultTypes';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SEQUENTIAL_INDEX = /^(0|[1-9][0-9]{0,8})$/;
/** torch's own choices that are not identifiers (F.interpolate's mode). */
const TORCH_CHOICES: ReadonlySet<string> = new Set(['nearest-exact']);

/** True when `s` may appear in a message as it is. */
export function isShowableToken(s: string): boolean {
  return IDENTIFIER.test(s) || TORCH_CHOICES.has(s);
}

/** A string for a message in Python's quotes when identifier-like (`'weight'`), else `a str of N characters`. */
export function quotedToken(s: string): string {
  return shownString(s, (x) => `'${x}'`);
}

/** A module or parameter name for a message: a Sequential index (`'1'`) too, else as quotedToken. */
export function quotedName(s: string): string {
  return SEQUENTIAL_INDEX.test(s) ? `'${s}'` : quotedToken(s);
}

/** A string as data (a hyperparameter, a functional argument): itself when showable, else `<a str of N characters>`. */
export function shownText(s: string): string {
  return isShowableToken(s) ? s : `<${shownString(s)}>`;
}

/** A JSON value as data: strings per shownText, arrays and objects item by item (an object's keys too). */
export function shownJson(v: JsonValue): JsonValue {
  if (typeof v === 'string') return shownText(v);
  if (Array.isArray(v)) return v.map(shownJson);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [shownText(k), shownJson(x)]));
  return v;
}

/**
 * Names for a layer path or a parameter: an identifier or a Sequential index (`0`, `12`) as it is; any
 * other name (add_module and setattr take any string without a dot) as `<hidden name N>`, numbered in
 * the order first seen, so one result's paths stay distinct and the same name reads the same everywhere.
 */
export function hiddenNames(): (name: string) => string {
  const seen = new Map<string, string>();
  return (name) => {
    if (IDENTIFIER.test(name) || SEQUENTIAL_INDEX.test(name)) return name;
    let token = seen.get(name);
    if (token === undefined) seen.set(name, (token = `<hidden name ${seen.size + 1}>`));
    return token;
  };
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
