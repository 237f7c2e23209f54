// ACNet's deploy-time fusion for the seed's ACBlock: fold each branch's BatchNorm into its conv, then
// add the k×1 and 1×k kernels onto the centre column and centre row of the k×k kernel. Exact in real
// arithmetic because convolution is linear in the kernel and the three branches see the same windows
// (convMath checks the alignment). Pure TypeScript; it does not run convolutions.
import type { AcBranch, BatchNorm, ConvLayer } from './convLayer';
import { tensor } from './tensor';

/**
 * BatchNorm after a bias-free conv, `gamma·(W∗x − mean)/σ + beta` with `σ = sqrt(var + eps)`, equals
 * a conv with weight `W·gamma/σ` (per output channel) and bias `beta − mean·gamma/σ`.
 */
export function foldBatchNorm(weight: Float32Array, outChannels: number, bn: BatchNorm): { weight: Float64Array; bias: Float64Array } {
  const per = weight.length / outChannels;
  const w = new Float64Array(weight.length);
  const b = new Float64Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const scale = bn.gamma[o]! / Math.sqrt(bn.variance[o]! + bn.epsilon);
    for (let i = 0; i < per; i++) w[o * per + i] = weight[o * per + i]! * scale;
    b[o] = bn.beta[o]! - bn.mean[o]! * scale;
  }
  return { weight: w, bias: b };
}

/** The fused k×k conv (with bias) equivalent to `square + ver + hor` in inference mode. */
export function fuseAcBlock(square: AcBranch, ver: AcBranch, hor: AcBranch): ConvLayer {
  const spec = square.conv.spec;
  const [cout, cinPerGroup, kh, kw] = square.conv.weight.dims as [number, number, number, number];
  const sq = foldBatchNorm(square.conv.weight.data, cout, square.bn);
  const v = foldBatchNorm(ver.conv.weight.data, cout, ver.bn); // [cout, cin/g, kh, 1]
  const h = foldBatchNorm(hor.conv.weight.data, cout, hor.bn); // [cout, cin/g, 1, kw]
  // The k×1 kernel covers the centre column (index kw//2) of the square window, the 1×k kernel its
  // centre row (kh//2): that is where the seed's padding `p − k//2` places them.
  const cRow = Math.floor(kh / 2);
  const cCol = Math.floor(kw / 2);
  const out = tensor([cout, cinPerGroup, kh, kw]);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < cinPerGroup; i++) {
      const base = (o * cinPerGroup + i) * kh * kw;
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          let acc = sq.weight[base + y * kw + x]!;
          if (x === cCol) acc += v.weight[(o * cinPerGroup + i) * kh + y]!;
          if (y === cRow) acc += h.weight[(o * cinPerGroup + i) * kw + x]!;
          out.data[base + y * kw + x] = acc;
        }
      }
    }
  }
  const bias = new Float32Array(cout);
  for (let o = 0; o < cout; o++) bias[o] = sq.bias[o]! + v.bias[o]! + h.bias[o]!;
  return {
    name: 'fused_conv',
    spec: { ...spec, bias: true },
    weight: out,
    bias,
    inputSize: square.conv.inputSize,
    outputSize: square.conv.outputSize,
  };
}
