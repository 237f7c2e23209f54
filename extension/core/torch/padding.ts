// Padding layers: nn.ReflectionPad, ReplicationPad, ZeroPad, ConstantPad, CircularPad 1d/2d/3d, all F.pad
// with a mode. Padding pairs run from the last dimension backwards: (left, right, top, bottom, front, back).
import { REQUIRED, mapDim, noParams, ok, type OpSpec, type ShapeRule } from './spec';

export const padShape: ShapeRule = (_type, h, inputs) => {
  const p = h['padding'] as number[];
  const out = [...inputs[0]!];
  for (let i = 0; i < p.length / 2; i++) {
    const dim = out.length - 1 - i;
    out[dim] = mapDim(out[dim] ?? null, (v) => v + p[2 * i]! + p[2 * i + 1]!);
  }
  return ok(out);
};

function padLayer(kind: string, dims: 1 | 2 | 3): OpSpec {
  const withValue = kind === 'Constant';
  return noParams(
    `${kind}Pad${dims}d`,
    'padding',
    padShape,
    withValue
      ? [
          ['padding', REQUIRED],
          ['value', REQUIRED],
        ]
      : [['padding', REQUIRED]],
    {
      extra: (a) => ({ padding: a.tuple('padding', dims * 2) }),
      functional: ['pad'],
    },
  );
}

export const PADDING_SPECS: readonly OpSpec[] = ['Reflection', 'Replication', 'Zero', 'Constant', 'Circular'].flatMap((kind) =>
  ([1, 2, 3] as const).map((d) => padLayer(kind, d)),
);
