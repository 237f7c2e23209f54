// The torch.nn op registry: every spec of the family files, by layer name and by functional name.
// Adding a layer is one entry in its family file; everything else (the interpreter's classes, the
// forward shape rules, the cost stage's type lists, the runtime helper's hyperparameter table) reads it here.
import type { JsonValue, Shape } from '../resultTypes';
import { ACTIVATION_SPECS } from './activation';
import { ATTENTION_SPECS } from './attention';
import { CONV_SPECS } from './conv';
import { LINEAR_SPECS } from './linear';
import { LOSS_SPECS } from './loss';
import { NORM_SPECS } from './norm';
import { PADDING_SPECS } from './padding';
import { POOL_SPECS } from './pool';
import { RECURRENT_SPECS } from './recurrent';
import { RESAMPLE_SPECS } from './resample';
import type { CostFamily, OpSpec, ShapeResult, StoredKey } from './spec';
import { TENSOR_SPECS } from './tensor';

export * from './spec';
export { broadcast } from './tensor';

/** Every spec, family by family. */
export const OP_SPECS: readonly OpSpec[] = [
  ...CONV_SPECS,
  ...LINEAR_SPECS,
  ...NORM_SPECS,
  ...ACTIVATION_SPECS,
  ...POOL_SPECS,
  ...TENSOR_SPECS,
  ...RESAMPLE_SPECS,
  ...PADDING_SPECS,
  ...ATTENTION_SPECS,
  ...RECURRENT_SPECS,
  ...LOSS_SPECS,
];

const BY_NAME = new Map<string, OpSpec>(OP_SPECS.map((s) => [s.name, s]));

/** The spec of a torch.nn layer name, or undefined. */
export function layerSpec(name: string): OpSpec | undefined {
  return BY_NAME.get(name);
}

/** All catalog layer names (what `torch.nn.<Name>` resolves to). */
export function layerNames(): string[] {
  return [...BY_NAME.keys()];
}

/** The layer types of one cost family, in registry order. */
export function familyTypes(family: CostFamily): string[] {
  return OP_SPECS.filter((s) => s.family === family).map((s) => s.name);
}

/** The tensor inputs of a layer's forward, by torch's parameter names. */
export function forwardInputs(name: string): readonly string[] {
  return BY_NAME.get(name)?.forwardInputs ?? ['input'];
}

/** Non-tensor parameters of a layer's forward after its inputs (`output_size`), by torch's names. */
export function forwardArgs(name: string): readonly string[] {
  return BY_NAME.get(name)?.forwardArgs ?? [];
}

/** A layer's forward shape on its stored hyperparameters; `type` may be a layer whose rule an F.* op shares. */
export function inferLayerShape(type: string, h: Readonly<Record<string, JsonValue>>, inputs: readonly Shape[]): ShapeResult {
  const spec = BY_NAME.get(type);
  if (!spec) return { ok: false, error: `no shape rule for ${type}` };
  if (!inputs[0]) return { ok: false, error: `${type}.forward() missing its input` };
  return spec.shape(type, h, inputs);
}

/** The layer whose forward an F.* op is (`max_pool2d` → MaxPool2d); the first registered one when several share it. */
export function specOfFunctional(fn: string): OpSpec | undefined {
  return OP_SPECS.find((s) => s.functional?.includes(fn));
}

/** The shape of an F.* op by the rule of the layer whose forward it is (`F.max_pool2d` ↔ nn.MaxPool2d). */
export function functionalShape(fn: string, h: Readonly<Record<string, JsonValue>>, inputs: readonly Shape[]): ShapeResult {
  const spec = specOfFunctional(fn);
  if (!spec) return { ok: false, error: `no shape rule for F.${fn}` };
  return inferLayerShape(spec.name, h, inputs);
}

/** The runtime helper's hyperparameter table (media/python/runtimeSpecs.json): layer → stored keys. */
export function runtimeTable(): Record<string, readonly StoredKey[]> {
  const out: Record<string, readonly StoredKey[]> = {};
  for (const s of OP_SPECS) if (s.stored) out[s.name] = s.stored;
  return out;
}
