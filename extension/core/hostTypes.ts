// The small interfaces the core needs from whoever hosts it (CLI, extension host, browser worker).
// The core never touches `fs`, `vscode` or the DOM: it reads other files of a package only through
// `SourceHost`, which the caller implements. Nothing here does I/O by itself.

/** File access for imports across the files of a package. Paths are POSIX-style strings the host understands. */
export interface SourceHost {
  /** The text of a file, or undefined if it does not exist or cannot be read. Must not throw. */
  readFile(path: string): string | undefined;
  /** True if `path` is an existing directory. Must not throw. */
  isDirectory(path: string): boolean;
}

/**
 * What a host may keep of one file's parse between runs (the CLI keeps it on disk, cli/parseCache.ts): the file's
 * top-level statements and the JSON of the ASTs parsed so far (topLevel.ts lazySourceToStore, restoreLazySource).
 * It holds the text it was made from, and is used only for exactly that text.
 */
export interface StoredSource {
  readonly format: number;
  readonly text: string;
  /** The top-level statements, or null when the file runs whole (it is not read lazily). */
  readonly statements: readonly { readonly from: number; readonly to: number; readonly defines?: string }[] | null;
  /** Per statement: the names it binds. */
  readonly binds: readonly (readonly string[])[];
  readonly lineStarts: readonly number[];
  /** Per statement: its AST as JSON, or null when it was not parsed yet (or JSON cannot hold it). */
  readonly asts: readonly (string | null)[];
  /** Per statement that is one `def`: its body as JSON (the AST has 0 in its place), or null. */
  readonly bodies: readonly (string | null)[];
}

/** A host with no files: imports of other files become unknown values with a reason. */
export const noFiles: SourceHost = {
  readFile: () => undefined,
  isDirectory: () => false,
};

/** Options for one analysis. All optional; defaults are safe for an editor. */
export interface AnalysisOptions {
  /** File access for imports. Default: no files. */
  readonly host?: SourceHost;
  /**
   * Directories from which absolute imports (`import torchvision.models`) resolve, and the package
   * root inside which relative imports (`from ..ops.misc import X`) resolve. Default: the directory of the file.
   */
  readonly roots?: readonly string[];
  /** Interpreter step budget (one step ≈ one evaluated node). Default 2,000,000. */
  readonly stepBudget?: number;
  /**
   * Memory budget: estimated bytes of the strings, lists, tuples and dicts the analysed code builds, in
   * total (a value is counted before it is built when it would be large). Default 256 MiB.
   */
  readonly memoryBudget?: number;
  /** Wall-clock cap of one analysis in milliseconds. Default: none. */
  readonly timeLimitMs?: number;
  /** Polled every few thousand steps; true stops the analysis with a `cancelled` diagnostic. */
  readonly isCancelled?: () => boolean;
  /** Maximum Python call depth. Default 150. */
  readonly maxCallDepth?: number;
  /** Longest list/range/loop the interpreter will materialise. Default 100,000. */
  readonly maxSequenceLength?: number;
  /** Environment variables `os.environ` holds during the analysis. Default: none (every variable is unset). */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Read the analysed file as an imported one is read (binder.ts): its top-level statements run, and are
   * parsed, only as the entry reads the names they bind, when its top level only binds names. For one
   * entry (the CLI's `--entry`): a syntax error in a statement the entry never needs is then not reported.
   * Default false: the whole file runs, as the editor needs for its classes and factories.
   */
  readonly lazyMain?: boolean;
}
