// One analysis session: wires the interpreter to its domain (builtins, torch, the import system, the forward
// model) the same way for every entry point (analyzeFile, analyzeEntry, profileEntry), runs the analysed
// file's module body, evaluates entry expressions and turns results into JSON.
// Every failure mode — syntax errors, Python exceptions raised by the model code, budget stops,
// interpreter bugs — ends as a diagnostic; nothing here throws to the caller.
import type { AnalysisOptions, SourceHost } from './hostTypes';
import { noFiles } from './hostTypes';
import type { ClassInfo, CoreDiagnostic, FactoryInfo, SourceRange } from './resultTypes';
import { parseExpression, parseModule, type ParsedModule } from './parse';
import { BudgetExceeded, Interpreter, PyRaise, rangeIn, type InterpreterMark } from './interpreter/eval';
import { createBuiltins } from './interpreter/builtins';
import { createTorch, type TorchModel } from './interpreter/torch';
import { createDomain, installForward } from './interpreter/domain';
import type { ForwardRecorder } from './interpreter/forward';
import { ModuleLoader, dirname } from './binder';
import { RecordingVars, newEffects, type NameEffects } from './interpreter/globalReads';
import { lazySource } from './topLevel';
import { buildTree, type BuiltTree } from './tree';
import {
  isModuleInstance,
  isUnknown,
  type ClassV,
  type InstanceV,
  type ModuleCtx,
  type ModuleData,
  type PyModuleV,
  type Value,
} from './interpreter/values';
import type { Stmt } from './ast';

export const DEFAULT_LIMITS = { stepBudget: 2_000_000, memoryBudget: 256 * 1024 * 1024, maxCallDepth: 150, maxSequenceLength: 100_000 };

/** The outcome of evaluating one entry expression. */
export interface EntryOutcome {
  readonly value?: Value;
  readonly built?: BuiltTree;
  readonly root?: InstanceV & { module: ModuleData };
  readonly error?: string;
}

export class Session {
  readonly interp: Interpreter;
  readonly torch: TorchModel;
  private forwardModel: ForwardRecorder | undefined;
  readonly loader: ModuleLoader;
  readonly parsed: ParsedModule;
  readonly ctx: ModuleCtx;
  readonly mainModule: PyModuleV;
  private executed = false;
  private afterModule: InterpreterMark | undefined;
  private fatal: string | undefined;
  /** The main module's namespace when names are recorded (`record`), else undefined. */
  private readonly recording: RecordingVars | undefined;
  /** What each top-level statement read and bound while the module ran (only when names are recorded). */
  readonly statementEffects: StatementEffects[] = [];

  /** `record` records the names each statement and each entry reads and binds (core/reuse.ts). */
  constructor(
    readonly source: string,
    readonly file: string,
    options: AnalysisOptions = {},
    record = false,
  ) {
    this.interp = new Interpreter({
      stepBudget: options.stepBudget ?? DEFAULT_LIMITS.stepBudget,
      memoryBudget: options.memoryBudget ?? DEFAULT_LIMITS.memoryBudget,
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      ...(options.isCancelled ? { isCancelled: options.isCancelled } : {}),
      maxCallDepth: options.maxCallDepth ?? DEFAULT_LIMITS.maxCallDepth,
      maxSequenceLength: options.maxSequenceLength ?? DEFAULT_LIMITS.maxSequenceLength,
    });
    this.interp.environment = new Map(Object.entries(options.environment ?? {}));
    const builtins = createBuiltins(this.interp);
    this.torch = createTorch(this.interp);
    const host: SourceHost = options.host ?? noFiles;
    const roots = [...(options.roots ?? []), dirname(file)];
    this.loader = new ModuleLoader(this.interp, host, roots, this.torch);
    this.interp.domain = createDomain(
      this.interp,
      (name, level, from, site) => this.loader.importModule(name, level, from, site),
      builtins,
      this.torch,
    );
    const lazy = options.lazyMain ? lazySource(source) : undefined;
    // A lazy main has no body of its own to run: reading a name runs what binds it.
    this.parsed = lazy ? { text: source, body: [], errors: [], lineStarts: lazy.lineStarts } : parseModule(source);
    this.recording = record && !lazy ? new RecordingVars() : undefined;
    const main = lazy ? this.loader.registerLazyMain(file, lazy) : this.loader.registerMain(file, this.parsed, this.recording);
    this.ctx = main.ctx;
    this.mainModule = main.module;
    for (const e of this.parsed.errors) {
      this.interp.diag('error', 'syntax', e.message, rangeIn(this.ctx, e.from, e.to));
    }
  }

  get diagnostics(): readonly CoreDiagnostic[] {
    return this.interp.diagnostics;
  }

  /** Runs the file's top level once (definitions, constants, imports). */
  execute(): void {
    if (this.executed) return;
    this.executed = true;
    const recording = this.recording;
    const each = recording
      ? (index: number) => {
          const effects = newEffects();
          const before = this.interp.effects;
          // The module may run inside an entry's recording (a fresh session after a spoiled entry).
          const outer = recording.recorder;
          recording.recorder = effects;
          return () => {
            recording.recorder = outer;
            this.statementEffects[index] = { ...effects, inert: this.interp.effects === before };
          };
        }
      : undefined;
    try {
      this.interp.execModule(this.parsed.body, this.ctx, each);
    } catch (e) {
      this.fatal = this.report(e);
    }
  }

  /** Runs `fn` recording the module names it reads and binds (undefined effects when names are not recorded). */
  recordNames<T>(fn: () => T): { result: T; effects: NameEffects | undefined } {
    const recording = this.recording;
    if (!recording) return { result: fn(), effects: undefined };
    const effects = newEffects();
    const outer = recording.recorder;
    recording.recorder = effects;
    try {
      return { result: fn(), effects };
    } finally {
      recording.recorder = outer;
    }
  }

