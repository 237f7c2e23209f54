// The runtime mode end to end with real PyTorch (Debian's python3-torch 1.13 and python3-torchvision,
// installed by test/scripts/ensurePytorch.sh): media/python/convlens_runtime.py profiles each ground-truth
// model under /usr/bin/python3, the payload goes through parseRuntimePayload + runtimeCostInput, and every
// convention must reproduce each tool's per-layer MACs and its totals in test/fixtures/groundtruth/.
// The default `python3` may be a pyenv interpreter without Debian's dist-packages, hence the fixed path.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { computeProfile, CONVENTION_NAMES, type ConventionName } from '../../extension/core/cost';
import type { JsonValue } from '../../extension/core/resultTypes';
import { profileEntry } from '../../extension/core/profileEntry';
import { reportFromProfile } from '../../extension/core/report';
import { compareProfiles, runtimeCostInput, runtimeReport, type RuntimePayload } from '../../extension/core/runtime';
import { parseRuntimePayload } from '../../extension/protocol/validateRuntime';
import { fileHost } from '../unit/helpers/fixtureFiles';
import { REPO_ROOT, runTorchPython, type PythonRun } from './torchPython';

const SEED_DIR = path.join(REPO_ROOT, 'test/fixtures/seed');
const GROUNDTRUTH = path.join(REPO_ROOT, 'test/fixtures/groundtruth');
// Debian's python3-torchvision holds the same torchvision 0.14.1 sources the ground truth was measured on.
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

interface Case {
  readonly name: string;
  readonly source: string;
  readonly file: string;
  readonly entry: string;
  readonly input: number[];
}
interface GtLayer {
  readonly name: string;
  readonly type: string;
  readonly hyperparams: Record<string, JsonValue>;
  readonly input_shape: number[][];
  readonly output_shape: number[];
  readonly params: number;
  readonly calls: number;
  readonly reference: { macs_no_bias: number } | null;
  readonly tools: Record<string, { macs: number | null; madd?: number } | undefined>;
}
interface GtModel {
  readonly layers: GtLayer[];
  readonly totals: Record<string, Record<string, JsonValue>>;
  readonly output_shape: number[];
}

/** Where each convention's figures are in a ground-truth file: the tool key, and the field for MACs. */
const SOURCES: Readonly<
  Record<ConventionName, { tool: string; layerMacs: (l: GtLayer) => number; totalMacs: string; totalParams: string }>
> = {
  ptflops: { tool: 'ptflops', layerMacs: (l) => l.tools['ptflops']!.macs ?? 0, totalMacs: 'macs', totalParams: 'params' },
  'ptflops-0.6': { tool: 'ptflops_v069', layerMacs: (l) => l.tools['ptflops_v069']!.macs ?? 0, totalMacs: 'macs', totalParams: 'params' },
  torchinfo: { tool: 'torchinfo', layerMacs: (l) => l.tools['torchinfo']!.macs ?? 0, totalMacs: 'macs', totalParams: 'params' },
  fvcore: { tool: 'fvcore', layerMacs: (l) => l.tools['fvcore']!.macs ?? 0, totalMacs: 'macs', totalParams: 'params' },
  thop: { tool: 'thop', layerMacs: (l) => l.tools['thop']!.macs ?? 0, totalMacs: 'macs', totalParams: 'params' },
  // torchstat's MAdd column (multiplies and adds counted apart) is what the convention reports as MACs.
  torchstat: { tool: 'torchstat', layerMacs: (l) => l.tools['torchstat']!.madd!, totalMacs: 'madd', totalParams: 'params' },
  paper: {
    tool: 'reference',
    layerMacs: (l) => l.reference?.macs_no_bias ?? 0,
    totalMacs: 'conv_linear_macs_no_bias',
    totalParams: 'params_total',
  },
};

/** `seed_models_fixed.py` → `seed_models_fixed`; `torchvision/models/resnet.py` → `torchvision.models.resnet`. */
function moduleOf(c: Case): string {
  return c.file.replace(/\.py$/, '').split('/').join('.');
}

function runHelper(args: string[], extraPath: string[] = []): Promise<PythonRun> {
  return runTorchPython(args, extraPath);
}

function parse(stdout: string): RuntimePayload {
  const r = parseRuntimePayload(stdout);
  if (!r.ok) assert.fail(`the helper's payload is invalid: ${r.error}`);
  return r.payload;
}

const cases = (JSON.parse(fs.readFileSync(path.join(GROUNDTRUTH, 'cases.json'), 'utf8')) as Case[]).filter(
  (c) => c.source === 'seed' || c.source.startsWith('torchvision'),
);

