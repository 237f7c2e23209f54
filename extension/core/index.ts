// The core's public entry points: the only functions the CLI, the VS Code glue and workers call.
// Source text in, JSON-safe results out (see resultTypes.ts). No I/O except through the SourceHost in the options.
export * from './resultTypes';
export * from './hostTypes';
import type { AnalysisOptions } from './hostTypes';
import type { ClassInfo, CoreDiagnostic, FactoryInfo, LayerRecord, ModuleNode } from './resultTypes';
import { Session } from './analyzer';
import { guard } from './guard';

/** The module tree built by evaluating one entry expression (e.g. `resnet18(weights=None)`). */
export interface EntryAnalysis {
  readonly entry: string;
  readonly file: string;
  /** `error` when the entry could not be built at all (see diagnostics); layers may still be partial. */
  readonly status: 'ok' | 'error';
  /** Leaf modules in `named_modules()` order. */
  readonly layers: readonly LayerRecord[];
  readonly tree?: ModuleNode;
  readonly totals: { readonly params: number | null };
  readonly diagnostics: readonly CoreDiagnostic[];
}

/** What a file defines, and the module trees of the entries that can be built without arguments. */
export interface FileAnalysis {
  readonly file: string;
  readonly classes: readonly ClassInfo[];
  readonly factories: readonly FactoryInfo[];
  readonly diagnostics: readonly CoreDiagnostic[];
}

/** Evaluates `entry` in the module scope of `source` and returns the module tree it builds. Never throws. */
export function analyzeEntry(source: string, file: string, entry: string, options?: AnalysisOptions): EntryAnalysis {
  return guard(
    () => analyzeEntryUnguarded(source, file, entry, options),
    (diagnostics) => ({
      entry,
      file,
      status: 'error',
      layers: [],
      totals: { params: null },
      diagnostics,
    }),
  );
}

function analyzeEntryUnguarded(source: string, file: string, entry: string, options?: AnalysisOptions): EntryAnalysis {
  const session = new Session(source, file, options);
  const out = session.evaluate(entry);
  const built = out.built;
  return {
    entry,
    file,
    status: built ? 'ok' : 'error',
    layers: built?.layers ?? [],
    ...(built ? { tree: built.tree } : {}),
    totals: { params: built ? built.totalParams : null },
    diagnostics: session.diagnostics,
  };
}

/** Lists the classes and model factories `source` defines. Never throws. */
export function analyzeFile(source: string, file: string, options?: AnalysisOptions): FileAnalysis {
  return guard(
    () => {
      const session = new Session(source, file, options);
      const info = session.fileInfo();
      return { file, ...info, diagnostics: session.diagnostics };
    },
    (diagnostics) => ({ file, classes: [], factories: [], diagnostics }),
  );
}

export { profileEntry } from './profileEntry';
export { FileSession, type EntryOptions } from './fileSession';
export { planReuse, type EntryMemo, type ReusePlan, type StatementMemo } from './reuse';
export type { NameEffects } from './interpreter/globalReads';
export type { LoadEvent } from './binder';
export {
  parseShape,
  inputFromComment,
  inputDirectiveFor,
  scanDirectives,
  directivesOf,
  type Definition,
  type Directives,
  type EntryDirective,
  type InputDirective,
} from './directives';
export { channelMismatch } from './inferInput';
export { restoreLazySource, lazySourceToStore, STORED_SOURCE_FORMAT } from './topLevel';
export { invariantViolations } from './invariant';
export type { ProfileOptions, ProfileResult, ProfiledLayer, InputSource } from './profileEntry';
export { CONVENTION_NAMES } from './cost';
export type { ConventionName, ConventionProfile, LayerProfile, FunctionalProfile, ProfileTotals, FunctionalOp } from './cost';
