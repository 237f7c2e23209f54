// Cost formulas shared by several conventions: convolution (by input or output spatial size, with or
// without the bias term), numel-proportional rules, recurrent layers and multi-head attention.
// Each returns a Term so the filled-in formula travels with the number. Which tool uses which variant
// is decided in conventions/; the tool source lines are cited there.
import { convTerms, hpBool, hpNumber, inputShape, numel, outputShape, product, unknown } from './geometry';
import { add, floorDiv, lit, mul, named, ratio, sym, type Term } from './terms';
import type { CostFn } from './conventionTypes';
import type { CostLayer, LayerCall } from './costTypes';

/** `N·Cout·Hout·Wout·(Cin/g)·k` (conv) or `N·Cin·Hin·Win·(Cout/g)·k` (transposed, by input size). */
export function convCore(layer: CostLayer, call: LayerCall, spatialOf: 'in' | 'out', channelsOf: 'in' | 'out'): Term {
  const t = convTerms(layer, call);
  const sp = spatialOf === 'in' ? t.inSpatial : t.outSpatial;
  return channelsOf === 'out' ? mul(t.N, t.Cout, sp, ratio(t.Cin, t.g), t.k) : mul(t.N, t.Cin, sp, ratio(t.Cout, t.g), t.k);
}

/** The bias term one MAC per output element, `N·Cout·Hout·Wout`, or nothing for a bias-free layer. */
export function convBias(layer: CostLayer, call: LayerCall): Term | null {
  const t = convTerms(layer, call);
  return t.bias ? mul(t.N, t.Cout, t.outSpatial) : null;
}

/**
 * A convolution cost builder: `spatial` picks which extent multiplies the kernel (`out` for a convolution,
 * `in` for the analytic transposed convolution), `bias` adds one MAC per output element when the layer has one.
 */
export function conv(spatial: 'in' | 'out', bias: boolean): CostFn {
  return (layer, call) => {
    const transposed = layer.type.startsWith('ConvTranspose');
    // A transposed conv scattered by input size is written from the input side (each input pixel fans out).
    const core = convCore(layer, call, spatial, transposed && spatial === 'in' ? 'in' : 'out');
    const b = bias ? convBias(layer, call) : null;
    return b ? add(core, b) : core;
  };
}

/** `c·numel(input)` (`c` omitted when 1). */
export function inputNumel(c = 1): CostFn {
  return (_layer, call) => scaled(c, numel('in', inputShape(call)));
}

/** `c·numel(output)`. */
export function outputNumel(c = 1): CostFn {
  return (_layer, call) => scaled(c, numel('out', outputShape(call)));
}

export function scaled(c: number, t: Term): Term {
  return c === 1 ? t : mul(lit(c), t);
}

export const zero: CostFn = () => lit(0);

/** `N·in·out` style product of all leading dims of a Linear input: `prod(x.shape[:-1])`. */
export function rows(call: LayerCall): Term {
  const x = inputShape(call);
  return named('rows', mul(...x.slice(0, -1).map(lit)));
}

/** The linear terms: in_features, out_features and whether there is a bias. */
export function linearTerms(layer: CostLayer): { inF: Term; outF: Term; bias: boolean } {
  return {
    inF: sym('in', hpNumber(layer, 'in_features')),
    outF: sym('out', hpNumber(layer, 'out_features')),
    bias: hpBool(layer, 'bias', true),
  };
}

/** Bias-free analytic Linear: `rows·in·out`, rows = prod(input.shape[:-1]). Used by fvcore, paper. */
export const linearNoBias: CostFn = (layer, call) => {
  const { inF, outF } = linearTerms(layer);
  return mul(rows(call), inF, outF);
};

/** Recurrent layer geometry: gates per cell, hidden size, layers, directions, sequence and batch. */
export interface RnnTerms {
  readonly gates: number;
  readonly H: Term;
  readonly inSize: Term;
  readonly layers: number;
  readonly dirs: number;
  readonly bias: boolean;
  /** Batch and sequence length as the layout says (`batch_first`). */
  readonly N: Term;
  readonly T: Term;
  /** Dim 0 and dim 1 of the input, which ptflops reads as batch and sequence whatever the layout. */
  readonly d0: Term;
  readonly d1: Term;
}

const GATES: Readonly<Record<string, number>> = { RNN: 1, GRU: 3, LSTM: 4 };

