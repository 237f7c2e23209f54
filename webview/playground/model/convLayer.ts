// The playground's layer types with their weights: a conv layer, an inference-mode BatchNorm and an ACBlock branch.
// Types only; variantModel.ts builds them, acblockFusion.ts fuses them, the ONNX builder and the reference read them.
import type { ConvSpec } from '../../../extension/core/convMath';
import type { Tensor } from './tensor';

/** A conv layer with its weights; the weight layout is torch's (see convMath `weightShape`). */
export interface ConvLayer {
  readonly name: string;
  readonly spec: ConvSpec;
  readonly weight: Tensor;
  readonly bias: Float32Array | null;
  /** Spatial input size this layer sees (after any crop). */
  readonly inputSize: readonly number[];
  readonly outputSize: readonly number[];
}

/** An inference-mode BatchNorm2d: `gamma·(x − mean)/sqrt(var + eps) + beta` per channel. */
export interface BatchNorm {
  readonly name: string;
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  readonly epsilon: number;
}

/** One ACBlock branch: optional crop of the input (rows, cols removed from each side), conv, BatchNorm. */
export interface AcBranch {
  readonly crop: readonly [number, number];
  readonly conv: ConvLayer;
  readonly bn: BatchNorm;
}
