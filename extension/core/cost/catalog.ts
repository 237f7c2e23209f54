// The torch.nn layer types the cost stage knows, grouped into the cost families the op specs declare
// (extension/core/torch/*). Derived, never listed by hand: a layer added to a family file lands in its
// family's list and in CATALOG_TYPES. No counting happens here.
import { familyTypes, layerNames } from '../torch';

export const CONV_TYPES: readonly string[] = familyTypes('conv');
export const CONV_TRANSPOSE_TYPES: readonly string[] = familyTypes('convTranspose');
export const BATCHNORM_TYPES: readonly string[] = familyTypes('batchNorm').filter((t) => t !== 'SyncBatchNorm');
export const INSTANCENORM_TYPES: readonly string[] = familyTypes('instanceNorm');
export const MAXPOOL_TYPES: readonly string[] = familyTypes('maxPool');
export const AVGPOOL_TYPES: readonly string[] = familyTypes('avgPool');
export const ADAPTIVE_AVGPOOL_TYPES: readonly string[] = familyTypes('adaptiveAvgPool');
export const ADAPTIVE_MAXPOOL_TYPES: readonly string[] = familyTypes('adaptiveMaxPool');
export const LPPOOL_TYPES: readonly string[] = familyTypes('lpPool');
export const UPSAMPLE_TYPES: readonly string[] = familyTypes('upsample');
export const RNN_TYPES: readonly string[] = familyTypes('rnn');
export const RNN_CELL_TYPES: readonly string[] = familyTypes('rnnCell');
export const TRANSFORMER_TYPES: readonly string[] = familyTypes('transformer');

/**
 * Every catalog type: every torch.nn layer the core builds, plus `Sequential`, which is a leaf only when
 * empty (`nn.Sequential()` as an identity returns its input) and then costs 0 everywhere.
 */
export const CATALOG_TYPES: ReadonlySet<string> = new Set<string>([...layerNames(), 'Sequential']);
