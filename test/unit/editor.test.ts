// The editor glue's pure parts, in plain Node: analysis jobs (entries, inputs, the early result of the
// entries on screen, cancellation), the seed's conv comparisons, the hint and lens texts, exports equal
// to the CLI's report functions, and the profile view's protocol guards and HTML.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { profileEntry } from '../../extension/core';
import { formatReport, reportFromProfile } from '../../extension/core/report';
import { runAnalysisJob, type AnalysisJob, type EntrySpec } from '../../extension/worker/analysisJob';
import { lineEntry } from '../../extension/features/lineEntry';
import { WorkerRunner } from '../../extension/worker/analysisRunner';
import { isScreenUpdate } from '../../extension/worker/workerMessages';
import { compareConv } from '../../extension/features/convCompare';
import { aggregate, entryTotalsText, hintText, hyperparamsText, type Aggregate } from '../../extension/features/displayText';
import { buildProfileModel, exportText } from '../../extension/features/profileModel';
import { profileCsp, renderProfileHtml } from '../../extension/features/profileViewHtml';
import { conventions, readSettings } from '../../extension/features/settings';
import { isProfileHostToWebview, isProfileViewState, isProfileWebviewToHost } from '../../extension/protocol/profileMessages';
import { repoRoot } from './helpers/fixtureFiles';

const modelsPath = path.join(repoRoot, 'test/integration/workspace/models.py');
const models = fs.readFileSync(modelsPath, 'utf8');
const settings = readSettings(() => undefined);

function job(over: Partial<AnalysisJob> = {}): AnalysisJob {
  return {
    id: 1,
    text: models,
    file: modelsPath,
    roots: [],
    canReadFiles: false,
    files: {},
    defaultResolution: 224,
    priorityLines: [],
    ...over,
  };
}

