// Which input cells feed an output cell (convolution's gather) and which output cells an input cell
// writes (transposed convolution's scatter), per PyTorch's index arithmetic. Used by the sliding-window
// view; pure functions over 2-D parameters, no DOM.
import type { PlaygroundParams } from '../../../extension/protocol/playgroundMessages';

export interface Tap {
  /** Row / column in the unpadded input (may be outside it: then it is a padding cell). */
  readonly y: number;
  readonly x: number;
  readonly ky: number;
  readonly kx: number;
  /** False for taps that read zero padding. */
  readonly inside: boolean;
  /** ACBlock: the tap also belongs to the k×1 / 1×k branches (the kernel's centre cross). */
  readonly cross: boolean;
}

/** Input cells read by output cell `(oy, ox)`: `y = oy·s − p + ky·d` (dilation spreads taps, stride jumps windows). */
export function gatherTaps(p: PlaygroundParams, oy: number, ox: number): Tap[] {
  const [kh, kw] = p.kernelSize;
  const taps: Tap[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const y = oy * p.stride[0] - p.padding[0] + ky * p.dilation[0];
      const x = ox * p.stride[1] - p.padding[1] + kx * p.dilation[1];
      const inside = y >= 0 && y < p.inputSize[0] && x >= 0 && x < p.inputSize[1];
      const cross = p.variant === 'acblock' && (ky === Math.floor(kh / 2) || kx === Math.floor(kw / 2));
      taps.push({ y, x, ky, kx, inside, cross });
    }
  }
  return taps;
}

/**
 * Output cells written by input cell `(iy, ix)` of a transposed conv: `y = iy·s − p + ky·d`.
 * Targets with `inside === false` land in the `padding` border that ConvTranspose crops away.
 */
export function scatterTargets(p: PlaygroundParams, iy: number, ix: number, outputSize: readonly [number, number]): Tap[] {
  const [kh, kw] = p.kernelSize;
  const out: Tap[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const y = iy * p.stride[0] - p.padding[0] + ky * p.dilation[0];
      const x = ix * p.stride[1] - p.padding[1] + kx * p.dilation[1];
      out.push({ y, x, ky, kx, inside: y >= 0 && y < outputSize[0] && x >= 0 && x < outputSize[1], cross: false });
    }
  }
  return out;
}

/** The part of a grid the sliding-window view draws: rows `y0 … y0 + rows − 1`, columns `x0 … x0 + cols − 1`. */
export interface Viewport {
  readonly y0: number;
  readonly x0: number;
  readonly rows: number;
  readonly cols: number;
  /** False when the whole grid is shown. */
  readonly cropped: boolean;
}

/**
 * A window of at most `max` cells a side (more if the region of interest is larger) over a `rows × cols`
 * grid, centred on the region of interest `roi` (inclusive cell bounds) and kept inside the grid. A 224²
 * input at one pixel a cell is a blank square; a 24-cell window around the taps shows them at a readable size.
 */
export function viewport(
  rows: number,
  cols: number,
  roi: { readonly y0: number; readonly x0: number; readonly y1: number; readonly x1: number },
  max: number,
): Viewport {
  const axis = (n: number, lo: number, hi: number): [number, number] => {
    const size = Math.min(n, Math.max(max, hi - lo + 3));
    const start = Math.round((lo + hi + 1) / 2 - size / 2);
    return [Math.min(Math.max(0, start), n - size), size];
  };
  const [y0, h] = axis(rows, roi.y0, roi.y1);
  const [x0, w] = axis(cols, roi.x0, roi.x1);
  return { y0, x0, rows: h, cols: w, cropped: h < rows || w < cols };
}
