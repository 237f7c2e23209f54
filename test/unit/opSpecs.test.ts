// The op specs (extension/core/torch) against everything derived from them: every catalog layer is
// built, run and counted under every convention (a number, or an explicit 0 with the tool's reason),
// the runtime helper's generated table is up to date, and impossible layers raise what torch raises.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONVENTIONS, resolveRule } from '../../extension/core/cost/computeProfile';
import { CONVENTION_NAMES } from '../../extension/core/cost/costTypes';
import { NUMEL_F_OPS } from '../../extension/core/cost/conventions/ptflopsHooks';
import { FVCORE_HANDLED } from '../../extension/core/cost/unhooked';
import { profileEntry } from '../../extension/core/profileEntry';
import { OP_SPECS, layerNames } from '../../extension/core/torch';
import { runtimeSpecsJson } from '../../extension/core/torch/runtimeSpecs';
import { IMPOSSIBLE_LAYERS } from './helpers/impossibleLayers';

const repoRoot = path.join(__dirname, '..', '..', '..');

/** A constructor call and an input shape for every catalog layer, written as torch code. */
function sample(name: string): { ctor: string; input: string } | null {
  const nd = Number(/([123])d$/.exec(name)?.[1] ?? 2);
  const spatial = (n: number): string => `1, 4, ${Array(n).fill(8).join(', ')}`;
  const x = `torch.zeros(${spatial(nd)})`;
  const table: Record<string, [string, string]> = {
    Linear: ['nn.Linear(8, 6)', 'torch.zeros(2, 8)'],
    NonDynamicallyQuantizableLinear: ['', ''],
    Bilinear: ['nn.Bilinear(3, 4, 5)', 'torch.zeros(2, 3), torch.zeros(2, 4)'],
    Embedding: ['nn.Embedding(10, 3)', 'torch.zeros(2, 5, dtype=torch.long)'],
    LayerNorm: ['nn.LayerNorm(8)', x],
    GroupNorm: ['nn.GroupNorm(2, 4)', x],
    LocalResponseNorm: ['nn.LocalResponseNorm(3)', x],
    PReLU: ['nn.PReLU(4)', x],
    Threshold: ['nn.Threshold(0.1, 0.0)', x],
    Softmax: ['nn.Softmax(dim=1)', x],
    LogSoftmax: ['nn.LogSoftmax(dim=1)', x],
    Softmin: ['nn.Softmin(dim=1)', x],
    Unflatten: ['nn.Unflatten(1, (2, 2))', x],
    Upsample: ['nn.Upsample(scale_factor=2)', x],
    UpsamplingNearest2d: ['nn.UpsamplingNearest2d(scale_factor=2)', x],
    UpsamplingBilinear2d: ['nn.UpsamplingBilinear2d(scale_factor=2)', x],
    PixelShuffle: ['nn.PixelShuffle(2)', x],
    PixelUnshuffle: ['nn.PixelUnshuffle(2)', x],
    ChannelShuffle: ['nn.ChannelShuffle(2)', x],
    Unfold: ['nn.Unfold(3)', x],
    MultiheadAttention: ['nn.MultiheadAttention(8, 2)', 'torch.zeros(5, 2, 8), torch.zeros(5, 2, 8), torch.zeros(5, 2, 8)'],
    TransformerEncoderLayer: ['nn.TransformerEncoderLayer(8, 2, 16)', 'torch.zeros(5, 2, 8)'],
    TransformerDecoderLayer: ['nn.TransformerDecoderLayer(8, 2, 16)', 'torch.zeros(5, 2, 8), torch.zeros(5, 2, 8)'],
    RNN: ['nn.RNN(4, 6)', 'torch.zeros(5, 2, 4)'],
    LSTM: ['nn.LSTM(4, 6)', 'torch.zeros(5, 2, 4)'],
    GRU: ['nn.GRU(4, 6)', 'torch.zeros(5, 2, 4)'],
    RNNCell: ['nn.RNNCell(4, 6)', 'torch.zeros(2, 4)'],
    LSTMCell: ['nn.LSTMCell(4, 6)', 'torch.zeros(2, 4)'],
    GRUCell: ['nn.GRUCell(4, 6)', 'torch.zeros(2, 4)'],
  };
  const row = table[name];
  if (row) return row[0] ? { ctor: row[0], input: row[1] } : null;
  if (/^Conv(Transpose)?[123]d$/.test(name)) return { ctor: `nn.${name}(4, 8, 3)`, input: x };
  if (/Norm[123]d$/.test(name) || name === 'SyncBatchNorm')
    return { ctor: `nn.${name}(4)`, input: name === 'SyncBatchNorm' ? `torch.zeros(${spatial(2)})` : x };
  if (/^(Max|Avg)Pool/.test(name)) return { ctor: `nn.${name}(2)`, input: x };
  if (/^Adaptive/.test(name)) return { ctor: `nn.${name}(2)`, input: x };
  if (/^LPPool/.test(name)) return { ctor: `nn.${name}(2, 2)`, input: x };
  if (/^ConstantPad/.test(name)) return { ctor: `nn.${name}(1, 0.0)`, input: x };
  if (/Pad[123]d$/.test(name)) return { ctor: `nn.${name}(1)`, input: x };
  return { ctor: `nn.${name}()`, input: x };
}

