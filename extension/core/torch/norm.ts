// Normalisation layers: nn.BatchNorm1d/2d/3d, SyncBatchNorm, InstanceNorm1d/2d/3d (F.batch_norm,
// F.instance_norm), LayerNorm (F.layer_norm), GroupNorm (F.group_norm), LocalResponseNorm. Their
// forward checks the channel count against the running statistics or the affine weight with torch's
// messages; the output keeps the input's shape.
import { LayerArgError, REQUIRED, checkEmpty, err, noParams, ok, prod, same, type Args, type OpSpec, type ShapeRule } from './spec';
import type { Shape } from '../resultTypes';

const channelsOf = (x: Shape): number | null => (x.length >= 2 ? (x[1] ?? null) : (x[0] ?? null));

/**
 * F.batch_norm / F.instance_norm check the channel dim against running_mean first, then weight:
 * "running_mean should contain 4 elements not 5". Without running stats or affine weights nothing is checked.
 */
const batchNormShape: ShapeRule = (type, h, inputs) => {
  const x = inputs[0]!;
  const c = channelsOf(x),
    n = h['num_features'];
  const instance = type.startsWith('InstanceNorm');
  // InstanceNorm's running stats are repeated per sample (its message counts N·C); only the affine check is modelled there.
  const tensor = !instance && h['track_running_stats'] === true ? 'running_mean' : h['affine'] === true ? 'weight' : null;
  if (tensor && typeof n === 'number' && c !== null && c !== n) return err(`${tensor} should contain ${c} elements not ${n}`);
  return ok(x);
};

function batchNorm(name: string, defaults: { affine: boolean; track: boolean }, functional: string): OpSpec {
  return {
    name,
    family: name.startsWith('Instance') ? 'instanceNorm' : 'batchNorm',
    shape: batchNormShape,
    functional: [functional],
    signature: [
      ['num_features', REQUIRED],
      ['eps', 1e-5],
      ['momentum', 0.1],
      ['affine', defaults.affine],
      ['track_running_stats', defaults.track],
      ...(name === 'SyncBatchNorm' ? [['process_group', null] as [string, null]] : []),
      ['device', null],
      ['dtype', null],
    ],
    stored: ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'],
    build: (a) => {
      const affine = a.bool('affine');
      if (affine || a.bool('track_running_stats')) checkEmpty([a.size('num_features')], true);
      const c = a.int('num_features');
      return {
        hyperparams: {
          num_features: c,
          eps: a.raw('eps'),
          momentum: a.raw('momentum'),
          affine,
          track_running_stats: a.bool('track_running_stats'),
        },
        weights: affine
          ? [
              { name: 'weight', shape: [c] },
              { name: 'bias', shape: [c] },
            ]
          : [],
        formula: `2·C if affine = ${affine ? `2·${c}` : '0'}`,
      };
    },
  };
}

/** F.layer_norm: the trailing dims must equal normalized_shape. */
const layerNormShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  const ns = h['normalized_shape'] as number[];
  const tail = x.slice(x.length - ns.length);
  if (x.length < ns.length || tail.some((d, i) => d !== null && d !== ns[i])) {
    return err(
      `Given normalized_shape=[${ns.join(', ')}], expected input with shape [*, ${ns.join(', ')}], but got input of size[${x.map((d) => d ?? '?').join(', ')}]`,
    );
  }
  return ok(x);
};

/** F.group_norm: the channel dim must equal num_channels (the affine weight's size). */
const groupNormShape: ShapeRule = (_type, h, inputs) => {
  const x = inputs[0]!;
  const c = x[1] ?? null,
    n = h['num_channels'];
  if (h['affine'] === true && typeof n === 'number' && c !== null && c !== n) {
    return err(
      `Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${n}] and input of shape [${x.map((d) => d ?? '?').join(', ')}]`,
    );
  }
  return ok(x);
};

function layerNormBuild(a: Args) {
  const raw = a.raw('normalized_shape');
  const shape = typeof raw === 'number' ? [raw] : Array.isArray(raw) && raw.every((x) => typeof x === 'number') ? (raw as number[]) : null;
  if (!shape) throw new LayerArgError('TypeError', 'LayerNorm: normalized_shape must be an int or a tuple of ints');
  const affine = a.bool('elementwise_affine');
  const bias = affine && a.bool('bias');
  const floats = a.floats('normalized_shape', shape.length);
  if (affine) checkEmpty(shape.map((v, i) => ({ v, float: floats[i]! })));
  const n = prod(shape);
  return {
    hyperparams: { normalized_shape: shape, eps: a.raw('eps'), elementwise_affine: affine },
    weights: affine ? [{ name: 'weight', shape }, ...(bias ? [{ name: 'bias', shape }] : [])] : [],
    formula: `${bias ? 2 : affine ? 1 : 0}·prod(normalized_shape) = ${bias ? 2 : affine ? 1 : 0}·${n}`,
  };
}

export const NORM_SPECS: readonly OpSpec[] = [
  batchNorm('BatchNorm1d', { affine: true, track: true }, 'batch_norm'),
  batchNorm('BatchNorm2d', { affine: true, track: true }, 'batch_norm'),
  batchNorm('BatchNorm3d', { affine: true, track: true }, 'batch_norm'),
  batchNorm('SyncBatchNorm', { affine: true, track: true }, 'batch_norm'),
  batchNorm('InstanceNorm1d', { affine: false, track: false }, 'instance_norm'),
  batchNorm('InstanceNorm2d', { affine: false, track: false }, 'instance_norm'),
  batchNorm('InstanceNorm3d', { affine: false, track: false }, 'instance_norm'),
  {
    name: 'LayerNorm',
    signature: [
      ['normalized_shape', REQUIRED],
      ['eps', 1e-5],
      ['elementwise_affine', true],
      ['bias', true],
      ['device', null],
      ['dtype', null],
    ],
    family: 'layerNorm',
    shape: layerNormShape,
    functional: ['layer_norm'],
    stored: ['normalized_shape', 'eps', 'elementwise_affine'],
    build: layerNormBuild,
  },
  {
    name: 'GroupNorm',
    signature: [
      ['num_groups', REQUIRED],
      ['num_channels', REQUIRED],
      ['eps', 1e-5],
      ['affine', true],
      ['device', null],
      ['dtype', null],
    ],
    family: 'groupNorm',
    shape: groupNormShape,
    functional: ['group_norm'],
    stored: ['num_groups', 'num_channels', 'eps', 'affine'],
    build: (a) => {
      const g = a.int('num_groups'),
        affine = a.bool('affine');
      if (affine) checkEmpty([a.size('num_channels')], true);
      const c = a.int('num_channels');
      if (g <= 0 || c % g !== 0) throw new LayerArgError('ValueError', 'num_channels must be divisible by num_groups');
      return {
        hyperparams: { num_groups: g, num_channels: c, eps: a.raw('eps'), affine },
        weights: affine
          ? [
              { name: 'weight', shape: [c] },
              { name: 'bias', shape: [c] },
            ]
          : [],
        formula: `2·C if affine = ${affine ? `2·${c}` : '0'}`,
      };
    },
  },
  noParams(
    'LocalResponseNorm',
    'localResponseNorm',
    same,
    [
      ['size', REQUIRED],
      ['alpha', 1e-4],
      ['beta', 0.75],
      ['k', 1.0],
    ],
    { functional: ['local_response_norm'] },
  ),
];
