// Wraps @lezer/python: parses source text and converts the concrete tree into the typed AST of
// ast.ts. The Lezer node names live here and nowhere else. Lezer recovers from syntax errors; error
// nodes become `bad` AST nodes plus a diagnostic, so a half-typed line never stops the analysis.
// This file does not evaluate anything.
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { lezerText } from './lezerText';
import type { Arg, CompFor, DictEntry, ExceptHandler, Expr, FStringPart, LazyBody, Param, Stmt } from './ast';

// Lezer node names (the grammar's terms), kept as constants in this file only.
const N = {
  Script: 'Script',
  Body: 'Body',
  Error: '⚠',
  Comment: 'Comment',
  ExpressionStatement: 'ExpressionStatement',
  AssignStatement: 'AssignStatement',
  UpdateStatement: 'UpdateStatement',
  IfStatement: 'IfStatement',
  ForStatement: 'ForStatement',
  WhileStatement: 'WhileStatement',
  ReturnStatement: 'ReturnStatement',
  PassStatement: 'PassStatement',
  BreakStatement: 'BreakStatement',
  ContinueStatement: 'ContinueStatement',
  RaiseStatement: 'RaiseStatement',
  AssertStatement: 'AssertStatement',
  DeleteStatement: 'DeleteStatement',
  ScopeStatement: 'ScopeStatement',
  ImportStatement: 'ImportStatement',
  FunctionDefinition: 'FunctionDefinition',
  ClassDefinition: 'ClassDefinition',
  DecoratedStatement: 'DecoratedStatement',
  Decorator: 'Decorator',
  TryStatement: 'TryStatement',
  WithStatement: 'WithStatement',
  StatementGroup: 'StatementGroup',
  PrintStatement: 'PrintStatement',
  TypeDef: 'TypeDef',
  ParamList: 'ParamList',
  ArgList: 'ArgList',
  VariableName: 'VariableName',
  PropertyName: 'PropertyName',
  Number: 'Number',
  String: 'String',
  FormatString: 'FormatString',
  ContinuedString: 'ContinuedString',
  None: 'None',
  Boolean: 'Boolean',
  Ellipsis: 'Ellipsis',
  MemberExpression: 'MemberExpression',
  CallExpression: 'CallExpression',
  BinaryExpression: 'BinaryExpression',
  UnaryExpression: 'UnaryExpression',
  ConditionalExpression: 'ConditionalExpression',
  LambdaExpression: 'LambdaExpression',
  ParenthesizedExpression: 'ParenthesizedExpression',
  TupleExpression: 'TupleExpression',
  ArrayExpression: 'ArrayExpression',
  SetExpression: 'SetExpression',
  DictionaryExpression: 'DictionaryExpression',
  ArrayComprehensionExpression: 'ArrayComprehensionExpression',
  SetComprehensionExpression: 'SetComprehensionExpression',
  DictionaryComprehensionExpression: 'DictionaryComprehensionExpression',
  ComprehensionExpression: 'ComprehensionExpression',
  NamedExpression: 'NamedExpression',
  AwaitExpression: 'AwaitExpression',
  YieldExpression: 'YieldExpression',
  YieldStatement: 'YieldStatement',
  MatchStatement: 'MatchStatement',
  TypeDefinition: 'TypeDefinition',
} as const;

/** Deeper nesting than this is reported, not converted (it would only exhaust the JS stack). */
const MAX_NESTING = 200;

const PUNCT = new Set([',', '(', ')', '[', ']', '{', '}', ':', ';', '.', 'AssignOp', N.Comment]);

export interface ParseError {
  from: number;
  to: number;
  message: string;
}

export interface ParsedModule {
  readonly text: string;
  readonly body: Stmt[];
  readonly errors: ParseError[];
  /** Offsets of line starts, for offset → line/column. */
  readonly lineStarts: number[];
}

// Recently parsed sources. An editor profiles every entry of a file (and re-reads the same imported
// files) in separate sessions over one text; parsing is most of each session's cost on a large file.
// Sharing is safe because nothing mutates the AST after conversion (lazy bodies only fill themselves in).
// Bounded by entries and by the text they hold (a worker keeps them across jobs).
const recentParses = new Map<string, ParsedModule>();
const RECENT_PARSES_MAX = 64;
const RECENT_PARSES_MAX_CHARS = 16 << 20;
let recentChars = 0;

/** Parses Python source into the AST. Never throws on bad input. Same text → the same (shared) result. */
export function parseModule(text: string): ParsedModule {
  const hit = recentParses.get(text);
  if (hit) {
    // Move to the back: the map's insertion order is the eviction order.
    recentParses.delete(text);
    recentParses.set(text, hit);
    return hit;
  }
  const tree = parser.parse(lezerText(text));
  const conv = new Converter(text);
  const body = conv.stmts(tree.topNode);
  const parsed: ParsedModule = { text, body, errors: syntaxErrors(tree.topNode), lineStarts: computeLineStarts(text) };
  recentParses.set(text, parsed);
  recentChars += text.length;
  while (recentParses.size > RECENT_PARSES_MAX || (recentChars > RECENT_PARSES_MAX_CHARS && recentParses.size > 1)) {
    const oldest = recentParses.keys().next().value!;
    recentChars -= oldest.length;
    recentParses.delete(oldest);
  }
  return parsed;
}

/** Forgets the recent parses (benchmarks measure cold analyses with it). */
export function clearParseCache(): void {
  recentParses.clear();
  recentChars = 0;
  for (const f of clearHooks) f();
}

const clearHooks: (() => void)[] = [];
/** Other caches of parse results (topLevel.ts) that clearParseCache empties too. */
export function onClearParseCache(f: () => void): void {
  clearHooks.push(f);
}

