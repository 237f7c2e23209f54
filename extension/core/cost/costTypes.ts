// Plain data in and out of the cost stage: what the interpreter hands over (layers with their calls,
// functional ops issued by forward code) and what a counting convention returns (per-layer MACs with
// filled-in formulas, functional entries, totals). Only shapes and names live here, no counting rules.
// Everything is JSON-safe so a profile can go to the CLI, a hover or a webview unchanged.
import type { JsonValue } from '../resultTypes';

/** Every counting convention, default first, named after the tool (and version) each one reproduces. */
export const CONVENTION_NAMES = ['ptflops', 'ptflops-0.6', 'torchinfo', 'fvcore', 'thop', 'torchstat', 'paper'] as const;
export type ConventionName = (typeof CONVENTION_NAMES)[number];

/** A fully known tensor shape (batch first, as torch prints it). */
export type KnownShape = readonly number[];

/** One execution of a leaf module's forward. `null` marks a shape the interpreter could not determine. */
export interface LayerCall {
  readonly inputShapes: readonly (KnownShape | null)[];
  readonly outputShape: KnownShape | null;
}

/** One leaf module as the interpreter sees it, with every call made to it in execution order. */
export interface CostLayer {
  /** The torch qualified name (`layer1.0.conv1`). */
  readonly path: string;
  /** The class name (`Conv2d`, or a user class name for a user-defined leaf). */
  readonly type: string;
  /** True when `type` is a `torch.nn` class. */
  readonly builtin: boolean;
  /** For a user class deriving from a torch.nn layer (`class StdConv2d(nn.Conv2d)`), that layer's class name. */
  readonly torchBase?: string;
  /** How many paths from the root reach the module through `children()`, when more than one. */
  readonly paths?: number;
  /** Set when the module has children too (listed for its own parameters, like a CondConv's expert weights). */
  readonly container?: boolean;
  /** Its own parameters by name, when known (torchinfo reads them by name). */
  readonly paramNames?: readonly { readonly name: string; readonly numel: number | null }[];
  /** Constructor arguments in the ground truth's `hyperparams` format (kernel_size as a list, bias as a boolean...). */
  readonly hyperparams: Readonly<Record<string, JsonValue>>;
  /** Parameter count as torch counts it; null when unknown. */
  readonly params: number | null;
  /** Calls in execution order; empty when the module never ran in forward. */
  readonly calls: readonly LayerCall[];
  /** Set when the interpreter could not analyse the layer at all; its MACs are then unknown in every convention. */
  readonly unknownReason?: string;
}

/** How forward code spelled a functional op: `F.relu(x)`, `torch.add(a, b)`, `a.add(b)` or `a + b`. */
export type FunctionalVia = 'F' | 'torch' | 'method' | 'operator';

/** A tensor op issued directly by some module's forward (not by the inside of a torch layer). */
export interface FunctionalOp {
  /** The torch name of the op: `relu`, `interpolate`, `add`, `mul`, `matmul`, `adaptive_avg_pool2d`, `cat`... */
  readonly op: string;
  readonly via: FunctionalVia;
  /** Path of the module whose forward issued the op (`''` for the root). */
  readonly modulePath: string;
  readonly inputShapes: readonly (KnownShape | null)[];
  readonly outputShape: KnownShape | null;
  /** Keyword-ish arguments that change the count: mode, scale_factor, size, align_corners, dim... */
  readonly args: Readonly<Record<string, JsonValue>>;
}

/** Everything the cost stage needs for one analysed model. */
export interface CostInput {
  /** The model input shape, e.g. [1, 3, 224, 224]. */
  readonly input: KnownShape;
  readonly layers: readonly CostLayer[];
  readonly functionals: readonly FunctionalOp[];
  /** All parameters of the model (shared ones once); null when unknown. */
  readonly totalParams: number | null;
}

/** One layer under one convention. */
export interface LayerProfile {
  readonly path: string;
  readonly type: string;
  /** Null when unknown (see `reason`). */
  readonly macs: number | null;
  /** The formula with its terms filled in, e.g. `N·Cout·Hout·Wout·(Cin/g)·kh·kw = 1·64·56·56·(64/1)·3·3`. */
  readonly formula: string;
  /** One line on how this convention treats this layer type (bias, BN, double counts, 2× MAdd...). */
  readonly why: string;
  /** How many times forward called the layer. */
  readonly calls: number;
  /** How many of those calls the convention counts (torchstat keeps only the last one). */
  readonly countedCalls: number;
  readonly reason?: string;
  /** torchstat only: the figure of its `Flops` column (a MAC-like count), next to the `MAdd` figure in `macs`. */
  readonly secondaryMacs?: number | null;
  readonly secondaryFormula?: string;
}

/** A functional op counted by a convention; `doubleCount` when it re-counts work a module hook already counted. */
export interface FunctionalProfile {
  /** The module whose forward (or, for a hidden op, whose torch implementation) ran the op. */
  readonly path: string;
  readonly type: `functional:${string}`;
  readonly macs: number | null;
  readonly formula: string;
  readonly doubleCount?: boolean;
  /** Why the op is counted here (and, for a double count, what it duplicates). */
  readonly message?: string;
  readonly reason?: string;
}

export interface ProfileTotals {
  /** Parameters as this tool reports them (thop and torchstat only see executed modules); null when unknown. */
  readonly params: number | null;
  /** Sum of the known layer and functional MACs. When `partial` is true some entries were unknown and are missing. */
  readonly macs: number;
  readonly partial: boolean;
  /** Paths of layers or functional ops whose MACs are unknown. */
  readonly unknownPaths: readonly string[];
  /** `macs / pixels`; null when the input has no pixel plane (see `pixels`). */
  readonly macsPerPixel: number | null;
  /** The pixel count used for `macsPerPixel` (see `pixelCountForInput`). */
  readonly pixels: number | null;
  /** FLOPs = 2·MACs, stated as such (no tool here counts FLOPs any other way). */
  readonly flops: number;
  /** torchstat only: the total of its `Flops` column. */
  readonly secondaryMacs?: number;
}

/** The result of one convention on one model. JSON-safe. */
export interface ConventionProfile {
  readonly convention: ConventionName;
  /** The tool and version this convention reproduces, e.g. `ptflops 0.7.6 (backend=pytorch)`. */
  readonly tool: string;
  /** One line on the convention as a whole. */
  readonly summary: string;
  readonly layers: readonly LayerProfile[];
  readonly functionals: readonly FunctionalProfile[];
  readonly totals: ProfileTotals;
  readonly notes: readonly string[];
}
