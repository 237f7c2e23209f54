// Cost terms of functional ops that both fvcore and the paper convention count the same way:
// matrix products, F.linear and functional convolutions, from the operand shapes alone.
// Which ops a convention counts is decided by the convention, not here.
import { numel, spatial, unknown } from '../geometry';
import { mul, sym, type Term } from '../terms';
import type { FunctionalOp, KnownShape } from '../costTypes';

/** `numel(a)·b.shape[-1]`, with a 1-D `a` read as [1, n] and a 1-D `b` as [n, 1] (fvcore matmul_flop_jit). */
export function matmulTerm(a: KnownShape, b: KnownShape): Term {
  const last = b.length === 1 ? 1 : b[b.length - 1]!;
  return mul(numel('a', a), sym('b[-1]', last));
}

/** F.linear(x, w): `numel(x)·out` with out = w.shape[0]; no bias. */
export function linearFunctionalTerm(x: KnownShape, w: KnownShape): Term {
  return mul(numel('in', x), sym('out', w[0] ?? unknown('the weight shape is unknown')));
}

/** F.convNd(x, w) / F.conv_transposeNd(x, w): `N·numel(w)·spatial`, by output size (conv) or input size (transposed). */
export function functionalConvTerm(op: FunctionalOp): Term {
  const x = op.inputShapes[0] ?? unknown('the input shape is unknown');
  const w = op.inputShapes[1] ?? unknown('the weight shape is unknown');
  const transposed = op.op.startsWith('conv_transpose');
  const sp = transposed ? spatial(x, 'in') : spatial(op.outputShape ?? unknown('the output shape is unknown'), 'out');
  return mul(sym('N', x[0]!), numel('w', w), sp);
}
