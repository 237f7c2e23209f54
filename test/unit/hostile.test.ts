// Hostile and pathological input (issue 13): every reproducer stops with a budget diagnostic instead of
// exhausting memory or time, cancellation reaches into a running analysis, and a worker killed by memory
// fails only the job that killed it (a problem on that file) while the next job still runs in a new worker.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeFile, profileEntry } from '../../extension/core';
import { runAnalysisJob, type AnalysisJob } from '../../extension/worker/analysisJob';
import { WorkerRunner } from '../../extension/worker/analysisRunner';
import { repoRoot } from './helpers/fixtureFiles';

const loopOver = (setup: string, body: string): string => `${setup}\nfor i in range(100000):\n    s = ${body}\n`;
const BIG = 'x = list(range(100000))';

/** Each reproducer from the issue, as Python source: all of them used to run for minutes or kill the process. */
export const REPRODUCERS: Record<string, string> = {
  'list doubling': 'x = [0]\nfor i in range(40):\n    x = x + x\n',
  'string doubling': "x = 'ab'\nfor i in range(64):\n    x = x + x\n",
  'nested lists': 'y = [list(range(100000)) for i in range(100000)]\n',
  repeat: 'x = [0] * 10**12\n',
  sum: loopOver(BIG, 'sum(x)'),
  in: loopOver(BIG, '-1 in x'),
  max: loopOver(BIG, 'max(x)'),
  min: loopOver(BIG, 'min(x)'),
  sorted: loopOver(BIG, 'sorted(x)'),
  '==': loopOver(`${BIG}\ny = list(range(100000))`, 'x == y'),
  '.index': loopOver(BIG, 'x.index(99999)'),
  join: loopOver('x = [str(i) for i in range(100000)]', "','.join(x)"),
  'str()': loopOver(BIG, 'str(x)'),
  slicing: loopOver(BIG, 'x[1:]'),
  replace: loopOver("x = 'a' * 100000", "x.replace('a', 'b')"),
  'subclass chain': `class C0: pass\n${Array.from({ length: 10000 }, (_, i) => `class C${i + 1}(C${i}): pass\n`).join('')}`,
};

describe('hostile input: budgets (core)', () => {
  for (const [name, source] of Object.entries(REPRODUCERS)) {
    it(`${name}: stops with a budget diagnostic`, function () {
      this.timeout(120_000);
      const r = analyzeFile(source, '/w/hostile.py');
      const stop = r.diagnostics.find((d) => d.code === 'budget');
      assert.ok(stop, JSON.stringify(r.diagnostics));
      assert.match(stop.message, /^analysis stopped: (step|memory) budget/);
    });
  }

  it('the memory budget stops a doubling list before it is built, even with an unlimited step budget', () => {
    const r = analyzeFile(REPRODUCERS['list doubling']!, '/w/hostile.py', { stepBudget: 1e12, memoryBudget: 16 * 1024 * 1024 });
    assert.match(r.diagnostics.find((d) => d.code === 'budget')?.message ?? '', /memory budget of 16 MB exhausted/);
  });

  it('a small model still builds under the default budgets, and a budget stop in forward leaves no number', () => {
    const model =
      'import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(3, 8, 3)\n    def forward(self, x):\n        y = x\n        for i in range(10**5):\n            y = self.c(x)\n        return y\n';
    const ok = profileEntry(model.replace('10**5', '2'), '/w/m.py', 'M()', { input: [1, 3, 8, 8] });
    assert.strictEqual(ok.profiles?.ptflops.totals.partial, false);
    const stopped = profileEntry(model, '/w/m.py', 'M()', { input: [1, 3, 8, 8], stepBudget: 50_000 });
    assert.ok(stopped.diagnostics.some((d) => d.code === 'budget'));
    assert.notStrictEqual(stopped.profiles?.ptflops.totals.partial, false);
  });

  it('cancellation reaches into a running analysis', () => {
    let polls = 0;
    const r = analyzeFile(REPRODUCERS['sum']!, '/w/hostile.py', { stepBudget: 1e12, isCancelled: () => ++polls > 3 });
    assert.ok(
      r.diagnostics.some((d) => d.code === 'cancelled'),
      JSON.stringify(r.diagnostics),
    );
    assert.strictEqual(polls, 4);
  });

  it('a wall-clock cap stops a long analysis', () => {
    const r = analyzeFile(REPRODUCERS['sum']!, '/w/hostile.py', { stepBudget: 1e12, timeLimitMs: 0 });
    assert.match(r.diagnostics.find((d) => d.code === 'budget')?.message ?? '', /time limit of 0 s reached/);
  });

  it('a cancelled job returns nothing, however long its one entry runs', () => {
    const text = `import torch.nn as nn\n${REPRODUCERS['sum']!}class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(3, 8, 3)\n`;
    let polls = 0;
    const job: AnalysisJob = {
      id: 7,
      text,
      file: '/w/h.py',
      roots: [],
      canReadFiles: false,
      files: {},
      defaultResolution: 8,
      priorityLines: [],
    };
    assert.strictEqual(runAnalysisJob(job, { isCancelled: () => ++polls > 2 }), undefined);
  });
});