/**
 * Parses the statements in [from, to) of `text` alone (a range splitTopLevel found), with the file's own
 * offsets: the slice is parsed and converted by itself, then every position in the result (and in function
 * bodies as they are converted) moves by `from`. Syntax errors in the range are dropped (imported files
 * report none).
 */
export function parseStatements(text: string, from: number, to: number): Stmt[] {
  return parseSlice(text.slice(from, to), from);
}

/** Parses `slice` alone and moves every position in the result by `delta`. */
function parseSlice(slice: string, delta: number): Stmt[] {
  const body = new Converter(slice).stmts(parser.parse(lezerText(slice)).topNode);
  if (delta !== 0) shiftPositions(body, delta, new WeakSet());
  return body;
}

/**
 * A top-level `def` in [from, to) (topLevel.ts found it), parsed header first: [from, headerEnd) is its
 * decorators and header up to and including the colon, [bodyFrom, to) its indented body, which is parsed
 * only when the function is first called, so a module's functions that never run cost no parsing beyond
 * their headers. `end` is where the def's node ends (after its last line of code). Gives the AST
 * parseStatements gives; undefined when the header alone does not read as one def (the caller parses it whole).
 */
export function parseDeferredDef(
  text: string,
  from: number,
  headerEnd: number,
  bodyFrom: number,
  end: number,
  to: number,
): Stmt[] | undefined {
  const stmts = parseSlice(`${text.slice(from, headerEnd)} pass\n`, from);
  const def = stmts[0];
  if (stmts.length !== 1 || def?.kind !== 'def') return undefined;
  const prefix = 'if 1:\n';
  let body: Stmt[] | undefined;
  const parseBody = (): Stmt[] => {
    // The body under an `if` header, so its indentation parses as a block; positions move back by the header's length.
    const wrapped = parseSlice(prefix + text.slice(bodyFrom, to), bodyFrom - prefix.length);
    const block = wrapped[0];
    if (wrapped.length === 1 && block?.kind === 'if') return block.body;
    const whole = parseStatements(text, from, to)[0];
    return whole?.kind === 'def' ? whole.body.get() : [];
  };
  return [{ ...def, body: { get: () => (body ??= parseBody()) }, to: end }];
}

const POSITION_KEYS = new Set(['from', 'to', 'nameFrom']);

/** Adds `delta` to every position in an AST built over a slice; a lazy body shifts its statements when first converted. */
function shiftPositions(node: unknown, delta: number, seen: WeakSet<object>): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const x of node) shiftPositions(x, delta, seen);
    return;
  }
  const obj = node as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (POSITION_KEYS.has(key) && typeof v === 'number') obj[key] = v + delta;
    else if (key === 'body' && isLazyBody(v)) {
      const convert = v.get;
      let done = false;
      v.get = () => {
        const stmts = convert();
        if (!done) {
          done = true;
          shiftPositions(stmts, delta, new WeakSet());
        }
        return stmts;
      };
    } else shiftPositions(v, delta, seen);
  }
}

function isLazyBody(v: unknown): v is LazyBody {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { get?: unknown }).get === 'function';
}

/** Parses one expression (an entry such as `resnet18(weights=None)`). */
export function parseExpression(text: string): { expr: Expr; errors: ParseError[] } {
  const tree = parser.parse(lezerText(text));
  const conv = new Converter(text);
  const top = tree.topNode;
  const first = top.firstChild;
  if (!first || first.name !== N.ExpressionStatement || first.nextSibling) {
    return {
      expr: { kind: 'bad', reason: 'not a single expression', from: 0, to: text.length },
      errors: [{ from: 0, to: text.length, message: 'expected one Python expression' }],
    };
  }
  const expr = conv.exprList(children(first), first);
  return { expr, errors: syntaxErrors(top) };
}

/**
 * Every error node Lezer's recovery inserted (one walk of the tree): the syntax errors to report.
 * Neighbouring error nodes are merged so one typo gives one diagnostic.
 */
function syntaxErrors(top: SyntaxNode): ParseError[] {
  const out: ParseError[] = [];
  const cursor = top.cursor();
  do {
    if (!cursor.type.isError) continue;
    const last = out[out.length - 1];
    if (last && cursor.from <= last.to + 1) last.to = Math.max(last.to, cursor.to, cursor.from + 1);
    else out.push({ from: cursor.from, to: Math.max(cursor.to, cursor.from + 1), message: 'syntax error' });
  } while (cursor.next());
  return out.slice(0, 200);
}

/** Bare Lezer parse, for benchmarks (what the analysis is compared against). */
export function bareParse(text: string): number {
  return parser.parse(text).length;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name !== N.Comment) out.push(c);
  }
  return out;
}

class Converter {
  constructor(private readonly text: string) {}

  private src(n: { from: number; to: number }): string {
    return this.text.slice(n.from, n.to);
  }

  private bad(n: { from: number; to: number }, reason: string): Expr & Stmt {
    return { kind: 'bad', reason, from: n.from, to: n.to } as Expr & Stmt;
  }

  // ---------------------------------------------------------------- statements