export function rnnTerms(layer: CostLayer, call: LayerCall): RnnTerms {
  const x = inputShape(call);
  if (x.length !== 3) unknown('unbatched or packed recurrent input is not counted');
  if (typeof layer.hyperparams['proj_size'] === 'number' && layer.hyperparams['proj_size'] !== 0)
    unknown('LSTM proj_size is not supported');
  const batchFirst = hpBool(layer, 'batch_first', false);
  return {
    gates: GATES[layer.type] ?? unknown(`not a recurrent type: ${layer.type}`),
    H: sym('H', hpNumber(layer, 'hidden_size')),
    inSize: sym('in', hpNumber(layer, 'input_size')),
    layers: typeof layer.hyperparams['num_layers'] === 'number' ? (layer.hyperparams['num_layers'] as number) : 1,
    dirs: hpBool(layer, 'bidirectional', false) ? 2 : 1,
    bias: hpBool(layer, 'bias', true),
    N: sym('N', batchFirst ? x[0]! : x[1]!),
    T: sym('T', batchFirst ? x[1]! : x[0]!),
    d0: sym('x0', x[0]!),
    d1: sym('x1', x[1]!),
  };
}

/** Input width of recurrent layer `i`: input_size for the first, H·dirs after that. */
export function rnnLayerInput(t: RnnTerms, i: number): Term {
  return i === 0 ? t.inSize : t.dirs === 2 ? mul(lit(2), t.H) : t.H;
}

/** Analytic gate multiply-accumulates: `N·T·dirs·Σ_layers G·H·(in_l + H)`, no bias. */
export const rnnAnalytic: CostFn = (layer, call) => {
  const t = rnnTerms(layer, call);
  const perLayer = Array.from({ length: t.layers }, (_, i) => mul(lit(t.gates), t.H, add(rnnLayerInput(t, i), t.H)));
  return mul(t.N, t.T, lit(t.dirs), named('Σ G·H·(in+H)', add(...perLayer)));
};

/** Multi-head attention geometry from (query, key, value) inputs and the module's layout. */
export interface AttentionTerms {
  readonly N: Term;
  readonly Lq: Term;
  readonly Lk: Term;
  readonly Lv: Term;
  readonly E: Term;
  readonly kdim: Term;
  readonly vdim: Term;
  readonly heads: Term;
  readonly inProjBias: boolean;
}

export function attentionTerms(layer: CostLayer, call: LayerCall): AttentionTerms {
  if (call.inputShapes.length < 3) unknown('MultiheadAttention needs the query, key and value shapes');
  const [q, k, v] = [inputShape(call, 0), inputShape(call, 1), inputShape(call, 2)];
  if (q.length !== 3 || k.length !== 3 || v.length !== 3) unknown('unbatched attention input is not counted');
  const batchFirst = hpBool(layer, 'batch_first', false);
  const len = (s: readonly number[]): number => (batchFirst ? s[1]! : s[0]!);
  return {
    N: sym('N', batchFirst ? q[0]! : q[1]!),
    Lq: sym('Lq', len(q)),
    Lk: sym('Lk', len(k)),
    Lv: sym('Lv', len(v)),
    E: sym('E', hpNumber(layer, 'embed_dim')),
    kdim: sym('kdim', k[2]!),
    vdim: sym('vdim', v[2]!),
    heads: sym('h', hpNumber(layer, 'num_heads')),
    inProjBias: hpBool(layer, 'bias', true),
  };
}

/**
 * Analytic attention MACs without bias: the q/k/v projections, Q·Kᵀ and A·V over all heads
 * (`h·Lq·Lk·(E/h)` each) and the output projection.
 */
export function attentionAnalytic(t: AttentionTerms): Term {
  const headDim = ratio(t.E, t.heads);
  return mul(
    t.N,
    add(
      mul(t.Lq, t.E, t.E),
      mul(t.Lk, t.kdim, t.E),
      mul(t.Lv, t.vdim, t.E),
      mul(t.heads, t.Lq, t.Lk, headDim),
      mul(t.heads, t.Lq, t.Lk, headDim),
      mul(t.Lq, t.E, t.E),
    ),
  );
}

/** ptflops' per-head dims use Python's `//`. */
export function headDimFloor(dim: Term, heads: Term): Term {
  return floorDiv(dim, heads);
}

/** Number of elements of a shape with every dim known. */
export function shapeNumel(shape: readonly number[]): number {
  return product(shape);
}
