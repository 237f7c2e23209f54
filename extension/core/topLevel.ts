// Splits a Python file into its top-level statements without parsing it, so an imported module can be
// evaluated lazily, one statement at a time, by the names the analysed code actually reads (binder.ts):
// `from torchvision.utils import _log_api_usage_once` then parses and runs one `def`, not the 600 lines
// around it. The scan only tracks what decides where a top-level statement starts: brackets, strings
// (with prefixes and triple quotes), comments and backslash continuations. A `def` or `class` (with its
// decorators) is named from its header and parsed only when it runs, and a `def`'s body only when it is
// first called (registries run every decorated def of a module; few are called); every other statement is
// small and is parsed at once to learn the names it binds. This file evaluates nothing.
import type { Expr, Stmt } from './ast';
import { astFromJson, astToJson } from './astJson';
import type { StoredSource } from './hostTypes';
import { computeLineStarts, onClearParseCache, parseDeferredDef, parseStatements } from './parse';

export interface TopStatement {
  readonly from: number;
  readonly to: number;
  /** The name a `def` or `class` binds (read from its header); undefined for every other statement. */
  readonly defines?: string;
}

const enum C {
  Newline = 10,
  Cr = 13,
  Space = 32,
  Tab = 9,
  FormFeed = 12,
  Hash = 35,
  Quote = 39,
  DQuote = 34,
  Backslash = 92,
  At = 64,
}

const OPEN = new Set([40, 91, 123]);
const CLOSE = new Set([41, 93, 125]);
/** A column-0 line starting with one of these continues the compound statement above it. */
const CONTINUATION = /^(?:else|elif|except|finally)\b/;
const DEFINITION = /^(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * The top-level statements of `text`, in order (blank and comment lines between them belong to the one
 * above). Undefined when the text ends inside a string or brackets: the caller then parses the whole file.
 */
export function splitTopLevel(text: string): TopStatement[] | undefined {
  const n = text.length;
  const starts: number[] = [];
  let depth = 0;
  let continued = false;
  let decoratorsOnly = false;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      if (depth === 0 && !continued) {
        let j = i;
        for (let c = text.charCodeAt(j); c === C.Space || c === C.Tab || c === C.FormFeed; c = text.charCodeAt(++j));
        const c = text.charCodeAt(j);
        const blank = j >= n || c === C.Newline || c === C.Cr || c === C.Hash;
        if (!blank && j === i) {
          if (decoratorsOnly) decoratorsOnly = c === C.At;
          else if (starts.length === 0 || !CONTINUATION.test(text.slice(i, i + 8))) {
            starts.push(i);
            decoratorsOnly = c === C.At;
          }
        }
      }
      continued = false;
    }
    const c = text.charCodeAt(i);
    if (c === C.Newline) {
      lineStart = true;
      i++;
    } else if (c === C.Hash) {
      while (i < n && text.charCodeAt(i) !== C.Newline) i++;
    } else if (c === C.Quote || c === C.DQuote) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === C.Backslash) {
      if (text.charCodeAt(i + 1) === C.Newline) continued = true;
      else if (text.charCodeAt(i + 1) === C.Cr && text.charCodeAt(i + 2) === C.Newline) {
        continued = true;
        i++;
      }
      i += 2;
      if (continued) lineStart = true;
    } else {
      if (OPEN.has(c)) depth++;
      else if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
      i++;
    }
  }
  if (depth !== 0) return undefined;
  return starts.map((from, k) => {
    const to = k + 1 < starts.length ? starts[k + 1]! : n;
    return { from, to, ...definitionName(text, from, to) };
  });
}

/** Offset just past the string literal whose opening quote is at `at`; -1 if it never ends. */
function stringEnd(text: string, at: number): number {
  const q = text.charCodeAt(at);
  const triple = text.charCodeAt(at + 1) === q && text.charCodeAt(at + 2) === q;
  let i = at + (triple ? 3 : 1);
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.Backslash) {
      i += 2;
      continue;
    }
    if (c === q) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q) return i + 3;
    } else if (c === C.Newline && !triple) return i; // an unterminated string ends at the line end (as the tokenizer reports it)
    i++;
  }
  return triple ? -1 : n;
}

/** For a `def`/`class` statement, the name it binds. */
function definitionName(text: string, from: number, to: number): { defines?: string } {
  const at = afterDecorators(text, from, to);
  const m = at < 0 ? null : DEFINITION.exec(text.slice(at, Math.min(to, at + 200)));
  return m ? { defines: m[1]! } : {};
}

