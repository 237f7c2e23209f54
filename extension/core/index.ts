// The core's public entry points: the only functions the CLI, the VS Code glue and workers call.
// Source text in, JSON-safe results out (see model.ts). No I/O except through the SourceHost in the options.
export * from './model';
export * from './hostTypes';
import type { AnalysisOptions } from './hostTypes';
import type { ClassInfo, CoreDiagnostic, FactoryInfo, LayerRecord, ModuleNode } from './model';

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

export declare function analyzeEntry(source: string, file: string, entry: string, options?: AnalysisOptions): EntryAnalysis;
