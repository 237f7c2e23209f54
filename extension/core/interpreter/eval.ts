// The abstract interpreter: executes the Python subset model code uses (module scope, functions,
// classes with MRO and super(), containers, comprehensions, control flow) over the values of
// values.ts. What it cannot know becomes `unknown` with a reason and flows on; a branch on an
// unknown condition marks what either branch assigns as unknown. A step budget and a call-depth
// limit stop pathological code. Torch itself is modelled in torch.ts, builtins in builtins.ts.
// This file is long because it is one evaluator over one AST; the domain pieces live elsewhere.
import type { Arg, Expr, Param, Stmt } from '../ast';
import { formatWithSpec, percentFormat, pyRepr } from './pyFormat';
import type { CoreDiagnostic, DiagnosticSeverity, SourceRange } from '../resultTypes';
import {
  NONE,
  ELLIPSIS,
  builtin,
  bool,
  float,
  int,
  str,
  tuple,
  list,
  ndarray,
  isNdarray,
  unknown,
  dict,
  keyOf,
  identity,
  isUnknown,
  isNumber,
  numberOf,
  typeName,
  type BoundV,
  type CallArgs,
  type CallSite,
  type ClassV,
  type DictV,
  type FunctionV,
  type InstanceV,
  type ListV,
  type ModuleCtx,
  type Scope,
  type StrV,
  type UnknownV,
  type Value,
  type TensorV,
} from './values';

import { Budget, BudgetExceeded, type BudgetLimits } from './budget';
import { quotedToken, shownString } from '../messageText';
export { BudgetExceeded };

/** A Python exception raised by interpreted code (`raise`, a failed `assert`, a TypeError we detect). */
export class PyRaise extends Error {
  constructor(
    readonly exc: Value,
    readonly pyMessage: string,
    readonly range?: SourceRange,
  ) {
    super(pyMessage);
  }
}

type Completion = undefined | { type: 'return'; value: Value } | { type: 'break' } | { type: 'continue' };

export interface Frame {
  readonly module: ModuleCtx;
  readonly fn?: FunctionV;
  /** The first argument of the running method, for zero-argument super(). */
  readonly firstArg?: Value;
  /** Returns taken in one arm of an `if` on an unknown condition: the result is known only if it equals them. */
  maybeReturns?: { value: Value; reason: string; range: SourceRange }[];
}

/** Hooks into the domain layers (torch model, import system, builtins) that the evaluator calls. */
export interface Domain {
  /** Resolves `import a.b.c` (absolute, level 0) or `from ..x import y` (level > 0). */
  importModule(name: string, level: number, from: ModuleCtx, site: SourceRange): Value;
  builtins: Scope;
  /** Attribute access on values the domain owns (tensors, torch modules); undefined = not handled. */
  getAttr?(obj: Value, name: string, site: CallSite): Value | undefined;
  /** `self.x = v` on a torch module; returns true when handled. */
  setAttr?(obj: InstanceV, name: string, value: Value, site: CallSite): boolean;
  /** Creates an instance of a class that needs torch bookkeeping. */
  newInstance(cls: ClassV, site: CallSite): InstanceV;
  /** Binary operators on domain values (tensors); undefined = not handled. */
  binop?(op: string, a: Value, b: Value, site: CallSite): Value | undefined;
  getItem?(obj: Value, index: Value, site: CallSite): Value | undefined;
  /** `obj[index] = value` on a domain value (a tensor); returns true when handled. */
  setItem?(obj: Value, index: Value, value: Value, site: CallSite): boolean;
  /**
   * `super().name` that no class of the rest of the MRO defines in source: a torch layer's own methods
   * (`super().forward(x)` in an nn.Conv2d subclass); undefined = not handled.
   */
  superMethod?(self: Value, rest: readonly ClassV[], name: string, site: CallSite): Value | undefined;
  /**
   * False while running both arms of an unknown `if` would record effects twice (the profiled forward
   * pass records each layer call): then the arms are not run and what they assign is marked unknown.
   */
  canExploreBranches?(): boolean;
  /** Calling an instance (nn.Module.__call__ → forward); undefined = not handled. */
  callInstance?(obj: InstanceV, call: CallArgs, site: CallSite): Value | undefined;
  iterate?(obj: Value, site: CallSite): Value[] | UnknownV | undefined;
  len?(obj: Value): Value | undefined;
  /** copy.deepcopy (module-aware); absent = values are returned as they are. */
  deepCopy?(v: Value, site: CallSite): Value;
  /** Methods of builtin values (list.append, dict.items, str.join...); undefined = none. */
  method(obj: Value, name: string, site: CallSite): Value | undefined;
}

export interface Limits extends BudgetLimits {
  readonly maxCallDepth: number;
  readonly maxSequenceLength: number;
}

/** The longest string `s * n` builds (UTF-16 units, 32 MB); longer is unknown, never truncated. */
const MAX_STRING_UNITS = 1 << 24;

export interface InterpreterMark {
  readonly steps: number;
  readonly bytes: number;
  readonly diagnostics: number;
  readonly seen: ReadonlySet<string>;
}

export class Interpreter {
  depth = 0;
  /**
   * Counts calls and stores (attribute, item, in-place, del) made so far: a top-level statement during which
   * it does not move did nothing but bind names (an inert statement, core/reuse.ts).
   */
  effects = 0;
  readonly diagnostics: CoreDiagnostic[] = [];
  /** Call-site ranges of the Python calls in progress, outermost first. */
  readonly callStack: SourceRange[] = [];
  private readonly frames: Frame[] = [];
  domain!: Domain;
  private readonly seenDiagnostics = new Set<string>();

  /** The environment variables code sees through `os.environ` (unset unless the user gives them). */
  environment: ReadonlyMap<string, string> = new Map();

  readonly budget: Budget;

  constructor(readonly limits: Limits) {
    this.budget = new Budget(limits);
  }

  // ------------------------------------------------------------ bookkeeping

  get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  range(ctx: ModuleCtx, node: { from: number; to: number }): SourceRange {
    return rangeIn(ctx, node.from, node.to);
  }

  tick(node?: { from: number; to: number }): void {
    this.budget.step(1, () => (node && this.frames.length ? this.range(this.frame.module, node) : undefined));
  }

  diag(severity: DiagnosticSeverity, code: string, message: string, range?: SourceRange): void {
    const key = `${code}|${message}|${range?.file}:${range?.from}`;
    if (this.seenDiagnostics.has(key)) return;
    this.seenDiagnostics.add(key);
    if (this.diagnostics.length >= 500) return;
    this.diagnostics.push({ severity, code, message, ...(range ? { range } : {}) });
  }

  /** What one entry of a shared session may change in the bookkeeping: steps, bytes, diagnostics (see Session.beginEntry). */
  mark(): InterpreterMark {
    return {
      steps: this.budget.steps,
      bytes: this.budget.bytes,
      diagnostics: this.diagnostics.length,
      seen: new Set(this.seenDiagnostics),
    };
  }

  /** Back to `m`: the next entry spends and reports as if it were the first after the module ran. */
  reset(m: InterpreterMark): void {
    this.budget.rewind(m.steps, m.bytes);
    this.diagnostics.length = m.diagnostics;
    this.seenDiagnostics.clear();
    for (const k of m.seen) this.seenDiagnostics.add(k);
  }

  raise(excName: string, message: string, site?: SourceRange): never {
    const cls = this.domain.builtins.vars.get(excName);
    const exc: Value =
      cls && cls.kind === 'class' ? { kind: 'instance', cls, attrs: new Map(), message } : unknown(`${excName}: ${message}`);
    throw new PyRaise(exc, `${excName}: ${message}`, site);
  }

  withFrame<T>(frame: Frame, f: () => T): T {
    this.frames.push(frame);
    try {
      return f();
    } finally {
      this.frames.pop();
    }
  }

  // ------------------------------------------------------------ modules

  /** Runs a module body in its globals; `each` is told as each statement starts, and what it returns as it ends. */
  execModule(body: Stmt[], ctx: ModuleCtx, each?: (index: number) => () => void): void {
    this.withFrame({ module: ctx }, () => {
      for (let i = 0; i < body.length; i++) {
        const s = body[i]!;
        const done = each?.(i);
        try {
          this.exec(s, ctx.globals);
        } catch (e) {
          if (e instanceof PyRaise) {
            // A module-level raise (e.g. a failed optional import) does not stop the rest of the file.
            this.diag('info', 'raise', `module-level ${e.pyMessage} (ignored)`, e.range ?? this.range(ctx, s));
            continue;
          }
          if (e instanceof BudgetExceeded) throw e;
          // An interpreter defect on one statement: report it and keep the rest of the module.
          this.diag('warning', 'internal', `statement skipped (${e instanceof Error ? e.message : String(e)})`, this.range(ctx, s));
        } finally {
          done?.();
        }
      }
    });
  }

  // ------------------------------------------------------------ statements

  execBlock(stmts: Stmt[], scope: Scope): Completion {
    for (const s of stmts) {
      const c = this.exec(s, scope);
      if (c) return c;
    }
    return undefined;
  }