  /**
   * Starts one entry of a session shared by several (the editor's job profiles every entry of a file): the
   * module runs once, with the forward model installed as for a lone entry; each entry then starts from the
   * budget, diagnostics and recorded ops the module's own run left, as if it were the session's only entry.
   */
  beginEntry(): void {
    void this.forward;
    this.execute();
    this.afterModule ??= this.interp.mark();
    this.interp.reset(this.afterModule);
    this.forward.functionals.length = 0;
  }

  /** Whether an entry stopped on something that may leave shared state half-made (an error, a budget stop): then start afresh. */
  get spoiled(): boolean {
    const from = this.afterModule?.diagnostics ?? 0;
    return this.interp.diagnostics.slice(from).some((d) => d.severity === 'error');
  }

  /**
   * The forward model (tensors as shapes), installed before any entry is evaluated, for analyzeEntry and
   * profileEntry alike: `__init__` code that runs a dummy forward or reads a tensor's shape builds the same
   * model whichever entry point asked. It records calls only while profileEntry sets `active`. analyzeFile
   * (classes and factories of a file, on every edit) never evaluates an entry and does not pay for it.
   */
  get forward(): ForwardRecorder {
    this.forwardModel ??= installForward(this.interp, this.torch);
    return this.forwardModel;
  }

  /** Evaluates an entry expression (e.g. `resnet18(weights=None)`) in the file's module scope. */
  evaluate(entry: string): EntryOutcome {
    void this.forward;
    this.execute();
    if (this.fatal) return { error: this.fatal };
    const { expr, errors } = parseExpression(entry);
    if (errors.length || expr.kind === 'bad') {
      const error = `cannot parse the entry expression '${entry}': ${errors[0]?.message ?? (expr.kind === 'bad' ? expr.reason : 'syntax error')}`;
      this.interp.diag('error', 'entry', error);
      return { error };
    }
    // Offsets of the entry expression refer to the entry text, not to the file: evaluate it in a
    // throwaway context that shares the module's globals.
    const entryCtx: ModuleCtx = { ...this.ctx, file: '<entry>', lineStarts: [0] };
    let value: Value;
    try {
      value = this.interp.withFrame({ module: entryCtx }, () =>
        this.interp.force(this.interp.eval(expr, { vars: new Map(), parent: this.ctx.globals })),
      );
    } catch (e) {
      return { error: this.report(e) };
    }
    if (isUnknown(value)) {
      const error = `'${entry}' cannot be built statically: ${value.reason}`;
      this.interp.diag('error', 'entry', error, value.range);
      return { value, error };
    }
    if (!isModuleInstance(value)) {
      const error = `'${entry}' is not an nn.Module (it is a ${value.kind === 'instance' ? value.cls.name : value.kind})`;
      this.interp.diag('error', 'entry', error);
      return { value, error };
    }
    try {
      return { value, root: value, built: buildTree(value) };
    } catch (e) {
      return { error: this.report(e) };
    }
  }

  private report(e: unknown): string {
    if (e instanceof BudgetExceeded) {
      this.interp.diag('error', e.code, e.message, e.range);
      return e.message;
    }
    if (e instanceof PyRaise) {
      const msg = `the model code raised ${e.pyMessage}`;
      this.interp.diag('error', 'raise', msg, e.range);
      return msg;
    }
    if (e instanceof RangeError) {
      // A JS stack overflow in the interpreter itself (extremely deep expressions).
      const msg = `analysis stopped: ${e.message}`;
      this.interp.diag('error', 'budget', msg);
      return msg;
    }
    const msg = `internal error in the analyzer: ${e instanceof Error ? e.message : String(e)}`;
    this.interp.diag('error', 'internal', msg);
    return msg;
  }

  /** Classes and model factories the file defines (after executing its top level). */
  fileInfo(): { classes: ClassInfo[]; factories: FactoryInfo[] } {
    this.execute();
    const classes: ClassInfo[] = [];
    const factories: FactoryInfo[] = [];
    for (const s of this.parsed.body) {
      const def = s as Stmt;
      if (def.kind !== 'class' && def.kind !== 'def') continue;
      const v = this.ctx.globals.vars.get(def.name);
      const range = rangeIn(this.ctx, def.nameFrom, def.to);
      if (def.kind === 'class') {
        const cls = v && v.kind === 'class' ? v : undefined;
        const isModule = !!cls && cls.mro.some((c) => c.torch);
        classes.push({ name: def.name, range, isModule, buildableWithoutArgs: isModule && !!cls && this.initTakesNoArgs(cls) });
      } else if (
        v &&
        v.kind === 'function' &&
        v.params.every((p) => p.default || p.kind === 'varargs' || p.kind === 'varkw') &&
        returnsSomething(def)
      ) {
        factories.push({ name: def.name, range });
      }
    }
    return { classes, factories };
  }

  private initTakesNoArgs(cls: ClassV): boolean {
    const init = this.interp.findClassAttr(cls, '__init__');
    if (!init || init.kind !== 'function') return true;
    return init.params.slice(1).every((p) => p.default || p.kind === 'varargs' || p.kind === 'varkw');
  }
}

/** What one top-level statement read and bound; `inert` when it called nothing and stored nothing but names. */
export interface StatementEffects extends NameEffects {
  readonly inert: boolean;
}

function returnsSomething(def: Extract<Stmt, { kind: 'def' }>): boolean {
  const body = def.body.get();
  return body.some((s) => s.kind === 'return' && s.value !== undefined);
}

export type { SourceRange };
