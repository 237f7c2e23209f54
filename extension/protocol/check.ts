// The one validation kit every boundary uses (webview, renderer and profile-view messages, CLI reports,
// runtime payloads): own-key checks on plain objects, bounded numbers, strings and arrays, and messages
// that name the path of the first bad field (`report.layers[3].macs: expected a non-negative number`).
// Two styles over the same rules: `is*` predicates for message guards, and readers that return the value
// or throw `Invalid` (caught once by `parseJson`). Nothing here knows a message or payload type.

export type Fields = Record<string, unknown>;

/** A malformed value; its message starts with the path of the field. */
export class Invalid extends Error {}

export function fail(where: string, what: string): never {
  throw new Invalid(`${where}: ${what}`);
}

/** Keys that would reach an object's prototype if the data were ever merged into an object. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** An own property: `'toString' in {}` is true, `hasOwn({}, 'toString')` is not. */
export function hasOwn(x: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(x, key);
}

/** The value of an own property of a plain table, or undefined (never an inherited `toString`). */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return hasOwn(table, key) ? table[key] : undefined;
}

export function isRecord(x: unknown): x is Fields {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True when `x` has every required key, and no key outside required + optional. */
export function hasOnlyKeys(x: Fields, required: readonly string[], optional: readonly string[] = []): boolean {
  return required.every((k) => hasOwn(x, k)) && Object.keys(x).every((k) => required.includes(k) || optional.includes(k));
}

export function isString(x: unknown, maxChars: number): x is string {
  return typeof x === 'string' && x.length <= maxChars;
}

export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** A safe integer in [min, max]. */
export function isInt(x: unknown, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= min && x <= max;
}

/** A finite number in [min, max]. */
export function isNumberIn(x: unknown, min: number, max: number): x is number {
  return isFiniteNumber(x) && x >= min && x <= max;
}

/** An array of at most `max` items, each passing `item`. */
export function isArrayOf<T>(x: unknown, max: number, item: (v: unknown) => v is T): x is T[] {
  return Array.isArray(x) && x.length <= max && x.every((v) => item(v));
}

export function isOneOf<T extends string>(x: unknown, allowed: readonly T[]): x is T {
  return typeof x === 'string' && (allowed as readonly string[]).includes(x);
}

// ------------------------------------------------------------------ readers (throw Invalid)

/** A plain object (no class instance) without prototype-reaching keys; returns it for reading by key. */
export function record(v: unknown, where: string): Fields {
  if (!isRecord(v)) fail(where, 'expected an object');
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) fail(where, 'expected a plain object');
  for (const k of Object.keys(v)) if (FORBIDDEN_KEYS.has(k)) fail(where, `forbidden key ${JSON.stringify(k)}`);
  return v;
}

export function str(v: unknown, where: string, maxChars: number, nonEmpty = false): string {
  if (typeof v !== 'string') fail(where, 'expected a string');
  if (v.length > maxChars) fail(where, `string longer than ${maxChars} characters`);
  if (nonEmpty && v.length === 0) fail(where, 'expected a non-empty string');
  return v;
}

export function list(v: unknown, where: string, max: number): readonly unknown[] {
  if (!Array.isArray(v)) fail(where, 'expected an array');
  if (v.length > max) fail(where, `more than ${max} items`);
  return v;
}

/** A non-negative safe integer, at most `max`. */
export function count(v: unknown, where: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(where, 'expected a non-negative integer');
  if (v > max) fail(where, `expected at most ${max}`);
  return v;
}

/** A non-negative finite number (MACs/pixel is fractional; a convention may count half-MACs). */
export function amount(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(where, 'expected a non-negative number');
  return v;
}

export function nullable<T>(v: unknown, where: string, read: (v: unknown, where: string) => T): T | null {
  return v === null ? null : read(v, where);
}

export function oneOf<T extends string>(v: unknown, where: string, allowed: readonly T[]): T {
  if (!isOneOf(v, allowed)) fail(where, `expected one of ${allowed.join(', ')}`);
  return v;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Runs a reader over a value or its JSON text (refused beyond `maxChars` before parsing). Never throws
 * for bad input: a malformed field, bad JSON or JSON nested too deeply becomes `{ ok: false, error }`.
 */
export function parseJson<T>(json: unknown, label: string, maxChars: number, read: (value: unknown) => T): Parsed<T> {
  try {
    let value = json;
    if (typeof json === 'string') {
      if (json.length > maxChars) return { ok: false, error: `${label}: JSON text longer than ${maxChars} characters` };
      value = JSON.parse(json) as unknown;
    }
    return { ok: true, value: read(value) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    if (e instanceof SyntaxError) return { ok: false, error: `${label}: not JSON (${e.message})` };
    if (e instanceof RangeError) return { ok: false, error: `${label}: nested too deeply` };
    throw e;
  }
}