  exec(s: Stmt, scope: Scope): Completion {
    this.tick(s);
    const ctx = this.frame.module;
    switch (s.kind) {
      case 'expr':
        this.eval(s.value, scope);
        return undefined;
      case 'assign': {
        const value = this.eval(s.value, scope);
        for (const t of s.targets) this.assign(t, value, scope, s);
        return undefined;
      }
      case 'annassign':
        if (scope.annotations && s.target.kind === 'name' && !scope.annotations.includes(s.target.id)) scope.annotations.push(s.target.id);
        if (s.value) this.assign(s.target, this.eval(s.value, scope), scope, s);
        return undefined;
      case 'augassign': {
        this.effects++;
        const cur = this.eval(s.target, scope);
        const rhs = this.eval(s.value, scope);
        const site = { range: this.range(ctx, s) };
        let result: Value;
        // `list += iterable` extends in place (the same list object stays bound elsewhere).
        const curV = this.force(cur);
        const inplace = curV.kind === 'instance' && DUNDER[s.op] ? this.findClassAttr(curV.cls, `__i${DUNDER[s.op]!.slice(2)}`) : undefined;
        if (s.op === '+' && curV.kind === 'list') {
          const items = this.iterate(rhs, site);
          if (isUnknown(items)) result = items;
          else {
            curV.items.push(...items);
            result = curV;
          }
        } else if (inplace && curV.kind === 'instance') {
          // `self.layers += [...]` on a ModuleList (or any __iadd__ & co.).
          result = this.callValue(this.bindMember(inplace, curV, curV.cls), { args: [rhs], kwargs: new Map() }, site);
        } else result = this.binop(s.op, cur, rhs, site);
        this.assign(s.target, result, scope, s);
        return undefined;
      }
      case 'if': {
        const cond = this.eval(s.test, scope);
        const t = this.truthy(cond, this.range(ctx, s.test));
        if (t === undefined) {
          const why = isUnknown(cond) ? cond.reason : 'its truth value is not known statically';
          const reason = `depends on a condition that cannot be known (line ${this.range(ctx, s.test).line + 1}: ${why})`;
          if (this.domain.canExploreBranches?.() !== false) return this.execBothArms(s, scope, reason);
          this.poison([...s.body, ...s.orelse], scope, reason, s);
          return undefined;
        }
        return this.execBlock(t ? s.body : s.orelse, scope);
      }
      case 'for':
        return this.execFor(s, scope);
      case 'while': {
        let n = 0;
        for (;;) {
          const t = this.truthy(this.eval(s.test, scope), this.range(ctx, s.test));
          if (t === undefined) {
            this.poison(s.body, scope, `assigned in a loop whose condition cannot be known (line ${this.range(ctx, s.test).line + 1})`, s);
            return undefined;
          }
          if (!t) break;
          if (++n > this.limits.maxSequenceLength) {
            throw new BudgetExceeded(
              `analysis stopped: a while loop ran more than ${this.limits.maxSequenceLength.toLocaleString('en-US')} times`,
              this.range(ctx, s),
            );
          }
          const c = this.execBlock(s.body, scope);
          if (c?.type === 'break') return undefined;
          if (c?.type === 'return') return c;
        }
        return this.execBlock(s.orelse, scope);
      }
      case 'return':
        return { type: 'return', value: s.value ? this.eval(s.value, scope) : NONE };
      case 'pass':
        return undefined;
      case 'break':
        return { type: 'break' };
      case 'continue':
        return { type: 'continue' };
      case 'raise': {
        const site = this.range(ctx, s);
        if (!s.exc) throw new PyRaise(unknown('re-raised exception'), 're-raised exception', site);
        let exc = this.force(this.eval(s.exc, scope));
        if (exc.kind === 'class') exc = this.callValue(exc, { args: [], kwargs: new Map() }, { range: site });
        const msg = exc.kind === 'instance' ? `${exc.cls.name}${exc.message !== undefined ? `: ${exc.message}` : ''}` : 'exception';
        throw new PyRaise(exc, msg, site);
      }
      case 'assert': {
        const t = this.truthy(this.eval(s.test, scope), this.range(ctx, s.test));
        if (t === false) {
          const msg = s.msg ? this.force(this.eval(s.msg, scope)) : undefined;
          this.raise(
            'AssertionError',
            msg && msg.kind === 'str' && !msg.opaque ? shownString(msg.v, String) : `assert at line ${this.range(ctx, s).line + 1} failed`,
            this.range(ctx, s),
          );
        }
        return undefined;
      }
      case 'del':
        for (const t of s.targets) this.deleteTarget(t, scope);
        return undefined;
      case 'scope':
        for (const n of s.names) (s.which === 'global' ? scope.globals : scope.nonlocals)?.add(n);
        return undefined;
      case 'import': {
        const site = this.range(ctx, s);
        for (const { module, asname } of s.names) {
          if (asname) {
            let loaded: Value | undefined;
            this.setVar(scope, asname, {
              kind: 'lazy',
              label: module,
              resolve: () => (loaded ??= this.domain.importModule(module, 0, ctx, site)),
            });
          } else {
            // `import a.b.c` binds `a`, and makes a.b.c reachable through it.
            const top = module.split('.')[0]!;
            this.domain.importModule(module, 0, ctx, site);
            this.setVar(scope, top, this.domain.importModule(top, 0, ctx, site));
          }
        }
        return undefined;
      }
      case 'importfrom': {
        const site = this.range(ctx, s);
        // The module is found and parsed only when one of its names is first used.
        let loaded: Value | undefined;
        const mod: Value = {
          kind: 'lazy',
          label: s.module,
          resolve: () => (loaded ??= this.domain.importModule(s.module, s.level, ctx, site)),
        };
        if (s.names === '*') {
          const m = this.force(mod);
          if (m.kind === 'module' && m.names)
            for (const n of m.names()) {
              if (!m.lazy) {
                this.setVar(scope, n, m.get(n) ?? unknown(`${n} not found`));
                continue;
              }
              let got: Value | undefined;
              this.setVar(scope, n, {
                kind: 'lazy',
                label: `${s.module}.${n}`,
                resolve: () => (got ??= m.get(n) ?? unknown(`${n} not found`)),
              });
            }
          return undefined;
        }
        for (const { name, asname } of s.names) {
          this.setVar(scope, asname ?? name, this.importName(mod, name, s.module, s.level, ctx, site));
        }
        return undefined;
      }
      case 'def': {
        const fn = this.makeFunction(s.name, s.params, s.body, scope, this.range(ctx, { from: s.nameFrom, to: s.to }));
        this.setVar(scope, s.name, this.decorate(fn, s.decorators, scope));
        return undefined;
      }
      case 'class':
        this.setVar(scope, s.name, this.decorate(this.makeClass(s, scope), s.decorators, scope));
        return undefined;
      case 'try':
        return this.execTry(s, scope);
      case 'with': {
        for (const item of s.items) {
          const v = this.eval(item.ctx, scope);
          if (item.target) this.assign(item.target, v, scope, s);
        }
        return this.execBlock(s.body, scope);
      }
      case 'bad':
        this.diag('warning', 'unsupported', `skipped: ${s.reason}`, this.range(ctx, s));
        return undefined;
    }
  }

  private importName(mod: Value, name: string, module: string, level: number, ctx: ModuleCtx, site: SourceRange): Value {
    // `from pkg import name`: an attribute of pkg's __init__, else the submodule pkg.name. Resolved lazily.
    const dotted = module ? `${module}.${name}` : name;
    return {
      kind: 'lazy',
      label: dotted,
      resolve: () => {
        const m = this.force(mod);
        if (m.kind === 'module') {
          const v = m.get(name);
          if (v !== undefined) return v;
          const sub = this.force(this.domain.importModule(dotted, level, ctx, site));
          if (sub.kind === 'module') return sub;
          return unknown(`cannot import name '${name}' from '${'.'.repeat(level)}${module}'`, site);
        }
        if (isUnknown(m)) return unknown(m.reason, m.range ?? site, true);
        return unknown(`cannot import '${name}'`, site);
      },
    };
  }

  private execFor(s: Extract<Stmt, { kind: 'for' }>, scope: Scope): Completion {
    const ctx = this.frame.module;
    const site = { range: this.range(ctx, s.iter) };
    const items = this.iterate(this.eval(s.iter, scope), site);
    if (isUnknown(items)) {
      this.poison([...s.body, ...s.orelse], scope, `assigned in a loop over a value that cannot be known (${items.reason})`, s);
      this.assign(s.target, items, scope, s);
      return undefined;
    }
    for (const item of items) {
      this.tick(s);
      this.assign(s.target, item, scope, s);
      const c = this.execBlock(s.body, scope);
      if (c?.type === 'break') return undefined;
      if (c?.type === 'return') return c;
    }
    return this.execBlock(s.orelse, scope);
  }

  // try/except/else/finally as Python runs it: a return or break in `finally` replaces the body's
  // completion and swallows a Python exception in flight; an engine error (budget, cancellation) is
  // never swallowed and skips the finally block.
  private execTry(s: Extract<Stmt, { kind: 'try' }>, scope: Scope): Completion {
    let completion: Completion;
    try {
      completion = this.execTryBody(s, scope);
    } catch (e) {
      if (!(e instanceof PyRaise) || !s.finalbody.length) throw e;
      const c = this.execBlock(s.finalbody, scope);
      if (c) return c;
      throw e;
    }
    if (s.finalbody.length) {
      const c = this.execBlock(s.finalbody, scope);
      if (c) return c;
    }
    return completion;
  }

  private execTryBody(s: Extract<Stmt, { kind: 'try' }>, scope: Scope): Completion {
    let completion: Completion;
    try {
      completion = this.execBlock(s.body, scope);
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      const handler = s.handlers.find((h) => !h.type || this.exceptionMatches(e.exc, this.eval(h.type, scope)));
      if (!handler) throw e;
      if (handler.name) this.setVar(scope, handler.name, e.exc);
      return this.execBlock(handler.body, scope);
    }
    return completion ?? this.execBlock(s.orelse, scope);
  }

  private exceptionMatches(exc: Value, spec: Value): boolean {
    const f = this.force(spec);
    if (f.kind === 'tuple') return f.items.some((i) => this.exceptionMatches(exc, i));
    if (f.kind !== 'class') return true; // An unknown exception type: assume it could match.
    if (exc.kind !== 'instance') return f.name === 'Exception' || f.name === 'BaseException';
    return exc.cls.mro.includes(f) || f.name === 'BaseException' || (f.name === 'Exception' && exc.cls.isException === true);
  }

