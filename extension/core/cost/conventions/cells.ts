// Single-step recurrent cells (nn.RNNCell, LSTMCell, GRUCell) under each tool that has a rule for them.
// Cited from the tools' sources at the commits in groundtruth/RULES.md:
// - ptflops 0.7.6 and 0.6.9 `rnn_cell_flops_counter_hook`: (numel(w_ih) + numel(w_hh) + element-wise
//   term H / 7H / 10H + both biases) · input.shape[0];
// - thop 0.1.1 `count_{rnn,gru,lstm}_cell` (rnn_hooks.py): the per-step cell cost · x.size(0);
// - fvcore 0.1.6: torch's cells trace to two `aten::linear` (x·W_ihᵀ and h·W_hhᵀ), counted without bias;
// - paper: the two gate products, no bias.
// torchinfo reads the cells through its parameter-name rule (torchinfo.ts); torchstat has none.
import type { CostFn } from '../conventionTypes';
import { hpBool, hpNumber, inputShape, unknown } from '../geometry';
import { add, lit, mul, named, sym, type Term } from '../terms';
import type { CostLayer, LayerCall } from '../costTypes';

const GATES: Readonly<Record<string, number>> = { RNNCell: 1, GRUCell: 3, LSTMCell: 4 };
/** ptflops' rnn_flops element-wise term per cell type, in units of H. */
const PTFLOPS_EXTRA: Readonly<Record<string, number>> = { RNNCell: 1, GRUCell: 7, LSTMCell: 10 };

interface CellTerms {
  readonly G: Term;
  readonly H: Term;
  readonly inSize: Term;
  readonly bias: boolean;
  readonly x: readonly number[];
}

function cellTerms(layer: CostLayer, call: LayerCall): CellTerms {
  const gates = GATES[layer.type] ?? unknown(`not a recurrent cell: ${layer.type}`);
  return {
    G: lit(gates),
    H: sym('H', hpNumber(layer, 'hidden_size')),
    inSize: sym('in', hpNumber(layer, 'input_size')),
    bias: hpBool(layer, 'bias', true),
    x: inputShape(call),
  };
}

/** input.shape[0], which both ptflops and thop read as the batch (a 1-D input gives its length). */
const dim0 = (x: readonly number[]): Term => sym('x0', x[0] ?? 1);

export const ptflopsCell: CostFn = (layer, call) => {
  const t = cellTerms(layer, call);
  const parts = [mul(t.G, t.H, t.inSize), mul(t.G, t.H, t.H), mul(lit(PTFLOPS_EXTRA[layer.type]!), t.H)];
  if (t.bias) parts.push(mul(lit(2), t.G, t.H));
  return mul(dim0(t.x), named('per sample', add(...parts)));
};

export const thopCell: CostFn = (layer, call) => {
  const t = cellTerms(layer, call);
  const gate = (): Term => {
    const base = add(mul(add(t.inSize, t.H), t.H), t.H);
    return t.bias ? add(base, mul(lit(2), t.H)) : base;
  };
  const cell =
    layer.type === 'RNNCell'
      ? gate()
      : layer.type === 'GRUCell'
        ? add(mul(lit(3), gate()), t.H, mul(lit(3), t.H))
        : add(mul(lit(4), gate()), mul(lit(3), t.H), t.H);
  return mul(dim0(t.x), named('cell', cell));
};

/** Gate products without bias: rows·G·H·(in + H), rows = prod(x.shape[:-1]) (fvcore's two aten::linear; the paper figure). */
export const cellGateProducts: CostFn = (layer, call) => {
  const t = cellTerms(layer, call);
  const rows = named('rows', mul(...t.x.slice(0, -1).map(lit)));
  return mul(rows, t.G, t.H, add(t.inSize, t.H));
};
