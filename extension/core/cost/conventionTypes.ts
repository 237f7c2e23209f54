// The shape of a counting convention: a rule table from layer type to cost function, how reused
// modules are treated, which functional ops the tool sees, and (ptflops only) which ops it counts a
// second time inside torch's own modules. Interfaces only; the conventions live in conventions/.
import type { Term } from './terms';
import type { ConventionName, CostLayer, FunctionalOp, LayerCall } from './costTypes';

/** MACs of one call of one layer. Throws `UnknownCost` (geometry.ts) when a needed number is unknown. */
export type CostFn = (layer: CostLayer, call: LayerCall) => Term;

/** How one tool treats one layer type. */
export interface LayerRule {
  /** One line: what the tool counts for this type and how it differs (bias, BN, 2×...). */
  readonly why: string;
  /** The cost of one call. Absent when `composite` is set. */
  readonly cost?: CostFn;
  /**
   * The layer is a container torch runs through its children (TransformerEncoderLayer): the cost is the sum
   * of its sub-layers under the same convention. `guard` returns a reason when the tool would not see them.
   */
  readonly composite?: { readonly guard?: (layer: CostLayer) => string | null };
}

/** An op that a torch module runs inside its own forward and that a patching tool counts again. */
export interface HiddenOp {
  readonly op: string;
  readonly term: Term;
  /** True when the module hook already counted the same work. */
  readonly doubleCount: boolean;
  readonly message: string;
}

/** How a tool counts a functional op written in forward code; null when the tool does not see it. */
export interface FunctionalCount {
  readonly term: Term;
  readonly message: string;
}

/**
 * How a tool counts a module whose class is not a torch.nn class: a user subclass of a torch layer
 * (`class StdConv2d(nn.Conv2d)`), or a user class of its own, even one named like a torch layer
 * (ConvNeXt's `class LayerNorm(nn.Module)`: resolution follows the class, never the name).
 * - `exact`: hooks are looked up by exact type, so the module gets no count of its own; ops in its
 *   forward count only where the tool patches them (ptflops, thop).
 * - `isinstance`: a subclass is counted by its torch base class's rule; other user classes get 0 (torchstat).
 * - `traced`: the ops its forward runs are its cost (fvcore; the paper count).
 * - `parameters`: the tool's own rule from the class name and parameter names (torchinfo).
 */
export interface UserClassPolicy {
  readonly kind: 'exact' | 'isinstance' | 'traced' | 'parameters';
  /** One line for the hover and the breakdown. */
  readonly why: string;
  /** For `parameters`: the rule applied to every user class. */
  readonly rule?: LayerRule;
}

export interface Convention {
  readonly name: ConventionName;
  /** Tool and version, e.g. `ptflops 0.7.6 (backend=pytorch)`. */
  readonly tool: string;
  /** One line on the convention as a whole (shown in the side-by-side hover). */
  readonly summary: string;
  /** `sum`: every call of a reused module counts; `last`: only the last call survives (torchstat). */
  readonly reusedCalls: 'sum' | 'last';
  readonly rules: ReadonlyMap<string, LayerRule>;
  /** A second figure reported next to the main one (torchstat's `Flops` column next to `MAdd`). */
  readonly secondary?: { readonly label: string; readonly rules: ReadonlyMap<string, LayerRule> };
  /** Ops the tool counts inside a torch module's forward, per call (ptflops' functional patching). */
  readonly hiddenOps?: (layer: CostLayer, call: LayerCall) => readonly HiddenOp[];
  readonly functional: (op: FunctionalOp) => FunctionalCount | null;
  readonly userClasses: UserClassPolicy;
  /**
   * The tool reports MACs per sample: ptflops builds its own batch of 1 from the input shape without
   * the batch dimension (and divides module counts by its batch counter), so every figure is /N.
   */
  readonly perSample?: boolean;
  /**
   * A module reachable by more than one `children()` path (registered twice): `total` when the tool's
   * total walks children() and adds it once per path (ptflops' accumulate_flops); `hooks` when the
   * tool also registers one hook per path through `apply()`, so each call is counted that many times
   * too (thop's add_hooks and dfs_count).
   */
  readonly repeatedPaths?: 'total' | 'hooks';
  /** Which layers' parameters the tool adds up; absent means it reports all model parameters. */
  readonly countsParamsOf?: (layer: CostLayer, rule: LayerRule | undefined) => boolean;
  readonly notes: readonly string[];
}

/** Builds a rule table from `[types, rule]` rows. */
export function ruleTable(rows: readonly (readonly [readonly string[], LayerRule])[]): ReadonlyMap<string, LayerRule> {
  const table = new Map<string, LayerRule>();
  for (const [types, rule] of rows) for (const type of types) table.set(type, rule);
  return table;
}