  /**
   * `if` on a condition that cannot be known, while building the model: both arms run, each from the
   * state before the `if`. Names and attributes both arms leave equal stay known; where they differ the
   * value is unknown, naming the condition and its line. Both arms returning equal values return that
   * value; different values return an unknown. One arm returning: the code after the `if` runs in the
   * other arm's world, and the function's eventual result is known only if it equals that return value.
   * An arm that raises is a world that does not go on (validation code: `if bad: raise ...`).
   */
  private execBothArms(s: Extract<Stmt, { kind: 'if' }>, scope: Scope, reason: string): Completion {
    const at = this.range(this.frame.module, s);
    // Targets are compared by what they name (`self.conv` in both arms is one attribute).
    const keyA = new Set(attrTargetsOf(s.body).map(targetKey)),
      keyB = new Set(attrTargetsOf(s.orelse).map(targetKey));
    const byKey = new Map([...attrTargetsOf(s.body), ...attrTargetsOf(s.orelse)].map((t) => [targetKey(t), t] as const));
    const attrTargets = [...byKey.values()];
    const readAttrs = (): (Value | undefined)[] =>
      attrTargets.map((t) => {
        try {
          const obj = this.force(this.eval(t.obj, scope));
          if (obj.kind !== 'instance') return undefined;
          const v = this.getAttr(obj, t.name, { range: at });
          return isUnknown(v) && /has no attribute/.test(v.reason) ? undefined : v;
        } catch (e) {
          if (e instanceof BudgetExceeded) throw e;
          return undefined;
        }
      });
    const before = new Map(scope.vars);
    const attrsBefore = readAttrs();
    const run = (stmts: Stmt[]): { vars: Map<string, Value>; c: Completion; raised?: PyRaise; attrs: (Value | undefined)[] } => {
      scope.vars.clear();
      for (const [k, v] of before) scope.vars.set(k, v);
      try {
        const c = this.execBlock(stmts, scope);
        return { vars: new Map(scope.vars), c, attrs: readAttrs() };
      } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        return { vars: before, c: undefined, raised: e, attrs: attrsBefore };
      }
    };
    const a = run(s.body);
    const b = run(s.orelse);
    const setVars = (vars: Map<string, Value>) => {
      scope.vars.clear();
      for (const [k, v] of vars) scope.vars.set(k, v);
    };
    if (a.raised && b.raised) throw a.raised;
    const differs = (what: string) => this.diag('info', 'branch', `${what} ${reason}: the two arms of the if give different values`, at);
    const only = a.raised ? b : b.raised ? a : undefined;
    if (only) {
      setVars(only.vars);
      return only.c;
    }
    // Attributes: each arm's world has its own writes, else the value from before the `if`.
    attrTargets.forEach((t, i) => {
      const va = keyA.has(targetKey(t)) ? a.attrs[i] : attrsBefore[i];
      const vb = keyB.has(targetKey(t)) ? b.attrs[i] : attrsBefore[i];
      if (va !== undefined && vb !== undefined && sameValue(va, vb)) return;
      differs(`'${targetKey(t)}'`);
      try {
        const obj = this.force(this.eval(t.obj, scope));
        const where = this.range(this.frame.module, t);
        if (obj.kind === 'instance') this.setAttr(obj, t.name, unknown(reason, where, true), { range: where });
      } catch (e) {
        if (e instanceof BudgetExceeded) throw e;
      }
    });
    // Containers appended to or registered into in an arm: as before, they cannot be known.
    this.poison(
      [...s.body, ...s.orelse].filter((x) => x.kind === 'expr'),
      scope,
      reason,
      s,
    );
    const merge = (x: Map<string, Value>, y: Map<string, Value>): Map<string, Value> => {
      const out = new Map<string, Value>();
      for (const k of new Set([...x.keys(), ...y.keys()])) {
        const vx = x.get(k),
          vy = y.get(k);
        if (vx !== undefined && vy !== undefined && sameValue(vx, vy)) out.set(k, vx);
        else {
          out.set(k, unknown(reason, at, true));
          if (!k.startsWith('_')) differs(`'${k}'`);
        }
      }
      return out;
    };
    const ca = a.c,
      cb = b.c;
    if (ca?.type === 'return' && cb?.type === 'return') {
      setVars(merge(a.vars, b.vars));
      if (sameValue(ca.value, cb.value)) return ca;
      differs('the returned value');
      return { type: 'return', value: unknown(reason, at, true) };
    }
    if (ca?.type === 'return' || cb?.type === 'return') {
      // The code after the `if` runs only in the world that did not return.
      const [ret, go] = ca?.type === 'return' ? [ca, b] : [cb as { type: 'return'; value: Value }, a];
      setVars(go.vars);
      const frame = this.frame;
      frame.maybeReturns ??= [];
      frame.maybeReturns.push({ value: ret.value, reason, range: at });
      return go.c;
    }
    setVars(merge(a.vars, b.vars));
    return ca?.type === cb?.type ? ca : undefined;
  }

  /**
   * A branch on an unknown condition: the names and `self.x` attributes either branch assigns become
   * unknown (with the reason), containers they append to are marked, nested statements likewise.
   */
  private poison(stmts: Stmt[], scope: Scope, reason: string, at: { from: number; to: number }): void {
    // Each marked value points at the statement that would have assigned it.
    let range = this.range(this.frame.module, at);
    const mark = (target: Expr, fromCall: boolean) => {
      if (target.kind === 'name') this.setVar(scope, target.id, unknown(reason, range, fromCall));
      else if (target.kind === 'tuple' || target.kind === 'list') for (const e of target.elts) mark(e, fromCall);
      else if (target.kind === 'starred') mark(target.value, fromCall);
      else if (target.kind === 'attr') {
        try {
          const obj = this.force(this.eval(target.obj, scope));
          if (obj.kind === 'instance') this.setAttr(obj, target.name, unknown(reason, range, fromCall), { range });
        } catch (e) {
          if (e instanceof BudgetExceeded) throw e;
        }
      }
    };
    const isCall = (e: Expr | undefined) => !!e && (e.kind === 'call' || e.kind === 'name' || e.kind === 'attr' || e.kind === 'ifexp');
    for (const s of stmts) {
      range = this.range(this.frame.module, s);
      switch (s.kind) {
        case 'assign':
          for (const t of s.targets) mark(t, isCall(s.value));
          break;
        case 'annassign':
          mark(s.target, isCall(s.value));
          break;
        case 'augassign':
          mark(s.target, false);
          break;
        case 'for':
          mark(s.target, false);
          this.poison([...s.body, ...s.orelse], scope, reason, at);
          break;
        case 'if':
        case 'while':
          this.poison([...s.body, ...s.orelse], scope, reason, at);
          break;
        case 'try':
          this.poison([...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.finalbody], scope, reason, at);
          break;
        case 'with':
          this.poison(s.body, scope, reason, at);
          break;
        case 'def':
        case 'class':
          this.setVar(scope, s.name, unknown(reason, range));
          break;
        case 'expr': {
          // `layers.append(x)` / `self.add_module(...)` under an unknown condition: the receiver becomes unknown.
          const v = s.value;
          if (
            v.kind === 'call' &&
            v.func.kind === 'attr' &&
            ['append', 'extend', 'insert', 'add_module', 'register_module', 'update', 'register_parameter', 'register_buffer'].includes(
              v.func.name,
            )
          ) {
            const recv = v.func.obj;
            if (recv.kind === 'name' && recv.id !== 'self') mark(recv, true);
            else if (recv.kind === 'attr') mark(recv, true);
            else if (recv.kind === 'name' && recv.id === 'self' && (v.func.name === 'add_module' || v.func.name === 'register_module')) {
              const nameArg = v.args[0];
              if (nameArg && nameArg.value.kind === 'str')
                mark({ kind: 'attr', obj: recv, name: nameArg.value.value, from: v.from, to: v.to }, true);
            }
          } else if (
            v.kind === 'call' &&
            v.func.kind === 'name' &&
            v.func.id === 'setattr' &&
            v.args[0] &&
            v.args[1]?.value.kind === 'str'
          ) {
            mark({ kind: 'attr', obj: v.args[0].value, name: v.args[1].value.value, from: v.from, to: v.to }, true);
          }
          break;
        }
        case 'return':
          // A return under an unknown condition: the function's result cannot be known either.
          break;
        default:
          break;
      }
    }
  }

  // ------------------------------------------------------------ assignment

  assign(target: Expr, value: Value, scope: Scope, stmt: { from: number; to: number }): void {
    const ctx = this.frame.module;
    switch (target.kind) {
      case 'name':
        this.setVar(scope, target.id, value);
        return;
      case 'tuple':
      case 'list': {
        const starIdx = target.elts.findIndex((e) => e.kind === 'starred');
        const items = this.iterate(value, { range: this.range(ctx, target) });
        if (isUnknown(items)) {
          for (const e of target.elts) this.assign(e.kind === 'starred' ? e.value : e, items, scope, stmt);
          return;
        }
        if (starIdx < 0) {
          if (items.length !== target.elts.length) {
            this.raise('ValueError', `cannot unpack ${items.length} values into ${target.elts.length} targets`, this.range(ctx, target));
          }
          target.elts.forEach((e, i) => this.assign(e, items[i]!, scope, stmt));
          return;
        }
        const after = target.elts.length - starIdx - 1;
        target.elts.slice(0, starIdx).forEach((e, i) => this.assign(e, items[i] ?? unknown('not enough values to unpack'), scope, stmt));
        this.assign(
          (target.elts[starIdx] as Extract<Expr, { kind: 'starred' }>).value,
          list(items.slice(starIdx, items.length - after)),
          scope,
          stmt,
        );
        target.elts
          .slice(starIdx + 1)
          .forEach((e, i) => this.assign(e, items[items.length - after + i] ?? unknown('not enough values to unpack'), scope, stmt));
        return;
      }
      case 'starred':
        this.assign(target.value, value, scope, stmt);
        return;
      case 'attr': {
        const obj = this.force(this.eval(target.obj, scope));
        this.setAttr(obj, target.name, value, { range: this.range(ctx, stmt) });
        return;
      }
      case 'subscript': {
        const obj = this.force(this.eval(target.obj, scope));
        const index = this.force(this.eval(target.index, scope));
        this.setItem(obj, index, value, { range: this.range(ctx, stmt) });
        return;
      }
      default:
        this.diag('warning', 'unsupported', 'cannot assign to this expression', this.range(ctx, target));
    }
  }

  private deleteTarget(t: Expr, scope: Scope): void {
    this.effects++;
    if (t.kind === 'name') scope.vars.delete(t.id);
    else if (t.kind === 'subscript') {
      const obj = this.force(this.eval(t.obj, scope));
      const idx = this.force(this.eval(t.index, scope));
      if (obj.kind === 'dict') obj.map.delete(keyOf(idx));
      else if (obj.kind === 'list' && idx.kind === 'int') obj.items.splice(idx.v < 0 ? obj.items.length + idx.v : idx.v, 1);
    } else if (t.kind === 'attr') {
      const obj = this.force(this.eval(t.obj, scope));
      if (obj.kind === 'instance') {
        obj.attrs.delete(t.name);
        obj.module?.children.delete(t.name);
        obj.module?.params.delete(t.name);
        obj.module?.buffers.delete(t.name);
      }
    } else if (t.kind === 'tuple' || t.kind === 'list') for (const e of t.elts) this.deleteTarget(e, scope);
  }

  setVar(scope: Scope, name: string, value: Value): void {
    if (scope.globals?.has(name)) {
      this.frame.module.globals.vars.set(name, value);
      return;
    }
    if (scope.nonlocals?.has(name)) {
      for (let s = scope.parent; s; s = s.parent) {
        if (s.vars.has(name)) {
          s.vars.set(name, value);
          return;
        }
      }
    }
    scope.vars.set(name, value);
  }

  lookup(scope: Scope, name: string, node: { from: number; to: number }): Value {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    const b = this.domain.builtins.vars.get(name);
    if (b !== undefined) return b;
    return unknown(`name '${name}' is not defined`, this.range(this.frame.module, node));
  }

  setAttr(obj: Value, name: string, value: Value, site: CallSite): void {
    this.effects++;
    if (obj.kind === 'instance') {
      if (this.domain.setAttr?.(obj, name, value, site)) return;
      obj.attrs.set(name, value);
    } else if (obj.kind === 'class') obj.attrs.set(name, value);
    else if (obj.kind === 'function') obj.attrs.set(name, value);
    // Attributes on unknown objects are dropped: nothing depends on them that we could know.
  }

  setItem(obj: Value, index: Value, value: Value, site: CallSite): void {
    this.effects++;
    if (this.domain.setItem?.(obj, index, value, site)) return;
    if (obj.kind === 'dict') {
      obj.map.set(keyOf(index), [index, value]);
      return;
    }
    if (obj.kind === 'list') {
      if (index.kind === 'int' || index.kind === 'bool') {
        const i = normIndex(numberOf(index), obj.items.length);
        if (i < 0 || i >= obj.items.length) this.raise('IndexError', 'list assignment index out of range', site.range);
        obj.items[i] = obj.ndarray ? this.#asItemOf(obj.items[i]!, value) : value;
        return;
      }
      if (index.kind === 'slice') {
        const [start, stop, step] = sliceBounds(index, obj.items.length, (v) => this.force(v));
        if (obj.ndarray) {
          // numpy assigns in place, a number to every item of the slice, or a sequence item by item (same length).
          const at: number[] = [];
          for (let i = start; step > 0 ? i < stop : i > stop; i += step) at.push(i);
          const v = this.force(value);
          const items = isNumber(v) ? at.map(() => v) : this.iterate(v, site);
          if (isUnknown(items) || items.length !== at.length) {
            for (const i of at) obj.items[i] = unknown('array items assigned values that are not modelled', site.range);
          } else at.forEach((i, k) => (obj.items[i] = items[k]!));
          return;
        }
        const items = this.iterate(value, site);
        if (isUnknown(items)) obj.unknownReason ??= `a slice of it was assigned values that cannot be known: ${items.reason}`;
        else obj.items.splice(start, Math.max(0, stop - start), ...items);
        return;
      }
      // numpy's a[i, j, …] = v with ints: the item of the nested arrays, one level per int.
      if (obj.ndarray && index.kind === 'tuple' && index.items.length > 0 && index.items.every((i) => this.force(i).kind === 'int')) {
        let target: Value = obj;
        for (const i of index.items.slice(0, -1)) target = this.force(this.getItem(target, i, site));
        if (target.kind === 'list' && target.ndarray) {
          this.setItem(target, this.force(index.items.at(-1)!), value, site);
          return;
        }
      }
      // An unknown index: every element could have changed.
      for (let i = 0; i < obj.items.length; i++) obj.items[i] = unknown('list item assigned at an unknown index', site.range);
      return;
    }
    if (obj.kind === 'instance') {
      const setitem = this.findClassAttr(obj.cls, '__setitem__');
      if (setitem) this.callValue(setitem, { args: [obj, index, value], kwargs: new Map() }, site);
    }
  }

  // ------------------------------------------------------------ functions and classes

  makeFunction(name: string, params: Param[], body: FunctionV['body'], scope: Scope, range: SourceRange): FunctionV {
    const defaults = new Map<string, Value>();
    for (const p of params) if (p.default) defaults.set(p.name, this.eval(p.default, scope));
    const enclosing = this.frames.length ? this.frame : undefined;
    return {
      kind: 'function',
      name,
      qualname: name,
      params,
      defaults,
      body,
      closure: scope,
      module: enclosing?.module ?? this.frame.module,
      range,
      attrs: new Map(),
    };
  }

  private decorate(v: Value, decorators: Expr[], scope: Scope): Value {
    let out = v;
    for (let i = decorators.length - 1; i >= 0; i--) {
      const d = decorators[i]!;
      const dec = this.force(this.eval(d, scope));
      const name = decoratorName(d);
      if (dec.kind === 'class' && (dec.name === 'staticmethod' || dec.name === 'classmethod' || dec.name === 'property')) {
        out = { kind: dec.name, fn: out };
        continue;
      }
      if (dec.kind === 'builtin' && dec.name.startsWith('identity-decorator')) continue;
      if (dec.kind === 'builtin' && dec.name.startsWith('decorator:')) {
        out = dec.fn({ args: [out], kwargs: new Map() }, { range: this.range(this.frame.module, d) });
        continue;
      }
      // Decorators we do not model (registries, legacy-argument shims, caching) are taken as identity:
      // model factories keep their behaviour through them. One written in the source still runs, for its
      // effects (`_models[fn.__name__] = fn` in a registry); what it returns is not used. Say so, once.
      if (dec.kind === 'function') {
        try {
          this.callValue(dec, { args: [out], kwargs: new Map() }, { range: this.range(this.frame.module, d) });
        } catch (e) {
          if (!(e instanceof PyRaise)) throw e;
        }
      }
      this.diag('info', 'decorator', `decorator '${name}' treated as identity`, this.range(this.frame.module, d));
    }
    return out;
  }

  private makeClass(s: Extract<Stmt, { kind: 'class' }>, scope: Scope): ClassV {
    const ctx = this.frame.module;
    const bases: ClassV[] = [];
    let unknownBase: string | undefined;
    for (const a of s.bases) {
      if (a.kind !== 'pos') continue; // metaclass=..., keywords
      const b = this.force(this.eval(a.value, scope));
      if (b.kind === 'class') bases.push(b);
      else if (isUnknown(b)) unknownBase = b.reason;
      else if (b.kind === 'builtin' && b.name.startsWith('typing.'))
        continue; // Generic[T], Protocol
      else unknownBase = `base class of type ${typeName(b)}`;
    }
    const cls: ClassV = {
      kind: 'class',
      name: s.name,
      qualname: s.name,
      bases,
      mro: [],
      attrs: new Map(),
      range: this.range(ctx, { from: s.nameFrom, to: s.to }),
      module: ctx,
      ...(bases.some((b) => b.torch) ? { torch: { type: 'module' as const } } : {}),
      ...(bases.some((b) => b.isException) ? { isException: true } : {}),
      ...(unknownBase || bases.some((b) => b.unknownBase)
        ? { unknownBase: unknownBase ?? bases.find((b) => b.unknownBase)!.unknownBase! }
        : {}),
    };
    this.budget.work(
      bases.reduce((n, b) => n + b.mro.length, 0),
      () => this.range(ctx, s),
    );
    cls.mro = computeMro(cls);
    // The class body runs in its own scope whose parent is the enclosing scope (methods do not see it).
    const annotations: string[] = [];
    const body: Scope = { vars: cls.attrs, parent: scope, annotations };
    this.execBlock(s.body, body);
    cls.annotations = annotations;
    for (const v of cls.attrs.values()) {
      const fn =
        v.kind === 'function'
          ? v
          : (v.kind === 'staticmethod' || v.kind === 'classmethod' || v.kind === 'property') && v.fn.kind === 'function'
            ? v.fn
            : undefined;
      if (fn && !fn.definingClass) fn.definingClass = cls;
    }
    return cls;
  }

  findClassAttr(cls: ClassV, name: string): Value | undefined {
    for (const c of cls.mro) {
      const v = c.attrs.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Binds positional and keyword arguments to a function's parameters (Python's rules). */
  private bindArgs(fn: FunctionV, call: CallArgs, site: CallSite): Map<string, Value> {
    const vars = new Map<string, Value>();
    const args = call.args;
    let ai = 0;
    const positional = fn.params.filter((p) => p.kind === 'normal' || p.kind === 'posonly');
    for (const p of positional) {
      if (ai < args.length) vars.set(p.name, args[ai++]!);
    }
    const varargs = fn.params.find((p) => p.kind === 'varargs');
    if (varargs) vars.set(varargs.name, tuple(args.slice(ai)));
    else if (ai < args.length) {
      this.raise('TypeError', `${fn.name}() takes ${positional.length} positional arguments but ${args.length} were given`, site.range);
    }
    const varkw = fn.params.find((p) => p.kind === 'varkw');
    const extra: [Value, Value][] = [];
    for (const [k, v] of call.kwargs) {
      const p = fn.params.find((q) => q.name === k && q.kind !== 'varargs' && q.kind !== 'varkw' && q.kind !== 'posonly');
      if (p) {
        if (vars.has(k)) this.raise('TypeError', `${fn.name}() got multiple values for argument '${k}'`, site.range);
        vars.set(k, v);
      } else if (varkw) extra.push([str(k), v]);
      else this.raise('TypeError', `${fn.name}() got an unexpected keyword argument '${k}'`, site.range);
    }
    if (varkw) vars.set(varkw.name, dict(extra));
    for (const p of fn.params) {
      if (vars.has(p.name)) continue;
      const d = fn.defaults.get(p.name);
      if (d !== undefined) vars.set(p.name, d);
      else if (p.kind !== 'varargs' && p.kind !== 'varkw') {
        this.raise('TypeError', `${fn.name}() missing required argument: '${p.name}'`, site.range);
      }
    }
    return vars;
  }

  callFunction(fn: FunctionV, call: CallArgs, site: CallSite): Value {
    this.effects++;
    if (this.depth >= this.limits.maxCallDepth) {
      throw new BudgetExceeded(
        `analysis stopped: call depth limit of ${this.limits.maxCallDepth} reached (deep or infinite recursion in '${fn.name}')`,
        site.range,
      );
    }
    this.tick();
    const vars = this.bindArgs(fn, call, site);
    const scope: Scope = { vars, parent: fn.closure, globals: new Set(), nonlocals: new Set() };
    this.depth++;
    this.callStack.push(site.range);
    try {
      const frame: Frame = { module: fn.module, fn, ...(call.args[0] ? { firstArg: call.args[0] } : {}) };
      return this.withFrame(frame, () => {
        if ('expr' in fn.body) return this.eval(fn.body.expr, scope);
        if (hasYield(fn)) return unknown(`generator function '${fn.name}' is not interpreted`, fn.range);
        const c = this.execBlock(fn.body.get(), scope);
        const result = c?.type === 'return' ? c.value : NONE;
        const other = frame.maybeReturns?.find((m) => !sameValue(m.value, result));
        if (!other) return result;
        this.diag(
          'info',
          'branch',
          `the result of '${fn.name}' ${other.reason}: it returns early in one arm of the if, with a different value`,
          other.range,
        );
        return unknown(other.reason, other.range, true);
      });
    } finally {
      this.depth--;
      this.callStack.pop();
    }
  }

  /** Calls any callable value. */
  callValue(fnv: Value, call: CallArgs, site: CallSite): Value {
    this.effects++;
    const fn = this.force(fnv);
    switch (fn.kind) {
      case 'function':
        return this.callFunction(fn, call, site);
      case 'builtin':
        this.tick();
        return fn.fn(call, site);
      case 'bound':
        return this.callValue(fn.fn, { args: [fn.self, ...call.args], kwargs: call.kwargs }, site);
      case 'partial': {
        const kwargs = new Map(fn.kwargs);
        for (const [k, v] of call.kwargs) kwargs.set(k, v);
        return this.callValue(fn.fn, { args: [...fn.args, ...call.args], kwargs }, site);
      }
      case 'class':
        return this.instantiate(fn, call, site);
      case 'instance': {
        const handled = this.domain.callInstance?.(fn, call, site);
        if (handled !== undefined) return handled;
        const m = this.findClassAttr(fn.cls, '__call__');
        if (m) return this.callValue(this.bindMember(m, fn, fn.cls), call, site);
        return unknown(`'${fn.cls.name}' object is not callable`, site.range);
      }
      case 'staticmethod':
        return this.callValue(fn.fn, call, site);
      case 'unknown':
        this.taintArguments(call, fn, site);
        return unknown(fn.reason, fn.range ?? site.range, true);
      default:
        return unknown(`'${typeName(fn)}' object is not callable`, site.range);
    }
  }

  /**
   * A call the interpreter cannot follow may change what it was given: every list and dict passed to it
   * (at any depth of tuples) cannot be known from then on, and reading one says which call it was.
   */
  private taintArguments(call: CallArgs, fn: UnknownV, site: CallSite): void {
    const line = site.range.line + 1;
    const reason = `changed by a call that cannot be followed (line ${line}: ${fn.reason})`;
    const visit = (v: Value): void => {
      const x = this.force(v);
      if (x.kind === 'list' || x.kind === 'dict') {
        if (x.unknownReason) return;
        x.unknownReason = reason;
        this.diag(
          'info',
          'unknown-call',
          `a ${x.kind} passed to a call that cannot be followed is unknown from here on (${fn.reason})`,
          site.range,
        );
      } else if (x.kind === 'tuple') x.items.forEach(visit);
    };
    [...call.args, ...call.kwargs.values()].forEach(visit);
  }

  /** The reason a list or dict cannot be known any more, if it cannot. */
  private tainted(v: Value): UnknownV | undefined {
    return (v.kind === 'list' || v.kind === 'dict') && v.unknownReason ? unknown(v.unknownReason, undefined, true) : undefined;
  }

  instantiate(cls: ClassV, call: CallArgs, site: CallSite): Value {
    if (cls.construct) return cls.construct(call, site);
    const inst = this.domain.newInstance(cls, site);
    if (cls.isException) {
      const m = call.args[0] ? this.force(call.args[0]) : undefined;
      // The message is the model code's own text, perhaps built from what a config file holds: kept as a token or its length.
      const withMsg: InstanceV = { ...inst, ...(m && m.kind === 'str' ? { message: shownString(m.v, String) } : {}) };
      return withMsg;
    }
    const init = this.findClassAttr(cls, '__init__');
    if (init) this.callValue(this.bindMember(init, inst, cls), call, site);
    return inst;
  }

  /** Binds a class attribute found on `self`'s class to `self` (functions → bound methods). */
  bindMember(member: Value, self: Value, cls: ClassV): Value {
    switch (member.kind) {
      case 'function':
      case 'builtin':
        return { kind: 'bound', self, fn: member, viaClass: cls } satisfies BoundV;
      case 'classmethod':
        return { kind: 'bound', self: self.kind === 'instance' ? self.cls : self, fn: member.fn };
      case 'staticmethod':
        return member.fn;
      case 'property':
        return this.callValue(
          member.fn,
          { args: [self], kwargs: new Map() },
          { range: this.callStack[this.callStack.length - 1] ?? rangeIn(this.frame.module, 0, 0) },
        );
      default:
        return member;
    }
  }

  // ------------------------------------------------------------ attributes

  getAttr(objv: Value, name: string, site: CallSite): Value {
    const obj = this.force(objv);
    const handled = this.domain.getAttr?.(obj, name, site);
    if (handled !== undefined) return handled;
    switch (obj.kind) {
      case 'instance': {
        const own = obj.attrs.get(name);
        if (own !== undefined) return own;
        if (name === '__class__') return obj.cls;
        if (name === '__dict__') return this.namespaceDict(obj);
        const m = this.findClassAttr(obj.cls, name);
        if (m !== undefined) return this.bindMember(m, obj, obj.cls);
        const ga = this.findClassAttr(obj.cls, '__getattr__');
        if (ga && ga.kind === 'function')
          return this.callValue(this.bindMember(ga, obj, obj.cls), { args: [str(name)], kwargs: new Map() }, site);
        // `self.__setattr__(name, m)` / `self.__getattr__(name)` spelled out: the same as setattr / getattr
        // (nn.Module's own __setattr__ registers a module or parameter, as `self.x = m` does).
        const dunder = this.attrDunder(obj, name);
        if (dunder) return dunder;
        if (obj.cls.unknownBase)
          return unknown(`'${obj.cls.name}.${name}' comes from a base class without source (${obj.cls.unknownBase})`, site.range, true);
        return unknown(`'${obj.cls.name}' object has no attribute ${quotedToken(name)}`, site.range);
      }
      case 'class': {
        if (name === '__name__' || name === '__qualname__') return str(obj.name);
        if (name === '__dict__') return this.namespaceDict(obj);
        if (name === '__mro__') return tuple(obj.mro);
        const m = this.findClassAttr(obj, name);
        if (m !== undefined) {
          if (m.kind === 'classmethod') return { kind: 'bound', self: obj, fn: m.fn };
          if (m.kind === 'staticmethod') return m.fn;
          return m;
        }
        if (obj.unknownBase)
          return unknown(`'${obj.name}.${name}' comes from a base class without source (${obj.unknownBase})`, site.range, true);
        return unknown(`type object '${obj.name}' has no attribute ${quotedToken(name)}`, site.range);
      }
      case 'module': {
        if (name === '__dict__') return this.namespaceDict(obj);
        const v = obj.get(name);
        return v ?? unknown(`module '${obj.name}' has no attribute ${quotedToken(name)}`, site.range);
      }
      case 'super': {
        const mro = obj.self.kind === 'instance' ? obj.self.cls.mro : obj.self.kind === 'class' ? obj.self.mro : [];
        const start = mro.indexOf(obj.cls);
        for (const c of mro.slice(start + 1)) {
          const m = c.attrs.get(name);
          if (m !== undefined) return this.bindMember(m, obj.self, c);
        }
        if (name === '__init__') return { kind: 'builtin', name: 'object.__init__', fn: () => NONE };
        const torchMethod = this.domain.superMethod?.(obj.self, mro.slice(start + 1), name, site);
        if (torchMethod !== undefined) return torchMethod;
        return unknown(`super() has no attribute ${quotedToken(name)}`, site.range, true);
      }
      case 'function':
        if (name === '__name__' || name === '__qualname__') return str(obj.name);
        if (name === '__module__') return str(obj.module.name);
        return obj.attrs.get(name) ?? unknown(`function attribute '${name}'`, site.range);
      case 'unknown':
        return unknown(obj.reason, obj.range ?? site.range, true);
      default: {
        const t = this.tainted(obj);
        if (t) return t;
        const m = this.domain.method(obj, name, site);
        if (m !== undefined) return m;
        if (obj.kind === 'str' && obj.opaque) return unknown(`str.${name} of an f-string`, site.range);
        return unknown(`'${typeName(obj)}' object has no attribute ${quotedToken(name)}`, site.range);
      }
    }
  }

  /** `obj.__setattr__` / `__getattr__` / `__getattribute__` / `__delattr__` as bound builtins (no user override). */
  private attrDunder(obj: InstanceV, name: string): Value | undefined {
    const nameOf = (c: CallArgs, site: CallSite): string | UnknownV => {
      const n = this.force(c.args[0] ?? NONE);
      return n.kind === 'str' && !n.opaque ? n.v : unknown(`${name}() with a name that cannot be known`, site.range, true);
    };
    switch (name) {
      case '__setattr__':
        return builtin(`${obj.cls.name}.__setattr__`, (c, site) => {
          const n = nameOf(c, site);
          if (typeof n !== 'string') {
            if (obj.module) obj.module.unknownReason ??= n.reason;
            return NONE;
          }
          this.setAttr(obj, n, c.args[1] ?? NONE, site);
          return NONE;
        });
      case '__getattr__':
      case '__getattribute__':
        return builtin(`${obj.cls.name}.${name}`, (c, site) => {
          const n = nameOf(c, site);
          return typeof n === 'string' ? this.getAttr(obj, n, site) : n;
        });
      case '__delattr__':
        return builtin(`${obj.cls.name}.__delattr__`, (c, site) => {
          const n = nameOf(c, site);
          if (typeof n === 'string') {
            obj.attrs.delete(n);
            obj.module?.children.delete(n);
            obj.module?.params.delete(n);
            obj.module?.buffers.delete(n);
          }
          return NONE;
        });
      default:
        return undefined;
    }
  }

  /**
   * `module.__dict__`, `vars(obj)`, `globals()`: a dict of the namespace's names as they are now (a
   * snapshot: registries read through it, `hrnetv2.__dict__[name](...)`; writes into it are not seen).
   */
  namespaceDict(obj: Value): Value {
    const entries = (m: Map<string, Value>) => dict([...m].map(([k, v]) => [str(k), v] as [Value, Value]));
    switch (obj.kind) {
      case 'instance':
        return entries(obj.attrs);
      case 'class':
        return entries(obj.attrs);
      case 'module':
        if (obj.ctx) {
          if (obj.ctx.loadAll) obj.ctx.loadAll();
          else obj.names?.(); // runs the module body if it has not run yet
          return entries(obj.ctx.globals.vars);
        }
        return unknown(`the namespace of module '${obj.name}' cannot be known (no source)`, undefined, true);
      case 'unknown':
        return obj;
      default:
        return unknown(`'${typeName(obj)}' object has no attribute '__dict__'`);
    }
  }

  // ------------------------------------------------------------ expressions

  eval(e: Expr, scope: Scope): Value {
    this.tick(e);
    const ctx = this.frame.module;
    switch (e.kind) {
      case 'name':
        return this.lookup(scope, e.id, e);
      case 'num':
        if (!e.isFloat && !Number.isSafeInteger(e.value)) return unknown('integer literal too large', this.range(ctx, e));
        return e.isFloat ? float(e.value) : int(e.value);
      case 'str':
        return e.opaque ? { kind: 'str', v: e.value, opaque: true } : str(e.value);
      case 'fstring':
        return this.fstring(e, scope);
      case 'const':
        return e.value === 'None' ? NONE : e.value === 'Ellipsis' ? ELLIPSIS : bool(e.value === 'True');
      case 'attr':
        return this.getAttr(this.eval(e.obj, scope), e.name, { range: this.range(ctx, e) });
      case 'subscript':
        return this.getItem(this.eval(e.obj, scope), this.eval(e.index, scope), { range: this.range(ctx, e) });
      case 'slice':
        return {
          kind: 'slice',
          lower: e.lower ? this.eval(e.lower, scope) : NONE,
          upper: e.upper ? this.eval(e.upper, scope) : NONE,
          step: e.step ? this.eval(e.step, scope) : NONE,
        };
      case 'call':
        return this.evalCall(e, scope);
      case 'binop':
        return this.binop(e.op, this.eval(e.left, scope), this.eval(e.right, scope), { range: this.range(ctx, e) });
      case 'unary':
        return this.unary(e.op, this.eval(e.operand, scope), { range: this.range(ctx, e) });
      case 'boolop': {
        const l = this.eval(e.left, scope);
        const t = this.truthy(l);
        if (t === undefined) {
          const r = this.eval(e.right, scope);
          // `unknown and False` is False-ish only when the right side is falsy for `and`... keep it simple and exact:
          if (e.op === 'and' && this.truthy(r) === false)
            return r.kind === 'bool' ? r : unknown((l as UnknownV).reason, (l as UnknownV).range);
          if (e.op === 'or' && this.truthy(r) === true) return unknown((l as UnknownV).reason, (l as UnknownV).range);
          return isUnknown(l) ? l : unknown('condition cannot be known', this.range(ctx, e));
        }
        if (e.op === 'and') return t ? this.eval(e.right, scope) : l;
        return t ? l : this.eval(e.right, scope);
      }
      case 'compare': {
        let left = this.eval(e.operands[0]!, scope);
        let result: Value = bool(true);
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.eval(e.operands[i + 1]!, scope);
          const r = this.compare(e.ops[i]!, left, right, { range: this.range(ctx, e) });
          if (isUnknown(r)) result = r;
          else if (!(r.kind === 'bool' && r.v)) return r;
          left = right;
        }
        return result;
      }
      case 'ifexp': {
        const cond = this.eval(e.test, scope);
        const t = this.truthy(cond, this.range(ctx, e.test));
        if (t === undefined) {
          const a = this.eval(e.body, scope),
            b = this.eval(e.orelse, scope);
          if (sameValue(a, b)) return a;
          return unknown(
            `depends on a condition that cannot be known (${isUnknown(cond) ? cond.reason : 'unknown'})`,
            this.range(ctx, e),
            true,
          );
        }
        return this.eval(t ? e.body : e.orelse, scope);
      }
      case 'lambda':
        return this.makeFunction('<lambda>', e.params, { expr: e.body }, scope, this.range(ctx, e));
      case 'tuple':
      case 'list':
      case 'set': {
        const items: Value[] = [];
        for (const el of e.elts) {
          if (el.kind === 'starred') {
            const it = this.iterate(this.eval(el.value, scope), { range: this.range(ctx, el) });
            if (isUnknown(it)) return unknown(it.reason, it.range, true);
            items.push(...it);
          } else items.push(this.eval(el, scope));
        }
        return e.kind === 'tuple' ? tuple(items) : e.kind === 'list' ? list(items) : { kind: 'set', items: dedupe(items) };
      }
      case 'dict': {
        const d = dict();
        for (const en of e.entries) {
          if ('spread' in en) {
            const s = this.force(this.eval(en.spread, scope));
            const t = this.tainted(s);
            if (t) return unknown(t.reason, this.range(ctx, en.spread), true);
            if (s.kind === 'dict') for (const [k, v] of s.map) d.map.set(k, v);
            else return unknown(isUnknown(s) ? s.reason : `cannot unpack ${typeName(s)} as a mapping`, this.range(ctx, en.spread));
          } else {
            const k = this.force(this.eval(en.key, scope));
            d.map.set(keyOf(k), [k, this.eval(en.value, scope)]);
          }
        }
        return d;
      }
      case 'comp':
        return this.comprehension(e, scope);
      case 'starred':
        return this.eval(e.value, scope);
      case 'walrus': {
        const v = this.eval(e.value, scope);
        this.setVar(scope, e.target, v);
        return v;
      }
      case 'bad':
        this.diag('warning', 'unsupported', e.reason, this.range(ctx, e));
        return unknown(e.reason, this.range(ctx, e));
    }
  }

  /** An f-string: exact when every field is a known value with a format we render, else opaque. */
  private fstring(e: Extract<Expr, { kind: 'fstring' }>, scope: Scope): Value {
    let out = '';
    let opaque = false;
    for (const p of e.parts) {
      if ('text' in p) {
        out += p.text;
        continue;
      }
      const v = this.force(this.eval(p.expr, scope));
      const spec = p.spec ?? '';
      const s =
        p.conversion === 'r' || (p.selfDoc && !p.conversion && !p.spec)
          ? pyRepr(v)
          : /[{}]/.test(spec)
            ? undefined
            : formatWithSpec(v, spec);
      if (s === undefined) opaque = true;
      else out += (p.selfDoc ?? '') + s;
    }
    return opaque ? { kind: 'str', v: '', opaque: true } : str(out);
  }

  evalArgs(args: Arg[], scope: Scope): CallArgs | UnknownV {
    const ctx = this.frame.module;
    const out: Value[] = [];
    const kwargs = new Map<string, Value>();
    for (const a of args) {
      switch (a.kind) {
        case 'pos':
          out.push(this.eval(a.value, scope));
          break;
        case 'kw':
          kwargs.set(a.name!, this.eval(a.value, scope));
          break;
        case 'star': {
          const it = this.iterate(this.eval(a.value, scope), { range: this.range(ctx, a.value) });
          if (isUnknown(it)) return unknown(`*args cannot be known: ${it.reason}`, it.range ?? this.range(ctx, a.value), true);
          out.push(...it);
          break;
        }
        case 'dstar': {
          const d = this.force(this.eval(a.value, scope));
          const t = this.tainted(d);
          if (t) return unknown(`**kwargs cannot be known: ${t.reason}`, this.range(ctx, a.value), true);
          if (d.kind !== 'dict')
            return unknown(
              isUnknown(d) ? `**kwargs cannot be known: ${d.reason}` : `** argument is a ${typeName(d)}`,
              this.range(ctx, a.value),
              true,
            );
          for (const [k, v] of d.map.values()) {
            const kk = this.force(k);
            if (kk.kind !== 'str' || kk.opaque)
              return unknown('** argument has a key that cannot be known', this.range(ctx, a.value), true);
            kwargs.set(kk.v, v);
          }
          break;
        }
      }
    }
    return { args: out, kwargs };
  }

  private evalCall(e: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
    const ctx = this.frame.module;
    const site: CallSite = { range: this.range(ctx, e) };
    // Zero-argument super(): the defining class of the running function and its first argument.
    if (e.func.kind === 'name' && e.func.id === 'super' && e.args.length === 0) {
      const fn = this.frame.fn;
      const cls = fn?.definingClass;
      const self = this.frame.firstArg;
      if (!cls || !self) return unknown('super() outside a method', site.range);
      return { kind: 'super', cls, self };
    }
    const fn = this.eval(e.func, scope);
    const call = this.evalArgs(e.args, scope);
    if (isUnknown(call)) {
      const f = this.force(fn);
      // A torch layer constructed with unknown *args/**kwargs is still a layer, with unknown hyperparameters.
      if (f.kind === 'class' && f.torch) return this.instantiateUnknown(f, call, site);
      return call;
    }
    try {
      return this.callValue(fn, call, site);
    } catch (err) {
      if (err instanceof PyRaise && !err.range) throw new PyRaise(err.exc, err.pyMessage, site.range);
      throw err;
    }
  }

  private instantiateUnknown(cls: ClassV, why: UnknownV, site: CallSite): Value {
    const inst = this.domain.newInstance(cls, site);
    if (inst.module) inst.module.unknownReason = why.reason;
    return inst;
  }

  private comprehension(e: Extract<Expr, { kind: 'comp' }>, scope: Scope): Value {
    const ctx = this.frame.module;
    const inner: Scope = { vars: new Map(), parent: scope };
    const results: Value[] = [];
    const pairs: [Value, Value][] = [];
    let failure: UnknownV | undefined;
    const run = (gi: number): void => {
      if (failure) return;
      if (gi === e.generators.length) {
        if (e.type === 'dict') pairs.push([this.force(this.eval(e.elt, inner)), this.eval(e.value!, inner)]);
        else results.push(this.eval(e.elt, inner));
        if (results.length + pairs.length > this.limits.maxSequenceLength) {
          throw new BudgetExceeded(
            `analysis stopped: a comprehension produced more than ${this.limits.maxSequenceLength.toLocaleString('en-US')} items`,
            this.range(ctx, e),
          );
        }
        return;
      }
      const g = e.generators[gi]!;
      const items = this.iterate(this.eval(g.iter, gi === 0 ? scope : inner), { range: this.range(ctx, g.iter) });
      if (isUnknown(items)) {
        failure = items;
        return;
      }
      for (const it of items) {
        this.tick(e);
        this.assign(g.target, it, inner, e);
        let ok = true;
        for (const cond of g.ifs) {
          const t = this.truthy(this.eval(cond, inner));
          if (t === undefined) {
            failure = unknown('comprehension filter cannot be known', this.range(ctx, cond));
            return;
          }
          if (!t) {
            ok = false;
            break;
          }
        }
        if (ok) run(gi + 1);
        if (failure) return;
      }
    };
    run(0);
    if (failure) return unknown(failure.reason, failure.range, true);
    if (e.type === 'dict') return dict(pairs);
    if (e.type === 'set') return { kind: 'set', items: dedupe(results) };
    return list(results); // list comprehensions and generator expressions alike
  }

  // ------------------------------------------------------------ operators

  force(v: Value): Value {
    let cur = v;
    for (let i = 0; cur.kind === 'lazy' && i < 20; i++) cur = cur.resolve();
    return cur.kind === 'lazy' ? unknown(`import cycle resolving ${cur.label}`) : cur;
  }

  /** Python truthiness; undefined when it cannot be known. */
  /** Python's truth value of `vv`; undefined when it cannot be known. `site` is where a raising `__bool__` points. */
  truthy(vv: Value, site?: SourceRange): boolean | undefined {
    const v = this.force(vv);
    switch (v.kind) {
      case 'bool':
        return v.v;
      case 'int':
      case 'float':
        return v.v !== 0;
      case 'none':
        return false;
      case 'str':
        return v.opaque ? undefined : v.v.length > 0;
      case 'tuple':
      case 'set':
        return v.items.length > 0;
      case 'list':
        if (v.unknownReason) return undefined;
        // numpy: an array of one item is that item's truth; of more, it raises (ambiguous).
        if (v.ndarray) return v.items.length === 0 ? false : v.items.length === 1 ? this.truthy(v.items[0]!, site) : undefined;
        return v.items.length > 0;
      case 'dict':
        return v.unknownReason ? undefined : v.map.size > 0;
      case 'range':
        return rangeLength(v) > 0;
      case 'unknown':
        return undefined;
      case 'tensor': {
        // Tensor.__bool__: one element is its value; more (or none) is torch's RuntimeError, when the shape is known.
        const n = v.reason === undefined && v.shape.every((d) => d !== null) ? (v.shape as number[]).reduce((a, b) => a * b, 1) : undefined;
        if (n !== undefined && n !== 1)
          this.raise('RuntimeError', `Boolean value of Tensor with ${n ? 'more than one value' : 'no values'} is ambiguous`, site);
        return v.values && v.values.length === 1 ? v.values[0] !== 0 : undefined;
      }
      case 'instance': {
        if (v.module) {
          // nn.Module has no __bool__; the containers' __len__ counts their children (an empty ModuleList is falsy).
          const container = [v.cls, ...v.cls.mro].find((k) => k.torch?.type === 'container')?.torch;
          const counted = container?.type === 'container' && ['Sequential', 'ModuleList', 'ModuleDict'].includes(container.name);
          const userDefined = [v.cls, ...v.cls.mro].some((k) => !k.torch && (k.attrs.has('__len__') || k.attrs.has('__bool__')));
          if (!userDefined) return counted ? v.module.children.size > 0 : true;
        }
        const b = this.findClassAttr(v.cls, '__bool__') ?? this.findClassAttr(v.cls, '__len__');
        if (!b) return true;
        const r = this.force(
          this.callValue(this.bindMember(b, v, v.cls), { args: [], kwargs: new Map() }, { range: rangeIn(this.frame.module, 0, 0) }),
        );
        return this.truthy(r);
      }
      default:
        return true;
    }
  }

  binop(op: string, av: Value, bv: Value, site: CallSite): Value {
    const a = this.force(av),
      b = this.force(bv);
    const dom = this.domain.binop?.(op, a, b, site);
    if (dom !== undefined) return dom;
    if (isUnknown(a)) return a;
    if (isUnknown(b)) return b;
    if (isNumber(a) && isNumber(b)) return arith(op, a, b, site, this);
    if (isNdarray(a) || isNdarray(b)) return this.#arrayArith(op, a, b, site);
    if (op === '+') {
      this.budget.reserve(...footprint([a, b]), () => site.range);
      if (a.kind === 'str' && b.kind === 'str') return { kind: 'str', v: a.v + b.v, ...(a.opaque || b.opaque ? { opaque: true } : {}) };
      if (a.kind === 'list' && b.kind === 'list') return list([...a.items, ...b.items]);
      if (a.kind === 'tuple' && b.kind === 'tuple') return tuple([...a.items, ...b.items]);
    }
    if (a.kind === 'set' && b.kind === 'set' && ['|', '&', '-', '^'].includes(op)) {
      // Set algebra by key; the result's order is never read (iterating a set is unknown).
      const inB = (x: Value) => b.items.some((y) => keyOf(x) === keyOf(y));
      const inA = (y: Value) => a.items.some((x) => keyOf(x) === keyOf(y));
      const items =
        op === '|'
          ? [...a.items, ...b.items.filter((y) => !inA(y))]
          : op === '&'
            ? a.items.filter(inB)
            : op === '-'
              ? a.items.filter((x) => !inB(x))
              : [...a.items.filter((x) => !inB(x)), ...b.items.filter((y) => !inA(y))];
      return { kind: 'set', items };
    }
    if (op === '*') {
      const [seq, n] = isNumber(b) ? [a, b] : [b, a];
      if (isNumber(n) && (seq.kind === 'list' || seq.kind === 'tuple' || seq.kind === 'str')) {
        const k = Math.max(0, numberOf(n));
        this.budget.reserve(...footprint([seq], k), () => site.range);
        if (seq.kind === 'str') {
          if (seq.opaque) return { kind: 'str', v: '', opaque: true };
          // Exact or unknown: a string is never cut short to fit a limit.
          if (k * seq.v.length > MAX_STRING_UNITS)
            return unknown(
              `a string of ${k * seq.v.length} characters is more than the interpreter builds (${MAX_STRING_UNITS})`,
              site.range,
            );
          return str(seq.v.repeat(k));
        }
        if (k * seq.items.length > this.limits.maxSequenceLength) return unknown('sequence too long', site.range);
        const items: Value[] = [];
        for (let i = 0; i < k; i++) items.push(...seq.items);
        return seq.kind === 'list' ? list(items) : tuple(items);
      }
    }
    if (op === '%' && a.kind === 'str') {
      const out = a.opaque ? undefined : percentFormat(a.v, b);
      return out === undefined ? { kind: 'str', v: '', opaque: true } : str(out);
    }
    if (op === '|' && a.kind === 'dict' && b.kind === 'dict') return { kind: 'dict', map: new Map([...a.map, ...b.map]) };
    if (a.kind === 'instance') {
      const dunder = DUNDER[op];
      const m = dunder && this.findClassAttr(a.cls, dunder);
      if (m) return this.callValue(this.bindMember(m, a, a.cls), { args: [b], kwargs: new Map() }, site);
    }
    if (b.kind === 'instance') {
      const dunder = DUNDER[op];
      const m = dunder && this.findClassAttr(b.cls, `__r${dunder.slice(2)}`);
      if (m) return this.callValue(this.bindMember(m, b, b.cls), { args: [a], kwargs: new Map() }, site);
    }
    if (op === '|' || op === '&') {
      if (
        (a.kind === 'class' || a.kind === 'builtin' || a.kind === 'none') &&
        (b.kind === 'class' || b.kind === 'builtin' || b.kind === 'none')
      )
        return unknown('type union', site.range);
    }
    return this.raise('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`, site.range);
  }

  /** numpy arithmetic with an array: elementwise over numbers, with a number or a sequence as long; anything else is unknown. */
  #arrayArith(op: string, a: Value, b: Value, site: CallSite): Value {
    const notModelled = (why: string): UnknownV => unknown(`numpy ${typeName(a)} ${op} ${typeName(b)}: ${why}`, site.range);
    if (!['+', '-', '*', '/', '//', '%', '**'].includes(op)) return notModelled('this operator on arrays is not modelled');
    const side = (v: Value): Value[] | 'scalar' | undefined =>
      isNumber(v) ? 'scalar' : v.kind === 'list' || v.kind === 'tuple' ? v.items.map((x) => this.force(x)) : undefined;
    const [xs, ys] = [side(a), side(b)];
    if (!xs || !ys) return notModelled('only numbers and arrays of numbers are modelled');
    const n = xs === 'scalar' ? (ys as Value[]).length : xs.length;
    if (xs !== 'scalar' && ys !== 'scalar' && xs.length !== ys.length)
      return notModelled(`lengths ${xs.length} and ${ys.length} (broadcasting is not modelled)`);
    const out: Value[] = [];
    for (let i = 0; i < n; i++) {
      const x = xs === 'scalar' ? a : xs[i]!;
      const y = ys === 'scalar' ? b : ys[i]!;
      if (!isNumber(x) || !isNumber(y)) return notModelled('only numbers and arrays of numbers are modelled');
      // numpy refuses an integer to a negative integer power (Python gives a float).
      if (op === '**' && x.kind !== 'float' && y.kind !== 'float' && numberOf(y) < 0)
        return notModelled('integers to negative integer powers');
      const r = arith(op, x, y, site, this);
      if (isUnknown(r)) return r;
      out.push(r);
    }
    return ndarray(out);
  }

  private unary(op: string, vv: Value, site: CallSite): Value {
    const v = this.force(vv);
    if (op === 'not') {
      const t = this.truthy(v);
      return t === undefined ? (isUnknown(v) ? v : unknown('condition cannot be known', site.range)) : bool(!t);
    }
    const dom = this.domain.binop?.(`unary${op}`, v, NONE, site);
    if (dom !== undefined) return dom;
    if (isUnknown(v)) return v;
    if (isNumber(v)) {
      const n = numberOf(v);
      const isF = v.kind === 'float';
      if (op === '-') return isF ? float(-n) : int(-n);
      if (op === '+') return isF ? float(n) : int(n);
      if (op === '~' && !isF) return int(~n);
    }
    return this.raise('TypeError', `bad operand type for unary ${op}: '${typeName(v)}'`, site.range);
  }

  compare(op: string, av: Value, bv: Value, site: CallSite): Value {
    const a = this.force(av),
      b = this.force(bv);
    if (op === 'is' || op === 'is not') {
      if (isUnknown(a) || isUnknown(b)) {
        // `x is None` where x is an unknown value from a call or import still cannot be known.
        return isUnknown(a) ? a : (b as UnknownV);
      }
      const same =
        a === b ||
        (a.kind === 'none' && b.kind === 'none') ||
        (a.kind === 'bool' && b.kind === 'bool' && a.v === b.v) ||
        (a.kind === 'ellipsis' && b.kind === 'ellipsis');
      return bool(op === 'is' ? same : !same);
    }
    if (op === 'in' || op === 'not in') {
      const r = this.contains(b, a, site);
      if (isUnknown(r)) return r;
      return bool(op === 'in' ? (r as { v: boolean }).v : !(r as { v: boolean }).v);
    }
    if (isUnknown(a)) return a;
    if (isUnknown(b)) return b;
    const dom = this.domain.binop?.(op, a, b, site);
    if (dom !== undefined) return dom;
    // numpy compares arrays elementwise (a list would compare as a whole).
    if (isNdarray(a) || isNdarray(b)) return unknown(`numpy ${typeName(a)} ${op} ${typeName(b)} is elementwise; not modelled`, site.range);
    if (op === '==' || op === '!=') {
      const eq = this.equals(a, b);
      if (eq === undefined) return unknown('comparison cannot be known', site.range);
      return bool(op === '==' ? eq : !eq);
    }
    const c = this.order(a, b, site);
    if (c === undefined) return unknown('comparison cannot be known', site.range);
    switch (op) {
      case '<':
        return bool(c < 0);
      case '<=':
        return bool(c <= 0);
      case '>':
        return bool(c > 0);
      case '>=':
        return bool(c >= 0);
    }
    return unknown(`operator ${op}`, site.range);
  }

  equals(a: Value, b: Value): boolean | undefined {
    this.budget.work(1);
    a = this.force(a);
    b = this.force(b);
    if (isUnknown(a) || isUnknown(b)) return undefined;
    if (isNumber(a) && isNumber(b)) return numberOf(a) === numberOf(b);
    if (a.kind === 'str' && b.kind === 'str') return a.opaque || b.opaque ? undefined : a.v === b.v;
    if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
    if ((a.kind === 'tuple' && b.kind === 'tuple') || (a.kind === 'list' && b.kind === 'list')) {
      if (a.items.length !== b.items.length) return false;
      let all: boolean | undefined = true;
      for (let i = 0; i < a.items.length; i++) {
        const e = this.equals(a.items[i]!, b.items[i]!);
        if (e === false) return false;
        if (e === undefined) all = undefined;
      }
      return all;
    }
    if (a.kind === 'dict' && b.kind === 'dict') {
      // Key order does not matter; values compare with ==.
      if (a.map.size !== b.map.size) return false;
      let all: boolean | undefined = true;
      for (const [k, [, va]] of a.map) {
        const hit = b.map.get(k);
        if (!hit) return false;
        const e = this.equals(va, hit[1]);
        if (e === false) return false;
        if (e === undefined) all = undefined;
      }
      return all;
    }
    if (a.kind === 'set' && b.kind === 'set')
      return a.items.length === b.items.length && a.items.every((x) => b.items.some((y) => keyOf(x) === keyOf(y)));
    if (a.kind === 'tensor' || b.kind === 'tensor') return undefined;
    return a === b || keyOf(a) === keyOf(b);
  }

  private order(a: Value, b: Value, site: CallSite): number | undefined {
    if (isNumber(a) && isNumber(b)) return numberOf(a) - numberOf(b);
    if (a.kind === 'str' && b.kind === 'str' && !a.opaque && !b.opaque) return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    if ((a.kind === 'tuple' && b.kind === 'tuple') || (a.kind === 'list' && b.kind === 'list')) {
      for (let i = 0; i < Math.min(a.items.length, b.items.length); i++) {
        const c = this.order(this.force(a.items[i]!), this.force(b.items[i]!), site);
        if (c === undefined) return undefined;
        if (c !== 0) return c;
      }
      return a.items.length - b.items.length;
    }
    if (a.kind === 'tensor' || b.kind === 'tensor') return undefined;
    this.raise('TypeError', `'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`, site.range);
  }

  private contains(container: Value, item: Value, site: CallSite): Value {
    const c = this.force(container);
    if (isUnknown(c)) return c;
    const tainted = this.tainted(c);
    if (tainted) return tainted;
    if (c.kind === 'dict') {
      const k = this.force(item);
      if (isUnknown(k)) return k;
      return bool(c.map.has(keyOf(k)));
    }
    if (c.kind === 'str') {
      const s = this.force(item);
      if (s.kind !== 'str' || s.opaque || c.opaque) return unknown('substring test cannot be known', site.range);
      return bool(c.v.includes(s.v));
    }
    if (c.kind === 'instance' && c.module) {
      const k = this.force(item);
      if (k.kind === 'str') return bool(c.module.children.has(k.v));
    }
    const dunder = c.kind === 'instance' ? this.findClassAttr(c.cls, '__contains__') : undefined;
    if (dunder) return this.callValue(this.bindMember(dunder, c, (c as InstanceV).cls), { args: [item], kwargs: new Map() }, site);
    // Membership does not depend on a set's order.
    const items = this.iterate(c, site, true);
    if (isUnknown(items)) return items;
    let unsure = false;
    for (const it of items) {
      const e = this.equals(it, item);
      if (e === true) return bool(true);
      if (e === undefined) unsure = true;
    }
    return unsure ? unknown('membership cannot be known', site.range) : bool(false);
  }

  getItem(objv: Value, indexv: Value, site: CallSite): Value {
    const obj = this.force(objv),
      index = this.force(indexv);
    const dom = this.domain.getItem?.(obj, index, site);
    if (dom !== undefined) return dom;
    if (isUnknown(obj)) return unknown(obj.reason, obj.range, true);
    const tainted = this.tainted(obj);
    if (tainted) return tainted;
    switch (obj.kind) {
      case 'list':
      case 'tuple':
      case 'str': {
        if (obj.kind === 'str' && obj.opaque) return { kind: 'str', v: '', opaque: true };
        // Python indexes strings by code point; JS by UTF-16 unit (they differ only past U+FFFF).
        const chars = obj.kind === 'str' ? (/[\uD800-\uDBFF]/.test(obj.v) ? [...obj.v] : obj.v) : undefined;
        const len = chars !== undefined ? chars.length : (obj as { items: Value[] }).items.length;
        if (index.kind === 'slice') {
          const [start, stop, step] = sliceBounds(index, len, (v) => this.force(v));
          const idx: number[] = [];
          for (let i = start; step > 0 ? i < stop : i > stop; i += step) idx.push(i);
          if (obj.kind === 'str') return str(idx.map((i) => chars![i]).join(''));
          const items = idx.map((i) => obj.items[i]!);
          return obj.kind === 'list' ? (obj.ndarray ? ndarray(items) : list(items)) : tuple(items);
        }
        if (isUnknown(index)) return unknown(index.reason, index.range, true);
        if (obj.kind === 'list' && obj.ndarray && index.kind !== 'int' && index.kind !== 'bool') return this.#arrayIndex(obj, index, site);
        if (index.kind !== 'int' && index.kind !== 'bool')
          return this.raise('TypeError', `${typeName(obj)} indices must be integers or slices, not ${typeName(index)}`, site.range);
        const i = normIndex(numberOf(index), len);
        if (i < 0 || i >= len) return this.raise('IndexError', `${typeName(obj)} index out of range`, site.range);
        return chars !== undefined ? str(chars[i]!) : (obj as { items: Value[] }).items[i]!;
      }
      case 'dict': {
        if (isUnknown(index)) return unknown(index.reason, index.range, true);
        const hit = obj.map.get(keyOf(index));
        if (!hit) return this.raise('KeyError', repr(index), site.range);
        return hit[1];
      }
      case 'range': {
        if (index.kind === 'int') {
          const len = rangeLength(obj);
          const i = normIndex(index.v, len);
          if (i < 0 || i >= len) return this.raise('IndexError', 'range object index out of range', site.range);
          return int(obj.start + i * obj.step);
        }
        const it = this.iterate(obj, site);
        return isUnknown(it) ? it : this.getItem(list(it), index, site);
      }
      case 'instance': {
        const m = this.findClassAttr(obj.cls, '__getitem__');
        if (m) return this.callValue(this.bindMember(m, obj, obj.cls), { args: [index], kwargs: new Map() }, site);
        return unknown(`'${obj.cls.name}' object is not subscriptable`, site.range);
      }
      case 'class': {
        const m = this.findClassAttr(obj, '__class_getitem__');
        if (m) return this.callValue(this.bindMember(m, obj, obj), { args: [index], kwargs: new Map() }, site);
        return obj; // List[int] and friends used as annotations at runtime
      }
      case 'builtin':
        return obj; // typing.Optional[...] etc.
      default:
        return unknown(`'${typeName(obj)}' object is not subscriptable`, site.range);
    }
  }

  /** A number stored in a numpy array takes the array's dtype, read from the item it replaces (float, or int: truncated). */
  #asItemOf(old: Value, value: Value): Value {
    const [o, v] = [this.force(old), this.force(value)];
    if (!isNumber(o) || !isNumber(v) || o.kind === v.kind) return v;
    if (o.kind === 'float') return float(numberOf(v));
    if (o.kind === 'int') return int(Math.trunc(numberOf(v)));
    return v;
  }

  /**
   * numpy's indexing of an array by something that is not an integer or a slice: an array (or list) of integers
   * gathers those items; a boolean mask, a tuple (several axes) or anything else is not modelled.
   */
  #arrayIndex(obj: ListV, index: Value, site: CallSite): Value {
    // a[i, j, …] with ints: the nested arrays, one level per int.
    if (index.kind === 'tuple' && index.items.every((i) => this.force(i).kind === 'int')) {
      let cur: Value = obj;
      for (const i of index.items) cur = this.getItem(cur, i, site);
      return cur;
    }
    if (index.kind !== 'list') return unknown(`numpy indexing with a ${typeName(index)} is not modelled`, site.range);
    const out: Value[] = [];
    for (const iv of index.items) {
      const i = this.force(iv);
      if (isUnknown(i)) return unknown(i.reason, i.range, true);
      if (i.kind !== 'int') return unknown(`numpy indexing with an array of ${typeName(i)} is not modelled`, site.range);
      const at = normIndex(i.v, obj.items.length);
      if (at < 0 || at >= obj.items.length)
        return this.raise('IndexError', `index ${i.v} is out of bounds for an array of ${obj.items.length}`, site.range);
      out.push(obj.items[at]!);
    }
    return ndarray(out);
  }

  /** The items of an iterable, or unknown. Bounded by maxSequenceLength. */
  /**
   * The items of an iterable. A set of several items has no known order (it follows hashes, and str
   * hashes are salted per process), so it is unknown unless the caller's result cannot depend on the
   * order (`unordered`: set(), sorted() without a key...).
   */
  iterate(vv: Value, site: CallSite, unordered = false): Value[] | UnknownV {
    const v = this.force(vv);
    this.budget.work(Math.min(lengthOf(v), this.limits.maxSequenceLength), () => site.range);
    const dom = this.domain.iterate?.(v, site);
    if (dom !== undefined) return dom;
    const tainted = this.tainted(v);
    if (tainted) return tainted;
    switch (v.kind) {
      case 'list':
      case 'tuple':
        return [...v.items];
      case 'set':
        if (!unordered && v.items.length > 1)
          return unknown(
            'the iteration order of a set is not known statically (it follows hashes; str hashes are salted per process)',
            site.range,
          );
        return [...v.items];
      case 'dict':
        return [...v.map.values()].map(([k]) => k);
      case 'str':
        return v.opaque ? unknown('iterating over an f-string', site.range) : [...v.v].map(str);
      case 'range': {
        const n = rangeLength(v);
        if (n > this.limits.maxSequenceLength) {
          throw new BudgetExceeded(
            `analysis stopped: range of ${n.toLocaleString('en-US')} items is longer than the limit of ${this.limits.maxSequenceLength.toLocaleString('en-US')}`,
            site.range,
          );
        }
        const out: Value[] = [];
        for (let i = 0; i < n; i++) out.push(int(v.start + i * v.step));
        return out;
      }
      case 'unknown':
        return v;
      case 'instance': {
        const it = this.findClassAttr(v.cls, '__iter__');
        if (it) {
          const r = this.callValue(this.bindMember(it, v, v.cls), { args: [], kwargs: new Map() }, site);
          const f = this.force(r);
          if (f.kind === 'instance' && f === v) return unknown(`iterator protocol of '${v.cls.name}' is not interpreted`, site.range);
          return this.iterate(f, site);
        }
        return unknown(`'${v.cls.name}' object is not iterable`, site.range);
      }
      default:
        return unknown(`'${typeName(v)}' object is not iterable`, site.range);
    }
  }
}

