// Bad input never throws, never hangs and always says what went wrong: half-typed code, syntax
// errors, empty and binary files, a 50,000-line file, hostile strings, pathological loops. And the
// CLI's contract: entry selection, exit codes 0/1/2, one-line messages on stderr, no stack traces.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { analyzeEntry, analyzeFile, profileEntry } from '../../extension/core';
import { fixturePath, repoRoot } from './helpers/fixtureFiles';

const seedFile = fixturePath('seed', 'seed_models_fixed.py');
const seed = fs.readFileSync(seedFile, 'utf8');

describe('broken input', () => {
  it('a half-typed line: the layers before it still resolve, with a syntax diagnostic', () => {
    const src = seed.replace(
      'self.point_conv = nn.Conv2d(',
      'self.point_conv = nn.Conv2d(in_channels=in_ch, out_chan\n        self.x = nn.Conv2d(',
    );
    const r = analyzeEntry(src, '/m.py', 'DSC(16, 32)');
    assert.ok(
      r.diagnostics.some((d) => d.code === 'syntax' && d.severity === 'error' && d.range),
      JSON.stringify(r.diagnostics),
    );
    const depth = r.layers.find((l) => l.path === 'depth_conv');
    assert.strictEqual(depth?.params, 16 * 1 * 3 * 3 + 16);
  });

  it('a syntax error in another class leaves the requested class intact', () => {
    const src = `${seed}\n\nclass Broken(nn.Module:\n    def __init__(self) -> \n        pass\n`;
    const r = analyzeEntry(src, '/m.py', 'DSC(16, 32)');
    assert.strictEqual(r.status, 'ok');
    assert.strictEqual(r.totals.params, 16 * 9 + 16 + 32 * 16 + 32);
    assert.ok(r.diagnostics.some((d) => d.code === 'syntax' && d.range && d.range.line >= seed.split('\n').length));
  });

  it('an empty file: a clear error, not a crash', () => {
    const r = analyzeEntry('', '/empty.py', 'Net()');
    assert.strictEqual(r.status, 'error');
    assert.ok(
      r.diagnostics.some((d) => /name 'Net' is not defined/.test(d.message)),
      JSON.stringify(r.diagnostics),
    );
    assert.deepStrictEqual(analyzeFile('', '/empty.py').classes, []);
  });

  it('binary garbage: diagnostics, no exception', () => {
    let bytes = '';
    let x = 12345;
    for (let i = 0; i < 20000; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      bytes += String.fromCharCode(x % 256);
    }
    const r = analyzeEntry(bytes, '/garbage.py', 'Net()');
    assert.strictEqual(r.status, 'error');
    assert.ok(r.diagnostics.length > 0);
    assert.ok(analyzeFile(bytes, '/garbage.py').diagnostics.length > 0);
  });

  it('a 50,000-line file is analysed within the step budget', () => {
    const blocks: string[] = ['import torch.nn as nn', ''];
    for (let i = 0; blocks.length < 50_000; i++) {
      blocks.push(
        `class Block${i}(nn.Module):`,
        '    def __init__(self, c=8):',
        '        super().__init__()',
        `        self.conv = nn.Conv2d(c, c, 3, padding=1)`,
        '        self.bn = nn.BatchNorm2d(c)',
        '',
      );
    }
    blocks.push(
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.a = Block0()',
      '        self.b = Block7000()',
    );
    const src = blocks.join('\n');
    assert.ok(src.split('\n').length >= 50_000);
    const r = analyzeEntry(src, '/big.py', 'Net()');
    assert.strictEqual(r.status, 'ok', JSON.stringify(r.diagnostics.slice(0, 3)));
    assert.strictEqual(r.totals.params, 2 * (8 * 8 * 9 + 8 + 2 * 8));
  });

  it('pathological nesting (5,000 nested lists, 300 nested ifs) ends in diagnostics, not a stack overflow', () => {
    const lists = `import torch.nn as nn\nx = ${'['.repeat(5000)}${']'.repeat(5000)}\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.Linear(2, 3)\n`;
    const r1 = profileEntry(lists, '/deep.py', 'Net()', { input: [1, 2] });
    assert.ok(
      r1.diagnostics.some((d) => /nested more than 200 levels deep/.test(d.message)),
      JSON.stringify(r1.diagnostics.slice(0, 5)),
    );
    assert.strictEqual(r1.totals.params, 2 * 3 + 3, 'the rest of the file still resolves');
    const ifs = `import torch.nn as nn\ndef f(x):\n${Array.from({ length: 300 }, (_, i) => `${'    '.repeat(i + 1)}if x:`).join('\n')}\n${'    '.repeat(301)}return 1\n    return 2\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.Linear(f(1), 3)\n`;
    const r2 = analyzeEntry(ifs, '/ifs.py', 'Net()');
    assert.ok(
      r2.diagnostics.some((d) => /nested more than 200 levels deep/.test(d.message)),
      JSON.stringify(r2.diagnostics.slice(0, 5)),
    );
  });

  it('hostile strings stay data (names, f-strings, reprs)', () => {
    const src = [
      'import torch.nn as nn',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.add_module("<script>alert(1)</script>", nn.ReLU())',
      "        self.add_module(f\"{__import__('os').system('rm -rf /')}\", nn.ReLU())",
    ].join('\n');
    const r = analyzeEntry(src, '/h.py', 'Net()');
    // The f-string name cannot be known: the root module's structure is unknown, and says why. A name
    // that is not an identifier is shown as a token, never as its text (messageText.ts hiddenNames).
    assert.deepStrictEqual(
      r.layers.map((l) => [l.path, l.status]),
      [
        ['', 'unknown'],
        ['<hidden name 1>', 'ok'],
      ],
    );
    assert.match(r.layers[0]!.reason!, /add_module\(\) with a name that cannot be known/);
    assert.strictEqual(r.totals.params, null);
  });

  it('an entry that is not an expression, or not a module, is an error with the reason', () => {
    assert.match(
      analyzeEntry(seed, '/s.py', 'DSC(16,')
        .diagnostics.map((d) => d.message)
        .join('\n'),
      /entry expression/,
    );
    assert.match(
      analyzeEntry(seed, '/s.py', 'len([1])')
        .diagnostics.map((d) => d.message)
        .join('\n'),
      /is not an nn\.Module/,
    );
    assert.match(
      analyzeEntry(seed, '/s.py', 'DSC(1, 2, 3)')
        .diagnostics.map((d) => d.message)
        .join('\n'),
      /takes 3 positional arguments/,
    );
  });

  it('layers after the point where the forward pass stops being known have unknown MACs with the reason, not 0', () => {
    const src = [
      'import torch.nn as nn',
      'import mystery',
      '',
      'class Odd(nn.Module):',
      '    def forward(self, x):',
      '        return mystery.transform(x)',
      '',
      '# convlens: input 1x3x16x16',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.body = nn.Sequential(nn.Conv2d(3, 8, 3), Odd(), nn.Conv2d(8, 8, 3), nn.ReLU())',
      '        self.head = nn.Linear(8, 2)',
      '        self.unused = nn.Linear(2, 2)',
      '',
      '    def forward(self, x):',
      '        return self.head(self.body(x).mean((2, 3)))',
      '',
    ].join('\n');
    const r = profileEntry(src, '/x/net.py', 'Net()');
    const p = r.profiles!.ptflops;
    const macs = Object.fromEntries(p.layers.map((l) => [l.path, [l.macs, l.reason ?? '']]));
    assert.deepStrictEqual(macs['body.0'], [8 * 14 * 14 * 3 * 9 + 8 * 14 * 14, '']);
    for (const path of ['body.2', 'body.3', 'head']) {
      assert.strictEqual(macs[path]![0], null, path);
      assert.match(macs[path]![1] as string, /mystery\.transform comes from mystery \(a library without source here\)/, path);
    }
    // Never called in torch either; with the forward pass partly unknown it cannot be told apart, so unknown too.
    assert.match(macs['unused']![1] as string, /^not reached by the known part of the forward pass/);
    assert.strictEqual(p.totals.partial, true);
    assert.deepStrictEqual(r.layers.find((l) => l.path === 'body.2')!.outputShape, null);
  });

  it("a forward pass whose shapes do not fit reports PyTorch's error", () => {
    const r = profileEntry(seed, '/s.py', 'DSC(16, 32)', { input: [1, 3, 64, 64] });
    assert.ok(
      r.diagnostics.some((d) =>
        /Given groups=16, weight of size \[16, 1, 3, 3\], expected input\[1, 3, 64, 64\] to have 16 channels, but got 3 channels instead/.test(
          d.message,
        ),
      ),
      JSON.stringify(r.diagnostics),
    );
    assert.strictEqual(r.totals.params, 704, 'params do not depend on the forward pass');
  });
});

