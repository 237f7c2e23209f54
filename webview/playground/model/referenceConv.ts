// The reference the tests compare ONNX Runtime against: convolution, transposed convolution,
// BatchNorm, crop and add written as plain loops straight from PyTorch's definitions, accumulating in
// float64. Deliberately naive and independent of the ONNX path (no im2col, no fusion, no graph). It
// only handles batch 1, 2-D, zero padding.
import type { Tensor } from './tensor';
import { tensor } from './tensor';
import type { BatchNorm, ConvLayer } from './convLayer';
import type { VariantModel } from './variantModel';

export interface Conv2dArgs {
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

/**
 * `torch.nn.functional.conv2d` for batch 1:
 * `out[o, y, x] = bias[o] + Σ_{i ∈ group(o)} Σ_{ky, kx} in[i, y·s − p + ky·d, x·s − p + kx·d] · w[o, i − g0, ky, kx]`,
 * with taps outside the input reading zero (the padding).
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Float32Array | null, a: Conv2dArgs): Tensor {
  const [, cin, h, w] = input.dims as [number, number, number, number];
  const [cout, cinPerGroup, kh, kw] = weight.dims as [number, number, number, number];
  const [sh, sw] = a.stride as [number, number];
  const [ph, pw] = a.padding as [number, number];
  const [dh, dw] = a.dilation as [number, number];
  if (cinPerGroup * a.groups !== cin) throw new RangeError(`conv2d: weight expects ${cinPerGroup * a.groups} input channels, got ${cin}`);
  const ho = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const wo = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  const coutPerGroup = cout / a.groups;
  const out = tensor([1, cout, ho, wo]);
  for (let o = 0; o < cout; o++) {
    const g = Math.floor(o / coutPerGroup);
    for (let y = 0; y < ho; y++) {
      for (let x = 0; x < wo; x++) {
        let acc = bias ? bias[o]! : 0;
        for (let i = 0; i < cinPerGroup; i++) {
          const c = g * cinPerGroup + i;
          for (let ky = 0; ky < kh; ky++) {
            const iy = y * sh - ph + ky * dh;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = x * sw - pw + kx * dw;
              if (ix < 0 || ix >= w) continue;
              acc += input.data[(c * h + iy) * w + ix]! * weight.data[((o * cinPerGroup + i) * kh + ky) * kw + kx]!;
            }
          }
        }
        out.data[(o * ho + y) * wo + x] = acc;
      }
    }
  }
  return out;
}

/**
 * `torch.nn.functional.conv_transpose2d` for batch 1, written as the scatter it is: every input cell
 * `in[i, y, x]` adds `in · w[i, o, ky, kx]` to `out[o, y·s − p + ky·d, x·s − p + kx·d]`; cells that
 * land outside `[0, Hout)` are the cropped padding. `output_padding` only enlarges `Hout`.
 */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Float32Array | null,
  a: Conv2dArgs & { readonly outputPadding: readonly number[] },
): Tensor {
  const [, cin, h, w] = input.dims as [number, number, number, number];
  const [wcin, coutPerGroup, kh, kw] = weight.dims as [number, number, number, number];
  if (wcin !== cin) throw new RangeError(`conv_transpose2d: weight expects ${wcin} input channels, got ${cin}`);
  const [sh, sw] = a.stride as [number, number];
  const [ph, pw] = a.padding as [number, number];
  const [dh, dw] = a.dilation as [number, number];
  const [oph, opw] = a.outputPadding as [number, number];
  const ho = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const wo = (w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  const cinPerGroup = cin / a.groups;
  const cout = coutPerGroup * a.groups;
  const acc = new Float64Array(cout * ho * wo);
  for (let i = 0; i < cin; i++) {
    const g = Math.floor(i / cinPerGroup);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = input.data[(i * h + y) * w + x]!;
        for (let o = 0; o < coutPerGroup; o++) {
          const oc = g * coutPerGroup + o;
          for (let ky = 0; ky < kh; ky++) {
            const oy = y * sh - ph + ky * dh;
            if (oy < 0 || oy >= ho) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ox = x * sw - pw + kx * dw;
              if (ox < 0 || ox >= wo) continue;
              acc[(oc * ho + oy) * wo + ox]! += v * weight.data[((i * coutPerGroup + o) * kh + ky) * kw + kx]!;
            }
          }
        }
      }
    }
  }
  const out = tensor([1, cout, ho, wo]);
  for (let oc = 0; oc < cout; oc++) {
    for (let j = 0; j < ho * wo; j++) out.data[oc * ho * wo + j] = acc[oc * ho * wo + j]! + (bias ? bias[oc]! : 0);
  }
  return out;
}

/** Inference-mode `BatchNorm2d`: `gamma·(x − mean)/sqrt(var + eps) + beta` per channel. */
export function batchNorm2d(input: Tensor, bn: BatchNorm): Tensor {
  const [, c, h, w] = input.dims as [number, number, number, number];
  const out = tensor(input.dims);
  for (let ch = 0; ch < c; ch++) {
    const inv = 1 / Math.sqrt(bn.variance[ch]! + bn.epsilon);
    for (let j = 0; j < h * w; j++) {
      out.data[ch * h * w + j] = (input.data[ch * h * w + j]! - bn.mean[ch]!) * inv * bn.gamma[ch]! + bn.beta[ch]!;
    }
  }
  return out;
}

/** The seed's `CropLayer`: removes `rows` rows and `cols` columns from each side. */
export function crop2d(input: Tensor, rows: number, cols: number): Tensor {
  const [, c, h, w] = input.dims as [number, number, number, number];
  const ho = h - 2 * rows;
  const wo = w - 2 * cols;
  const out = tensor([1, c, ho, wo]);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < ho; y++) {
      for (let x = 0; x < wo; x++) out.data[(ch * ho + y) * wo + x] = input.data[(ch * h + y + rows) * w + x + cols]!;
    }
  }
  return out;
}

export function add(a: Tensor, b: Tensor): Tensor {
  if (a.data.length !== b.data.length) throw new RangeError('add: sizes differ');
  const out = tensor(a.dims);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i]! + b.data[i]!;
  return out;
}

function runLayer(layer: ConvLayer, input: Tensor): Tensor {
  const s = layer.spec;
  const args = { stride: s.stride, padding: s.padding, dilation: s.dilation, groups: s.groups };
  return s.transposed
    ? convTranspose2d(input, layer.weight, layer.bias, { ...args, outputPadding: s.outputPadding })
    : conv2d(input, layer.weight, layer.bias, args);
}

/**
 * The variant's forward pass as the seed's PyTorch modules define it. For ACBlock, `train` is the
 * three-branch form (each branch conv → BatchNorm, summed) and `deploy` the fused conv.
 */
export function referenceForward(model: VariantModel, input: Tensor, form: 'train' | 'deploy' = 'train'): Tensor {
  switch (model.kind) {
    case 'single':
      return runLayer(model.conv, input);
    case 'dsc':
      return runLayer(model.pointwise, runLayer(model.depthwise, input));
    case 'acblock': {
      if (form === 'deploy') return runLayer(model.fused, input);
      const branch = (b: typeof model.square): Tensor => batchNorm2d(runLayer(b.conv, crop2d(input, b.crop[0], b.crop[1])), b.bn);
      return add(add(branch(model.square), branch(model.ver)), branch(model.hor));
    }
  }
}
