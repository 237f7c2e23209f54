// Element-wise activations and the softmax family: nn.ReLU (F.relu), ReLU6 (F.hardtanh in torch 1.13),
// LeakyReLU, PReLU (its one parameter tensor), ELU, CELU, SELU, GELU, SiLU, Mish, Hardswish, Hardsigmoid,
// Hardtanh, Sigmoid, Tanh, Softsign, Tanhshrink, LogSigmoid, Softplus, Threshold, Softmax, LogSoftmax,
// Softmin, Softmax2d. All keep the input's shape. `functional` is the F op each module's forward calls.
import { REQUIRED, checkEmpty, noParams, same, type Args, type Default, type OpSpec, type StoredKey } from './spec';
import type { JsonValue } from '../resultTypes';

function activation(
  name: string,
  functional: string,
  signature: [string, Default][] = [['inplace', false]],
  more: { extra?: (a: Args) => Record<string, JsonValue>; stored?: readonly StoredKey[] } = {},
): OpSpec {
  return noParams(name, /^(Log)?Soft(max|min)/.test(name) ? 'softmax' : 'activation', same, signature, {
    functional: [functional],
    ...more,
  });
}

export const ACTIVATION_SPECS: readonly OpSpec[] = [
  activation('ReLU', 'relu'),
  // nn.ReLU6 is a Hardtanh(0, 6): its forward calls F.hardtanh, and torch stores the bounds.
  activation('ReLU6', 'hardtanh', [['inplace', false]], {
    extra: () => ({ min_val: 0.0, max_val: 6.0 }),
    stored: ['inplace', 'min_val', 'max_val'],
  }),
  activation('LeakyReLU', 'leaky_relu', [
    ['negative_slope', 0.01],
    ['inplace', false],
  ]),
  {
    name: 'PReLU',
    signature: [
      ['num_parameters', 1],
      ['init', 0.25],
      ['device', null],
      ['dtype', null],
    ],
    family: 'activation',
    shape: same,
    functional: ['prelu'],
    stored: ['num_parameters', { key: 'init', default: null }],
    build: (a) => {
      checkEmpty([a.size('num_parameters')], true);
      const n = a.int('num_parameters');
      return {
        hyperparams: { num_parameters: n, init: a.raw('init') },
        weights: [{ name: 'weight', shape: [n] }],
        formula: `num_parameters = ${n}`,
      };
    },
  },
  activation('ELU', 'elu', [
    ['alpha', 1.0],
    ['inplace', false],
  ]),
  activation('CELU', 'celu', [
    ['alpha', 1.0],
    ['inplace', false],
  ]),
  activation('SELU', 'selu'),
  activation('SiLU', 'silu'),
  activation('Mish', 'mish'),
  activation('Hardswish', 'hardswish'),
  activation('Hardsigmoid', 'hardsigmoid'),
  activation('GELU', 'gelu', [['approximate', 'none']], { stored: [{ key: 'approximate', default: 'none' }] }),
  activation('Hardtanh', 'hardtanh', [
    ['min_val', -1.0],
    ['max_val', 1.0],
    ['inplace', false],
  ]),
  activation('Sigmoid', 'sigmoid', []),
  activation('Tanh', 'tanh', []),
  activation('Softsign', 'softsign', []),
  activation('Tanhshrink', 'tanhshrink', []),
  activation('LogSigmoid', 'logsigmoid', []),
  activation('Softplus', 'softplus', [
    ['beta', 1.0],
    ['threshold', 20.0],
  ]),
  activation('Threshold', 'threshold', [
    ['threshold', REQUIRED],
    ['value', REQUIRED],
    ['inplace', false],
  ]),
  activation('Softmax', 'softmax', [['dim', null]]),
  activation('LogSoftmax', 'log_softmax', [['dim', null]]),
  activation('Softmin', 'softmin', [['dim', null]]),
  activation('Softmax2d', 'softmax', []),
];
