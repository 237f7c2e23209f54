// Float tensors (NCHW, row-major) and the seeded generator that fills the playground's weights and
// test inputs. Plain TypeScript with no DOM or ORT imports, so Node tests can rebuild the exact same
// weights from a seed. It does not run anything.

/** A float32 tensor in row-major (C order) layout. */
export interface Tensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export function tensor(dims: readonly number[], data?: Float32Array): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  if (data && data.length !== n) throw new RangeError(`tensor data has ${data.length} elements, dims [${dims.join(', ')}] need ${n}`);
  return { dims: [...dims], data: data ?? new Float32Array(n) };
}

/**
 * mulberry32: a 32-bit seeded PRNG (Tommy Ettinger's public-domain constant set). Deterministic
 * across JS engines because it only uses `Math.imul` and 32-bit shifts.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A tensor of uniform values in `[lo, hi)`. */
export function uniformTensor(rand: () => number, dims: readonly number[], lo: number, hi: number): Tensor {
  const t = tensor(dims);
  for (let i = 0; i < t.data.length; i++) t.data[i] = lo + (hi - lo) * rand();
  return t;
}

/** Largest |a − b| over two tensors of the same size (Infinity when their sizes differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = d; // NaN propagates as "greater"
  }
  return m;
}
