// The small typed AST the interpreter walks, built from the @lezer/python tree by parse.ts.
// It keeps only what evaluation needs (and each node's offsets for ranges and diagnostics).
// Function bodies are converted lazily (see `LazyBody`), so a 50,000-line file costs little until used.

export interface Span {
  readonly from: number;
  readonly to: number;
}

export type Expr =
  | { kind: 'name'; id: string; from: number; to: number }
  | { kind: 'num'; value: number; isFloat: boolean; from: number; to: number }
  | { kind: 'str'; value: string; opaque: boolean; from: number; to: number }
  | { kind: 'fstring'; parts: FStringPart[]; from: number; to: number }
  | { kind: 'const'; value: 'None' | 'True' | 'False' | 'Ellipsis'; from: number; to: number }
  | { kind: 'attr'; obj: Expr; name: string; from: number; to: number }
  | { kind: 'subscript'; obj: Expr; index: Expr; from: number; to: number }
  | { kind: 'slice'; lower?: Expr; upper?: Expr; step?: Expr; from: number; to: number }
  | { kind: 'call'; func: Expr; args: Arg[]; from: number; to: number }
  | { kind: 'binop'; op: string; left: Expr; right: Expr; from: number; to: number }
  | { kind: 'unary'; op: string; operand: Expr; from: number; to: number }
  | { kind: 'boolop'; op: 'and' | 'or'; left: Expr; right: Expr; from: number; to: number }
  | { kind: 'compare'; ops: string[]; operands: Expr[]; from: number; to: number }
  | { kind: 'ifexp'; test: Expr; body: Expr; orelse: Expr; from: number; to: number }
  | { kind: 'lambda'; params: Param[]; body: Expr; from: number; to: number }
  | { kind: 'tuple' | 'list' | 'set'; elts: Expr[]; from: number; to: number }
  | { kind: 'dict'; entries: DictEntry[]; from: number; to: number }
  | { kind: 'comp'; type: 'list' | 'set' | 'gen' | 'dict'; elt: Expr; value?: Expr; generators: CompFor[]; from: number; to: number }
  | { kind: 'starred'; value: Expr; double: boolean; from: number; to: number }
  | { kind: 'walrus'; target: string; value: Expr; from: number; to: number }
  | { kind: 'bad'; reason: string; from: number; to: number };

/** A piece of an f-string: literal text, or a replacement field `{expr!conv:spec}`. */
export type FStringPart = { text: string } | { expr: Expr; conversion?: string; spec?: string; selfDoc?: string };

export interface Arg {
  kind: 'pos' | 'star' | 'kw' | 'dstar';
  name?: string;
  value: Expr;
}
export type DictEntry = { key: Expr; value: Expr } | { spread: Expr };
export interface CompFor {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
}

export interface Param {
  name: string;
  kind: 'normal' | 'varargs' | 'kwonly' | 'varkw' | 'posonly';
  default?: Expr;
}

export interface ExceptHandler {
  type?: Expr;
  name?: string;
  body: Stmt[];
}

export type Stmt =
  | { kind: 'expr'; value: Expr; from: number; to: number }
  | { kind: 'assign'; targets: Expr[]; value: Expr; from: number; to: number }
  | { kind: 'augassign'; target: Expr; op: string; value: Expr; from: number; to: number }
  | { kind: 'annassign'; target: Expr; value?: Expr; from: number; to: number }
  | { kind: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[]; from: number; to: number }
  | { kind: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[]; from: number; to: number }
  | { kind: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[]; from: number; to: number }
  | { kind: 'return'; value?: Expr; from: number; to: number }
  | { kind: 'pass' | 'break' | 'continue'; from: number; to: number }
  | { kind: 'raise'; exc?: Expr; from: number; to: number }
  | { kind: 'assert'; test: Expr; msg?: Expr; from: number; to: number }
  | { kind: 'del'; targets: Expr[]; from: number; to: number }
  | { kind: 'scope'; names: string[]; which: 'global' | 'nonlocal'; from: number; to: number }
  | { kind: 'import'; names: { module: string; asname?: string }[]; from: number; to: number }
  | { kind: 'importfrom'; level: number; module: string; names: { name: string; asname?: string }[] | '*'; from: number; to: number }
  | {
      kind: 'def';
      name: string;
      params: Param[];
      body: LazyBody;
      decorators: Expr[];
      isAsync: boolean;
      from: number;
      to: number;
      nameFrom: number;
    }
  | { kind: 'class'; name: string; bases: Arg[]; body: Stmt[]; decorators: Expr[]; from: number; to: number; nameFrom: number }
  | { kind: 'try'; body: Stmt[]; handlers: ExceptHandler[]; orelse: Stmt[]; finalbody: Stmt[]; from: number; to: number }
  | { kind: 'with'; items: { ctx: Expr; target?: Expr }[]; body: Stmt[]; from: number; to: number }
  | { kind: 'bad'; reason: string; from: number; to: number };

/** A function body converted on first use. */
export interface LazyBody {
  get(): Stmt[];
}