// ------------------------------------------------------------------ helpers

const DUNDER: Record<string, string> = {
  '+': '__add__',
  '-': '__sub__',
  '*': '__mul__',
  '/': '__truediv__',
  '//': '__floordiv__',
  '%': '__mod__',
  '**': '__pow__',
  '@': '__matmul__',
};

export function rangeIn(ctx: ModuleCtx, from: number, to: number): SourceRange {
  const ls = ctx.lineStarts;
  const line = lineOf(ls, from);
  const endLine = lineOf(ls, to);
  return { file: ctx.file, from, to, line, col: from - ls[line]!, endLine, endCol: to - ls[endLine]! };
}

function lineOf(ls: number[], off: number): number {
  let lo = 0,
    hi = ls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid]! <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Elements (or characters) of a sized value, for the budget; 0 for anything else. */
function lengthOf(v: Value): number {
  switch (v.kind) {
    case 'str':
      return v.v.length;
    case 'list':
    case 'tuple':
    case 'set':
      return v.items.length;
    case 'dict':
      return v.map.size;
    case 'range':
      return rangeLength(v);
    default:
      return 0;
  }
}

/** [slots, characters] of `times` copies of the values side by side (what `a + b` or `a * k` builds). */
function footprint(vs: readonly Value[], times = 1): [number, number] {
  let slots = 0,
    chars = 0;
  for (const v of vs) {
    if (v.kind === 'str') chars += lengthOf(v) * times;
    else slots += lengthOf(v) * times;
  }
  return [slots, chars];
}