describe('editor: analysis jobs', () => {
  it('finds the comment entries with their input shapes and profiles each one', () => {
    const r = runAnalysisJob(job())!;
    assert.deepStrictEqual(
      r.entries.map((e) => [e.spec.expr, e.analysis?.input]),
      [
        ['DSC(16, 32)', [1, 16, 128, 128]],
        ['ACBlock(16, 32, kernel_size=3, padding=1)', [1, 16, 128, 128]],
        ['ACBlock(16, 32, kernel_size=3, padding=1, deploy=True)', [1, 16, 128, 128]],
      ],
    );
    // The core read the shape from the comment itself, as the CLI does.
    assert.ok(r.entries.every((e) => e.analysis?.inputSource === 'comment'));
  });

  it('publishes the entries on screen first, then all of them', () => {
    let early: string[] = [];
    const r = runAnalysisJob(job({ priorityLines: [[0, 20]] }), {
      onEarly: (e) => {
        early = e.entries.map((x) => x.spec.expr);
      },
    })!;
    assert.deepStrictEqual(early, ['DSC(16, 32)']);
    assert.strictEqual(r.entries.length, 3);
    assert.strictEqual(r.complete, true);
  });

  // The classes on screen have no entry of their own: only the factories at the file's end build them.
  const factories = [
    'import torch.nn as nn',
    '',
    'class Block(nn.Module):',
    '    def __init__(self, c):',
    '        super().__init__()',
    '        self.conv = nn.Conv2d(c, c, 3, padding=1)',
    '    def forward(self, x):',
    '        return self.conv(x)',
    '',
    'class Wide(nn.Module):',
    '    def __init__(self, c):',
    '        super().__init__()',
    '        self.stem = nn.Conv2d(3, c, 1)',
    '        self.block = Block(c)',
    '    def forward(self, x):',
    '        return self.block(self.stem(x))',
    '',
    'def stem_only():',
    '    return nn.Conv2d(3, 4, 1)',
    '',
    'def wide8():',
    '    return Wide(8)',
    '',
    'def wide16():',
    '    return Wide(16)',
    '',
  ].join('\n');

  it('publishes early once an entry builds a layer on screen when no entry lies there, naming the entries still to come', () => {
    const published: { entries: string[]; pending: string[] }[] = [];
    const r = runAnalysisJob(job({ text: factories, file: '/x/factories.py', priorityLines: [[2, 8]] }), {
      onEarly: (e) => published.push({ entries: e.entries.map((x) => x.spec.expr), pending: (e.pending ?? []).map((s) => s.expr) }),
    })!;
    // stem_only() builds nothing in Block; wide8() is the first to: the early result comes right after it.
    assert.deepStrictEqual(published, [{ entries: ['stem_only()', 'wide8()'], pending: ['wide16()'] }]);
    assert.deepStrictEqual(
      r.entries.map((e) => e.spec.expr),
      ['stem_only()', 'wide8()', 'wide16()'],
    );
    assert.strictEqual(r.pending, undefined);
    // A screen no entry builds on gets no early result: the whole one is the first.
    let early = 0;
    runAnalysisJob(job({ text: factories, file: '/x/factories.py', priorityLines: [[0, 1]] }), { onEarly: () => early++ });
    assert.strictEqual(early, 0);
  });

  it('follows the screen when it moves during the job: the entries there go next, with an early result of their own', () => {
    const published: { entries: string[]; pending: string[]; screen: unknown }[] = [];
    let polls = 0;
    runAnalysisJob(job({ text: factories, file: '/x/moved.py', priorityLines: [[0, 1]] }), {
      // The screen moves to `def wide16` after the first entry.
      priorityLines: () => (++polls === 2 ? [[23, 24]] : undefined),
      onEarly: (e) =>
        published.push({ entries: e.entries.map((x) => x.spec.expr), pending: (e.pending ?? []).map((s) => s.expr), screen: e.screen }),
    });
    assert.deepStrictEqual(published, [{ entries: ['stem_only()', 'wide16()'], pending: ['wide8()'], screen: [[23, 24]] }]);
  });

  it("the worker hears a screen update for its running job (the control port's message, validated)", async () => {
    const script = path.join(repoRoot, 'dist/analysisWorker.js');
    if (!fs.existsSync(script)) assert.fail('dist/analysisWorker.js missing: npm run build first (npm test does)');
    const runner = new WorkerRunner(script, () => undefined);
    try {
      const early: { entries: string[]; pending: string[] }[] = [];
      const running = runner.run(job({ id: 7, text: factories, file: '/x/worker.py', priorityLines: [[0, 1]] }), (e) =>
        early.push({ entries: e.entries.map((x) => x.spec.expr), pending: (e.pending ?? []).map((s) => s.expr) }),
      );
      runner.prioritize(7, [[23, 24]]);
      const done = await running;
      assert.deepStrictEqual(early, [{ entries: ['wide16()'], pending: ['stem_only()', 'wide8()'] }]);
      assert.deepStrictEqual(
        done?.entries.map((e) => e.spec.expr),
        ['stem_only()', 'wide8()', 'wide16()'],
      );
      assert.ok(!isScreenUpdate({ id: 7, priorityLines: [[1, '2']] }) && !isScreenUpdate({ id: 7, priorityLines: [[-1, 2]] }));
    } finally {
      runner.dispose();
    }
  });

  it('stops between entries once cancelled', () => {
    let polls = 0;
    assert.strictEqual(runAnalysisJob(job(), { isCancelled: () => ++polls > 1 }), undefined);
  });

  it('profiles a remembered input shape and otherwise lets the core pick channels at the default resolution', () => {
    const src =
      'import torch.nn as nn\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(5, 8, 3)\n    def forward(self, x):\n        return self.c(x)\n';
    const byDefault = runAnalysisJob(job({ text: src, file: '/x/a.py', defaultResolution: 32 }))!;
    assert.deepStrictEqual(byDefault.entries[0]!.analysis!.input, [1, 5, 32, 32]);
    const remembered = runAnalysisJob(job({ text: src, file: '/x/a.py', remembered: [2, 5, 10, 10] }))!;
    assert.deepStrictEqual(remembered.entries[0]!.analysis!.input, [2, 5, 10, 10]);
    assert.strictEqual(remembered.entries[0]!.spec.inputSource, 'remembered');
  });

  it('lists entries without profiling them, and profiles one expression with its module tree (Profile this cell)', () => {
    const streamed: string[] = [];
    const listed = runAnalysisJob(job({ mode: { kind: 'list' } }), { onEntry: (i, e) => streamed.push(`${i} ${e.spec.expr}`) })!;
    // The worker passes entries on through onEntry only.
    assert.deepStrictEqual(
      streamed,
      listed.entries.map((e, i) => `${i} ${e.spec.expr}`),
    );
    assert.deepStrictEqual(
      listed.entries.map((e) => [e.spec.expr, e.spec.origin, e.analysis]),
      [
        ['DSC(16, 32)', 'comment', undefined],
        ['ACBlock(16, 32, kernel_size=3, padding=1)', 'comment', undefined],
        ['ACBlock(16, 32, kernel_size=3, padding=1, deploy=True)', 'comment', undefined],
      ],
    );
    const one = runAnalysisJob(job({ mode: { kind: 'profile', expr: 'DSC(16, 32)' } }))!;
    assert.strictEqual(one.entries.length, 1);
    const a = one.entries[0]!.analysis!;
    assert.deepStrictEqual(a.input, [1, 16, 128, 128], "the core reads the comment's input itself");
    assert.ok(a.tree, 'the module tree is kept for the report');
    // The same report the CLI writes for that entry.
    assert.deepStrictEqual(
      reportFromProfile(a, 'all').totals,
      reportFromProfile(runAnalysisJob(job())!.entries[0]!.analysis!, 'all').totals,
    );
    const given = runAnalysisJob(job({ mode: { kind: 'profile', expr: 'DSC(16, 32)', input: [1, 16, 8, 8] } }))!;
    assert.deepStrictEqual(given.entries[0]!.analysis!.input, [1, 16, 8, 8]);
    const broken = runAnalysisJob(job({ mode: { kind: 'profile', expr: 'Nope()' } }))!;
    assert.strictEqual(broken.entries[0]!.analysis!.status, 'error');
  });
});