describe('runtime mode with real PyTorch', function () {
  this.timeout(30 * 60_000); // a guard: before() imports torch once per case, minutes on a loaded machine
  const payloads = new Map<string, RuntimePayload>();

  before(async () => {
    // Two processes at a time: each imports torch (slow) and builds one model.
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const r = await runHelper(['-m', 'convlens_runtime', `${moduleOf(c)}:${c.entry}`, c.input.join('x')], [SEED_DIR]);
        assert.strictEqual(r.code, 0, `${c.name}: exit ${r.code}\n${r.stderr}`);
        payloads.set(c.name, parse(r.stdout));
      }
    };
    await Promise.all([worker(), worker()]);
  });

  it('covers the seed models and torchvision resnet18', () => {
    for (const n of ['dsc_seed', 'acblock_seed', 'resnet18'])
      assert.ok(
        cases.some((c) => c.name === n),
        n,
      );
  });

  for (const c of cases) {
    describe(c.name, () => {
      const gt = JSON.parse(fs.readFileSync(path.join(GROUNDTRUTH, `${c.name}.json`), 'utf8')) as GtModel;

      it('lists the same layers as torch, with the ground truth hyperparams, params, shapes and calls', () => {
        const p = payloads.get(c.name)!;
        assert.deepStrictEqual(p.errors, []);
        assert.deepStrictEqual(
          p.layers.map((l) => l.path),
          gt.layers.map((l) => l.name),
        );
        p.layers.forEach((l, i) => {
          const g = gt.layers[i]!;
          assert.deepStrictEqual(
            {
              type: l.type,
              builtin: l.builtin,
              hyperparams: l.hyperparams,
              params: l.params,
              calls: l.calls.length,
              input: l.calls[0]?.inputShapes,
              output: l.calls[0]?.outputShape,
            },
            {
              type: g.type,
              builtin: true,
              hyperparams: g.hyperparams,
              params: g.params,
              calls: g.calls,
              input: g.input_shape,
              output: g.output_shape,
            },
            l.path,
          );
        });
        assert.deepStrictEqual(p.outputShape, gt.output_shape);
        assert.strictEqual(p.totalParams, gt.totals['ptflops']!['params']);
      });

      for (const [convention, source] of Object.entries(SOURCES) as [ConventionName, (typeof SOURCES)[ConventionName]][]) {
        it(`${convention}: every layer's MACs and the totals match ${source.tool}`, () => {
          const profile = computeProfile(convention, runtimeCostInput(payloads.get(c.name)!));
          const byPath = new Map(profile.layers.map((l) => [l.path, l]));
          const mismatches = gt.layers
            .map((l) => ({ path: l.name, want: source.layerMacs(l), got: byPath.get(l.name)?.macs }))
            .filter((r) => r.got !== r.want);
          assert.deepStrictEqual(mismatches, [], `layer mismatches under ${convention}`);
          assert.strictEqual(profile.totals.partial, false);
          assert.strictEqual(profile.totals.macs, gt.totals[source.tool]![source.totalMacs]);
          assert.strictEqual(profile.totals.params, gt.totals[source.tool]![source.totalParams]);
        });
      }

      it('agrees with the static profile of the same source under every convention', () => {
        const root = c.source === 'seed' ? SEED_DIR : DIST_PACKAGES;
        const file = path.join(root, c.file);
        const result = profileEntry(fs.readFileSync(file, 'utf8'), file, c.entry, { input: c.input, host: fileHost(), roots: [root] });
        assert.strictEqual(result.status, 'ok');
        for (const convention of CONVENTION_NAMES) {
          const comparison = compareProfiles(reportFromProfile(result, convention), runtimeReport(payloads.get(c.name)!, convention));
          assert.deepStrictEqual(comparison.differences, [], convention);
          assert.ok(comparison.totals.macs.same && comparison.totals.params.same, convention);
          assert.strictEqual(comparison.rows.length, gt.layers.length);
        }
      });
    });
  }
});