  stmts(parent: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of children(parent)) {
      if (c.name === ':' || c.name === N.Comment) continue;
      if (c.name === N.StatementGroup) {
        out.push(...this.stmts(c));
        continue;
      }
      if (c.type.isError) continue; // reported by syntaxErrors()
      if (c.name === ';') continue;
      out.push(this.stmt(c));
    }
    return out;
  }

  private stmt(n: SyntaxNode): Stmt {
    if (this.depth > MAX_NESTING) return this.bad(n, `statement nested more than ${MAX_NESTING} levels deep`);
    this.depth++;
    try {
      return this.stmtInner(n);
    } catch (e) {
      // A tree shape this converter does not expect (most often inside an error-recovered region).
      return this.bad(n, `unsupported syntax: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.depth--;
    }
  }

  private stmtInner(n: SyntaxNode): Stmt {
    const span = { from: n.from, to: n.to };
    const kids = children(n);
    switch (n.name) {
      case N.ExpressionStatement:
        return { kind: 'expr', value: this.exprList(kids, n), ...span };
      case N.AssignStatement:
        return this.assign(n, kids);
      case N.UpdateStatement: {
        const opIdx = kids.findIndex((k) => k.name === 'UpdateOp');
        if (opIdx < 0) return this.bad(n, 'malformed augmented assignment');
        const op = this.src(kids[opIdx]!).slice(0, -1);
        return {
          kind: 'augassign',
          target: this.exprList(kids.slice(0, opIdx), n),
          op,
          value: this.exprList(kids.slice(opIdx + 1), n),
          ...span,
        };
      }
      case N.IfStatement:
        return this.ifStmt(kids, 0, span);
      case N.ForStatement: {
        const inIdx = kids.findIndex((k) => k.name === 'in');
        const bodies = kids.filter((k) => k.name === N.Body);
        const bodyIdx = kids.indexOf(bodies[0]!);
        if (inIdx < 0 || bodyIdx < 0) return this.bad(n, 'malformed for statement');
        const start = kids[0]!.name === 'async' ? 2 : 1;
        return {
          kind: 'for',
          target: this.exprList(kids.slice(start, inIdx), n),
          iter: this.exprList(kids.slice(inIdx + 1, bodyIdx), n),
          body: this.stmts(bodies[0]!),
          orelse: bodies[1] ? this.stmts(bodies[1]) : [],
          ...span,
        };
      }
      case N.WhileStatement: {
        const bodies = kids.filter((k) => k.name === N.Body);
        if (!bodies[0]) return this.bad(n, 'malformed while statement');
        return {
          kind: 'while',
          test: this.exprList(kids.slice(1, kids.indexOf(bodies[0])), n),
          body: this.stmts(bodies[0]),
          orelse: bodies[1] ? this.stmts(bodies[1]) : [],
          ...span,
        };
      }
      case N.ReturnStatement:
        return { kind: 'return', ...(kids.length > 1 ? { value: this.exprList(kids.slice(1), n) } : {}), ...span };
      case N.PassStatement:
        return { kind: 'pass', ...span };
      case N.BreakStatement:
        return { kind: 'break', ...span };
      case N.ContinueStatement:
        return { kind: 'continue', ...span };
      case N.RaiseStatement: {
        const fromIdx = kids.findIndex((k) => k.name === 'from');
        const end = fromIdx < 0 ? kids.length : fromIdx;
        return { kind: 'raise', ...(end > 1 ? { exc: this.exprList(kids.slice(1, end), n) } : {}), ...span };
      }
      case N.AssertStatement: {
        const parts = splitComma(kids.slice(1));
        return {
          kind: 'assert',
          test: this.exprList(parts[0] ?? [], n),
          ...(parts[1] ? { msg: this.exprList(parts[1], n) } : {}),
          ...span,
        };
      }
      case N.DeleteStatement:
        return { kind: 'del', targets: splitComma(kids.slice(1)).map((p) => this.exprList(p, n)), ...span };
      case N.ScopeStatement:
        return {
          kind: 'scope',
          which: kids[0]!.name === 'global' ? 'global' : 'nonlocal',
          names: kids.filter((k) => k.name === N.VariableName).map((k) => this.src(k)),
          ...span,
        };
      case N.ImportStatement:
        return this.importStmt(kids, span);
      case N.FunctionDefinition:
        return this.funcDef(n, kids, []);
      case N.ClassDefinition:
        return this.classDef(n, kids, []);
      case N.DecoratedStatement: {
        const decorators = kids.filter((k) => k.name === N.Decorator).map((d) => this.decorator(d));
        const target = kids.find((k) => k.name === N.FunctionDefinition || k.name === N.ClassDefinition);
        if (!target) return this.bad(n, 'decorator without a definition');
        const def =
          target.name === N.FunctionDefinition
            ? this.funcDef(target, children(target), decorators)
            : this.classDef(target, children(target), decorators);
        return { ...def, from: n.from };
      }
      case N.TryStatement:
        return this.tryStmt(kids, span);
      case N.WithStatement: {
        const body = kids.find((k) => k.name === N.Body);
        const items: { ctx: Expr; target?: Expr }[] = [];
        const head = kids.slice(kids[0]!.name === 'async' ? 2 : 1, body ? kids.indexOf(body) : kids.length);
        for (const part of splitComma(head)) {
          const asIdx = part.findIndex((k) => k.name === 'as');
          if (asIdx < 0) items.push({ ctx: this.exprList(part, n) });
          else items.push({ ctx: this.exprList(part.slice(0, asIdx), n), target: this.exprList(part.slice(asIdx + 1), n) });
        }
        return { kind: 'with', items, body: body ? this.stmts(body) : [], ...span };
      }
      case N.PrintStatement:
      case N.YieldStatement:
      case N.MatchStatement:
      case N.TypeDefinition:
        return this.bad(n, `'${this.src(n).split(/\s/)[0]}' statements are not interpreted`);
      default:
        return this.bad(n, n.type.isError ? 'syntax error' : `unsupported statement ${n.name}`);
    }
  }

  private assign(n: SyntaxNode, kids: SyntaxNode[]): Stmt {
    const span = { from: n.from, to: n.to };
    // Chained targets: `a = b = value`; an annotation: `x: int = 5` (TypeDef child).
    const groups: SyntaxNode[][] = [[]];
    let annotated = false;
    for (const k of kids) {
      if (k.name === 'AssignOp') groups.push([]);
      else if (k.name === N.TypeDef) annotated = true;
      else groups[groups.length - 1]!.push(k);
    }
    if (groups.length === 1) {
      // `x: int` with no value.
      return { kind: 'annassign', target: this.exprList(groups[0]!, n), ...span };
    }
    const value = this.exprList(groups[groups.length - 1]!, n);
    const targets = groups.slice(0, -1).map((g) => this.exprList(g, n));
    if (annotated && targets.length === 1) return { kind: 'annassign', target: targets[0]!, value, ...span };
    return { kind: 'assign', targets, value, ...span };
  }

  private ifStmt(kids: SyntaxNode[], start: number, span: { from: number; to: number }): Stmt {
    // kids: if test Body (elif test Body)* (else Body)?
    let i = start + 1;
    const testNodes: SyntaxNode[] = [];
    while (i < kids.length && kids[i]!.name !== N.Body) testNodes.push(kids[i++]!);
    const bodyNode = kids[i];
    const body = bodyNode ? this.stmts(bodyNode) : [];
    const test = this.exprList(testNodes, span);
    i++;
    let orelse: Stmt[] = [];
    if (i < kids.length) {
      if (kids[i]!.name === 'elif') orelse = [this.ifStmt(kids, i, { from: kids[i]!.from, to: span.to })];
      else if (kids[i]!.name === 'else' && kids[i + 1]) orelse = this.stmts(kids[i + 1]!);
    }
    return { kind: 'if', test, body, orelse, ...span };
  }

  private importStmt(kids: SyntaxNode[], span: { from: number; to: number }): Stmt {
    if (kids[0]!.name === 'import') {
      const names: { module: string; asname?: string }[] = [];
      for (const part of splitComma(kids.slice(1))) {
        const asIdx = part.findIndex((k) => k.name === 'as');
        const modParts = (asIdx < 0 ? part : part.slice(0, asIdx)).filter((k) => k.name === N.VariableName).map((k) => this.src(k));
        const asname = asIdx < 0 ? undefined : this.src(part[asIdx + 1]!);
        names.push({ module: modParts.join('.'), ...(asname ? { asname } : {}) });
      }
      return { kind: 'import', names, ...span };
    }
    // from ..a.b import x as y, z  |  from . import x  |  from a import *
    const importIdx = kids.findIndex((k) => k.name === 'import');
    let level = 0;
    const modParts: string[] = [];
    for (const k of kids.slice(1, importIdx)) {
      if (k.name === '.') level += modParts.length === 0 ? 1 : 0;
      else if (k.name === 'Ellipsis') level += 3;
      else if (k.name === N.VariableName) modParts.push(this.src(k));
    }
    const rest = kids.slice(importIdx + 1).filter((k) => k.name !== '(' && k.name !== ')');
    if (rest.length === 1 && this.src(rest[0]!) === '*')
      return { kind: 'importfrom', level, module: modParts.join('.'), names: '*', ...span };
    const names: { name: string; asname?: string }[] = [];
    for (const part of splitComma(rest)) {
      const vars = part.filter((k) => k.name === N.VariableName);
      if (!vars[0]) continue;
      const asIdx = part.findIndex((k) => k.name === 'as');
      names.push({ name: this.src(vars[0]), ...(asIdx >= 0 && vars[1] ? { asname: this.src(vars[1]) } : {}) });
    }
    return { kind: 'importfrom', level, module: modParts.join('.'), names, ...span };
  }

  private decorator(d: SyntaxNode): Expr {
    // `@a.b.c(args)` arrives flat: At VariableName . VariableName ArgList?
    const kids = children(d).filter((k) => k.name !== 'At');
    let expr: Expr | undefined;
    for (const k of kids) {
      if (k.name === N.VariableName || k.name === N.PropertyName) {
        expr = expr
          ? { kind: 'attr', obj: expr, name: this.src(k), from: d.from, to: k.to }
          : { kind: 'name', id: this.src(k), from: k.from, to: k.to };
      } else if (k.name === N.ArgList && expr) {
        expr = { kind: 'call', func: expr, args: this.args(k), from: d.from, to: k.to };
      } else if (k.name !== '.') {
        // A general expression decorator (PEP 614).
        expr = this.expr(k);
      }
    }
    return expr ?? this.bad(d, 'empty decorator');
  }

  private funcDef(n: SyntaxNode, kids: SyntaxNode[], decorators: Expr[]): Stmt {
    const nameNode = kids.find((k) => k.name === N.VariableName);
    const paramNode = kids.find((k) => k.name === N.ParamList);
    const bodyNode = kids.find((k) => k.name === N.Body);
    const name = nameNode ? this.src(nameNode) : '<anonymous>';
    const params = paramNode ? this.params(paramNode) : [];
    let cached: Stmt[] | undefined;
    const body: LazyBody = {
      get: () => (cached ??= bodyNode ? this.stmts(bodyNode) : []),
    };
    return {
      kind: 'def',
      name,
      params,
      body,
      decorators,
      isAsync: kids[0]?.name === 'async',
      from: n.from,
      to: n.to,
      nameFrom: nameNode?.from ?? n.from,
    };
  }

  private classDef(n: SyntaxNode, kids: SyntaxNode[], decorators: Expr[]): Stmt {
    const nameNode = kids.find((k) => k.name === N.VariableName);
    const argNode = kids.find((k) => k.name === N.ArgList);
    const bodyNode = kids.find((k) => k.name === N.Body);
    return {
      kind: 'class',
      name: nameNode ? this.src(nameNode) : '<anonymous>',
      bases: argNode ? this.args(argNode) : [],
      body: bodyNode ? this.stmts(bodyNode) : [],
      decorators,
      from: n.from,
      to: n.to,
      nameFrom: nameNode?.from ?? n.from,
    };
  }

  private tryStmt(kids: SyntaxNode[], span: { from: number; to: number }): Stmt {
    let body: Stmt[] = [];
    const handlers: ExceptHandler[] = [];
    let orelse: Stmt[] = [];
    let finalbody: Stmt[] = [];
    let i = 0;
    while (i < kids.length) {
      const k = kids[i]!;
      if (k.name === 'try') {
        body = kids[i + 1] ? this.stmts(kids[i + 1]!) : [];
        i += 2;
      } else if (k.name === 'except') {
        const head: SyntaxNode[] = [];
        i++;
        while (i < kids.length && kids[i]!.name !== N.Body) head.push(kids[i++]!);
        const asIdx = head.findIndex((h) => h.name === 'as');
        const typeNodes = (asIdx < 0 ? head : head.slice(0, asIdx)).filter((h) => h.name !== '*');
        const h: ExceptHandler = { body: kids[i] ? this.stmts(kids[i]!) : [] };
        if (typeNodes.length) h.type = this.exprList(typeNodes, span);
        if (asIdx >= 0 && head[asIdx + 1]) h.name = this.src(head[asIdx + 1]!);
        handlers.push(h);
        i++;
      } else if (k.name === 'else') {
        orelse = kids[i + 1] ? this.stmts(kids[i + 1]!) : [];
        i += 2;
      } else if (k.name === 'finally') {
        finalbody = kids[i + 1] ? this.stmts(kids[i + 1]!) : [];
        i += 2;
      } else i++;
    }
    return { kind: 'try', body, handlers, orelse, finalbody, ...span };
  }

  private params(pl: SyntaxNode): Param[] {
    const out: Param[] = [];
    let mode: Param['kind'] = 'normal';
    let pendingStar: 'varargs' | 'varkw' | undefined;
    const kids = children(pl);
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.name === '*') {
        pendingStar = 'varargs';
        continue;
      }
      if (k.name === '**') {
        pendingStar = 'varkw';
        continue;
      }
      if (k.name === '/' || this.src(k) === '/') {
        for (const p of out) if (p.kind === 'normal') p.kind = 'posonly';
        continue;
      }
      if (k.name === ',') {
        if (pendingStar === 'varargs') mode = 'kwonly'; // bare `*,`
        pendingStar = undefined;
        continue;
      }
      if (k.name === N.VariableName) {
        const p: Param = { name: this.src(k), kind: pendingStar ?? mode };
        if (pendingStar === 'varargs') mode = 'kwonly';
        pendingStar = undefined;
        // Skip an annotation; read a default.
        let j = i + 1;
        if (kids[j]?.name === N.TypeDef) j++;
        if (kids[j]?.name === 'AssignOp' && kids[j + 1]) {
          p.default = this.expr(kids[j + 1]!);
          j += 2;
        }
        i = j - 1;
        out.push(p);
      }
    }
    return out;
  }

  private args(al: SyntaxNode): Arg[] {
    const out: Arg[] = [];
    const kids = children(al).filter((k) => k.name !== '(' && k.name !== ')');
    // A bare generator is the only argument (`sum(f(a, b) for a, b in pairs)`): its commas are its own.
    const forAt = kids.findIndex((k) => k.name === 'for');
    if (forAt > 0) return [{ kind: 'pos', value: this.comprehension('gen', kids, { from: kids[0]!.from, to: kids[kids.length - 1]!.to }) }];
    for (const part of splitComma(kids)) {
      if (part.length === 0) continue;
      const first = part[0]!;
      if (first.name === '*') out.push({ kind: 'star', value: this.exprList(part.slice(1), al) });
      else if (first.name === '**') out.push({ kind: 'dstar', value: this.exprList(part.slice(1), al) });
      else if (part.length >= 3 && first.name === N.VariableName && part[1]!.name === 'AssignOp')
        out.push({ kind: 'kw', name: this.src(first), value: this.exprList(part.slice(2), al) });
      else out.push({ kind: 'pos', value: this.exprList(part, al) });
    }
    return out;
  }

  // ---------------------------------------------------------------- expressions

  /** A comma-separated run of expression nodes: one expression, or an implicit tuple. */
  exprList(nodes: SyntaxNode[], ctx: { from: number; to: number }): Expr {
    const parts = splitComma(nodes);
    const trailingComma = nodes.length > 0 && nodes[nodes.length - 1]!.name === ',';
    if (parts.length === 0) return this.bad(ctx, 'missing expression');
    if (parts.length === 1 && !trailingComma) return this.exprSeq(parts[0]!, ctx);
    const from = nodes[0]!.from;
    const to = nodes[nodes.length - 1]!.to;
    return { kind: 'tuple', elts: parts.filter((p) => p.length).map((p) => this.exprSeq(p, ctx)), from, to };
  }

  /** Nodes that form one expression; a leading `*` makes it starred. */
  private exprSeq(nodes: SyntaxNode[], ctx: { from: number; to: number }): Expr {
    if (nodes.length === 0) return this.bad(ctx, 'missing expression');
    if (nodes[0]!.name === '*' || nodes[0]!.name === '**') {
      const value = this.exprSeq(nodes.slice(1), ctx);
      return { kind: 'starred', value, double: nodes[0]!.name === '**', from: nodes[0]!.from, to: value.to };
    }
    if (nodes.length === 1) return this.expr(nodes[0]!);
    const good = nodes.filter((k) => !k.type.isError);
    if (good.length === 1) return this.expr(good[0]!);
    return this.bad({ from: nodes[0]!.from, to: nodes[nodes.length - 1]!.to }, 'syntax error');
  }

  /** Nesting depth of the expression being converted (deeply nested input is cut off, not recursed). */
  private depth = 0;

  expr(n: SyntaxNode): Expr {
    if (this.depth > MAX_NESTING) return this.bad(n, `expression nested more than ${MAX_NESTING} levels deep`);
    this.depth++;
    try {
      return this.exprInner(n);
    } finally {
      this.depth--;
    }
  }

  private exprInner(n: SyntaxNode): Expr {
    const span = { from: n.from, to: n.to };
    switch (n.name) {
      case N.VariableName:
        // A bare `yield` arrives as the name `Yield` (see lezerText.ts).
        if (this.src(n) === 'yield') return this.bad(n, "'yield' is not interpreted");
        return { kind: 'name', id: this.src(n), ...span };
      case N.Number:
        return this.number(n);
      case N.String:
        return { kind: 'str', value: decodeString(this.src(n)), opaque: false, ...span };
      case N.FormatString:
        return { kind: 'fstring', parts: this.fstringParts(n), ...span };
      case N.ContinuedString: {
        const pieces = children(n);
        if (!pieces.some((p) => p.name === N.FormatString)) {
          return { kind: 'str', value: pieces.map((p) => decodeString(this.src(p))).join(''), opaque: false, ...span };
        }
        const parts: FStringPart[] = pieces.flatMap((p) =>
          p.name === N.FormatString ? this.fstringParts(p) : [{ text: decodeString(this.src(p)) }],
        );
        return { kind: 'fstring', parts, ...span };
      }
      case N.None:
        return { kind: 'const', value: 'None', ...span };
      case N.Boolean:
        return { kind: 'const', value: this.src(n) === 'True' ? 'True' : 'False', ...span };
      case N.Ellipsis:
        return { kind: 'const', value: 'Ellipsis', ...span };
      case N.MemberExpression:
        return this.member(n);
      case N.CallExpression: {
        const kids = children(n);
        const argList = kids[kids.length - 1];
        if (!argList || argList.name !== N.ArgList) return this.bad(n, 'malformed call');
        return { kind: 'call', func: this.exprSeq(kids.slice(0, -1), n), args: this.args(argList), ...span };
      }
      case N.BinaryExpression:
        return this.binary(n);
      case N.UnaryExpression: {
        const kids = children(n);
        const op = this.src(kids[0]!);
        const operand = this.exprSeq(kids.slice(1), n);
        // @lezer/python parses `not a or b` as `not (a or b)`; Python binds `not` tighter than
        // and/or, so push the `not` down to the leftmost operand of an unparenthesised and/or chain.
        if (op === 'not' && operand.kind === 'boolop' && kids[1]?.name === N.BinaryExpression) return notOverBoolop(operand, n.from);
        return { kind: 'unary', op, operand, ...span };
      }
      case N.ConditionalExpression: {
        const kids = children(n);
        const ifIdx = kids.findIndex((k) => k.name === 'if');
        const elseIdx = kids.findIndex((k) => k.name === 'else');
        if (ifIdx < 0 || elseIdx < 0) return this.bad(n, 'malformed conditional expression');
        return {
          kind: 'ifexp',
          body: this.exprSeq(kids.slice(0, ifIdx), n),
          test: this.exprSeq(kids.slice(ifIdx + 1, elseIdx), n),
          orelse: this.exprSeq(kids.slice(elseIdx + 1), n),
          ...span,
        };
      }
      case N.LambdaExpression: {
        const kids = children(n);
        const pl = kids.find((k) => k.name === N.ParamList);
        const colon = kids.findIndex((k) => k.name === ':');
        return { kind: 'lambda', params: pl ? this.params(pl) : [], body: this.exprSeq(kids.slice(colon + 1), n), ...span };
      }
      case N.ParenthesizedExpression: {
        const kids = children(n).filter((k) => k.name !== '(' && k.name !== ')');
        return this.exprSeq(kids, n);
      }
      case N.TupleExpression: {
        const kids = children(n).filter((k) => k.name !== '(' && k.name !== ')');
        if (kids.length === 0) return { kind: 'tuple', elts: [], ...span };
        const elts = splitComma(kids)
          .filter((p) => p.length)
          .map((p) => this.exprSeq(p, n));
        return { kind: 'tuple', elts, ...span };
      }
      case N.ArrayExpression:
      case N.SetExpression: {
        const kids = children(n).filter((k) => !['[', ']', '{', '}'].includes(k.name));
        const elts = splitComma(kids)
          .filter((p) => p.length)
          .map((p) => this.exprSeq(p, n));
        return { kind: n.name === N.ArrayExpression ? 'list' : 'set', elts, ...span };
      }
      case N.DictionaryExpression:
        return this.dict(n);
      case N.ArrayComprehensionExpression:
      case N.SetComprehensionExpression:
      case N.ComprehensionExpression: {
        const kids = children(n).filter((k) => !['[', ']', '{', '}', '(', ')'].includes(k.name));
        return this.comprehension(
          n.name === N.ArrayComprehensionExpression ? 'list' : n.name === N.SetComprehensionExpression ? 'set' : 'gen',
          kids,
          span,
        );
      }
      case N.DictionaryComprehensionExpression: {
        const kids = children(n).filter((k) => !['{', '}'].includes(k.name));
        const colon = kids.findIndex((k) => k.name === ':');
        const forIdx = kids.findIndex((k) => k.name === 'for' || k.name === 'async');
        if (colon < 0 || forIdx < 0) return this.bad(n, 'malformed dict comprehension');
        const comp = this.comprehension('dict', [...kids.slice(colon + 1, forIdx), ...kids.slice(forIdx)], span);
        if (comp.kind !== 'comp') return comp;
        return { ...comp, elt: this.exprSeq(kids.slice(0, colon), n), value: comp.elt };
      }
      case N.NamedExpression: {
        const kids = children(n);
        return { kind: 'walrus', target: this.src(kids[0]!), value: this.exprSeq(kids.slice(2), n), ...span };
      }
      case N.AwaitExpression:
      case N.YieldExpression:
        return this.bad(n, `'${n.name === N.AwaitExpression ? 'await' : 'yield'}' is not interpreted`);
      default:
        return this.bad(n, n.type.isError ? 'syntax error' : `unsupported expression ${n.name}`);
    }
  }

  /** Splits `f"stage{i + 1}_{name!r:>5}"` into literal text and replacement fields. */
  private fstringParts(n: SyntaxNode): FStringPart[] {
    const raw = this.src(n);
    const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(raw);
    const prefix = m?.[1]?.toLowerCase() ?? '';
    const quote = m?.[2] ?? '"';
    const start = n.from + prefix.length + quote.length;
    const end = raw.endsWith(quote) && raw.length >= prefix.length + 2 * quote.length ? n.to - quote.length : n.to;
    const literal = (from: number, to: number): FStringPart[] => {
      if (to <= from) return [];
      let t = this.text.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      if (!prefix.includes('r')) t = decodeString(`'${t.replace(/'/g, "\\'")}'`);
      return [{ text: t }];
    };
    const parts: FStringPart[] = [];
    let pos = start;
    for (const r of children(n)) {
      if (r.name !== 'FormatReplacement') continue;
      parts.push(...literal(pos, r.from));
      const inner = children(r).filter((k) => k.name !== '{' && k.name !== '}');
      const conv = inner.find((k) => k.name === 'FormatConversion');
      const spec = inner.find((k) => k.name === 'FormatSpec');
      const selfDoc = inner.find((k) => k.name === 'FormatSelfDoc');
      const exprNodes = inner.filter((k) => k !== conv && k !== spec && k !== selfDoc);
      const expr = this.exprList(exprNodes, r);
      parts.push({
        expr,
        ...(conv ? { conversion: this.src(conv).slice(1) } : {}),
        ...(spec ? { spec: this.src(spec).slice(1) } : {}),
        // `{x + 1 = }` prints the text up to the conversion, spec or brace, spaces after `=` included.
        ...(selfDoc ? { selfDoc: this.text.slice(r.from + 1, (conv ?? spec)?.from ?? r.to - 1) } : {}),
      });
      pos = r.to;
    }
    parts.push(...literal(pos, end));
    return parts;
  }

  private number(n: SyntaxNode): Expr {
    const raw = this.src(n).replace(/_/g, '');
    const span = { from: n.from, to: n.to };
    if (/[jJ]$/.test(raw)) return this.bad(n, 'complex numbers are not supported');
    if (/^0[xX]/.test(raw)) return { kind: 'num', value: parseInt(raw.slice(2), 16), isFloat: false, ...span };
    if (/^0[oO]/.test(raw)) return { kind: 'num', value: parseInt(raw.slice(2), 8), isFloat: false, ...span };
    if (/^0[bB]/.test(raw)) return { kind: 'num', value: parseInt(raw.slice(2), 2), isFloat: false, ...span };
    const isFloat = /[.eE]/.test(raw);
    return { kind: 'num', value: Number(raw), isFloat, ...span };
  }

  private member(n: SyntaxNode): Expr {
    const kids = children(n);
    const span = { from: n.from, to: n.to };
    const dot = kids.findIndex((k) => k.name === '.');
    const bracket = kids.findIndex((k) => k.name === '[');
    if (bracket >= 0 && (dot < 0 || bracket < dot)) {
      const obj = this.exprSeq(kids.slice(0, bracket), n);
      const close = kids.length - 1;
      const inner = kids.slice(bracket + 1, kids[close]!.name === ']' ? close : kids.length);
      return { kind: 'subscript', obj, index: this.subscriptIndex(inner, n), ...span };
    }
    const prop = kids[kids.length - 1];
    if (dot < 0 || !prop) return this.bad(n, 'malformed member expression');
    return { kind: 'attr', obj: this.exprSeq(kids.slice(0, dot), n), name: this.src(prop), ...span };
  }

  /** The inside of `a[...]`: an index, a slice, or a tuple of them (`x[:, :, 1:-1]`). */
  private subscriptIndex(nodes: SyntaxNode[], ctx: { from: number; to: number }): Expr {
    const parts = splitComma(nodes);
    const items = parts.filter((p) => p.length).map((p) => this.sliceOrExpr(p, ctx));
    if (parts.length === 1 && items.length === 1 && !(nodes.length && nodes[nodes.length - 1]!.name === ',')) return items[0]!;
    return { kind: 'tuple', elts: items, from: nodes[0]?.from ?? ctx.from, to: nodes[nodes.length - 1]?.to ?? ctx.to };
  }

  private sliceOrExpr(nodes: SyntaxNode[], ctx: { from: number; to: number }): Expr {
    if (!nodes.some((k) => k.name === ':')) return this.exprSeq(nodes, ctx);
    const segs: SyntaxNode[][] = [[]];
    for (const k of nodes) {
      if (k.name === ':') segs.push([]);
      else segs[segs.length - 1]!.push(k);
    }
    const part = (i: number) => (segs[i] && segs[i]!.length ? this.exprSeq(segs[i]!, ctx) : undefined);
    const lower = part(0),
      upper = part(1),
      step = part(2);
    return {
      kind: 'slice',
      ...(lower ? { lower } : {}),
      ...(upper ? { upper } : {}),
      ...(step ? { step } : {}),
      from: nodes[0]!.from,
      to: nodes[nodes.length - 1]!.to,
    };
  }

  private binary(n: SyntaxNode): Expr {
    const kids = children(n);
    const span = { from: n.from, to: n.to };
    // Find the operator tokens between the two operands.
    let opStart = -1,
      opEnd = -1;
    for (let i = 1; i < kids.length; i++) {
      const k = kids[i]!;
      if (['ArithOp', 'BitOp', 'CompareOp', 'or', 'and', 'in', 'not', 'is', '@'].includes(k.name)) {
        if (opStart < 0) opStart = i;
        opEnd = i;
      } else if (opStart >= 0) break;
    }
    if (opStart < 0) return this.bad(n, 'malformed binary expression');
    const left = this.exprSeq(kids.slice(0, opStart), n);
    const right = this.exprSeq(kids.slice(opEnd + 1), n);
    const op = kids
      .slice(opStart, opEnd + 1)
      .map((k) => this.src(k))
      .join(' ');
    if (op === 'and' || op === 'or') return { kind: 'boolop', op, left, right, ...span };
    if (['<', '>', '<=', '>=', '==', '!=', 'in', 'not in', 'is', 'is not', '<>'].includes(op)) {
      // Chained comparisons parse left-nested: (a < b) <= c means a < b and b <= c.
      if (left.kind === 'compare' && kids[0]!.name === N.BinaryExpression && !this.src(kids[0]!).startsWith('(')) {
        return { kind: 'compare', ops: [...left.ops, op], operands: [...left.operands, right], ...span };
      }
      return { kind: 'compare', ops: [op], operands: [left, right], ...span };
    }
    return { kind: 'binop', op, left, right, ...span };
  }

  private dict(n: SyntaxNode): Expr {
    const kids = children(n).filter((k) => k.name !== '{' && k.name !== '}');
    const entries: DictEntry[] = [];
    for (const part of splitComma(kids)) {
      if (!part.length) continue;
      if (part[0]!.name === '**') {
        entries.push({ spread: this.exprSeq(part.slice(1), n) });
        continue;
      }
      const colon = part.findIndex((k) => k.name === ':');
      if (colon < 0) {
        entries.push({ key: this.bad(n, 'malformed dict entry'), value: this.bad(n, 'malformed dict entry') });
        continue;
      }
      entries.push({ key: this.exprSeq(part.slice(0, colon), n), value: this.exprSeq(part.slice(colon + 1), n) });
    }
    return { kind: 'dict', entries, from: n.from, to: n.to };
  }

  private comprehension(type: 'list' | 'set' | 'gen' | 'dict', kids: SyntaxNode[], span: { from: number; to: number }): Expr {
    const firstFor = kids.findIndex((k) => k.name === 'for' || k.name === 'async');
    if (firstFor < 0) return this.bad(span, 'malformed comprehension');
    const elt = this.exprSeq(kids.slice(0, firstFor), span);
    const generators: CompFor[] = [];
    let i = firstFor;
    while (i < kids.length) {
      if (kids[i]!.name === 'async') i++;
      if (kids[i]?.name !== 'for') break;
      const inIdx = kids.findIndex((k, j) => j > i && k.name === 'in');
      if (inIdx < 0) return this.bad(span, 'malformed comprehension');
      const target = this.exprList(kids.slice(i + 1, inIdx), span);
      let j = inIdx + 1;
      const iterNodes: SyntaxNode[] = [];
      while (j < kids.length && kids[j]!.name !== 'for' && kids[j]!.name !== 'if' && kids[j]!.name !== 'async') iterNodes.push(kids[j++]!);
      const gen: CompFor = { target, iter: this.exprList(iterNodes, span), ifs: [] };
      while (j < kids.length && kids[j]!.name === 'if') {
        const cond: SyntaxNode[] = [];
        j++;
        while (j < kids.length && kids[j]!.name !== 'for' && kids[j]!.name !== 'if' && kids[j]!.name !== 'async') cond.push(kids[j++]!);
        gen.ifs.push(this.exprSeq(cond, span));
      }
      generators.push(gen);
      i = j;
    }
    return { kind: 'comp', type, elt, generators, ...span };
  }
}