describe('CLI contract (dist/cli.js)', () => {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot });
  const noTrace = (s: string) => assert.ok(!/\n\s+at /.test(s), `stack trace on stderr: ${s}`);

  it('without --entry, picks the single class buildable without arguments (the example)', () => {
    const res = run(['profile', 'media/examples/convVariants.py', '--format', 'json']);
    assert.strictEqual(res.status, 0, res.stderr);
    const report = JSON.parse(res.stdout);
    assert.strictEqual(report.entry, 'ConvVariants()');
    assert.deepStrictEqual(report.input, [1, 32, 64, 64], 'from the # convlens: input comment');
    assert.strictEqual(report.inputSource, 'comment');
  });

  it('without --entry and no such class, exit 2 listing the candidates', () => {
    const res = run(['profile', seedFile]);
    assert.strictEqual(res.status, 2);
    assert.match(res.stderr, /pass --entry, e\.g\. one of: .*DSC\(\.\.\.\).*ACBlock\(\.\.\.\)/);
    assert.strictEqual(res.stderr.trim().split('\n').length, 1);
    noTrace(res.stderr);
  });

  it('exit 2 on a missing file, a binary file, a bad --input, a bad --format, a bad --root', () => {
    const bin = path.join(os.tmpdir(), `convlens-bin-${process.pid}.py`);
    fs.writeFileSync(bin, Buffer.from([0, 1, 2, 3, 255, 0]));
    try {
      for (const args of [
        ['profile', 'no/such/file.py'],
        ['profile', bin],
        ['profile', seedFile, '--entry', 'DSC(16, 32)', '--input', '1x3xfoo'],
        ['profile', seedFile, '--entry', 'DSC(16, 32)', '--format', 'xml'],
        ['profile', seedFile, '--entry', 'DSC(16, 32)', '--root', 'no/such/dir'],
        ['profile', seedFile, '--entry', 'Missing()'],
        ['frobnicate'],
      ]) {
        const res = run(args);
        assert.strictEqual(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
        assert.ok(res.stderr.startsWith('convlens: '), res.stderr);
        assert.strictEqual(res.stderr.trim().split('\n').length, 1, res.stderr);
        noTrace(res.stderr);
      }
    } finally {
      fs.unlinkSync(bin);
    }
  });

  it('budgets: exit 1 when MACs/pixel or params exceed them, 0 otherwise', () => {
    const base = ['profile', seedFile, '--entry', 'DSC(16, 32)', '--input', '1x16x128x128', '--format', 'jvet'];
    // DSC under ptflops: (16·9 + 16 + 32·16 + 32) MACs per pixel = 704 (bias counted once per output).
    const perPixel = 16 * 9 + 16 + 32 * 16 + 32;
    assert.strictEqual(run([...base, '--budget-macs-per-pixel', String(perPixel)]).status, 0);
    const over = run([...base, '--budget-macs-per-pixel', String(perPixel - 1)]);
    assert.strictEqual(over.status, 1);
    assert.match(over.stderr, /budget exceeded: 704\.00 MACs\/pixel > 703/);
    assert.strictEqual(run([...base, '--budget-params', '703']).status, 1);
    assert.strictEqual(run([...base, '--budget-params', '704']).status, 0);
  });

  it('every format prints the numbers of the same analysis', () => {
    const base = ['profile', seedFile, '--entry', 'DSC(16, 32)', '--input', '1x16x128x128'];
    const macs = (16 * 9 + 16 + 32 * 16 + 32) * 128 * 128;
    const json = JSON.parse(run([...base, '--format', 'json']).stdout);
    assert.strictEqual(json.totals.macs, macs);
    assert.match(run([...base, '--format', 'table']).stdout, new RegExp(macs.toLocaleString('en-US')));
    assert.match(run([...base, '--format', 'csv']).stdout, new RegExp(`"point_conv","Conv2d"`));
    assert.match(run([...base, '--format', 'md']).stdout, /\| point\\_conv \|/);
    assert.match(run([...base, '--format', 'jvet']).stdout, /kMAC\/pixel/);
  });
});
