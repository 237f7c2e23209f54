// What picking a variant does to the other controls, so that each variant shows what the seed text
// describes (grouped: 2 groups, dilated: dilation 2 with "same" padding, ACBlock: square kernel,
// transposed: stride 2, upsampling ×2, …).
// Pure: parameters in, parameters out.
import type { ConvVariant } from '../../../extension/core/convMath';
import type { PlaygroundParams } from '../../../extension/protocol/playgroundMessages';

function largestCommonGroups(a: number, b: number, wanted: number): number {
  for (let g = wanted; g > 1; g--) if (a % g === 0 && b % g === 0) return g;
  return 1;
}

/** `p` adjusted to show `variant`; parameters the variant does not care about are kept. */
export function presetFor(variant: ConvVariant, p: PlaygroundParams): PlaygroundParams {
  const k = p.kernelSize[0];
  const same = Math.floor(k / 2);
  switch (variant) {
    case 'standard':
      return { ...p, variant, groups: 1, dilation: [1, 1] };
    case 'grouped':
      return { ...p, variant, groups: p.groups > 1 ? p.groups : largestCommonGroups(p.inChannels, p.outChannels, 2), dilation: [1, 1] };
    case 'dilated': {
      const d = p.dilation[0] > 1 ? p.dilation[0] : 2;
      return {
        ...p,
        variant,
        groups: 1,
        dilation: [d, d],
        padding: [d * Math.floor(p.kernelSize[0] / 2), d * Math.floor(p.kernelSize[1] / 2)],
      };
    }
    case 'depthwiseSeparable':
      return { ...p, variant, groups: 1, dilation: [1, 1] };
    case 'acblock':
      return { ...p, variant, groups: 1, dilation: [1, 1], kernelSize: [k, k], padding: [same, same] };
    case 'transposed': {
      // Picked from another variant: stride 2 with the padding and output_padding that make the output exactly
      // twice the input ((H − 1)·2 − 2p + k + op = 2H), so it visibly upsamples. Already transposed: kept.
      if (p.variant === 'transposed') return { ...p, groups: 1, dilation: [1, 1] };
      const pad = (kk: number): number => Math.floor((kk - 1) / 2);
      const op = (kk: number): number => 2 + 2 * pad(kk) - kk;
      const [kh, kw] = p.kernelSize;
      return { ...p, variant, groups: 1, dilation: [1, 1], stride: [2, 2], padding: [pad(kh), pad(kw)], outputPadding: [op(kh), op(kw)] };
    }
  }
}