function modelOf(names: readonly string[]): string {
  const used = names
    .map((n) => [n, sample(n)] as const)
    .filter((e): e is readonly [string, { ctor: string; input: string }] => e[1] !== null);
  return [
    'import torch',
    'import torch.nn as nn',
    '',
    'class All(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    ...used.map(([n, s]) => `        self.${n.toLowerCase()} = ${s.ctor}`),
    '',
    '    def forward(self, x):',
    ...used.map(([n, s]) => `        self.${n.toLowerCase()}(${s.input})`),
    '        return x',
    '',
  ].join('\n');
}

describe('op specs (extension/core/torch)', () => {
  it('has one spec per name, and every spec names its cost family', () => {
    assert.strictEqual(new Set(layerNames()).size, OP_SPECS.length);
    for (const s of OP_SPECS) assert.ok(s.family, s.name);
  });

  it('every convention resolves every spec to a rule or to an explicit 0 with the reason', () => {
    for (const name of CONVENTION_NAMES) {
      const conv = CONVENTIONS[name];
      for (const spec of OP_SPECS) {
        for (const rules of [conv.rules, ...(conv.secondary ? [conv.secondary.rules] : [])]) {
          const rule = resolveRule(conv, rules, { path: 'm', type: spec.name, builtin: true, hyperparams: {}, params: 0, calls: [] });
          assert.ok(rule.why.length > 10 && !/no .*rule is known/.test(rule.why), `${name} ${spec.name}: ${rule.why}`);
          assert.ok(rule.cost || rule.composite, `${name} ${spec.name}`);
        }
        // fvcore counts every op it has a handle for, whichever module issued it: no spec may fall to 0 there.
        if (name === 'fvcore' && !conv.rules.has(spec.name)) {
          assert.ok(
            !FVCORE_HANDLED.has(spec.functional?.[0] ?? ''),
            `fvcore has a handle for ${spec.name}'s aten::${spec.functional?.[0]} but no rule`,
          );
        }
      }
    }
  });

  it('builds, runs and counts every catalog layer under every convention: a number each, never unknown or negative', function () {
    this.timeout(30_000);
    const r = profileEntry(modelOf(layerNames()), '/all.py', 'All()', { input: [1, 4, 8, 8] });
    assert.deepStrictEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const ran = r.layers.filter((l) => l.calls > 0 || l.path.includes('.'));
    assert.ok(ran.length >= layerNames().length - 1, `${ran.length} layers ran`);
    for (const name of CONVENTION_NAMES) {
      const p = r.profiles![name];
      for (const l of p.layers) {
        if (name === 'torchinfo' && l.type.startsWith('Transformer')) continue; // torch's fast path: unknown by design (torchinfo.ts)
        if (name === 'torchstat' && l.path.includes('.')) continue; // children of Transformer layers: torchstat stops at 3-D Linear input
        assert.ok(l.macs !== null && Number.isFinite(l.macs) && l.macs >= 0, `${name} ${l.path} (${l.type}): ${l.macs} ${l.reason ?? ''}`);
        assert.ok(l.why.length > 0, `${name} ${l.path}`);
      }
      for (const f of p.functionals) assert.ok(f.macs === null || f.macs >= 0, `${name} ${f.path} ${f.type}`);
    }
    // ptflops: a layer without a hook whose forward calls a patched F op shows that op as a functional entry.
    for (const l of r.profiles!.ptflops.layers) {
      const fn = OP_SPECS.find((s) => s.name === l.type)?.functional?.[0] ?? '';
      if (!CONVENTIONS.ptflops.rules.has(l.type) && NUMEL_F_OPS.has(fn)) {
        assert.ok(
          r.profiles!.ptflops.functionals.some((f) => f.path === l.path && f.type === `functional:${fn}`),
          `${l.type} calls the patched F.${fn}`,
        );
      }
    }
    // torchinfo's 0 rests on "no parameters": every layer it has no rule for builds without any.
    for (const l of r.profiles!.torchinfo.layers) {
      if (!CONVENTIONS.torchinfo.rules.has(l.type))
        assert.strictEqual(r.layers.find((x) => x.path === l.path)?.params, 0, `${l.type} has parameters`);
    }
  });

  it('Conv2d + Unfold + Softmin + CELU: a full total under every convention, even paper (the drift of issue 12)', () => {
    const src = [
      'import torch.nn as nn',
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.c = nn.Conv2d(3, 8, 3)',
      '        self.u = nn.Unfold(2)',
      '        self.s = nn.Softmin(dim=1)',
      '        self.e = nn.CELU()',
      '    def forward(self, x):',
      '        return self.e(self.s(self.u(self.c(x))))',
      '',
    ].join('\n');
    const r = profileEntry(src, '/m.py', 'M()', { input: [1, 3, 16, 16] });
    const convMacs = 8 * 14 * 14 * 3 * 9;
    for (const name of CONVENTION_NAMES) {
      const t = r.profiles![name].totals;
      assert.strictEqual(t.partial, false, `${name}: ${t.unknownPaths.join(', ')}`);
      for (const l of r.profiles![name].layers.filter((x) => x.type !== 'Conv2d'))
        assert.strictEqual(l.macs, 0, `${name} ${l.type}: ${l.why}`);
    }
    assert.strictEqual(r.profiles!.paper.totals.macs, convMacs);
    assert.match(r.profiles!.thop.layers[1]!.why, /no rule for Unfold in register_hooks/);
    assert.match(r.profiles!.ptflops.layers[2]!.why, /calls F\.softmin, which ptflops does not patch/);
  });

  it('counts the recurrent cells as each tool does', () => {
    const src = [
      'import torch',
      'import torch.nn as nn',
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.cell = nn.LSTMCell(4, 6)',
      '    def forward(self, x):',
      '        return self.cell(x)',
      '',
    ].join('\n');
    const r = profileEntry(src, '/m.py', 'M()', { input: [3, 4] });
    const [N, I, H, G] = [3, 4, 6, 4];
    const macs = (c: string) => r.profiles![c as 'paper'].layers[0]!.macs;
    assert.strictEqual(macs('paper'), N * G * H * (I + H));
    assert.strictEqual(macs('fvcore'), N * G * H * (I + H));
    // ptflops rnn_flops: w_ih + w_hh + LSTM's 10H element-wise + both biases, × batch; ptflops reports per sample (÷ its batch counter).
    assert.strictEqual(macs('ptflops'), (N * (G * H * I + G * H * H + 10 * H + 2 * G * H)) / N);
    assert.strictEqual(macs('ptflops-0.6'), macs('ptflops'));
    // thop _count_lstm_cell: 4·((in + H)·H + H + 2H) + 3H + H, × batch.
    assert.strictEqual(macs('thop'), N * (4 * ((I + H) * H + H + 2 * H) + 3 * H + H));
    // torchinfo: prod(output_size[:2])·params for parameters named weight_ih...
    assert.strictEqual(macs('torchinfo'), N * H * (G * H * (I + H) + 2 * G * H));
    assert.strictEqual(macs('torchstat'), 0);
  });

  it('impossible layers raise what torch raises, with its message, and never give a negative or non-finite number', () => {
    for (const [ctor, input, message] of IMPOSSIBLE_LAYERS) {
      const src = [
        'import torch.nn as nn',
        'class M(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        `        self.l = ${ctor}`,
        '    def forward(self, x):',
        '        return self.l(x)',
        '',
      ].join('\n');
      const r = profileEntry(src, '/m.py', 'M()', { input });
      assert.ok(
        r.diagnostics.some((d) => d.message.endsWith(message)),
        `${ctor} on ${input}: ${r.diagnostics.map((d) => d.message).join('; ')}`,
      );
      for (const p of Object.values(r.profiles ?? {})) {
        assert.ok(p.totals.macs >= 0 && Number.isFinite(p.totals.macs), `${ctor}: ${p.convention} ${p.totals.macs}`);
        for (const l of p.layers)
          assert.ok(l.macs === null || (l.macs >= 0 && Number.isFinite(l.macs)), `${ctor}: ${p.convention} ${l.macs}`);
      }
      assert.ok(r.totals.params === null || r.totals.params >= 0, `${ctor}: params ${r.totals.params}`);
    }
  });

  it('media/python/runtimeSpecs.json is generated from the specs (npm run gen:runtime-specs)', () => {
    const committed = fs.readFileSync(path.join(repoRoot, 'media', 'python', 'runtimeSpecs.json'), 'utf8');
    assert.strictEqual(committed, runtimeSpecsJson(), 'run `npm run gen:runtime-specs` and commit the result');
  });
});
