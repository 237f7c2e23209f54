// The import system: maps dotted module names to files under the package roots (through the
// caller's SourceHost), parses each file once, and executes a module body lazily — on the first
// attribute read — so a model file that imports a large package pays only for what it uses.
// torch and the standard library resolve to the interpreter's models; any other library without
// source resolves to a module whose attributes are unknown values naming that library.
import type { SourceHost } from './hostTypes';
import { parseModule, type ParsedModule } from './parse';
import { lazySource, type LazySource } from './topLevel';
import type { SourceRange } from './resultTypes';
import { BudgetExceeded, type Interpreter } from './interpreter/eval';
import { stdlibModule } from './interpreter/stdlib/modules';
import { knownLibraryModule } from './interpreter/knownLibraries';
import { osModule } from './interpreter/environment';
import { torchSubmodule, type TorchModel } from './interpreter/torch';
import { str, unknown, type ModuleCtx, type PyModuleV, type Scope, type Value } from './interpreter/values';

const STDLIB_UNMODELLED = new Set([
  'os',
  'sys',
  're',
  'json',
  'logging',
  'inspect',
  'enum',
  'numbers',
  'pathlib',
  'time',
  'random',
  'argparse',
  'pickle',
  'io',
  'contextlib',
  'string',
  'textwrap',
  'importlib',
  'weakref',
  'hashlib',
  'platform',
  'glob',
  'shutil',
  'tempfile',
  'urllib',
  'threading',
  'subprocess',
  'traceback',
  'datetime',
  'heapq',
  'bisect',
  'struct',
  'zipfile',
  'csv',
]);

interface Loaded {
  readonly module: PyModuleV;
  readonly ctx: ModuleCtx;
  /** A lazy module's decorated statements (see forceDecorators). */
  readonly runDecorated?: () => void;
  /** Runs top-level statement `k` of a lazy module, or the whole body of a module run on first read (replay). */
  readonly runPart?: (k: number) => void;
}

/**
 * A piece of imported code that ran on demand, as the loader logs it while `loadLog` is set: statement `k`
 * of a lazy module (-1: a whole module's body), or the decorators of every lazy module (forceDecorators).
 * Replaying a log in another session leaves the loaded modules as the logged work left them.
 */
export type LoadEvent = { readonly module: string; readonly k: number } | { readonly decorators: true };

export class ModuleLoader {
  private readonly byName = new Map<string, Loaded>();
  /** Per lazy module: runs its decorated statements (see forceDecorators). */
  private readonly decoratedRunners: (() => void)[] = [];
  private decoratorsForced = false;
  /** When set, what imported code runs on demand is logged here (incremental analysis replays it, reuse.ts). */
  loadLog: LoadEvent[] | undefined;
  private readonly externals = new Map<string, PyModuleV>();
  private readonly resolved = new Map<string, { path: string; isPackage: boolean; text: string } | undefined>();

  constructor(
    private readonly interp: Interpreter,
    private readonly host: SourceHost,
    private readonly roots: readonly string[],
    private readonly torch: TorchModel,
  ) {}

  /**
   * Registers the analysed file itself (its text may be unsaved) and returns its context, not yet executed.
   * Its namespace is `vars` when given (a RecordingVars, for incremental analysis).
   */
  registerMain(file: string, parsed: ParsedModule, vars?: Map<string, Value>): { ctx: ModuleCtx; module: PyModuleV } {
    const { name, pkg } = this.nameOf(file);
    const loaded = this.makeModule(name, pkg, file, parsed, false, vars);
    this.byName.set(name, loaded);
    return loaded;
  }

  /** Runs again, in this session, what `log` says ran (modules are imported as needed); the work is the same. */
  replay(log: readonly LoadEvent[]): void {
    for (const e of log) {
      if ('decorators' in e) {
        this.forceDecorators();
        continue;
      }
      if (!this.byName.has(e.module))
        this.byDottedName(e.module, { file: e.module, from: 0, to: 0, line: 0, col: 0, endLine: 0, endCol: 0 });
      this.byName.get(e.module)?.runPart?.(e.k);
    }
  }

