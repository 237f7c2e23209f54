// The cost stage's public surface: types, the conventions and the profile entry points.
// Import from here, not from the files behind it.
export * from './costTypes';
export { clearCostMemo, computeProfile, computeAllProfiles, pixelCountForInput, CONVENTIONS } from './computeProfile';
export type { Convention, LayerRule } from './conventionTypes';