function computeMro(cls: ClassV): ClassV[] {
  // C3 linearisation; falls back to a depth-first order when the hierarchy is inconsistent.
  if (cls.bases.length === 1) return [cls, ...cls.bases[0]!.mro];
  const seqs = [...cls.bases.map((b) => [...b.mro]), [...cls.bases]];
  const out: ClassV[] = [cls];
  for (let guard = 0; guard < 1000; guard++) {
    const nonEmpty = seqs.filter((s) => s.length);
    if (!nonEmpty.length) return out;
    const head = nonEmpty.map((s) => s[0]!).find((h) => !nonEmpty.some((s) => s.indexOf(h) > 0));
    if (!head) break;
    out.push(head);
    for (const s of nonEmpty) if (s[0] === head) s.shift();
  }
  const dfs: ClassV[] = [cls];
  for (const b of cls.bases) for (const c of b.mro) if (!dfs.includes(c)) dfs.push(c);
  return dfs;
}

function hasYield(fn: FunctionV): boolean {
  if ('expr' in fn.body) return false;
  const visit = (stmts: Stmt[]): boolean =>
    stmts.some((s) => {
      if (s.kind === 'bad' && /yield/.test(s.reason)) return true;
      if (s.kind === 'expr' && s.value.kind === 'bad' && /yield/.test(s.value.reason)) return true;
      if (s.kind === 'assign' && s.value.kind === 'bad' && /yield/.test(s.value.reason)) return true;
      if (s.kind === 'if' || s.kind === 'for' || s.kind === 'while') return visit(s.body) || visit(s.orelse);
      if (s.kind === 'with') return visit(s.body);
      if (s.kind === 'try') return visit(s.body) || s.handlers.some((h) => visit(h.body)) || visit(s.orelse) || visit(s.finalbody);
      return false;
    });
  return visit(fn.body.get());
}