  /** Registers the analysed file to be evaluated by the names read from it (AnalysisOptions.lazyMain). */
  registerLazyMain(file: string, source: LazySource): { ctx: ModuleCtx; module: PyModuleV } {
    const { name, pkg } = this.nameOf(file);
    const loaded = this.makeLazyModule(name, pkg, file, source);
    this.byName.set(name, loaded);
    return loaded;
  }

  /** Dotted name and package of a file from the roots (`root/torchvision/models/resnet.py` → torchvision.models.resnet). */
  nameOf(file: string): { name: string; pkg: string } {
    for (const root of this.roots) {
      const prefix = root.endsWith('/') ? root : `${root}/`;
      if (!file.startsWith(prefix)) continue;
      const rel = file.slice(prefix.length).replace(/\.py$/, '');
      const parts = rel.split('/');
      const isInit = parts[parts.length - 1] === '__init__';
      if (isInit) parts.pop();
      if (parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) continue;
      const name = parts.join('.');
      return { name, pkg: isInit ? name : parts.slice(0, -1).join('.') };
    }
    return { name: '__convlens_main__', pkg: '' };
  }

  importModule(name: string, level: number, from: ModuleCtx, site: SourceRange): Value {
    let full = name;
    if (level > 0) {
      const base = from.packageName ? from.packageName.split('.') : [];
      if (level - 1 > base.length)
        return unknown(`attempted relative import beyond the package root ('${'.'.repeat(level)}${name}')`, site);
      const kept = base.slice(0, base.length - (level - 1));
      full = [...kept, ...(name ? [name] : [])].join('.');
    }
    return this.byDottedName(full, site);
  }

  private byDottedName(full: string, site: SourceRange): Value {
    const top = full.split('.')[0]!;
    if (top === 'torch') {
      return torchSubmodule(this.torch, full) ?? unknown(`${full} is not modelled`, site, true);
    }
    const std = stdlibModule(this.interp, full) ?? osModule(this.interp, full);
    if (std) return std;
    const cached = this.byName.get(full);
    if (cached) return cached.module;
    const file = this.findFile(full);
    if (file) {
      const pkg = file.isPackage ? full : full.split('.').slice(0, -1).join('.');
      // A file whose top level only binds names runs statement by statement, as its names are read. A package's
      // __init__ runs whole: its `from . import sub` binds a submodule while the package itself is being read.
      const lazy = file.isPackage ? undefined : lazySource(file.text);
      const loaded = lazy
        ? this.makeLazyModule(full, pkg, file.path, lazy)
        : this.makeModule(full, pkg, file.path, parseModule(file.text), true);
      this.byName.set(full, loaded);
      if (this.decoratorsForced) loaded.runDecorated?.();
      return loaded.module;
    }
    if (this.host.isDirectory(this.dirFor(full))) {
      // A namespace package (a folder without __init__.py).
      const mod = this.packageWithoutInit(full);
      this.byName.set(full, mod);
      return mod.module;
    }
    const known = knownLibraryModule(this.interp, this.torch, full);
    if (known) return known;
    return this.external(full, STDLIB_UNMODELLED.has(top) ? 'standard-library module not modelled' : 'a library without source here');
  }

  private dirFor(full: string): string {
    return `${this.roots[0] ?? ''}/${full.split('.').join('/')}`;
  }

  /** Resolves a dotted module name to a file under the roots (memoised: each file is read once per session). */
  private findFile(full: string): { path: string; isPackage: boolean; text: string } | undefined {
    if (this.resolved.has(full)) return this.resolved.get(full);
    const rel = full.split('.').join('/');
    let found: { path: string; isPackage: boolean; text: string } | undefined;
    for (const root of this.roots) {
      const asFile = `${root}/${rel}.py`;
      const t1 = this.host.readFile(asFile);
      if (t1 !== undefined) {
        found = { path: asFile, isPackage: false, text: t1 };
        break;
      }
      const asPkg = `${root}/${rel}/__init__.py`;
      const t2 = this.host.readFile(asPkg);
      if (t2 !== undefined) {
        found = { path: asPkg, isPackage: true, text: t2 };
        break;
      }
    }
    this.resolved.set(full, found);
    return found;
  }