describe('editor: which entry a line shows', () => {
  // Entries as the job lists them (CodeLens order); an anchor is the class or def the entry belongs to.
  const spec = (expr: string, lensLine: number, anchor?: [number, number]): EntrySpec => ({
    expr,
    origin: anchor ? 'class' : 'factory',
    lensLine,
    inputSource: 'core',
    ...(anchor ? { anchor: { kind: 'class' as const, name: expr, line: anchor[0], endLine: anchor[1] } } : {}),
  });
  const e = (s: EntrySpec): { spec: EntrySpec } => ({ spec: s });
  const a = e(spec('a()', 30)),
    b = e(spec('b()', 40)),
    owner = e(spec('Owner()', 10, [10, 20]));

  it('shows the entry that owns the line, else the first in CodeLens order', () => {
    assert.strictEqual(lineEntry([a, b], 5), a);
    assert.strictEqual(lineEntry([owner, a], 15), owner);
    assert.strictEqual(lineEntry([a, owner], 15), owner);
    assert.strictEqual(lineEntry([], 15), undefined);
  });

  it('in an early result, leaves out a line an entry still to come could take', () => {
    // b() profiled, a() still to come and first in order: a() may build the line too.
    assert.strictEqual(lineEntry([b], 5, [a.spec]), undefined);
    // a() profiled and first: whatever b() builds, the line shows a().
    assert.strictEqual(lineEntry([a], 5, [b.spec]), a);
    // An owner still to come takes the line from any entry; a profiled owner keeps it from later ones.
    assert.strictEqual(lineEntry([a], 15, [owner.spec]), undefined);
    assert.strictEqual(lineEntry([owner], 15, [a.spec, b.spec]), owner);
  });
});