describe('runtime helper robustness', function () {
  this.timeout(300_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-runtime-'));
    // Odd models: a forward that raises, a third-party leaf with non-JSON attributes, a shared module,
    // a functional op at the root, and a tuple-returning LSTM. Plus a stand-in IPython that records display().
    fs.writeFileSync(
      path.join(dir, 'odd_models.py'),
      [
        'import torch, torch.nn as nn, torch.nn.functional as F',
        'class Weird(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.scale = 2.5',
        '        self.name = "<b>weird</b>"',
        '        self.fn = lambda x: x',
        '        self.w = nn.Parameter(torch.ones(3))',
        '    def forward(self, x):',
        '        return x * self.scale',
        'class Broken(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.conv = nn.Conv2d(3, 4, 3)',
        '    def forward(self, x):',
        '        x = self.conv(x)',
        '        raise RuntimeError("boom")',
        'class Shared(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.conv = nn.Conv2d(3, 3, 3, padding="same")',
        '        self.again = self.conv',
        '        self.odd = Weird()',
        '        self.rnn = nn.LSTM(8, 16, batch_first=True)',
        '    def forward(self, x):',
        '        x = self.again(self.conv(x))',
        '        x = self.odd(x)',
        '        x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)',
        '        y, _ = self.rnn(x.flatten(2)[:, :, :8])',
        '        return y',
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(dir, 'IPython'));
    fs.writeFileSync(path.join(dir, 'IPython', '__init__.py'), 'def get_ipython():\n    return object()\n');
    fs.writeFileSync(path.join(dir, 'IPython', 'display.py'), 'CALLS = []\ndef display(obj, raw=False):\n    CALLS.append((obj, raw))\n');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records a forward error, still lists the layers, and exits 1', async () => {
    const r = await runHelper(['-m', 'convlens_runtime', 'odd_models:Broken()', '1x3x8x8'], [dir]);
    assert.strictEqual(r.code, 1, r.stderr);
    const p = parse(r.stdout);
    assert.match(p.errors[0]!, /forward failed: RuntimeError: boom/);
    assert.deepStrictEqual(
      p.layers.map((l) => [l.path, l.params, l.calls.length]),
      [['conv', 4 * 3 * 3 * 3 + 4, 1]],
    );
  });

  it('handles shared modules, third-party leaves, functionals, string padding and tuple outputs', async () => {
    const r = await runHelper(['-m', 'convlens_runtime', 'odd_models:Shared()', '1x3x4x4'], [dir]);
    assert.strictEqual(r.code, 0, r.stderr);
    const p = parse(r.stdout);
    assert.deepStrictEqual(
      p.layers.map((l) => [l.path, l.type, l.builtin, l.calls.length]),
      [
        ['conv', 'Conv2d', true, 2],
        ['odd', 'Weird', false, 1],
        ['rnn', 'LSTM', true, 1],
      ],
    );
    assert.strictEqual(p.layers[0]!.hyperparams['padding'], 'same');
    // Public scalar attributes only; the lambda is not recorded and the HTML stays a string.
    assert.deepStrictEqual(p.layers[1]!.hyperparams, { scale: 2.5, name: '<b>weird</b>' });
    assert.strictEqual(p.totalParams, 3 * 3 * 3 * 3 + 3 + 3 + 4 * 16 * (8 + 16 + 2));
    assert.deepStrictEqual(p.layers[2]!.calls[0]!.outputShape, [1, 3, 16]);
    assert.deepStrictEqual(p.outputShape, [1, 3, 16]);
    const interp = p.functionals.find((f) => f.op === 'interpolate')!;
    assert.deepStrictEqual(
      [interp.via, interp.modulePath, interp.args],
      ['F', '', { scale_factor: 2, mode: 'bilinear', align_corners: false }],
    );
    // `x * self.scale` runs inside `odd`, the user's own module (not torch.nn): it is a functional op there, as
    // the counters see it and as the static engine records it; ops inside torch.nn layers stay the layer's.
    assert.deepStrictEqual(
      p.functionals.filter((f) => f.modulePath === 'odd').map((f) => [f.op, f.via]),
      [['mul', 'operator']],
    );
    assert.ok(!p.functionals.some((f) => f.modulePath === 'conv' || f.modulePath === 'rnn'));
    assert.ok(!runtimeReport(p, 'fvcore').totals.partial);
  });

  it('displays the payload under the Conv Lens MIME type when IPython is there', async () => {
    const script = [
      'import json, torch.nn as nn, convlens_runtime',
      'from IPython import display',
      'p = convlens_runtime.profile(nn.Sequential(nn.Conv2d(3, 4, 3)), (1, 3, 8, 8))',
      'obj, raw = display.CALLS[0]',
      'print(json.dumps({"raw": raw, "keys": sorted(obj), "same": obj[convlens_runtime.MIME] is p, "text": obj["text/plain"]}))',
    ].join('\n');
    const r = await runHelper(['-c', script], [dir]);
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { raw: boolean; keys: string[]; same: boolean; text: string };
    assert.deepStrictEqual([out.raw, out.keys, out.same], [true, ['application/vnd.convlens.profile+json', 'text/plain'], true]);
    assert.match(out.text, /1 layers, 112 params/);
  });

  it('removes its hooks, leaves the model in eval mode and matches the model dtype', async () => {
    const script = [
      'import torch.nn as nn, convlens_runtime',
      'm = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU())',
      'convlens_runtime.profile(m, (1, 3, 8, 8), display=False)',
      'print(sum(len(x._forward_hooks) + len(x._forward_pre_hooks) for x in m.modules()), m.training)',
      // A float64 model gets a float64 input instead of failing on a dtype mismatch.
      'p = convlens_runtime.profile(nn.Linear(4, 2).double(), (1, 4), display=False)',
      'print(p["errors"], p["outputShape"])',
    ].join('\n');
    const r = await runHelper(['-c', script]);
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['0 False', '[] [1, 2]'], r.stderr);
  });
});