  private external(full: string, why: string): PyModuleV {
    let mod = this.externals.get(full);
    if (!mod) {
      const lib = full.split('.')[0]!;
      mod = {
        kind: 'module',
        name: full,
        get: (n) => (n === '__name__' ? str(full) : unknown(`${full}.${n} comes from ${lib} (${why})`, undefined, true)),
      };
      this.externals.set(full, mod);
    }
    return mod;
  }

  private packageWithoutInit(full: string): Loaded {
    const globals: Scope = { vars: new Map(), parent: undefined };
    const ctx: ModuleCtx = { name: full, file: this.dirFor(full), packageName: full, globals, lineStarts: [0] };
    const module: PyModuleV = {
      kind: 'module',
      name: full,
      ctx,
      get: (n) => {
        const sub = this.byDottedName(`${full}.${n}`, { file: ctx.file, from: 0, to: 0, line: 0, col: 0, endLine: 0, endCol: 0 });
        return sub.kind === 'module' && !this.externals.has(`${full}.${n}`) ? sub : undefined;
      },
    };
    return { module, ctx };
  }

  /**
   * A module evaluated by the names read from it: reading a name runs the top-level statements that bind
   * it (parsing each on first use), and what they read from the module's globals runs in turn. A name whose
   * value is a container or an object (a registry other statements may fill) runs the rest of the module in
   * order first, as does `module.__dict__` / `globals()`. lazySource only admits files whose top level binds
   * names and does nothing else, so the values are the ones a whole run gives.
   */
  private makeLazyModule(name: string, pkg: string, file: string, source: LazySource): Loaded {
    const state: ('idle' | 'running' | 'done')[] = source.statements.map(() => 'idle');
    const binders = new Map<string, number[]>();
    source.binds.forEach((names, k) => {
      for (const n of names) binders.set(n, [...(binders.get(n) ?? []), k]);
    });
    const runStatement = (k: number): void => {
      if (state[k] !== 'idle') return;
      state[k] = 'running';
      this.loadLog?.push({ module: name, k });
      // Imported code running is an effect of whatever read the name (an inert statement does not, reuse.ts).
      this.interp.effects++;
      try {
        this.execGuarded(name, source.body(k), ctx);
      } finally {
        state[k] = 'done';
      }
    };
    const runAll = (): void => {
      binders.clear();
      for (let k = 0; k < state.length; k++) runStatement(k);
    };
    const load = (n: string): void => {
      const list = binders.get(n);
      if (!list) return;
      binders.delete(n);
      for (const k of list) runStatement(k);
      const v = vars.peek(n);
      if (n !== '__all__' && v && (v.kind === 'dict' || v.kind === 'list' || v.kind === 'set' || v.kind === 'instance')) {
        runAll();
        this.forceDecorators();
      }
    };
    const runDecorated = (): void => {
      for (const k of source.decorated) runStatement(k);
    };
    this.decoratedRunners.push(runDecorated);
    const vars = new LazyGlobals(load, [
      ['__name__', str(name)],
      ['__package__', str(pkg)],
    ]);
    const ctx: ModuleCtx = {
      name,
      file,
      packageName: pkg,
      globals: { vars, parent: undefined },
      lineStarts: source.lineStarts,
      loadAll: runAll,
    };
    const isPackage = file.endsWith('/__init__.py');
    const site = { file, from: 0, to: 0, line: 0, col: 0, endLine: 0, endCol: 0 };
    const module: PyModuleV = {
      kind: 'module',
      name,
      ctx,
      lazy: true,
      get: (n) => {
        // For a package, a submodule wins over a name __init__ does not bind (Python binds it on import).
        if (isPackage && !binders.has(n) && !vars.peek(n) && this.findFile(`${name}.${n}`)) return this.byDottedName(`${name}.${n}`, site);
        const v = vars.get(n);
        if (v !== undefined) return v;
        if (isPackage && this.findFile(`${name}.${n}`)) return this.byDottedName(`${name}.${n}`, site);
        return undefined;
      },
      names: () => {
        const all = vars.get('__all__');
        if (all && (all.kind === 'list' || all.kind === 'tuple')) {
          return all.items.flatMap((i) => (i.kind === 'str' && !i.opaque ? [i.v] : []));
        }
        return [...new Set([...vars.keys(), ...binders.keys()])].filter((k) => !k.startsWith('_'));
      },
    };
    return { module, ctx, runDecorated, runPart: runStatement };
  }