/** Where the `def`/`class` line of the statement at `from` starts, past its decorators; -1 if they never end. */
function afterDecorators(text: string, from: number, to: number): number {
  let at = from;
  while (at < to && text.charCodeAt(at) === C.At) {
    // Skip the decorator up to the next column-0 line that is not another decorator's continuation.
    const next = nextColumnZeroLine(text, at, to);
    if (next < 0) return -1;
    at = next;
  }
  return at;
}

const FUNCTION = /^(?:async[ \t]+)?def[ \t]/;

/** Parses one statement splitTopLevel found; a `def`'s body is parsed when first read (the same AST parseStatements gives). */
export function parseTopStatement(text: string, st: TopStatement): Stmt[] {
  return deferredDef(text, st) ?? parseStatements(text, st.from, st.to);
}

/**
 * A top-level `def` whose body is indented on the lines after its header: the statement parsed header first,
 * its body when the function is first called (parse.ts parseDeferredDef). Undefined for anything else (a class,
 * a one-line `def f(): pass`, CRLF text): the caller parses it whole.
 */
function deferredDef(text: string, st: TopStatement): Stmt[] | undefined {
  const { from, to } = st;
  const at = afterDecorators(text, from, to);
  if (at < 0 || !FUNCTION.test(text.slice(at, at + 10)) || text.slice(from, to).includes('\r')) return undefined;
  // The header's colon: the first `:` outside brackets and strings (a lambda default or an annotation is inside the parentheses).
  let depth = 0;
  let i = at;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === C.Quote || c === C.DQuote) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      i = end - 1;
    } else if (c === C.Hash) {
      while (i < to && text.charCodeAt(i) !== C.Newline) i++;
    } else if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth--;
    else if (c === 58 && depth === 0) break;
  }
  const headerEnd = i + 1;
  // Only blanks and a comment may follow the colon on its line.
  const m = /^[ \t]*(?:#[^\n]*)?\n/.exec(text.slice(headerEnd, Math.min(to, headerEnd + 500)));
  if (i >= to || !m) return undefined;
  const bodyFrom = headerEnd + m[0].length;
  // The def's node ends just after its last line that holds code (blank and comment-only lines after it are not part of it).
  let end = bodyFrom;
  for (let lineStart = bodyFrom; lineStart < to;) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 || nl >= to ? to : nl;
    const line = text.slice(lineStart, lineEnd);
    if (!/^[ \t\f]*(?:#|$)/.test(line)) end = Math.min(to, lineStart + line.trimEnd().length + 1);
    lineStart = lineEnd + 1;
  }
  return parseDeferredDef(text, from, headerEnd, bodyFrom, end, to);
}

/** Start of the next line after `at` that begins in column 0 with code, outside brackets and strings. */
function nextColumnZeroLine(text: string, at: number, to: number): number {
  let depth = 0;
  let i = at;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === C.Newline) {
      i++;
      const d = text.charCodeAt(i);
      if (depth === 0 && i < to && d !== C.Space && d !== C.Tab && d !== C.Newline && d !== C.Cr && d !== C.Hash) return i;
    } else if (c === C.Hash) {
      while (i < to && text.charCodeAt(i) !== C.Newline) i++;
    } else if (c === C.Quote || c === C.DQuote) {
      const end = stringEnd(text, i);
      if (end < 0) return -1;
      i = end;
    } else if (c === C.Backslash) i += 2;
    else {
      if (OPEN.has(c)) depth++;
      else if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
      i++;
    }
  }
  return -1;
}

/** What running one top-level statement does to the module: the names it binds, or that it does more. */
export interface StatementEffect {
  readonly binds: readonly string[];
  /**
   * It mutates something (an attribute, an item, `del`, a call for its effect, `from m import *`, a
   * module-level `raise`...): a module with such a statement runs whole and in order, as before.
   */
  readonly other: boolean;
}