describe('editor: one session per job', () => {
  it("gives every entry what a lone profileEntry gives, though the file's module runs once for all of them", () => {
    // A syntax error every entry reports, an entry that raises (the next starts afresh), an entry
    // that records a functional op (the next must not inherit it) and a plain one.
    const src = [
      'import torch.nn as nn',
      'import torch.nn.functional as F',
      'class Bad(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      "        raise ValueError('no')",
      'class WithF(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.c = nn.Conv2d(3, 8, 3)',
      '    def forward(self, x):',
      '        return F.relu(self.c(x))',
      'class Plain(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.c = nn.Conv2d(3, 4, 1)',
      '    def forward(self, x):',
      '        return self.c(x)',
      'oops = (1 +',
      '',
    ].join('\n');
    const r = runAnalysisJob(job({ text: src, file: '/x/shared.py', defaultResolution: 32 }))!;
    assert.deepStrictEqual(
      r.entries.map((e) => e.spec.expr),
      ['Bad()', 'WithF()', 'Plain()'],
    );
    for (const e of r.entries) {
      const { tree, ...alone } = profileEntry(src, '/x/shared.py', e.spec.expr, { defaultResolution: 32 });
      assert.ok(tree || alone.status === 'error');
      assert.deepStrictEqual(e.analysis, alone, e.spec.expr);
    }
    assert.strictEqual(r.entries[0]!.analysis!.status, 'error');
    assert.deepStrictEqual(r.entries[1]!.analysis!.functionals.length, 1);
    assert.deepStrictEqual(r.entries[2]!.analysis!.functionals, []);
    assert.ok(r.entries.every((e) => e.analysis!.diagnostics.some((d) => d.code === 'syntax')));
  });
});