function decoratorName(d: Expr): string {
  if (d.kind === 'name') return d.id;
  if (d.kind === 'attr') return `${decoratorName(d.obj)}.${d.name}`;
  if (d.kind === 'call') return decoratorName(d.func);
  return 'decorator';
}

export function normIndex(i: number, len: number): number {
  return i < 0 ? len + i : i;
}

export function sliceBounds(s: Extract<Value, { kind: 'slice' }>, len: number, force: (v: Value) => Value): [number, number, number] {
  const num = (v: Value): number | undefined => {
    const f = force(v);
    return isNumber(f) ? numberOf(f) : undefined;
  };
  const step = num(s.step) ?? 1;
  const clamp = (i: number, lo: number, hi: number) => Math.min(Math.max(i, lo), hi);
  if (step > 0) {
    const lo = num(s.lower),
      hi = num(s.upper);
    const start = lo === undefined ? 0 : clamp(lo < 0 ? len + lo : lo, 0, len);
    const stop = hi === undefined ? len : clamp(hi < 0 ? len + hi : hi, 0, len);
    return [start, stop, step];
  }
  const lo = num(s.lower),
    hi = num(s.upper);
  const start = lo === undefined ? len - 1 : clamp(lo < 0 ? len + lo : lo, -1, len - 1);
  const stop = hi === undefined ? -1 : clamp(hi < 0 ? len + hi : hi, -1, len - 1);
  return [start, stop, step];
}

