// Pooling: nn.MaxPool/AvgPool/AdaptiveAvgPool/AdaptiveMaxPool/LPPool 1d/2d/3d and their F.* twins.
// Output sizes follow torch's pooling_output_shape (ceil_mode, padding ≤ half the kernel).
import type { JsonValue } from '../resultTypes';
import { REQUIRED, channelsFirst, err, noParams, ok, spatialRank, tup, type Args, type Default, type OpSpec, type ShapeRule } from './spec';

type Dim = number | null;

function poolOut(n: Dim, k: number, s: number, p: number, d: number, ceil: boolean): Dim {
  if (n === null) return null;
  // torch's pooling_output_shape: with ceil_mode the last window must start inside the input or left padding.
  const span = d * (k - 1) + 1;
  let out = Math.floor((n + 2 * p - span + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

/** Max, average and LP pooling over a sliding window (`kind` picks which of padding/dilation apply). */
function windowShape(kind: 'max' | 'avg' | 'lp'): ShapeRule {
  return (type, h, inputs) => {
    const nd = spatialRank(type);
    const parts = channelsFirst(type, inputs[0]!);
    if ('ok' in parts) return parts;
    const k = tup(h, 'kernel_size', nd),
      s = tup(h, 'stride', nd);
    const p = kind === 'lp' ? Array(nd).fill(0) : tup(h, 'padding', nd);
    const d = kind === 'max' ? tup(h, 'dilation', nd) : Array(nd).fill(1);
    const ceil = h['ceil_mode'] === true;
    if (s.some((v) => v === 0)) return err('stride should not be zero');
    for (let i = 0; i < nd; i++)
      if (p[i]! > k[i]! / 2)
        return err(`pad should be at most half of effective kernel size, but got pad=${p[i]}, kernel_size=${k[i]} and dilation=${d[i]}`);
    const spatial = parts.spatial.map((n, i) => poolOut(n, k[i]!, s[i]!, p[i]!, d[i]!, ceil));
    if (spatial.some((v) => v !== null && v < 1))
      return err(
        `Given input size: (${[parts.c, ...parts.spatial].join('x')}). Calculated output size: (${[parts.c, ...spatial].join('x')}). Output size is too small`,
      );
    return ok([...parts.batch, parts.c, ...spatial]);
  };
}

export const maxPoolShape = windowShape('max');
export const avgPoolShape = windowShape('avg');

/** Adaptive pooling: the output size is given; `None` in output_size keeps that input dimension. */
export const adaptivePoolShape: ShapeRule = (type, h, inputs) => {
  const nd = spatialRank(type);
  const parts = channelsFirst(type, inputs[0]!);
  if ('ok' in parts) return parts;
  const o = h['output_size'];
  const outs = typeof o === 'number' ? Array(nd).fill(o) : Array.isArray(o) ? o : [];
  const spatial = parts.spatial.map((n, i) => (outs[i] === null || outs[i] === undefined ? n : (outs[i] as number)));
  return ok([...parts.batch, parts.c, ...spatial]);
};

/** Torch stores stride = kernel_size when stride is None. */
const strideDefault = (a: Args): Record<string, JsonValue> => {
  const stride = a.raw('stride');
  return { stride: stride === null ? a.raw('kernel_size') : stride };
};

function pool(kind: 'Max' | 'Avg', dims: 1 | 2 | 3): OpSpec {
  const name = `${kind}Pool${dims}d`;
  const signature: [string, Default][] =
    kind === 'Max'
      ? [
          ['kernel_size', REQUIRED],
          ['stride', null],
          ['padding', 0],
          ['dilation', 1],
          ['return_indices', false],
          ['ceil_mode', false],
        ]
      : dims === 1
        ? [
            ['kernel_size', REQUIRED],
            ['stride', null],
            ['padding', 0],
            ['ceil_mode', false],
            ['count_include_pad', true],
          ]
        : [
            ['kernel_size', REQUIRED],
            ['stride', null],
            ['padding', 0],
            ['ceil_mode', false],
            ['count_include_pad', true],
            ['divisor_override', null],
          ];
  return noParams(name, kind === 'Max' ? 'maxPool' : 'avgPool', kind === 'Max' ? maxPoolShape : avgPoolShape, signature, {
    extra: strideDefault,
    functional: [`${kind.toLowerCase()}_pool${dims}d`],
    stored:
      kind === 'Max'
        ? ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode', 'return_indices']
        : ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', ...(dims === 1 ? [] : ['divisor_override'])],
  });
}

const dims = [1, 2, 3] as const;

export const POOL_SPECS: readonly OpSpec[] = [
  ...dims.map((d) => pool('Max', d)),
  ...dims.map((d) => pool('Avg', d)),
  ...dims.map((d) =>
    noParams(`AdaptiveAvgPool${d}d`, 'adaptiveAvgPool', adaptivePoolShape, [['output_size', REQUIRED]], {
      functional: [`adaptive_avg_pool${d}d`],
    }),
  ),
  ...dims.map((d) =>
    noParams(
      `AdaptiveMaxPool${d}d`,
      'adaptiveMaxPool',
      adaptivePoolShape,
      [
        ['output_size', REQUIRED],
        ['return_indices', false],
      ],
      { functional: [`adaptive_max_pool${d}d`] },
    ),
  ),
  // F.lp_pool{n}d: avg_pool{n}d of x^p, then sign(out)·relu(|out|)·k, raised to 1/p.
  ...dims.map((d) =>
    noParams(
      `LPPool${d}d`,
      'lpPool',
      windowShape('lp'),
      [
        ['norm_type', REQUIRED],
        ['kernel_size', REQUIRED],
        ['stride', null],
        ['ceil_mode', false],
      ],
      {
        extra: (a) => ({ stride: a.raw('stride') ?? a.raw('kernel_size') }),
        functional: [`lp_pool${d}d`],
      },
    ),
  ),
];
