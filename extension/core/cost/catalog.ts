// The torch.nn layer types the cost stage knows, grouped into families that share counting rules.
// A convention that has no rule for a catalog type counts 0 for it (and says so); a builtin type
// outside the catalog is unknown to every convention. No counting happens here.

export const CONV_TYPES = ['Conv1d', 'Conv2d', 'Conv3d'] as const;
export const CONV_TRANSPOSE_TYPES = ['ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d'] as const;
export const BATCHNORM_TYPES = ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d'] as const;
export const INSTANCENORM_TYPES = ['InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d'] as const;
export const MAXPOOL_TYPES = ['MaxPool1d', 'MaxPool2d', 'MaxPool3d'] as const;
export const AVGPOOL_TYPES = ['AvgPool1d', 'AvgPool2d', 'AvgPool3d'] as const;
export const ADAPTIVE_AVGPOOL_TYPES = ['AdaptiveAvgPool1d', 'AdaptiveAvgPool2d', 'AdaptiveAvgPool3d'] as const;
export const ADAPTIVE_MAXPOOL_TYPES = ['AdaptiveMaxPool1d', 'AdaptiveMaxPool2d', 'AdaptiveMaxPool3d'] as const;
export const LPPOOL_TYPES = ['LPPool1d', 'LPPool2d'] as const;
export const UPSAMPLE_TYPES = ['Upsample', 'UpsamplingNearest2d', 'UpsamplingBilinear2d'] as const;
export const RNN_TYPES = ['RNN', 'LSTM', 'GRU'] as const;
export const TRANSFORMER_TYPES = ['TransformerEncoderLayer', 'TransformerDecoderLayer'] as const;

export const ACTIVATION_TYPES = [
  'ReLU', 'ReLU6', 'LeakyReLU', 'PReLU', 'ELU', 'SELU', 'GELU', 'SiLU', 'Mish', 'Hardswish', 'Hardsigmoid',
  'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax',
] as const;

/** Layers that only move, copy, drop or pad data: every tool counts 0 for them. */
export const DATA_MOVEMENT_TYPES = [
  'Identity', 'Flatten', 'Unflatten', 'PixelShuffle', 'PixelUnshuffle', 'ChannelShuffle',
  'Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout',
  'ZeroPad2d', 'ConstantPad1d', 'ConstantPad2d', 'ConstantPad3d', 'ReflectionPad1d', 'ReflectionPad2d',
  'ReflectionPad3d', 'ReplicationPad1d', 'ReplicationPad2d', 'ReplicationPad3d', 'Unfold',
  // A container that is a leaf is empty: `nn.Sequential()` as an identity returns its input.
  'Sequential',
] as const;

export const OTHER_TYPES = [
  'Linear', 'Bilinear', 'Embedding', 'SyncBatchNorm', 'LayerNorm', 'GroupNorm', 'LocalResponseNorm', 'MultiheadAttention',
] as const;

/** Every catalog type. */
export const CATALOG_TYPES: ReadonlySet<string> = new Set<string>([
  ...CONV_TYPES, ...CONV_TRANSPOSE_TYPES, ...BATCHNORM_TYPES, ...INSTANCENORM_TYPES, ...MAXPOOL_TYPES, ...AVGPOOL_TYPES,
  ...ADAPTIVE_AVGPOOL_TYPES, ...ADAPTIVE_MAXPOOL_TYPES, ...LPPOOL_TYPES, ...UPSAMPLE_TYPES, ...RNN_TYPES,
  ...TRANSFORMER_TYPES, ...ACTIVATION_TYPES, ...DATA_MOVEMENT_TYPES, ...OTHER_TYPES,
]);