  /**
   * A container or an object read from a lazy module may be a registry that decorators elsewhere fill
   * (`@register_model` in every model file, `get_model(name)` reading the dict): from then on every lazy
   * module's decorated statements run, as Python ran them at import, in the modules loaded so far and in
   * each one loaded later (byDottedName). Their other statements stay lazy.
   */
  private forceDecorators(): void {
    this.loadLog?.push({ decorators: true });
    this.decoratorsForced = true;
    for (let i = 0; i < this.decoratedRunners.length; i++) this.decoratedRunners[i]!();
  }

  /** Runs module code; an error other than a budget stop is a bug in the interpreter: keep what was defined before it. */
  private execGuarded(name: string, body: Parameters<Interpreter['execModule']>[0], ctx: ModuleCtx): void {
    try {
      this.interp.execModule(body, ctx);
    } catch (e) {
      if (e instanceof BudgetExceeded) throw e;
      const dbg = globalThis as { CONVLENS_DEBUG?: (e: unknown) => void };
      dbg.CONVLENS_DEBUG?.(e);
      this.interp.diag('warning', 'internal', `stopped evaluating ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private makeModule(
    name: string,
    pkg: string,
    file: string,
    parsed: ParsedModule,
    lazy: boolean,
    vars = new Map<string, Value>(),
  ): Loaded {
    vars.set('__name__', str(name));
    vars.set('__package__', str(pkg));
    const globals: Scope = { vars, parent: undefined };
    const ctx: ModuleCtx = { name, file, packageName: pkg, globals, lineStarts: parsed.lineStarts };
    let state: 'idle' | 'running' | 'done' = lazy ? 'idle' : 'done';
    const run = () => {
      if (state !== 'idle') return;
      state = 'running';
      this.loadLog?.push({ module: name, k: -1 });
      this.interp.effects++;
      try {
        this.execGuarded(name, parsed.body, ctx);
      } finally {
        state = 'done';
      }
    };
    const isPackage = file.endsWith('/__init__.py');
    const site = { file, from: 0, to: 0, line: 0, col: 0, endLine: 0, endCol: 0 };
    const module: PyModuleV = {
      kind: 'module',
      name,
      ctx,
      get: (n) => {
        // For a package, a submodule of that name wins without running __init__ (they agree in practice).
        if (isPackage && state === 'idle' && this.findFile(`${name}.${n}`)) return this.byDottedName(`${name}.${n}`, site);
        run();
        const v = globals.vars.get(n);
        if (v !== undefined) return v;
        if (isPackage && this.findFile(`${name}.${n}`)) return this.byDottedName(`${name}.${n}`, site);
        return undefined;
      },
      names: () => {
        run();
        const all = globals.vars.get('__all__');
        if (all && (all.kind === 'list' || all.kind === 'tuple')) {
          return all.items.flatMap((i) => (i.kind === 'str' && !i.opaque ? [i.v] : []));
        }
        return [...globals.vars.keys()].filter((k) => !k.startsWith('_'));
      },
    };
    return { module, ctx, runPart: run };
  }
}

/** A lazy module's globals: reading a name not bound yet first runs the statements that bind it. */
class LazyGlobals extends Map<string, Value> {
  constructor(
    private readonly load: (name: string) => void,
    entries: [string, Value][],
  ) {
    super(entries);
  }

  override get(name: string): Value | undefined {
    const v = super.get(name);
    if (v !== undefined) return v;
    this.load(name);
    return super.get(name);
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The value bound now, without running anything. */
  peek(name: string): Value | undefined {
    return super.get(name);
  }
}

/** POSIX dirname. */
export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}