/** The names `stmts` (one top-level statement, parsed) bind at module level, and whether it does anything else. */
export function statementEffect(stmts: readonly Stmt[]): StatementEffect {
  const binds: string[] = [];
  let other = false;
  const target = (t: Expr): void => {
    if (t.kind === 'name') binds.push(t.id);
    else if (t.kind === 'tuple' || t.kind === 'list') for (const e of t.elts) target(e);
    else if (t.kind === 'starred') target(t.value);
    else other = true;
  };
  const walk = (list: readonly Stmt[]): void => {
    for (const s of list) {
      switch (s.kind) {
        case 'def':
        case 'class':
          binds.push(s.name);
          break;
        case 'import':
          for (const { module, asname } of s.names) binds.push(asname ?? module.split('.')[0]!);
          break;
        case 'importfrom':
          if (s.names === '*') other = true;
          else for (const { name, asname } of s.names) binds.push(asname ?? name);
          break;
        case 'assign':
          for (const t of s.targets) target(t);
          break;
        case 'annassign':
          if (s.value) target(s.target);
          break;
        case 'augassign':
          if (s.target.kind === 'name') binds.push(s.target.id);
          else other = true;
          break;
        case 'expr':
          // A docstring does nothing; any other expression is run for its effect.
          if (s.value.kind !== 'str') other = true;
          break;
        case 'pass':
          break;
        case 'if':
          if (isMainGuard(s.test)) break; // never true in an imported module
          walk(s.body);
          walk(s.orelse);
          break;
        case 'try':
          walk(s.body);
          for (const h of s.handlers) {
            if (h.name) binds.push(h.name);
            walk(h.body);
          }
          walk(s.orelse);
          walk(s.finalbody);
          break;
        case 'for':
          target(s.target);
          walk(s.body);
          walk(s.orelse);
          break;
        default:
          other = true;
      }
    }
  };
  walk(stmts);
  return { binds, other };
}

/** `__name__ == '__main__'` (either order). */
function isMainGuard(e: Expr): boolean {
  if (e.kind !== 'compare' || e.ops.length !== 1 || e.ops[0] !== '==') return false;
  const [a, b] = e.operands;
  const isName = (x: Expr | undefined) => x?.kind === 'name' && x.id === '__name__';
  const isMain = (x: Expr | undefined) => x?.kind === 'str' && x.value === '__main__';
  return (isName(a) && isMain(b)) || (isName(b) && isMain(a));
}

/**
 * A file prepared for lazy evaluation: its top-level statements, the names each binds, and each one's AST
 * once parsed. Undefined when the file must run whole (a statement does more than bind names, a name is
 * bound by a `from m import *`, or the split failed). Shared by every session and job (the AST is never mutated).
 */
export interface LazySource {
  readonly statements: readonly TopStatement[];
  /** Per statement: the names it binds. */
  readonly binds: readonly (readonly string[])[];
  /**
   * The decorated `def`s and `class`es: a decorator runs when the module is imported and may do more than
   * bind the name (a registry's `@register_model` fills a dict that `get_model(name)` later reads).
   */
  readonly decorated: readonly number[];
  readonly lineStarts: number[];
  /** The statement's AST, parsed on first use. */
  body(index: number): Stmt[];
}

/** A LazySource with what a host may keep of it between runs. */
interface KeptSource extends LazySource {
  /** What to store; undefined when nothing was parsed since it was restored. */
  toStore(): StoredSource | undefined;
}

const lazySources = new Map<string, KeptSource | null>();
const LAZY_SOURCES_MAX = 256;
/** Texts known to run whole because a host said so (restoreLazySource): nothing new to store for them. */
const storedWhole = new Set<string>();
onClearParseCache(() => {
  lazySources.clear();
  storedWhole.clear();
});

export function lazySource(text: string): LazySource | undefined {
  const hit = lazySources.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const made = makeLazySource(text);
  remember(text, made ?? null);
  return made;
}

function remember(text: string, source: KeptSource | null): void {
  lazySources.delete(text);
  lazySources.set(text, source);
  if (lazySources.size > LAZY_SOURCES_MAX) lazySources.delete(lazySources.keys().next().value!);
}

/**
 * Version of the stored form: a change to what parse.ts or this file produce must change it (a host also keys
 * its store by its own build, which covers both).
 */
export const STORED_SOURCE_FORMAT = 1;

/**
 * Takes what a host kept of `text`'s lazy parse (storedToLazy's output in an earlier run), so the statements parsed
 * then are read from their JSON instead of parsed. Ignored, with false, unless it is for exactly this text and this
 * format and well formed; a statement whose JSON does not read is parsed from the text when used.
 */
export function restoreLazySource(text: string, stored: StoredSource): boolean {
  if (lazySources.get(text) !== undefined || !isStoredFor(text, stored)) return false;
  if (stored.statements) remember(text, makeLazySource(text, stored) ?? null);
  else {
    remember(text, null);
    storedWhole.add(text);
  }
  return true;
}

/** What a host may keep of `text`'s lazy parse after a run: undefined when that would not differ from what it has. */
export function lazySourceToStore(text: string): StoredSource | undefined {
  const source = lazySources.get(text);
  if (source === undefined || (source === null && storedWhole.has(text))) return undefined;
  return source
    ? source.toStore()
    : { format: STORED_SOURCE_FORMAT, text, statements: null, lineStarts: [], binds: [], asts: [], bodies: [] };
}