describe('hostile input: values from imported files stay out of messages (core)', () => {
  // A config module inside the root holding secrets: the model reads them where numbers or names belong.
  const files: Record<string, string> = {
    '/proj/cfg.py': `aws_secret = "AKIA/SECRET+value=42"\ntoken = 'sk-live-9f8e7d6c5b4a'\nwidth = 'wide'\n`,
  };
  const host = { readFile: (p: string) => files[p], isDirectory: (p: string) => p === '/proj' };
  const model = (line: string): string =>
    `import torch.nn as nn\nimport cfg\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        ${line}\n    def forward(self, x):\n        return x\n`;
  const secrets = /AKIA|SECRET|value=42|sk-live|9f8e7d/;
  const cases: [string, string][] = [
    ['a secret as a channel count', 'self.b = nn.Conv2d(8, cfg.aws_secret, 1)'],
    ['a secret as a kernel size', 'self.b = nn.Conv2d(8, 8, (cfg.token, 1))'],
    ['a secret as a feature count', 'self.b = nn.Linear(cfg.token, 3)'],
    ['a secret through int()', 'self.b = nn.Conv2d(8, int(cfg.token), 1)'],
    ['a secret through float()', 'self.b = nn.Dropout(float(cfg.aws_secret))'],
  ];
  for (const [what, line] of cases) {
    it(`${what}: the message names the argument and the type, not the value`, () => {
      const r = profileEntry(model(line), '/proj/model.py', 'M()', { input: [1, 8, 4, 4], host, roots: ['/proj'] });
      const text = JSON.stringify(r);
      assert.ok(r.diagnostics.length > 0, 'the impossible layer is reported');
      assert.doesNotMatch(text, secrets);
      assert.match(text, /a str of \d+ characters/);
    });
  }
  it('an identifier-like token still reads as itself (torch names its modes the same way)', () => {
    const r = profileEntry(model('self.b = nn.Conv2d(8, cfg.width, 1)'), '/proj/model.py', 'M()', {
      input: [1, 8, 4, 4],
      host,
      roots: ['/proj'],
    });
    assert.match(JSON.stringify(r.diagnostics), /got \\"wide\\"/);
  });
});