function notOverBoolop(e: Extract<Expr, { kind: 'boolop' }>, from: number): Expr {
  const left: Expr =
    e.left.kind === 'boolop' && e.left.from === e.from
      ? notOverBoolop(e.left, from)
      : { kind: 'unary', op: 'not', operand: e.left, from, to: e.left.to };
  return { ...e, left, from };
}

function splitComma(nodes: SyntaxNode[]): SyntaxNode[][] {
  const out: SyntaxNode[][] = [[]];
  for (const n of nodes) {
    if (n.name === ',') out.push([]);
    else if (!PUNCT.has(n.name) || n.name === ':' || n.name === '.' || n.name === 'AssignOp') out[out.length - 1]!.push(n);
  }
  if (out.length > 1 && out[out.length - 1]!.length === 0) out.pop();
  if (out.length === 1 && out[0]!.length === 0) return [];
  return out;
}

/** Decodes a Python string literal (prefixes r/b/u, single/triple quotes, common escapes). */
function decodeString(raw: string): string {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)$/.exec(raw);
  if (!m) return raw;
  const prefix = m[1]!.toLowerCase();
  const quote = m[2]!;
  let body = m[3]!;
  if (body.endsWith(quote)) body = body.slice(0, -quote.length);
  if (prefix.includes('r')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|\n|.)/g, (_s, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case '\n':
        return '';
      case 'x':
      case 'u':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return e;
    }
  });
}

/** Exposed for the parser tests: node names of the bare Lezer tree. */
export const lezerNodeNames = N;
export type { Arg, Param };
