// JSON-safe data the core hands out: source ranges, diagnostics, layers, module trees.
// Everything here survives JSON.stringify / structuredClone, so the same objects go to the CLI,
// the VS Code glue, a worker and a webview. No behaviour lives here, only shapes and tiny guards.

/** A JSON value (what hyperparameters and reports are made of). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A span in one source file. Offsets are UTF-16 code units; lines and columns are 0-based. */
export interface SourceRange {
  readonly file: string;
  readonly from: number;
  readonly to: number;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** A message about the analysis: a syntax error, an unknown value, a budget stop, a decorator treated as identity. */
export interface CoreDiagnostic {
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  readonly range?: SourceRange;
  /** A stable machine-readable code, e.g. `syntax`, `unknown`, `budget`, `decorator`, `raise`. */
  readonly code: string;
}

/** A tensor shape; `null` in a dimension means that dimension is unknown. */
export type Shape = readonly (number | null)[];

export type LayerStatus = 'ok' | 'unknown';

/** One leaf module as `model.named_modules()` would list it. */
export interface LayerRecord {
  /** The torch qualified name, e.g. `layer1.0.conv1` or `features.3.conv.1.0`. */
  readonly path: string;
  /** The class name, e.g. `Conv2d`; for a user-defined leaf, the user class name. */
  readonly type: string;
  /** True when `type` is a `torch.nn` layer from the catalog. */
  readonly builtin: boolean;
  /** For a user class deriving from a catalog layer (`class StdConv2d(nn.Conv2d)`), that layer's name. */
  readonly torchBase?: string;
  /** How many module-tree paths reach it through `children()` when more than one (a module registered twice). */
  readonly paths?: number;
  /** Its own parameters by name (`weight`, `bias`, `weight_g`...), element counts null when unknown. */
  readonly paramNames?: readonly { readonly name: string; readonly numel: number | null }[];
  /** Constructor arguments resolved as torch stores them (kernel_size as a list, bias as a boolean...). Unknown ones are absent. */
  readonly hyperparams: Readonly<Record<string, JsonValue>>;
  /** Parameter count as torch counts it; null when unknown. */
  readonly params: number | null;
  /** How the parameter count was computed, with its terms filled in, e.g. `Cout·(Cin/g)·kh·kw + Cout = 64·(3/1)·7·7 + 0`. */
  readonly paramsFormula?: string;
  readonly status: LayerStatus;
  /** Why the layer is unknown (only when status is `unknown`). */
  readonly reason?: string;
  /** Where the layer object was constructed (the `nn.Conv2d(...)` call). */
  readonly site: SourceRange;
  /** The interpreter's call stack at construction, outermost first, ending with `site`. */
  readonly stack: readonly SourceRange[];
}

/** A node of the module tree (containers and user modules included). */
export interface ModuleNode {
  readonly path: string;
  readonly name: string;
  readonly type: string;
  readonly builtin: boolean;
  /** Parameters registered directly on this module (not in children); null if unknown. */
  readonly ownParams: number | null;
  /** All parameters below this module, shared ones counted once; null if any is unknown. */
  readonly totalParams: number | null;
  readonly children: readonly ModuleNode[];
  readonly site?: SourceRange;
}

/** Python-level identity of a class: where its `class` statement is. */
export interface ClassInfo {
  readonly name: string;
  readonly range: SourceRange;
  /** True when the class derives (through its MRO) from torch.nn.Module. */
  readonly isModule: boolean;
  /** True when `ClassName()` can be called with no arguments (all __init__ parameters have defaults). */
  readonly buildableWithoutArgs: boolean;
}

/** A top-level function that returns an nn.Module when called (a model factory). */
export interface FactoryInfo {
  readonly name: string;
  readonly range: SourceRange;
}

export function isKnownShape(s: Shape | undefined): s is readonly number[] {
  return !!s && s.every((d) => typeof d === 'number');
}