describe('hostile input: strings from the analysed code reach no output beyond a token (core)', () => {
  // Every route by which a string held in a file (here an imported config module) reached a result:
  // exception and assert messages, KeyError keys, attribute names from getattr(), module and parameter
  // names (layer paths), string hyperparameters and functional arguments, environment variable names.
  const SECRET = 'AKIA+SECRET value=42';
  const files: Record<string, string> = { '/proj/cfg.py': `token = ${JSON.stringify(SECRET)}\n` };
  const host = { readFile: (p: string) => files[p], isDirectory: (p: string) => p === '/proj' };
  const model = (init: string, fwd = 'return x'): string =>
    `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom collections import OrderedDict\nimport cfg\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(8, 8, 1)\n        ${init}\n    def forward(self, x):\n        x = self.c(x)\n        ${fwd}\n`;
  const cases: Record<string, [init: string, fwd?: string]> = {
    'raise ValueError(f"...{secret}")': ['raise ValueError(f"bad {cfg.token}")'],
    'raise KeyError(secret)': ['raise KeyError(cfg.token)'],
    'a raise in forward': ['pass', 'raise RuntimeError(cfg.token)'],
    'a raise in a helper function': ['def f(): raise TypeError(cfg.token)\n        f()'],
    'assert with a message': ['assert False, f"x {cfg.token}"'],
    'a missing dict key': ['d = {}\n        y = d[cfg.token]'],
    'dict.pop of a missing key': ['d = {}\n        y = d.pop(cfg.token)'],
    'a missing key in forward': ['self.m = {"a": 1}', 'return x * self.m[cfg.token]'],
    'globals()[secret]': ['y = globals()[cfg.token]'],
    'os.environ[secret]': ['import os\n        y = os.environ[cfg.token]'],
    'add_module(secret, ...)': ['self.add_module(cfg.token, nn.Conv2d(8, 8, 1))'],
    'setattr(self, secret, ...)': ['setattr(self, cfg.token, nn.Conv2d(8, 8, 1))'],
    'a ModuleDict key': ['self.d = nn.ModuleDict({cfg.token: nn.Conv2d(8, 8, 1)})'],
    'an OrderedDict name in Sequential': ['self.s = nn.Sequential(OrderedDict([(cfg.token, nn.Conv2d(8, 8, 1))]))', 'return self.s(x)'],
    'register_parameter(secret, ...)': ['self.register_parameter(cfg.token, nn.Parameter(torch.zeros(3)))'],
    'a ModuleDict lookup': ['self.d = nn.ModuleDict()\n        y = self.d[cfg.token]'],
    'padding=secret': ['self.p = nn.Conv2d(8, 8, 3, padding=cfg.token)'],
    'padding_mode=secret': ['self.p = nn.Conv2d(8, 8, 3, padding_mode=cfg.token)'],
    'Upsample(mode=secret)': ['self.u = nn.Upsample(scale_factor=2, mode=cfg.token)', 'return self.u(x)'],
    'ReLU(inplace=secret)': ['self.z = nn.ReLU(inplace=cfg.token)'],
    'F.interpolate(mode=secret)': ['pass', 'return F.interpolate(x, scale_factor=2, mode=cfg.token)'],
    'torch.einsum(secret, x)': ['pass', 'return torch.einsum(cfg.token, x)'],
    'getattr(F, secret)': ['self.a = getattr(F, cfg.token)', 'return self.a(x)'],
    'getattr(nn, secret)()': ['self.z = getattr(nn, cfg.token)()'],
    'getattr(torch, secret)(x)': ['pass', 'return getattr(torch, cfg.token)(x)'],
    'getattr(x, secret)()': ['pass', 'return getattr(x, cfg.token)()'],
    'namedtuple(secret, ...)': ['from collections import namedtuple\n        T = namedtuple(cfg.token, ["a"])\n        y = T(1, 2)'],
  };
  const leaks = /AKIA|SECRET|value=42/;
  for (const [what, [init, fwd]] of Object.entries(cases)) {
    it(`${what}: neither the profile nor the file analysis holds the string`, () => {
      const src = model(init, fwd);
      const profile = profileEntry(src, '/proj/model.py', 'M()', { input: [1, 8, 4, 4], host, roots: ['/proj'] });
      const file = analyzeFile(src, '/proj/model.py', { host, roots: ['/proj'] });
      const [p, f] = [JSON.stringify(profile), JSON.stringify(file)];
      assert.ok(
        !leaks.test(p) && !leaks.test(f),
        `${p.slice(p.search(leaks) - 200, p.search(leaks) + 40)} ${f.slice(f.search(leaks) - 200)}`,
      );
      // Each case is seen: a message, a hidden name or a hidden value stands where the string was.
      assert.ok(/a str of \d+ characters|<hidden name 1>/.test(p), p.slice(-600));
    });
  }

  it('a raised message keeps its exception type and line; a short identifier-like message reads as itself', () => {
    const r = profileEntry(model('raise ValueError(cfg.token)'), '/proj/model.py', 'M()', { input: [1, 8, 4, 4], host, roots: ['/proj'] });
    const d = r.diagnostics.find((x) => x.code === 'raise');
    assert.strictEqual(d?.message, 'the model code raised ValueError: a str of 20 characters');
    assert.strictEqual(d?.range?.line, 9);
    const named = profileEntry(model('raise NotImplementedError("unsupported_block")'), '/proj/model.py', 'M()', { input: [1, 8, 4, 4] });
    assert.match(named.diagnostics.map((x) => x.message).join('\n'), /raised NotImplementedError: unsupported_block/);
  });

  it('hidden module names stay distinct and consistent across layers, tree and forward calls', () => {
    const r = profileEntry(
      model(
        'self.add_module("a b", nn.Conv2d(8, 8, 1))\n        self.add_module("c d", nn.Conv2d(8, 4, 1))',
        'return getattr(self, "c d")(getattr(self, "a b")(x))',
      ),
      '/proj/model.py',
      'M()',
      { input: [1, 8, 4, 4] },
    );
    assert.deepStrictEqual(
      r.layers.map((l) => [l.path, l.calls]),
      [
        ['c', 1],
        ['<hidden name 1>', 1],
        ['<hidden name 2>', 1],
      ],
    );
    assert.deepStrictEqual(
      r.tree?.children.map((c) => c.name),
      ['c', '<hidden name 1>', '<hidden name 2>'],
    );
    assert.deepStrictEqual(r.outputShape, [1, 4, 4, 4]);
    // Real modes and Sequential indices are torch's own tokens and read as themselves.
    const modes = profileEntry(
      model('self.s = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest-exact"))', 'return self.s(x)'),
      '/proj/model.py',
      'M()',
      {
        input: [1, 8, 4, 4],
      },
    );
    assert.deepStrictEqual(
      modes.layers.map((l) => [l.path, l.hyperparams['mode'] ?? null]),
      [
        ['c', null],
        ['s.0', 'nearest-exact'],
      ],
    );
  });
});

