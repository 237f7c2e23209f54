// Hand-written cases for layer types the ground truth does not cover (ConvTranspose, Upsample by mode,
// LayerNorm, MultiheadAttention, LSTM, Transformer, 3-D Linear), functional ops, reuse and unknown
// shapes. Every expectation is written as the tool's formula, not as a magic number.
import * as assert from 'assert';
import {
  computeAllProfiles,
  computeProfile,
  CONVENTION_NAMES,
  type ConventionName,
  type CostInput,
  type CostLayer,
  type FunctionalOp,
} from '../../extension/core/cost';
import type { JsonValue } from '../../extension/core/resultTypes';

function leaf(
  type: string,
  hyperparams: Record<string, JsonValue>,
  inputShapes: (number[] | null)[],
  outputShape: number[] | null,
  params: number | null = 0,
  path = 'm',
): CostLayer {
  return { path, type, builtin: true, hyperparams, params, calls: [{ inputShapes, outputShape }] };
}

function model(layers: CostLayer[], functionals: FunctionalOp[] = [], input = [1, 3, 16, 16]): CostInput {
  return { input, layers, functionals, totalParams: layers.reduce((a, l) => a + (l.params ?? 0), 0) };
}

function macsOf(layer: CostLayer, functionals: FunctionalOp[] = []): Record<ConventionName, number | null> {
  const all = computeAllProfiles(model([layer], functionals));
  return Object.fromEntries(CONVENTION_NAMES.map((n) => [n, all[n].layers[0]!.macs])) as Record<ConventionName, number | null>;
}

