// numpy's reductions of numbers, one rule for the module functions (`np.sum(a)`) and the array methods (`a.sum()`):
// an int for ints and bools (numpy's int64), a float otherwise (always for mean); a float sum or mean of 8 or more
// items is not modelled, since numpy adds them pairwise, in another order than one by one (the last bits may differ).
import { float, int, numberOf, type BoolV, type FloatV, type IntV, type Value } from '../values';

export type NumpyReduction = 'sum' | 'prod' | 'max' | 'min' | 'mean';

const REDUCE: Readonly<Record<NumpyReduction, (xs: number[]) => number>> = {
  sum: (xs) => xs.reduce((a, b) => a + b, 0),
  prod: (xs) => xs.reduce((a, b) => a * b, 1),
  max: (xs) => Math.max(...xs),
  min: (xs) => Math.min(...xs),
  mean: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
};

/** The reduction of `items` (numbers, forced), or `pairwise` where numpy's float summation order is not modelled. */
export function numpyReduce(what: NumpyReduction, items: readonly (IntV | FloatV | BoolV)[]): Value | 'pairwise' {
  const ints = items.every((x) => x.kind === 'int' || x.kind === 'bool');
  if ((what === 'sum' || what === 'mean') && !ints && items.length >= 8) return 'pairwise';
  const r = REDUCE[what](items.map(numberOf));
  return ints && what !== 'mean' ? int(r) : float(r);
}
