// Resampling and rearranging: nn.Upsample and its fixed-mode subclasses (F.interpolate), PixelShuffle /
// PixelUnshuffle (F.pixel_shuffle / F.pixel_unshuffle), ChannelShuffle, Unfold (F.unfold, im2col).
import type { JsonValue } from '../resultTypes';
import { REQUIRED, err, mapDim, noParams, num, ok, same, type Default, type OpSpec, type ShapeRule } from './spec';

/** F.interpolate by size or by scale factor (floor of in·scale). */
export const upsampleShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  const nsp = x.length - 2;
  if (nsp < 1) return err(`Upsample expects a (N, C, *) input, got ${x.length}-D`);
  const size = h['size'],
    scale = h['scale_factor'];
  if (size !== null && size !== undefined) {
    const sz = typeof size === 'number' ? Array(nsp).fill(size) : (size as number[]);
    return ok([x[0]!, x[1]!, ...sz]);
  }
  if (scale === null || scale === undefined) return err('either size or scale_factor should be defined');
  const sc = typeof scale === 'number' ? Array(nsp).fill(scale) : (scale as number[]);
  return ok([x[0]!, x[1]!, ...x.slice(2).map((n, i) => mapDim(n, (v) => Math.floor(v * sc[i]!)))]);
};

export const pixelShuffleShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  const r = num(h, 'upscale_factor');
  const [nb, c, hh, ww] = x.slice(-4).length === 4 ? x.slice(-4) : [null, ...x.slice(-3)];
  if (c !== null && c !== undefined && c % (r * r) !== 0)
    return err(
      `pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`,
    );
  return ok([
    ...(x.length === 4 ? [nb ?? null] : x.slice(0, -3)),
    mapDim(c ?? null, (v) => v / (r * r)),
    mapDim(hh ?? null, (v) => v * r),
    mapDim(ww ?? null, (v) => v * r),
  ]);
};

const pixelUnshuffleShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  const r = num(h, 'downscale_factor');
  const [c, hh, ww] = x.slice(-3);
  return ok([...x.slice(0, -3), mapDim(c ?? null, (v) => v * r * r), mapDim(hh ?? null, (v) => v / r), mapDim(ww ?? null, (v) => v / r)]);
};

/** torch.nn.functional.unfold: 4-D input [N, C, H, W] only → [N, C·kh·kw, L], L the number of windows. */
export const unfoldShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  if (x.length !== 4) return err(`Input Error: Only 4D input Tensors are supported (got ${x.length}D)`);
  const two = (k: string, d: number): [number, number] => {
    const v = h[k] ?? d;
    return Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)];
  };
  const [k, dil, pad, st] = [two('kernel_size', 1), two('dilation', 1), two('padding', 0), two('stride', 1)];
  const blocks = [x[2]!, x[3]!].map((n, i) => mapDim(n, (v) => Math.floor((v + 2 * pad[i]! - dil[i]! * (k[i]! - 1) - 1) / st[i]!) + 1));
  if (blocks.some((b) => b !== null && b <= 0))
    return err('Given input with spatial size too small for the unfold kernel: the number of blocks would be non-positive');
  const L = blocks[0] === null || blocks[1] === null ? null : blocks[0]! * blocks[1]!;
  return ok([x[0]!, mapDim(x[1]!, (c) => c * k[0]! * k[1]!), L]);
};

function upsample(name: string, mode: string | null, alignCorners: boolean | null): OpSpec {
  const sig: [string, Default][] =
    mode === null
      ? [
          ['size', null],
          ['scale_factor', null],
          ['mode', 'nearest'],
          ['align_corners', null],
          ['recompute_scale_factor', null],
        ]
      : [
          ['size', null],
          ['scale_factor', null],
        ];
  return noParams(name, 'upsample', upsampleShape, sig, {
    extra: (): Record<string, JsonValue> => (mode === null ? {} : { mode, align_corners: alignCorners }),
    functional: ['interpolate'],
    stored: ['size', 'scale_factor', 'mode', 'align_corners', ...(mode === null ? [{ key: 'recompute_scale_factor', default: null }] : [])],
  });
}

export const RESAMPLE_SPECS: readonly OpSpec[] = [
  upsample('Upsample', null, null),
  upsample('UpsamplingNearest2d', 'nearest', null),
  upsample('UpsamplingBilinear2d', 'bilinear', true),
  noParams('PixelShuffle', 'reshape', pixelShuffleShape, [['upscale_factor', REQUIRED]], { functional: ['pixel_shuffle'] }),
  noParams('PixelUnshuffle', 'reshape', pixelUnshuffleShape, [['downscale_factor', REQUIRED]], { functional: ['pixel_unshuffle'] }),
  noParams('ChannelShuffle', 'reshape', same, [['groups', REQUIRED]], { functional: ['channel_shuffle'] }),
  noParams(
    'Unfold',
    'unfold',
    unfoldShape,
    [
      ['kernel_size', REQUIRED],
      ['dilation', 1],
      ['padding', 0],
      ['stride', 1],
    ],
    { functional: ['unfold'] },
  ),
];