function isStoredFor(text: string, stored: StoredSource): boolean {
  if (stored.format !== STORED_SOURCE_FORMAT || stored.text !== text) return false;
  const { statements, binds, asts, bodies, lineStarts } = stored;
  if (statements === null) return true;
  const n = statements.length;
  if (!Array.isArray(statements) || binds.length !== n || asts.length !== n || bodies.length !== n || !Array.isArray(lineStarts))
    return false;
  let last = 0;
  for (const [k, st] of statements.entries()) {
    const { from, to, defines } = st;
    if (!(Number.isInteger(from) && Number.isInteger(to) && from >= last && to > from && to <= text.length)) return false;
    if (defines !== undefined && typeof defines !== 'string') return false;
    const names = binds[k];
    if (!Array.isArray(names) || !names.every((x) => typeof x === 'string')) return false;
    const json = [asts[k], bodies[k]];
    if (!json.every((x) => x === null || typeof x === 'string')) return false;
    last = to;
  }
  return lineStarts.every((x) => Number.isInteger(x));
}

function makeLazySource(text: string, stored?: StoredSource): KeptSource | undefined {
  const statements = stored?.statements ?? splitTopLevel(text);
  if (!statements) return undefined;
  const bodies: (Stmt[] | undefined)[] = [];
  // Per statement, the JSON of its AST and of a lone def's body: what was restored, else what this run parsed.
  const asts: (string | null)[] = stored ? [...stored.asts] : [];
  const defBodies: (string | null)[] = stored ? [...stored.bodies] : [];
  const parsedNow: Stmt[][] = [];
  const bodiesNow: Stmt[][] = [];
  let binds: readonly (readonly string[])[] = stored?.binds ?? [];
  if (!stored) {
    const found: string[][] = [];
    binds = found;
    for (const [k, st] of statements.entries()) {
      if (st.defines !== undefined) {
        found.push([st.defines]);
        continue;
      }
      const body = parseStatements(text, st.from, st.to);
      const effect = statementEffect(body);
      if (effect.other) return undefined;
      bodies[k] = parsedNow[k] = body;
      found.push([...effect.binds]);
    }
  }
  /** Statement k: from its stored JSON if it reads, else parsed; a lone def's body is kept apart (parsed when first called). */
  const load = (k: number): Stmt[] => {
    const st = statements[k]!;
    let bodyGot: Stmt[] | undefined;
    const storedBody = (): Stmt[] | undefined => {
      const json = defBodies[k];
      if (json == null) return undefined;
      try {
        return astFromJson(json);
      } catch {
        return undefined;
      }
    };
    const json = asts[k];
    if (json != null) {
      try {
        const restored = astFromJson(json, {
          get: () => (bodyGot ??= storedBody() ?? (bodiesNow[k] = parsedBody(text, st))),
        });
        return restored;
      } catch {
        // parsed below
      }
    }
    const parsed = parseTopStatement(text, st);
    parsedNow[k] = parsed;
    const def = parsed.length === 1 && parsed[0]!.kind === 'def' ? parsed[0] : undefined;
    if (!def) return parsed;
    // The def's body is noted when first converted, so it can be stored on its own.
    const inner = def.body;
    return [{ ...def, body: { get: () => (bodyGot ??= bodiesNow[k] = inner.get()) } }];
  };
  const lineStarts = stored ? [...stored.lineStarts] : computeLineStarts(text);
  return {
    statements,
    binds,
    decorated: [...statements.keys()].filter((k) => text.charCodeAt(statements[k]!.from) === C.At),
    lineStarts,
    body: (k) => (bodies[k] ??= load(k)),
    toStore: () => {
      let changed = !stored;
      for (const [k, stmts] of parsedNow.entries()) {
        if (!stmts) continue;
        const def = stmts.length === 1 && stmts[0]!.kind === 'def' ? stmts[0] : undefined;
        asts[k] = astToJson(stmts, def) ?? null;
        changed = true;
      }
      for (const [k, body] of bodiesNow.entries()) {
        if (!body) continue;
        defBodies[k] = astToJson(body) ?? null;
        changed = true;
      }
      parsedNow.length = 0;
      bodiesNow.length = 0;
      if (!changed) return undefined;
      const n = statements.length;
      return {
        format: STORED_SOURCE_FORMAT,
        text,
        statements,
        binds,
        lineStarts,
        asts: Array.from({ length: n }, (_, k) => asts[k] ?? null),
        bodies: Array.from({ length: n }, (_, k) => defBodies[k] ?? null),
      };
    },
  };
}

/** The body of the lone def statement `st` is, parsed from the text (its stored form was missing or did not read). */
function parsedBody(text: string, st: TopStatement): Stmt[] {
  const def = parseTopStatement(text, st)[0];
  return def?.kind === 'def' ? def.body.get() : [];
}