describe('cost rules beyond the ground truth', () => {
  it('fills in the conv formula with its terms', () => {
    const conv = leaf(
      'Conv2d',
      { in_channels: 64, out_channels: 64, kernel_size: [3, 3], groups: 1, bias: true },
      [[1, 64, 56, 56]],
      [1, 64, 56, 56],
    );
    const p = computeProfile('ptflops', model([conv])).layers[0]!;
    assert.strictEqual(p.formula, 'N·Cout·Hout·Wout·(Cin/g)·kh·kw + N·Cout·Hout·Wout = 1·64·56·56·(64/1)·3·3 + 1·64·56·56');
    assert.strictEqual(p.macs, 1 * 64 * 56 * 56 * (64 / 1) * 3 * 3 + 1 * 64 * 56 * 56);
  });

  it('ConvTranspose2d: input-size vs output-size conventions', () => {
    // ConvTranspose2d(16, 8, kernel_size=4, stride=2, padding=1): [1,16,8,8] → [1,8,16,16].
    const layer = leaf(
      'ConvTranspose2d',
      { in_channels: 16, out_channels: 8, kernel_size: [4, 4], groups: 1, bias: true, transposed: true },
      [[1, 16, 8, 8]],
      [1, 8, 16, 16],
      16 * 8 * 16 + 8,
    );
    const m = macsOf(layer);
    const byInput = 1 * 16 * 8 * 8 * (8 / 1) * 4 * 4;
    const byOutput = 1 * 8 * 16 * 16 * (16 / 1) * 4 * 4;
    const bias = 1 * 8 * 16 * 16;
    assert.strictEqual(m.ptflops, byInput + bias);
    assert.strictEqual(m['ptflops-0.6'], byOutput + bias);
    assert.strictEqual(m.torchinfo, byOutput + bias);
    assert.strictEqual(m.thop, byOutput);
    assert.strictEqual(m.fvcore, byInput);
    assert.strictEqual(m.paper, byInput);
    // torchstat MAdd: (k·Cin/g + k·Cin/g − 1 + 1 bias)·(Cout/g)·g·Hin·Win; its Flops column has no rule.
    assert.strictEqual(m.torchstat, (16 * 16 + 16 * 16 - 1 + 1) * 8 * 8 * 8);
    assert.strictEqual(computeProfile('torchstat', model([layer])).layers[0]!.secondaryMacs, 0);
  });

  for (const [mode, thopFactor, fvcoreFactor] of [
    ['nearest', 1, 1],
    ['bilinear', 11, 4],
    ['bicubic', 259, 0],
  ] as const) {
    it(`Upsample(scale_factor=2, mode=${mode}) per tool, and ptflops' interpolate double count`, () => {
      const layer = leaf('Upsample', { scale_factor: 2, mode }, [[1, 4, 8, 8]], [1, 4, 16, 16]);
      const m = macsOf(layer);
      const outNumel = 1 * 4 * 16 * 16;
      assert.strictEqual(m.ptflops, outNumel / 1);
      assert.strictEqual(m.thop, thopFactor * outNumel);
      assert.strictEqual(m.fvcore, fvcoreFactor * outNumel);
      assert.strictEqual(m.torchinfo, 0);
      assert.strictEqual(m.torchstat, 0);
      assert.strictEqual(computeProfile('torchstat', model([layer])).layers[0]!.secondaryMacs, 1 * 16 * 16);
      const p = computeProfile('ptflops', model([layer]));
      // F.interpolate hook (_interpolate_functional_flops_hook): numel(input)·scale^(dims−2), dims = 4.
      assert.deepStrictEqual(
        p.functionals.map((f) => [f.type, f.macs, f.doubleCount]),
        [['functional:interpolate', 1 * 4 * 8 * 8 * 2 ** 2, true]],
      );
      assert.strictEqual(p.totals.macs, outNumel + 1 * 4 * 8 * 8 * 2 ** 2);
    });
  }

  it('UpsamplingBilinear2d: no ptflops module hook (exact type), its F.interpolate counted once', () => {
    const layer = leaf('UpsamplingBilinear2d', { scale_factor: 2 }, [[1, 4, 8, 8]], [1, 4, 16, 16]);
    const p = computeProfile('ptflops', model([layer]));
    assert.strictEqual(p.layers[0]!.macs, 0);
    assert.deepStrictEqual(
      p.functionals.map((f) => [f.macs, f.doubleCount]),
      [[1 * 4 * 8 * 8 * 2 ** 2, undefined]],
    );
    assert.strictEqual(macsOf(layer).thop, 11 * 1 * 4 * 16 * 16);
  });

  it('LayerNorm(64) on [2, 10, 64]', () => {
    const layer = leaf('LayerNorm', { normalized_shape: [64], elementwise_affine: true }, [[2, 10, 64]], [2, 10, 64], 2 * 64);
    const m = macsOf(layer);
    const n = 2 * 10 * 64;
    assert.strictEqual(m.ptflops, 1 * n); // no `affine` attribute on LayerNorm
    assert.strictEqual(m.torchinfo, 2 * (2 * 64));
    assert.strictEqual(m.thop, 4 * n);
    assert.strictEqual(m.fvcore, 5 * n);
    assert.strictEqual(m.torchstat, 0);
    assert.strictEqual(m.paper, 0);
  });

  it('MultiheadAttention(64, 4) self-attention, sequence-first', () => {
    const [L, N, E, h] = [10, 2, 64, 4];
    const params = 4 * E * E + 4 * E;
    const layer = leaf(
      'MultiheadAttention',
      { embed_dim: E, num_heads: h, bias: true, batch_first: false },
      [
        [L, N, E],
        [L, N, E],
        [L, N, E],
      ],
      [L, N, E],
      params,
    );
    const m = macsOf(layer);
    const analytic = N * (L * E * E + L * E * E + L * E * E + h * L * L * (E / h) + h * L * L * (E / h) + L * E * E);
    assert.strictEqual(m.paper, analytic);
    assert.strictEqual(m.fvcore, analytic);
    const hook = N * (L * E + 3 * L * E * E + 3 * L * E + h * (L * L * (E / h) + L * L + L * L * (E / h)) + L * E * (E + 1));
    assert.strictEqual(m.ptflops, hook);
    assert.strictEqual(m['ptflops-0.6'], hook);
    assert.strictEqual(m.torchinfo, L * N * params);
    assert.strictEqual(m.thop, 0);
    const p = computeProfile('ptflops', model([layer]));
    assert.deepStrictEqual(
      p.functionals.map((f) => f.macs),
      [N * h * L * (E / h) * L + N * h * L * L * (E / h), N * h * L * L],
    );
    assert.ok(p.functionals.every((f) => f.doubleCount));
  });

  it('LSTM(32, 64, num_layers=2, batch_first=True) on [3, 5, 32]', () => {
    const [N, T, I, H] = [3, 5, 32, 64];
    const params = 4 * H * I + 4 * H * H + 8 * H + (4 * H * H + 4 * H * H + 8 * H);
    const layer = leaf(
      'LSTM',
      { input_size: I, hidden_size: H, num_layers: 2, bias: true, batch_first: true, bidirectional: false },
      [[N, T, I]],
      [N, T, H],
      params,
    );
    const m = macsOf(layer);
    assert.strictEqual(m.paper, N * T * (4 * H * (I + H) + 4 * H * (H + H)));
    assert.strictEqual(m.ptflops, N * T * (4 * H * I + 4 * H * H + 10 * H + 2 * 4 * H + (4 * H * H + 4 * H * H + 10 * H + 2 * 4 * H)));
    const thopCell = (inSize: number): number => 4 * ((inSize + H) * H + H + 2 * H) + 3 * H + H;
    assert.strictEqual(m.thop, T * N * (thopCell(I) + thopCell(H)));
    assert.strictEqual(m.torchinfo, N * T * params);
    assert.strictEqual(m.fvcore, 0);
    assert.strictEqual(m.torchstat, 0);
  });

  it("Linear on a 3-D input: each tool's treatment of the extra leading dim", () => {
    const layer = leaf('Linear', { in_features: 16, out_features: 8, bias: true }, [[2, 7, 16]], [2, 7, 8], 16 * 8 + 8);
    const m = macsOf(layer);
    assert.strictEqual(m.ptflops, (16 * 8 + 8) * 2 * 7);
    assert.strictEqual(m['ptflops-0.6'], 2 * 7 * 16 * 8 + 8);
    assert.strictEqual(m.torchinfo, 2 * (16 * 8 + 8));
    assert.strictEqual(m.thop, 16 * 2 * 7 * 8);
    assert.strictEqual(m.fvcore, 2 * 7 * 16 * 8);
    assert.strictEqual(m.paper, 2 * 7 * 16 * 8);
    assert.strictEqual(m.torchstat, null); // torchstat asserts a 2-D input
  });

  it('TransformerEncoderLayer counts its sub-layers; torchinfo says unknown', () => {
    const [L, N, E, h, ff] = [6, 1, 32, 4, 64];
    const layer = leaf(
      'TransformerEncoderLayer',
      { d_model: E, nhead: h, dim_feedforward: ff, batch_first: false },
      [[L, N, E]],
      [L, N, E],
    );
    const m = macsOf(layer);
    const attention = N * (4 * L * E * E + 2 * h * L * L * (E / h));
    assert.strictEqual(m.paper, attention + L * N * E * ff + L * N * ff * E);
    assert.strictEqual(m.torchinfo, null);
    const p = computeProfile('ptflops', model([layer]));
    assert.ok(p.functionals.every((f) => f.path === 'm.self_attn' && f.doubleCount));
  });

  it('functional ops: torch.add counted by ptflops, the + operator by nobody; @ by fvcore and paper', () => {
    const a = [1, 8, 4, 4];
    const ops: FunctionalOp[] = [
      { op: 'add', via: 'torch', modulePath: 'block', inputShapes: [a, a], outputShape: a, args: {} },
      { op: 'add', via: 'operator', modulePath: 'block', inputShapes: [a, a], outputShape: a, args: {} },
      {
        op: 'matmul',
        via: 'operator',
        modulePath: 'head',
        inputShapes: [
          [2, 3],
          [3, 5],
        ],
        outputShape: [2, 5],
        args: {},
      },
      {
        op: 'matmul',
        via: 'torch',
        modulePath: 'head',
        inputShapes: [
          [2, 3],
          [3, 5],
        ],
        outputShape: [2, 5],
        args: {},
      },
      {
        op: 'interpolate',
        via: 'F',
        modulePath: '',
        inputShapes: [a],
        outputShape: [1, 8, 8, 8],
        args: { size: [8, 8], mode: 'bilinear' },
      },
      { op: 'cat', via: 'torch', modulePath: 'block', inputShapes: [a, a], outputShape: [1, 16, 4, 4], args: {} },
    ];
    const all = computeAllProfiles(model([], ops));
    const view = (n: ConventionName): [string, string, number | null][] => all[n].functionals.map((f) => [f.path, f.type, f.macs]);
    assert.deepStrictEqual(view('ptflops'), [
      ['block', 'functional:add', 1 * 8 * 4 * 4],
      ['head', 'functional:matmul', 2 * 3 * 5],
      ['', 'functional:interpolate', 8 * 8 * 8], // ptflops: prod(size)·N·C (_interpolate_functional_flops_hook)
    ]);
    assert.deepStrictEqual(view('fvcore'), [
      ['head', 'functional:matmul', 2 * 3 * 5],
      ['head', 'functional:matmul', 2 * 3 * 5],
      ['', 'functional:interpolate', 4 * 1 * 8 * 8 * 8],
    ]);
    assert.deepStrictEqual(view('paper'), [
      ['head', 'functional:matmul', 2 * 3 * 5],
      ['head', 'functional:matmul', 2 * 3 * 5],
    ]);
    for (const n of ['ptflops-0.6', 'torchinfo', 'thop', 'torchstat'] as const) assert.deepStrictEqual(view(n), []);
  });

  it('a reused module: summed by most, last call only by torchstat (with a note)', () => {
    const relu: CostLayer = {
      path: 'relu',
      type: 'ReLU',
      builtin: true,
      hyperparams: {},
      params: 0,
      calls: [
        { inputShapes: [[1, 8, 4, 4]], outputShape: [1, 8, 4, 4] },
        { inputShapes: [[1, 32, 4, 4]], outputShape: [1, 32, 4, 4] },
      ],
    };
    assert.strictEqual(computeProfile('ptflops-0.6', model([relu])).layers[0]!.macs, 1 * 8 * 4 * 4 + 1 * 32 * 4 * 4);
    const ts = computeProfile('torchstat', model([relu]));
    assert.strictEqual(ts.layers[0]!.macs, 32 * 4 * 4);
    assert.strictEqual(ts.layers[0]!.countedCalls, 1);
    assert.ok(ts.notes.some((n) => n.includes('relu (2 calls)')));
  });

  it('unknown shapes propagate: null MACs with a reason, partial totals, never a guess', () => {
    const known = leaf(
      'Conv2d',
      { in_channels: 3, out_channels: 8, kernel_size: [3, 3], groups: 1, bias: false },
      [[1, 3, 16, 16]],
      [1, 8, 16, 16],
      216,
      'a',
    );
    const noShape = leaf(
      'Conv2d',
      { in_channels: 8, out_channels: 8, kernel_size: [3, 3], groups: 1, bias: false },
      [null],
      null,
      576,
      'b',
    );
    const broken: CostLayer = {
      ...leaf('Conv2d', {}, [[1, 8, 16, 16]], [1, 8, 16, 16], null, 'c'),
      unknownReason: 'in_channels depends on a runtime value',
    };
    const alien = leaf('Fold', { output_size: [4, 4] }, [[1, 8, 16]], [1, 2, 4, 4], 0, 'd');
    const user = { ...leaf('MyGate', {}, [[1, 8, 16, 16]], [1, 8, 16, 16], 0, 'e'), builtin: false };
    for (const name of CONVENTION_NAMES) {
      const p = computeProfile(name, model([known, noShape, broken, alien, user]));
      const byPath = Object.fromEntries(p.layers.map((l) => [l.path, l]));
      assert.strictEqual(byPath['b']!.macs, null, name);
      assert.match(byPath['b']!.reason!, /unknown/);
      assert.strictEqual(byPath['c']!.reason, 'in_channels depends on a runtime value');
      assert.strictEqual(byPath['d']!.macs, null, `${name}: a builtin type outside the catalog is unknown`);
      assert.strictEqual(byPath['e']!.macs, 0, `${name}: a user-defined leaf has no hook`);
      assert.strictEqual(p.totals.partial, true);
      assert.deepStrictEqual(p.totals.unknownPaths, ['b', 'c', 'd']);
      assert.strictEqual(p.totals.macs, byPath['a']!.macs);
    }
  });

  it('a user subclass of Conv2d (BiT StdConv2d): each tool as it dispatches, the F.conv2d in its forward where traced', () => {
    const hp = { in_channels: 8, out_channels: 16, kernel_size: [3, 3], groups: 1, bias: false };
    const std: CostLayer = {
      ...leaf('StdConv2d', hp, [[1, 8, 8, 8]], [1, 16, 8, 8], 1152, 'conv'),
      builtin: false,
      torchBase: 'Conv2d',
      paramNames: [{ name: 'weight', numel: 1152 }],
    };
    const conv2d: FunctionalOp = {
      op: 'conv2d',
      via: 'F',
      modulePath: 'conv',
      inputShapes: [
        [1, 8, 8, 8],
        [16, 8, 3, 3],
      ],
      outputShape: [1, 16, 8, 8],
      args: { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 },
    };
    const all = computeAllProfiles(model([std], [conv2d]));
    const macs = 1 * 16 * 8 * 8 * 8 * 9;
    const layer = (n: ConventionName) => all[n].layers[0]!;
    for (const n of ['ptflops', 'ptflops-0.6', 'thop'] as const) {
      assert.strictEqual(layer(n).macs, 0, n); // exact-type hook lookup: no module count
      assert.match(layer(n).why, /user subclass of Conv2d: .*exact type/, n);
      assert.strictEqual(all[n].totals.macs, 0, n);
    }
    assert.strictEqual(layer('torchinfo').macs, 1152 * 1 * 8 * 8); // "Conv" in the class name: weight·N·Hout·Wout
    assert.strictEqual(layer('torchstat').macs, (72 + 71) * 16 * 8 * 8); // isinstance(module, nn.Conv2d)
    for (const n of ['fvcore', 'paper'] as const) {
      assert.strictEqual(layer(n).macs, macs, n); // the traced aten::_convolution lands on the module
      assert.deepStrictEqual(all[n].functionals, [], n);
      assert.strictEqual(all[n].totals.macs, macs, n);
    }
  });

  it('a user class named like a torch layer is that user class (ConvNeXt LayerNorm): no torch rule by name', () => {
    const ln: CostLayer = {
      ...leaf('LayerNorm', {}, [[1, 16, 8, 8]], [1, 16, 8, 8], 32),
      builtin: false,
      paramNames: [
        { name: 'weight', numel: 16 },
        { name: 'bias', numel: 16 },
      ],
    };
    const m = macsOf(ln);
    assert.deepStrictEqual([m.ptflops, m['ptflops-0.6'], m.thop, m.torchstat, m.fvcore, m.paper], [0, 0, 0, 0, 0, 0]);
    assert.strictEqual(m.torchinfo, 1 * 32);
    assert.strictEqual(computeProfile('thop', model([ln])).totals.params, 0); // thop reports params of hooked modules only
  });

  it('a module registered twice (TCN conv1 = net.0): ptflops totals it per children() path, thop hooks it per path too', () => {
    const conv = {
      ...leaf('Conv1d', { in_channels: 4, out_channels: 4, kernel_size: [3], groups: 1, bias: false }, [[1, 4, 10]], [1, 4, 8], 48),
      paths: 2,
    };
    const once = 1 * 4 * 8 * 4 * 3;
    const p = computeProfile('ptflops', model([conv], [], [1, 4, 10]));
    assert.strictEqual(p.layers[0]!.macs, once);
    assert.deepStrictEqual(
      p.functionals.map((f) => [f.type, f.macs, f.doubleCount]),
      [['functional:Conv1d again', once, true]],
    );
    assert.strictEqual(p.totals.macs, 2 * once);
    const t = computeProfile('thop', model([conv], [], [1, 4, 10]));
    assert.strictEqual(t.layers[0]!.macs, 2 * once);
    assert.strictEqual(t.totals.macs, 4 * once);
    assert.strictEqual(computeProfile('fvcore', model([conv], [], [1, 4, 10])).totals.macs, once);
  });

  it('ptflops reports per sample: a batch of 2 gives half of every figure', () => {
    const conv = leaf(
      'Conv2d',
      { in_channels: 3, out_channels: 8, kernel_size: [3, 3], groups: 1, bias: false },
      [[2, 3, 16, 16]],
      [2, 8, 16, 16],
      216,
    );
    const p = computeProfile('ptflops', model([conv], [], [2, 3, 16, 16]));
    assert.strictEqual(p.layers[0]!.macs, 8 * 16 * 16 * 3 * 9);
    assert.match(p.layers[0]!.formula, /\/2\)/);
    assert.strictEqual(computeProfile('thop', model([conv], [], [2, 3, 16, 16])).layers[0]!.macs, 2 * 8 * 16 * 16 * 3 * 9);
  });

  it('torchinfo counts renamed parameters by name (weight_norm: weight_g, weight_v)', () => {
    const conv: CostLayer = {
      ...leaf('Conv1d', { in_channels: 1, out_channels: 16, kernel_size: [3], groups: 1, bias: true }, [[1, 1, 132]], [1, 16, 130], 80),
      paramNames: [
        { name: 'bias', numel: 16 },
        { name: 'weight_g', numel: 16 },
        { name: 'weight_v', numel: 48 },
      ],
    };
    assert.strictEqual(macsOf(conv).torchinfo, 16 * 130 + 16 * 16 + 16 * 48); // measured: 3104 (zoo tcn.network.0.conv1)
  });

  it('an empty nn.Sequential() used as identity (GhostNet shortcut) and nn.Unfold count 0, not unknown', () => {
    const empty = leaf('Sequential', {}, [[1, 8, 4, 4]], [1, 8, 4, 4], 0, 'shortcut');
    const unfold = leaf('Unfold', { kernel_size: 3 }, [[1, 8, 4, 4]], [1, 72, 4], 0, 'unfold');
    for (const name of CONVENTION_NAMES) {
      const p = computeProfile(name, model([empty, unfold]));
      assert.deepStrictEqual(
        p.layers.map((l) => l.macs),
        [0, 0],
        name,
      );
      assert.strictEqual(p.totals.partial, false, name);
    }
  });

  it("fvcore einsum: its two formula cases, else numpy's FLOP count printed to 4 digits and halved", () => {
    const op = (equation: string, a: number[], b: number[]): FunctionalOp => ({
      op: 'einsum',
      via: 'torch',
      modulePath: '',
      inputShapes: [a, b],
      outputShape: null,
      args: { equation },
    });
    const fv = (o: FunctionalOp) => computeProfile('fvcore', model([], [o])).functionals[0]!.macs;
    assert.strictEqual(fv(op('nct,ncp->ntp', [2, 3, 4], [2, 3, 5])), 2 * 3 * 4 * 5);
    // 'bt,btd->bd' (kws_crnn_gru, measured 12930): 2·1·101·128 = 25856 prints as 2.586e+04.
    assert.strictEqual(fv(op('bt,btd->bd', [1, 101], [1, 101, 128])), 12930);
  });

  it('MACs per pixel: H×W for 4-D, L for 3-D inputs, none for 2-D', () => {
    assert.strictEqual(computeProfile('paper', model([], [], [1, 3, 20, 30])).totals.pixels, 20 * 30);
    assert.strictEqual(computeProfile('paper', model([], [], [1, 3, 8, 20, 30])).totals.pixels, 20 * 30);
    assert.strictEqual(computeProfile('paper', model([], [], [1, 2, 100])).totals.pixels, 100);
    assert.strictEqual(computeProfile('paper', model([], [], [1, 100])).totals.macsPerPixel, null);
  });

  it('profiles are JSON-safe', () => {
    const conv = leaf(
      'Conv2d',
      { in_channels: 3, out_channels: 8, kernel_size: [3, 3], groups: 1, bias: true },
      [[1, 3, 16, 16]],
      [1, 8, 16, 16],
      224,
    );
    const all = computeAllProfiles(model([conv]));
    assert.deepStrictEqual(JSON.parse(JSON.stringify(all)), all);
    assert.deepStrictEqual(Object.keys(all), [...CONVENTION_NAMES]);
  });
});