describe('editor: texts and comparisons', () => {
  const r = runAnalysisJob(job())!;
  const dsc = r.entries[0]!;
  const acb = r.entries[1]!;

  it('writes hints as `params · MACs` with SI units, and `?` for unknown values', () => {
    const depth = dsc.analysis!.layers.filter((l) => l.path === 'depth_conv');
    const hw = 128 * 128;
    assert.strictEqual(hintText(aggregate(dsc, depth, 'ptflops'), settings), '160 params · 2.62M MACs');
    assert.strictEqual(aggregate(dsc, depth, 'ptflops').macs, 16 * hw * 9 + 16 * hw);
    const noProfile = { spec: dsc.spec, analysis: { ...dsc.analysis!, profiles: undefined } };
    assert.strictEqual(hintText(aggregate(noProfile, depth, 'ptflops'), settings), '160 params · ? MACs');
  });

  it('writes the lens with totals, MACs/pixel, input and convention', () => {
    assert.strictEqual(
      entryTotalsText(dsc, settings),
      'DSC(16, 32): 704 params · 11.5M MACs · 704 MAC/px @ 1×16×128×128 (# convlens: input, ptflops)',
    );
  });

  it('says what an aggregate is: `no params` for parameter-free layers, the types in full verbosity', () => {
    const agg: Aggregate = { count: 26, types: ['ReLU', 'Dropout', 'Identity'], params: 0, macs: 0 };
    assert.strictEqual(hintText(agg, settings), '26 layers · no params · no MACs');
    assert.strictEqual(hintText(agg, { ...settings, hintVerbosity: 'full' }), '26 layers (ReLU, Dropout, …) · no params · no MACs');
    assert.strictEqual(hintText({ ...agg, types: ['ReLU'], params: 0, macs: 1_204_224 }, settings), '×26 · no params · 1.20M MACs');
  });

  it('shortens a compact hint to the room left before the right edge: shape first, then params, never MACs', () => {
    const agg: Aggregate = { count: 8, types: ['Conv2d'], params: 37_024, macs: 115_867_648, outputShape: [1, 64, 56, 56] };
    const all = { ...settings, hintParts: ['params', 'macs', 'shape'] as const };
    assert.strictEqual(hintText(agg, all), '×8 · 37.0K params · 116M MACs · → 1×64×56×56');
    assert.strictEqual(hintText(agg, all, 30), '×8 · 37.0K params · 116M MACs');
    assert.strictEqual(hintText(agg, all, 20), '×8 · 116M MACs');
    assert.strictEqual(hintText(agg, all, 3), '×8 · 116M MACs', 'MACs stay even when nothing fits');
    // Full verbosity is the user's choice of a long hint: it is never cut.
    assert.strictEqual(hintText(agg, { ...all, hintVerbosity: 'full' }, 10), 'Conv2d ×8 · 37.0K params · 116M MACs · → 1×64×56×56');
  });

  it("lists a layer's arguments without the ones left at torch's defaults (device=None, dtype=None, stride=1…)", () => {
    const h = {
      in_channels: 16,
      out_channels: 32,
      kernel_size: [3, 3],
      stride: [1, 1],
      padding: [1, 1],
      dilation: [1, 1],
      groups: 1,
      bias: true,
      padding_mode: 'zeros',
      device: null,
      dtype: null,
    };
    assert.strictEqual(hyperparamsText('Conv2d', h), 'in_channels=16, out_channels=32, kernel_size=[3,3], padding=[1,1]');
    assert.strictEqual(
      hyperparamsText('Conv2d', { ...h, bias: false, groups: 16 }),
      'in_channels=16, out_channels=32, kernel_size=[3,3], padding=[1,1], groups=16, bias=false',
    );
    assert.strictEqual(hyperparamsText('MyBlock', { width: 4, act: null }), 'width=4', 'a user class: only None is dropped');
  });

  it("visualizes convs with padding='same' or 'valid' when symmetric padding says the same, and not otherwise", () => {
    const src = [
      'import torch.nn as nn',
      '# convlens: input 1x8x16x16',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      "        self.a = nn.Conv2d(8, 8, 3, padding='same', dilation=2)",
      "        self.b = nn.Conv2d(8, 8, 4, padding='same')",
      "        self.c = nn.Conv2d(8, 8, 3, padding='valid')",
      '    def forward(self, x):',
      '        return self.c(self.b(self.a(x)))',
      '',
    ].join('\n');
    const layers = runAnalysisJob(job({ text: src, file: '/x/same.py' }))!.entries[0]!.analysis!.layers;
    const preset = (path: string) =>
      compareConv(
        layers.find((l) => l.path === path)!,
        layers,
      )?.preset;
    // dilation 2, k 3: total padding 4, 2 per side; the output keeps 16×16 as torch's does.
    assert.deepStrictEqual(preset('a')?.padding, [2, 2]);
    assert.deepStrictEqual(layers.find((l) => l.path === 'a')!.outputShape, [1, 8, 16, 16]);
    // k 4: torch pads 1 before and 2 after, which the symmetric playground cannot show.
    assert.strictEqual(preset('b'), undefined);
    assert.deepStrictEqual(preset('c')?.padding, [0, 0]);
  });

  it('compares a depthwise-separable pair with a plain conv as 1/Cout + 1/k²', () => {
    const layers = dsc.analysis!.layers;
    const c = compareConv(layers[0]!, layers)!;
    assert.strictEqual(c.variant, 'depthwiseSeparable');
    assert.deepStrictEqual(c.paths, ['depth_conv', 'point_conv']);
    // convMath, bias excluded: (16·9 + 16·32)·H·W vs 32·16·9·H·W.
    assert.strictEqual(c.cost.macsRatio, (16 * 9 + 16 * 32) / (32 * 16 * 9));
    assert.strictEqual(c.preset.variant, 'depthwiseSeparable');
    assert.deepStrictEqual([c.preset.inChannels, c.preset.outChannels, c.preset.inputSize], [16, 32, [128, 128]]);
  });

  it('compares ACBlock training cost with its fused deploy conv', () => {
    const layers = acb.analysis!.layers;
    const c = compareConv(
      layers.find((l) => l.path === 'hor_conv')!,
      layers,
    )!;
    assert.strictEqual(c.variant, 'acblock');
    assert.strictEqual(c.deploy!.macs, 32 * 128 * 128 * 16 * 9);
    assert.strictEqual(c.cost.macs, 32 * 128 * 128 * 16 * (9 + 3 + 3) + 3 * 32 * 128 * 128);
  });

  it('recognises an ACBlock by structure, whatever its branches are called, and names a depthwise conv', () => {
    // ACNet's own layout: each branch a conv-BN Sequential called square / ver / hor; summed in forward.
    const src = [
      'import torch.nn as nn',
      'def conv_bn(cin, cout, k, p):',
      '    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=p, bias=False), nn.BatchNorm2d(cout))',
      '# convlens: input 1x8x16x16',
      'class AC(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.square = conv_bn(8, 16, (3, 3), (1, 1))',
      '        self.ver = conv_bn(8, 16, (3, 1), (1, 0))',
      '        self.hor = conv_bn(8, 16, (1, 3), (0, 1))',
      '        self.dw = nn.Conv2d(16, 32, 3, padding=1, groups=16)',
      '        self.plain = nn.Conv2d(32, 32, (3, 1), padding=(1, 0))',
      '    def forward(self, x):',
      '        return self.plain(self.dw(self.square(x) + self.ver(x) + self.hor(x)))',
      '',
    ].join('\n');
    const layers = runAnalysisJob(job({ text: src, file: '/x/ac.py' }))!.entries[0]!.analysis!.layers;
    const compare = (path: string) =>
      compareConv(
        layers.find((l) => l.path === path)!,
        layers,
      );
    const ac = compare('ver.0')!;
    assert.strictEqual(ac.variant, 'acblock');
    assert.deepStrictEqual(ac.paths, ['square.0', 'ver.0', 'hor.0']);
    assert.strictEqual(ac.deploy!.macs, 16 * 16 * 16 * 8 * 9);
    assert.match(compare('dw')!.summary, /^depthwise \(g = Cin = 16, multiplier 2\): params and MACs ×1\/Cin = ×0\.063/);
    // A lone k×1 conv (no k×k or 1×k sibling, no BNs) is a plain conv.
    assert.strictEqual(compare('plain')!.variant, 'standard');
  });

  it('exports exactly what the CLI report functions print', () => {
    for (const format of ['md', 'csv', 'jvet'] as const) {
      assert.strictEqual(exportText(dsc, 'thop', format), formatReport(format, reportFromProfile(dsc.analysis!, 'thop')));
    }
    assert.strictEqual(exportText(dsc, 'ptflops', 'json'), JSON.stringify(reportFromProfile(dsc.analysis!, 'ptflops'), null, 1));
  });
});

