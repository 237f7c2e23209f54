// Recurrent layers: nn.RNN, LSTM (with proj_size), GRU and the single-step cells RNNCell, LSTMCell,
// GRUCell, with torch's parameter names (weight_ih_l0, bias_hh_l1_reverse, weight_hr_l0...).
import type { JsonValue, Shape } from '../resultTypes';
import { REQUIRED, checkEmpty, num, ok, type OpSpec, type ShapeRule, type WeightSpec } from './spec';

const rnnShape: ShapeRule = (type, h, inputs) => {
  const x = inputs[0]!;
  const batchFirst = h['batch_first'] === true;
  const dirs = h['bidirectional'] === true ? 2 : 1;
  const hidden = num(h, 'hidden_size');
  const proj = typeof h['proj_size'] === 'number' && (h['proj_size'] as number) > 0 ? (h['proj_size'] as number) : 0;
  const outH = proj || hidden;
  const layers = num(h, 'num_layers');
  const batched = x.length === 3;
  const out = [...x.slice(0, -1), dirs * outH];
  const nb = batched ? (batchFirst ? x[0]! : x[1]!) : null;
  const hn: Shape = batched ? [dirs * layers, nb, outH] : [dirs * layers, outH];
  const cn: Shape = batched ? [dirs * layers, nb, hidden] : [dirs * layers, hidden];
  return { ok: true, tuple: type === 'LSTM' ? [out, [hn, cn]] : [out, hn] };
};

const rnnCellShape: ShapeRule = (type, h, inputs) => {
  const out = [...inputs[0]!.slice(0, -1), num(h, 'hidden_size')];
  return type === 'LSTMCell' ? { ok: true, tuple: [out, out] } : ok(out);
};

const RNN_STORED = ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional'];

function rnn(mode: 'RNN' | 'LSTM' | 'GRU'): OpSpec {
  const gates = mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
  return {
    name: mode,
    signature: [
      ['input_size', REQUIRED],
      ['hidden_size', REQUIRED],
      ['num_layers', 1],
      ['bias', true],
      ['batch_first', false],
      ['dropout', 0],
      ['bidirectional', false],
      ['proj_size', 0],
      ['nonlinearity', 'tanh'],
      ['device', null],
      ['dtype', null],
    ],
    family: 'rnn',
    shape: rnnShape,
    functional: [mode === 'RNN' ? 'rnn_tanh' : mode.toLowerCase()],
    stored: mode === 'LSTM' ? [...RNN_STORED, 'proj_size'] : mode === 'RNN' ? [...RNN_STORED, 'nonlinearity'] : RNN_STORED,
    build: (a) => {
      const inA = a.size('input_size'),
        hA = a.size('hidden_size');
      checkEmpty([{ v: gates * hA.v, float: hA.float }, inA]);
      const input = a.int('input_size'),
        hidden = a.int('hidden_size'),
        layers = a.int('num_layers');
      const bias = a.bool('bias'),
        bidir = a.bool('bidirectional');
      const proj = mode === 'LSTM' ? a.int('proj_size') : 0;
      const dirs = bidir ? 2 : 1;
      const realHidden = proj > 0 ? proj : hidden;
      const weights: WeightSpec[] = [];
      for (let l = 0; l < layers; l++) {
        for (let d = 0; d < dirs; d++) {
          const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
          const inL = l === 0 ? input : realHidden * dirs;
          weights.push(
            { name: `weight_ih${sfx}`, shape: [gates * hidden, inL] },
            { name: `weight_hh${sfx}`, shape: [gates * hidden, realHidden] },
          );
          if (bias) weights.push({ name: `bias_ih${sfx}`, shape: [gates * hidden] }, { name: `bias_hh${sfx}`, shape: [gates * hidden] });
          if (proj > 0) weights.push({ name: `weight_hr${sfx}`, shape: [proj, hidden] });
        }
      }
      const hyperparams: Record<string, JsonValue> = {
        input_size: input,
        hidden_size: hidden,
        num_layers: layers,
        bias,
        batch_first: a.bool('batch_first'),
        dropout: a.raw('dropout'),
        bidirectional: bidir,
      };
      if (mode === 'LSTM') hyperparams['proj_size'] = proj;
      if (mode === 'RNN') hyperparams['nonlinearity'] = a.raw('nonlinearity');
      return {
        hyperparams,
        weights,
        formula: `Σ layers·directions of ${gates}·H·(in + H${bias ? ' + 2' : ''})${proj ? ' + P·H' : ''} (H=${hidden}, in=${input}, layers=${layers}, directions=${dirs})`,
      };
    },
  };
}

function rnnCell(mode: 'RNNCell' | 'LSTMCell' | 'GRUCell'): OpSpec {
  const gates = mode === 'LSTMCell' ? 4 : mode === 'GRUCell' ? 3 : 1;
  return {
    name: mode,
    signature:
      mode === 'RNNCell'
        ? [
            ['input_size', REQUIRED],
            ['hidden_size', REQUIRED],
            ['bias', true],
            ['nonlinearity', 'tanh'],
            ['device', null],
            ['dtype', null],
          ]
        : [
            ['input_size', REQUIRED],
            ['hidden_size', REQUIRED],
            ['bias', true],
            ['device', null],
            ['dtype', null],
          ],
    family: 'rnnCell',
    shape: rnnCellShape,
    functional: [mode === 'RNNCell' ? 'rnn_tanh_cell' : mode === 'LSTMCell' ? 'lstm_cell' : 'gru_cell'],
    stored: ['input_size', 'hidden_size', 'bias'],
    build: (a) => {
      const inA = a.size('input_size'),
        hA = a.size('hidden_size');
      checkEmpty([{ v: gates * hA.v, float: hA.float }, inA]);
      const input = a.int('input_size'),
        hidden = a.int('hidden_size'),
        bias = a.bool('bias');
      return {
        hyperparams: { input_size: input, hidden_size: hidden, bias },
        weights: [
          { name: 'weight_ih', shape: [gates * hidden, input] },
          { name: 'weight_hh', shape: [gates * hidden, hidden] },
          ...(bias
            ? [
                { name: 'bias_ih', shape: [gates * hidden] },
                { name: 'bias_hh', shape: [gates * hidden] },
              ]
            : []),
        ],
        formula: `${gates}·H·(in + H${bias ? ' + 2' : ''}) = ${gates}·${hidden}·(${input} + ${hidden}${bias ? ' + 2' : ''})`,
      };
    },
  };
}

export const RECURRENT_SPECS: readonly OpSpec[] = [
  rnn('RNN'),
  rnn('LSTM'),
  rnn('GRU'),
  rnnCell('RNNCell'),
  rnnCell('LSTMCell'),
  rnnCell('GRUCell'),
];
