// Input tensors for the playground's own runs: a built-in test pattern (edges, a square, a ring and a
// gradient, different per channel) and a user-picked image resampled to H×W. Run requests from the
// host use the seeded random input instead (variantModel `seededInput`). No ORT, no UI.
import { tensor, type Tensor } from './floatTensor';

/** A deterministic pattern with horizontal, vertical and diagonal structure so every kernel shows something. */
export function testPattern(channels: number, h: number, w: number): Tensor {
  const t = tensor([1, channels, h, w]);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const u = (x + 0.5) / w - 0.5;
        const v = (y + 0.5) / h - 0.5;
        let val: number;
        switch (c % 4) {
          case 0:
            val = Math.abs(u) < 0.25 && Math.abs(v) < 0.25 ? 1 : -1;
            break; // a square: straight edges
          case 1:
            val = Math.abs(Math.hypot(u, v) - 0.3) < 0.06 ? 1 : -0.5;
            break; // a ring: every orientation
          case 2:
            val = (x + y) % 4 < 2 ? 1 : -1;
            break; // diagonal stripes
          default:
            val = 2 * u + v; // a gradient
        }
        t.data[(c * h + y) * w + x] = val * (1 - 0.1 * Math.floor(c / 4));
      }
    }
  }
  return t;
}

/**
 * Uses an image's pixels (already drawn at W×H) as input: channels 0–2 get R, G, B and further
 * channels the luminance, each mapped from [0, 255] to [−1, 1].
 */
export function imageInput(pixels: Uint8ClampedArray, channels: number, h: number, w: number): Tensor {
  const t = tensor([1, channels, h, w]);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < h * w; i++) {
      const r = pixels[i * 4]!,
        g = pixels[i * 4 + 1]!,
        b = pixels[i * 4 + 2]!;
      const v = c < 3 ? [r, g, b][c]! : 0.299 * r + 0.587 * g + 0.114 * b;
      t.data[c * h * w + i] = v / 127.5 - 1;
    }
  }
  return t;
}