describe('hostile input: a worker killed by memory (dist/analysisWorker.js)', () => {
  const script = path.join(repoRoot, 'dist/analysisWorker.js');
  const modelsPath = path.join(repoRoot, 'test/integration/workspace/models.py');
  const base = { roots: [], canReadFiles: false, files: {}, defaultResolution: 32, priorityLines: [] };

  it('fails the job that killed it with a problem, not retried, and runs the next job in a new worker', async function () {
    this.timeout(120_000);
    if (!fs.existsSync(script)) assert.fail('dist/analysisWorker.js missing: npm run build first (npm test does)');
    const logs: string[] = [];
    // A heap far below what the core's memory budget allows, so the worker dies before the budget stops it.
    const runner = new WorkerRunner(script, (_level, m) => logs.push(m), { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 8 });
    try {
      const killer = runner.run({ ...base, id: 1, file: '/w/killer.py', text: 'y = [list(range(100000)) for i in range(60)]\n' });
      const next = runner.run({ ...base, id: 2, file: modelsPath, text: fs.readFileSync(modelsPath, 'utf8') });
      const died = await killer;
      assert.strictEqual(runner.kind, 'worker');
      assert.strictEqual(runner.deaths, 1, logs.join('\n'));
      assert.deepStrictEqual(died?.entries, []);
      assert.match(died?.problems[0]?.message ?? '', /stopped the analysis worker \(it ran out of memory\); it was not retried/);
      const ok = await next;
      assert.ok(ok && ok.entries.length > 0 && ok.entries.every((e) => e.analysis?.status === 'ok'), JSON.stringify(ok?.problems));
      assert.strictEqual(runner.deaths, 1);
      assert.ok(
        logs.some((l) => /analysis worker died \(it ran out of memory\) while analysing \/w\/killer.py/.test(l)),
        logs.join('\n'),
      );
    } finally {
      runner.dispose();
    }
  });
});

