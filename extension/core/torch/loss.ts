// Loss modules (nn.CrossEntropyLoss, MSELoss, ...): no parameters, no cost rule in any counter; models keep
// one as an attribute (`self.criterion = criterion`), which makes it a submodule that torch lists. Their
// class weights (`weight=`, `pos_weight=`) are buffers, not parameters, and do not change a shape.
import type { JsonValue } from '../resultTypes';
import { broadcast } from './tensor';
import { ok, type Default, type OpSpec, type ShapeRule } from './spec';

/** Losses over class scores (N, C, ...) against class indices (N, ...): one value per target element. */
const PER_TARGET = new Set(['CrossEntropyLoss', 'NLLLoss']);

/**
 * `reduction='none'` keeps one value per element (the target's shape for the class-score losses, the
 * broadcast of input and target for the others); 'mean' and 'sum' give a 0-d tensor.
 */
const lossShape: ShapeRule = (type, h, inputs) => {
  if (h['reduction'] !== 'none') return ok([]);
  const [x, t] = [inputs[0]!, inputs[1]];
  if (!t) return ok(x);
  return PER_TARGET.has(type) ? ok(t) : broadcast(x, t);
};

/** Constructor arguments that are tensors (buffers), read as given but never stored as hyperparameters. */
const TENSOR_ARGS = new Set(['weight', 'pos_weight']);

function loss(name: string, signature: [string, Default][], functional: string): OpSpec {
  const keys = signature.map(([k]) => k).filter((k) => !TENSOR_ARGS.has(k));
  return {
    name,
    family: 'loss',
    signature,
    shape: lossShape,
    functional: [functional],
    forwardInputs: ['input', 'target'],
    stored: ['reduction'],
    build: (a) => {
      const hyperparams: Record<string, JsonValue> = {};
      for (const k of keys) if (a.isKnown(k)) hyperparams[k] = a.raw(k);
      return { hyperparams, weights: [], formula: 'no parameters = 0' };
    },
  };
}

const LEGACY: [string, Default][] = [
  ['size_average', null],
  ['reduce', null],
  ['reduction', 'mean'],
];

export const LOSS_SPECS: readonly OpSpec[] = [
  loss('L1Loss', LEGACY, 'l1_loss'),
  loss('MSELoss', LEGACY, 'mse_loss'),
  loss(
    'CrossEntropyLoss',
    [
      ['weight', null],
      ['size_average', null],
      ['ignore_index', -100],
      ['reduce', null],
      ['reduction', 'mean'],
      ['label_smoothing', 0.0],
    ],
    'cross_entropy',
  ),
  loss(
    'NLLLoss',
    [
      ['weight', null],
      ['size_average', null],
      ['ignore_index', -100],
      ['reduce', null],
      ['reduction', 'mean'],
    ],
    'nll_loss',
  ),
  loss('BCELoss', [['weight', null], ...LEGACY], 'binary_cross_entropy'),
  loss('BCEWithLogitsLoss', [['weight', null], ...LEGACY, ['pos_weight', null]], 'binary_cross_entropy_with_logits'),
  loss('SmoothL1Loss', [...LEGACY, ['beta', 1.0]], 'smooth_l1_loss'),
  loss(
    'HuberLoss',
    [
      ['reduction', 'mean'],
      ['delta', 1.0],
    ],
    'huber_loss',
  ),
  loss('KLDivLoss', [...LEGACY, ['log_target', false]], 'kl_div'),
];