export function rangeLength(r: { start: number; stop: number; step: number }): number {
  if (r.step > 0) return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  return Math.max(0, Math.ceil((r.start - r.stop) / -r.step));
}

function dedupe(items: Value[]): Value[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = keyOf(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if ((a.kind === 'int' || a.kind === 'float' || a.kind === 'bool' || a.kind === 'str' || a.kind === 'none') && a.kind === b.kind)
    return !(a.kind === 'str' && (a.opaque || (b as StrV).opaque)) && keyOf(a) === keyOf(b);
  if (a.kind === 'tuple' && b.kind === 'tuple')
    return a.items.length === b.items.length && a.items.every((x, i) => sameValue(x, b.items[i]!));
  return false;
}

/** `self.conv` → "self.conv"; an attribute of any other expression is keyed by its source position. */
function targetKey(e: Expr): string {
  if (e.kind === 'name') return e.id;
  if (e.kind === 'attr') return `${targetKey(e.obj)}.${e.name}`;
  return `@${e.from}`;
}

/** The `obj.name = ...` targets a block assigns (at any depth), each expression node once. */
function attrTargetsOf(stmts: readonly Stmt[]): Extract<Expr, { kind: 'attr' }>[] {
  const out: Extract<Expr, { kind: 'attr' }>[] = [];
  const target = (t: Expr): void => {
    if (t.kind === 'attr') out.push(t);
    else if (t.kind === 'tuple' || t.kind === 'list') t.elts.forEach(target);
    else if (t.kind === 'starred') target(t.value);
  };
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign':
        s.targets.forEach(target);
        break;
      case 'annassign':
      case 'augassign':
        target(s.target);
        break;
      case 'for':
        target(s.target);
        out.push(...attrTargetsOf([...s.body, ...s.orelse]));
        break;
      case 'if':
      case 'while':
        out.push(...attrTargetsOf([...s.body, ...s.orelse]));
        break;
      case 'try':
        out.push(...attrTargetsOf([...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.finalbody]));
        break;
      case 'with':
        out.push(...attrTargetsOf(s.body));
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * Python's repr for simple values, as messages show them (a KeyError's key, a bad literal): a string
 * only when it is an identifier-like token, else its length (messageText.ts), since it may hold
 * anything a file the model imports holds.
 */
export function repr(v: Value): string {
  switch (v.kind) {
    case 'int':
      return String(v.v);
    case 'float':
      return Number.isInteger(v.v) ? `${v.v}.0` : String(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'str':
      return v.opaque ? "f'...'" : shownString(v.v, (s) => `'${s}'`);
    case 'tuple':
      return `(${v.items.map(repr).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'list':
      return `[${v.items.map(repr).join(', ')}]`;
    case 'class':
      return `<class '${v.name}'>`;
    case 'instance':
      return `<${v.cls.name} object>`;
    case 'unknown':
      return '<unknown>';
    default:
      return `<${typeName(v)}>`;
  }
}

function arith(
  op: string,
  a: Extract<Value, { kind: 'int' | 'float' | 'bool' }>,
  b: Extract<Value, { kind: 'int' | 'float' | 'bool' }>,
  site: CallSite,
  interp: Interpreter,
): Value {
  const x = numberOf(a),
    y = numberOf(b);
  const isF = a.kind === 'float' || b.kind === 'float';
  const mk = (n: number, forceFloat = false): Value => {
    if (isF || forceFloat) return float(n);
    if (!Number.isSafeInteger(n)) return unknown('integer result too large to be exact', site.range);
    return int(n);
  };
  switch (op) {
    case '+':
      return mk(x + y);
    case '-':
      return mk(x - y);
    case '*':
      return mk(x * y);
    case '/':
      if (y === 0) return interp.raise('ZeroDivisionError', 'division by zero', site.range);
      return float(x / y);
    case '//':
      if (y === 0) return interp.raise('ZeroDivisionError', 'integer division or modulo by zero', site.range);
      return mk(Math.floor(x / y));
    case '%':
      if (y === 0) return interp.raise('ZeroDivisionError', 'integer division or modulo by zero', site.range);
      return mk(((x % y) + y) % y);
    case '**':
      if (!isF && y < 0) return float(x ** y);
      return mk(x ** y);
    case '<<':
      return mk(x * 2 ** y);
    case '>>':
      return mk(Math.floor(x / 2 ** y));
    case '&':
      return mk(x & y);
    case '|':
      if (a.kind === 'bool' && b.kind === 'bool') return bool(a.v || b.v);
      return mk(x | y);
    case '^':
      return mk(x ^ y);
    default:
      return unknown(`operator ${op}`, site.range);
  }
}

export { identity };
export type { TensorV, DictV };