describe('hostile input: the CLI (dist/cli.js)', () => {
  const cli = path.join(repoRoot, 'dist/cli.js');
  const run = (args: string[], cwd = repoRoot) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });
  let dir: string;
  before(function () {
    if (!fs.existsSync(cli)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-hostile-'));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string): string => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  const conv = (body: string) =>
    `import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n${body}\n    def forward(self, x):\n        return self.c(x)\n`;

  it('a damaged code cache is ignored and replaced, and the output does not depend on the cache', () => {
    // A copy of the launcher and the bundle in a folder of its own, so the cache it writes is this test's.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    for (const f of ['cli.js', 'cliMain.js']) fs.copyFileSync(path.join(repoRoot, 'dist', f), path.join(bin, f));
    const file = write('cached.py', conv('        self.c = nn.Conv2d(3, 8, 3)'));
    const profile = () =>
      spawnSync(process.execPath, [path.join(bin, 'cli.js'), 'profile', file, '--input', '1x3x8x8', '--format', 'json'], {
        encoding: 'utf8',
      });
    const cold = profile();
    assert.strictEqual(cold.status, 0, cold.stderr);
    const caches = () => fs.readdirSync(bin).filter((f) => f.endsWith('.v8cache'));
    assert.strictEqual(caches().length, 1, 'the first profile run writes the cache beside the bundle');
    const cache = path.join(bin, caches()[0]!);
    const written = fs.readFileSync(cache);
    const damaged = Buffer.from(written);
    for (let i = damaged.length >> 1; i < (damaged.length >> 1) + 4096; i++) damaged[i] = (damaged[i]! * 31 + 7) & 0xff;
    fs.writeFileSync(cache, damaged);
    const after = profile();
    assert.strictEqual(after.status, 0, after.stderr);
    assert.strictEqual(after.stdout, cold.stdout);
    assert.ok(!fs.readFileSync(cache).equals(damaged), 'the damaged cache is replaced');
    const warm = profile();
    assert.strictEqual(warm.stdout, cold.stdout);
  });

  it('no arguments prints usage and exits 2', () => {
    const r = run([]);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /Usage: convlens/);
  });

  it('rejects --resolution 2.5, 0, 1e12 and budgets given as "", 0x10 or 1e3 (exit 2, one line)', () => {
    const file = write('ok.py', conv('        self.c = nn.Conv2d(3, 8, 3)'));
    for (const bad of [
      ['--resolution', '2.5'],
      ['--resolution', '0'],
      ['--resolution', '1e12'],
      ['--budget-params', ''],
      ['--budget-params', '0x10'],
      ['--budget-macs-per-pixel', '1e3'],
    ]) {
      const r = run(['profile', file, ...bad]);
      assert.strictEqual(r.status, 2, `${bad.join(' ')}: ${r.stdout}`);
      assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^convlens: ${bad[0]} expects`));
    }
    assert.strictEqual(run(['profile', file, '--resolution', '16', '--budget-params', '1_000']).status, 0);
  });

  it('an unreadable file exits 2 with one line, not an internal error', function () {
    if (process.getuid?.() === 0) {
      // root reads any file: a directory stands in for an unreadable path.
      const r = run(['profile', dir]);
      assert.strictEqual(r.status, 2);
      assert.match(r.stderr, /^convlens: cannot read .*: not a file\n$/);
      return;
    }
    const file = write('secret.py', 'x = 1\n');
    fs.chmodSync(file, 0o000);
    const r = run(['profile', file]);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^convlens: cannot read .*: permission denied\n$/);
  });

  it('a budget on a partial result fails naming the unknown layers, unless --allow-partial', () => {
    const file = write('partial.py', conv('        import random\n        self.c = nn.Conv2d(3, random.randint(1, 8), 3)'));
    const r = run(['profile', file, '--input', '1x3x8x8', '--budget-macs-per-pixel', '1000000']);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /budget cannot be checked: 1 layer is unknown \(c\); pass --allow-partial/);
    assert.strictEqual(run(['profile', file, '--input', '1x3x8x8', '--budget-macs-per-pixel', '1000000', '--allow-partial']).status, 0);
    // A forward that raises (an 11×11 kernel on 8×8) fails the gate too, and never shows 0.00 MACs/pixel.
    const raises = write('raises.py', conv('        self.c = nn.Conv2d(3, 8, 11)'));
    const g = run(['profile', raises, '--input', '1x3x8x8', '--budget-macs-per-pixel', '1']);
    assert.strictEqual(g.status, 1, g.stderr);
    assert.doesNotMatch(g.stdout, /MACs\/pixel: 0\.00/);
    assert.match(run(['profile', raises, '--input', '1x3x8x8']).stdout, /MACs\/pixel: ≥ 0\.00 .*\(partial: unknown layers left out\)/);
  });

  it('--format csv quotes every field; a formula-like add_module name reaches it only as a hidden name', () => {
    const file = write(
      'csv.py',
      'import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.add_module("=cmd|\' /C calc\'!A0", nn.Conv2d(3, 8, 1))\n',
    );
    const r = run(['profile', file, '--input', '1x3x4x4', '--format', 'csv']);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes('"<hidden name 1>"'), r.stdout);
    assert.doesNotMatch(r.stdout, /cmd|calc/);
    assert.ok(
      r.stdout
        .split('\r\n')
        .filter((l) => l.trim())
        .every((line) => line.startsWith('"')),
    );
  });

  it('a string from an imported config reaches no output format: json, table, csv, markdown, jvet', () => {
    write('cfgproj/cfg.py', 'token = "AKIA+SECRET value=42"\nname = "=HYPERLINK(AKIA)"\n');
    const file = write(
      'cfgproj/model.py',
      'import torch.nn as nn\nimport cfg\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.add_module(cfg.name, nn.Conv2d(3, 8, 1))\n        self.u = nn.Upsample(scale_factor=2, mode=cfg.token)\n        self.d = {}\n    def forward(self, x):\n        x = self.u(x)\n        return self.d[cfg.token]\n',
    );
    for (const format of ['json', 'table', 'csv', 'md', 'jvet']) {
      const r = run(['profile', file, '--input', '1x3x4x4', '--format', format]);
      assert.ok(r.stdout.length > 0, `${format}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout + r.stderr, /AKIA|SECRET|HYPERLINK/, format);
    }
    const json = JSON.parse(run(['profile', file, '--input', '1x3x4x4', '--format', 'json']).stdout) as {
      layers: { path: string }[];
      diagnostics: { message: string }[];
    };
    assert.deepStrictEqual(
      json.layers.map((l) => l.path),
      ['<hidden name 1>', 'u'],
    );
    assert.ok(
      json.diagnostics.some((d) => /forward raised KeyError: a str of 20 characters/.test(d.message)),
      JSON.stringify(json.diagnostics),
    );
  });

  it('an import through a symlink out of the root is not read, and --verbose lists the files read', () => {
    write('secret/credentials', 'aws_access_key_id = 12345\n');
    write('proj/helper.py', 'width = 8\n');
    fs.symlinkSync(path.join(dir, 'secret/credentials'), path.join(dir, 'proj/cfg.py'));
    const file = write(
      'proj/model.py',
      'import torch.nn as nn\nimport cfg\nimport helper\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Conv2d(3, helper.width, 1)\n        self.b = nn.Conv2d(8, cfg.aws_access_key_id, 1)\n',
    );
    const r = run(['profile', file, '--input', '1x3x4x4', '--format', 'json', '--verbose']);
    assert.doesNotMatch(r.stdout + r.stderr, /12345/);
    const json = JSON.parse(r.stdout) as { layers: { path: string; status: string }[] };
    assert.deepStrictEqual(
      json.layers.map((l) => [l.path, l.status]),
      [
        ['a', 'ok'],
        ['b', 'unknown'],
      ],
    );
    assert.match(r.stderr, /convlens: read .*helper\.py/);
    assert.doesNotMatch(r.stderr, /cfg\.py|credentials/);
  });
});
