// Expands a TransformerEncoderLayer / TransformerDecoderLayer call into the sub-layer calls torch makes
// (self-attention, cross-attention, the two feed-forward Linear layers, the LayerNorms), so that each
// convention can count the block with its own rules for those sub-layers. Dropout is left out (0 everywhere).
// It does not model torch's fused fast path; conventions that could hit it say so in their rule.
import type { JsonValue } from '../resultTypes';
import { hpBool, hpNumber, inputShape, unknown } from './geometry';
import type { CostLayer, KnownShape, LayerCall } from './costTypes';

/** One sub-layer call, named as torch names the child (`self_attn`, `linear1`...). */
export interface SubLayerCall {
  readonly layer: CostLayer;
  readonly call: LayerCall;
}

function sub(
  parent: CostLayer,
  name: string,
  type: string,
  hyperparams: Record<string, JsonValue>,
  params: number,
  call: LayerCall,
): SubLayerCall {
  return { layer: { path: `${parent.path}.${name}`, type, builtin: true, hyperparams, params, calls: [call] }, call };
}

function withLast(shape: KnownShape, last: number): KnownShape {
  return [...shape.slice(0, -1), last];
}

/** The sub-layer calls of one call of a Transformer{Encoder,Decoder}Layer (torch 1.13 layout). */
export function transformerParts(layer: CostLayer, call: LayerCall): readonly SubLayerCall[] {
  const d = hpNumber(layer, 'd_model');
  const heads = hpNumber(layer, 'nhead');
  const ff = typeof layer.hyperparams['dim_feedforward'] === 'number' ? (layer.hyperparams['dim_feedforward'] as number) : 2048;
  const batchFirst = hpBool(layer, 'batch_first', false);
  const x = inputShape(call, 0);
  if (x.length !== 3) unknown('unbatched Transformer input is not counted');
  const attn = { embed_dim: d, num_heads: heads, bias: true, batch_first: batchFirst };
  const attnParams = 4 * d * d + 4 * d;
  const norm = { normalized_shape: [d], elementwise_affine: true };
  const parts: SubLayerCall[] = [
    sub(layer, 'self_attn', 'MultiheadAttention', attn, attnParams, { inputShapes: [x, x, x], outputShape: x }),
  ];
  if (layer.type === 'TransformerDecoderLayer') {
    const memory = inputShape(call, 1);
    parts.push(sub(layer, 'multihead_attn', 'MultiheadAttention', attn, attnParams, { inputShapes: [x, memory, memory], outputShape: x }));
  }
  const hidden = withLast(x, ff);
  parts.push(
    sub(layer, 'linear1', 'Linear', { in_features: d, out_features: ff, bias: true }, d * ff + ff, {
      inputShapes: [x],
      outputShape: hidden,
    }),
    sub(layer, 'linear2', 'Linear', { in_features: ff, out_features: d, bias: true }, ff * d + d, {
      inputShapes: [hidden],
      outputShape: x,
    }),
  );
  const norms = layer.type === 'TransformerDecoderLayer' ? 3 : 2;
  for (let i = 1; i <= norms; i++) parts.push(sub(layer, `norm${i}`, 'LayerNorm', norm, 2 * d, { inputShapes: [x], outputShape: x }));
  return parts;
}