describe('editor: profile view protocol and HTML', () => {
  it('accepts well-formed messages and rejects everything else', () => {
    assert.ok(isProfileWebviewToHost({ type: 'revealLine', line: 3, path: 'a.b' }));
    assert.ok(isProfileWebviewToHost({ type: 'exportReport', format: 'jvet' }));
    assert.ok(isProfileWebviewToHost({ type: 'setConvention', convention: 'torchstat' }));
    const rendered = { type: 'rendered', entry: 'Net()', rows: 2, firstPaths: ['a', 'b'], renderMs: 3.5, atMs: 120 };
    assert.ok(isProfileWebviewToHost(rendered));
    assert.ok(isProfileHostToWebview({ type: 'busy' }));
    for (const bad of [
      null,
      [],
      { type: 'revealLine', line: -1, path: '' },
      { type: 'revealLine', line: 1.5, path: '' },
      { type: 'exportReport', format: 'pdf' },
      { type: 'setConvention', convention: 'flops' },
      { type: 'ready', extra: 1 },
      { type: 'show', model: {} },
      { type: 'setInputShape', text: 'x'.repeat(201) },
      { ...rendered, renderMs: -1 },
      { ...rendered, renderMs: Infinity },
      { ...rendered, atMs: -2 },
      { type: 'rendered', entry: 'Net()', rows: 2, firstPaths: [] },
    ]) {
      assert.ok(!isProfileWebviewToHost(bad) && !isProfileHostToWebview(bad), JSON.stringify(bad));
    }
    assert.ok(isProfileViewState({ uri: 'file:///a.py', entry: null }));
    assert.ok(isProfileViewState({ uri: 'file:///a.py', entry: 'Net()', convention: 'fvcore' }));
    assert.ok(!isProfileViewState({ uri: 'file:///a.py' }));
    assert.ok(!isProfileViewState({ uri: 'file:///a.py', entry: null, convention: 'flops' }));
  });

  it('sends the report with every convention, one line per convention and the line of every module', () => {
    const r = runAnalysisJob(job())!;
    const dsc = r.entries[0]!;
    const context = { uri: 'file:///models.py', fileName: 'models.py', entries: r.entries, settings, toDocumentLine: (l: number) => l };
    const model = buildProfileModel(dsc, { ...context, convention: 'fvcore' });
    assert.ok(isProfileHostToWebview({ type: 'show', model }), 'the model passes its own guard');
    assert.strictEqual(model.convention, 'fvcore', "the view's choice, not the setting's");
    assert.deepStrictEqual(Object.keys(model.report!.conventions!).sort(), [...conventions].sort(), 'switching needs no new analysis');
    assert.deepStrictEqual(
      model.conventions.map((c) => c.name),
      [...conventions],
    );
    assert.ok(
      model.conventions.every((c) => c.note.includes(' — ')),
      'each convention says what it is and when to use it',
    );
    const depth = model.sites.find((s) => s.path === 'depth_conv')!;
    assert.strictEqual(
      models.split('\n')[depth.line]!.trim().startsWith('self.depth_conv = nn.Conv2d('),
      true,
      'the line that built the layer',
    );
    assert.strictEqual(model.sites[0]!.path, '', 'the model itself is the first site');
    assert.strictEqual(model.sites[0]!.type, 'DSC');
    assert.strictEqual(buildProfileModel(dsc, context).convention, settings.convention);
    // MACs/pixel divided by the model output's H×W when the settings say so, under every convention.
    const byOutput = buildProfileModel(dsc, { ...context, settings: { ...settings, macsPerPixelDenominator: 'output' } });
    const out = dsc.analysis!.outputShape!;
    const pixels = out[out.length - 1]! * out[out.length - 2]!;
    assert.strictEqual(byOutput.report!.conventions!.thop!.totals.macsPerPixel, byOutput.report!.conventions!.thop!.totals.macs! / pixels);
    assert.match(byOutput.perPixelNote, /model output = 128×128/);
  });

  it('puts the state in an escaped attribute under a nonce-only CSP', () => {
    const hostile = '"><script>alert(1)</script>';
    const html = renderProfileHtml({
      cspSource: 'vscode-resource:',
      nonce: 'N0NCE',
      scriptUri: 's.js',
      styleUri: 's.css',
      state: { uri: hostile, entry: hostile },
    });
    assert.ok(!html.includes('<script>alert'), 'no markup from the state');
    assert.strictEqual((html.match(/<script/g) ?? []).length, 1);
    assert.ok(html.includes(`content="${profileCsp('vscode-resource:', 'N0NCE').replace(/'/g, '&#39;')}"`));
    assert.match(profileCsp('x', 'n'), /^default-src 'none'; .*script-src 'nonce-n'$/);
  });
});
