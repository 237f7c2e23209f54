// Layers that only pass, reshape or drop data: nn.Identity, Flatten, Unflatten, Dropout and its variants;
// and the broadcasting rule of element-wise tensor ops.
import type { Shape } from '../resultTypes';
import {
  LayerArgError,
  REQUIRED,
  err,
  noParams,
  normDim,
  num,
  ok,
  prodDims,
  same,
  type OpSpec,
  type ShapeResult,
  type ShapeRule,
} from './spec';

const flattenShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  const r = x.length;
  const start = normDim(num(h, 'start_dim'), r),
    end = normDim(num(h, 'end_dim'), r);
  if (r === 0) return ok([1]);
  return ok([...x.slice(0, start), prodDims(x.slice(start, end + 1)), ...x.slice(end + 1)]);
};

const unflattenShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  const dim = normDim(num(h, 'dim'), x.length);
  const sizes = (h['unflattened_size'] as number[]) ?? [];
  return ok([...x.slice(0, dim), ...sizes, ...x.slice(dim + 1)]);
};

const DROPOUT_F: Readonly<Record<string, string>> = {
  Dropout: 'dropout',
  Dropout1d: 'dropout1d',
  Dropout2d: 'dropout2d',
  Dropout3d: 'dropout3d',
  AlphaDropout: 'alpha_dropout',
  FeatureAlphaDropout: 'feature_alpha_dropout',
};

export const TENSOR_SPECS: readonly OpSpec[] = [
  {
    name: 'Identity',
    signature: [],
    varargs: true,
    family: 'reshape',
    shape: same,
    stored: [],
    build: () => ({ hyperparams: {}, weights: [], formula: 'no parameters = 0' }),
  },
  noParams('Flatten', 'reshape', flattenShape, [
    ['start_dim', 1],
    ['end_dim', -1],
  ]),
  noParams('Unflatten', 'reshape', unflattenShape, [
    ['dim', REQUIRED],
    ['unflattened_size', REQUIRED],
  ]),
  ...Object.entries(DROPOUT_F).map(([name, fn]) =>
    noParams(
      name,
      'dropout',
      same,
      [
        ['p', 0.5],
        ['inplace', false],
      ],
      {
        functional: [fn],
        extra: (a) => {
          const p = a.num('p');
          if (p < 0 || p > 1) throw new LayerArgError('ValueError', `dropout probability has to be between 0 and 1, but got ${p}`);
          return {};
        },
      },
    ),
  ),
];

type Dim = number | null;

/** Broadcasts two shapes (NumPy rules); an error names both shapes like torch does. */
export function broadcast(a: Shape, b: Shape): ShapeResult {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1,
      y = b[b.length - n + i] ?? 1;
    if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : (x ?? y));
    else if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return err(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
  }
  return ok(out);
}
