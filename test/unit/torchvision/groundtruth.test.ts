// End to end against the ground truth measured with real PyTorch (test/fixtures/groundtruth): the
// engine reads the real model source (the seed's classes, torchvision 0.14.1's files), builds the
// module tree, runs the abstract forward pass and counts MACs. Through the library API and through
// the built CLI (dist/cli.js), every layer's name, params, output shape and MACs under all seven
// conventions, and every total, must equal what the tools measured.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { profileEntry, CONVENTION_NAMES, type ProfileResult } from '../../../extension/core';
import type { CliReport } from '../../../extension/core/report';
import { fileHost, fixturePath, repoRoot, torchvisionRoot } from '../helpers/fixtureFiles';
import { gtLayerMacs, gtTotalMacs, type Gt } from '../helpers/groundtruthFigures';
import { checkInvariant } from '../helpers/invariant';

interface Case {
  name: string;
  source: string;
  file: string;
  entry: string;
  input: number[];
}
const cases: Case[] = JSON.parse(fs.readFileSync(fixturePath('groundtruth', 'cases.json'), 'utf8'));
const gtOf = (name: string): Gt => JSON.parse(fs.readFileSync(fixturePath('groundtruth', `${name}.json`), 'utf8'));
const sourceFile = (c: Case) => (c.source === 'seed' ? fixturePath('seed', c.file) : path.join(torchvisionRoot, c.file));

before(function () {
  if (!fs.existsSync(path.join(torchvisionRoot, 'torchvision', 'models', 'resnet.py'))) {
    throw new Error(`torchvision sources missing in ${torchvisionRoot}: run test/scripts/fetchTorchvision.sh (npm run test:unit does)`);
  }
});

describe('ground truth through the library API', () => {
  for (const c of cases) {
    describe(c.name, () => {
      let r: ProfileResult;
      const gt = gtOf(c.name);
      before(() => {
        const file = sourceFile(c);
        r = profileEntry(fs.readFileSync(file, 'utf8'), file, c.entry, { host: fileHost(), roots: [torchvisionRoot], input: c.input });
        assert.strictEqual(r.status, 'ok', JSON.stringify(r.diagnostics));
      });
      it('is never silently wrong', () => checkInvariant(r, c.name));
      it('has exactly the leaf modules torch names, in named_modules() order', () => {
        assert.deepStrictEqual(
          r.layers.map((l) => l.path),
          gt.layers.map((l) => l.name),
        );
        assert.deepStrictEqual(
          r.layers.map((l) => l.type),
          gt.layers.map((l) => l.type),
        );
      });
      it('counts params per layer and in total as torch does', () => {
        assert.deepStrictEqual(
          r.layers.map((l) => [l.path, l.params]),
          gt.layers.map((l) => [l.name, l.params]),
        );
        assert.strictEqual(r.totals.params, gt.totals['reference']!.params_total);
        assert.ok(r.layers.every((l) => l.status === 'ok'));
      });
      it('infers every output shape and call count', () => {
        assert.deepStrictEqual(
          r.layers.map((l) => [l.path, l.outputShape, l.calls]),
          gt.layers.map((l) => [l.name, l.output_shape, l.calls]),
        );
        assert.deepStrictEqual(r.outputShape, gt.output_shape);
      });
      for (const conv of CONVENTION_NAMES) {
        it(`MACs per layer and in total under ${conv}`, () => {
          const p = r.profiles![conv];
          assert.deepStrictEqual(
            p.layers.map((l) => [l.path, l.macs]),
            gt.layers.map((l) => [l.name, gtLayerMacs(l, conv)]),
          );
          assert.strictEqual(p.totals.macs, gtTotalMacs(gt, conv));
          assert.strictEqual(p.totals.partial, false);
        });
      }
    });
  }
});

describe('ground truth through the CLI (dist/cli.js)', () => {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  before(function () {
    if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: npm run build first (npm test does)');
  });
  const run = (args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  for (const c of cases) {
    it(`${c.name}: --format json --convention all`, () => {
      const res = run([
        'profile',
        sourceFile(c),
        '--entry',
        c.entry,
        '--root',
        torchvisionRoot,
        '--input',
        c.input.join('x'),
        '--format',
        'json',
        '--convention',
        'all',
      ]);
      assert.strictEqual(res.status, 0, res.stderr);
      const report = JSON.parse(res.stdout) as CliReport;
      const gt = gtOf(c.name);
      assert.deepStrictEqual(report.input, c.input);
      assert.strictEqual(report.entry, c.entry);
      assert.strictEqual(report.totals.params, gt.totals['reference']!.params_total);
      assert.deepStrictEqual(
        report.layers.map((l) => [l.path, l.type, l.params, l.status, l.outputShape]),
        gt.layers.map((l) => [l.name, l.type, l.params, 'ok', l.output_shape]),
      );
      for (const l of report.layers) {
        assert.ok(l.line >= 1 && fs.existsSync(l.file), `${l.path}: ${l.file}:${l.line}`);
        assert.ok(l.formula.length > 0 && !/no input shape|not executed/.test(l.formula), `${l.path}: formula '${l.formula}'`);
      }
      for (const conv of CONVENTION_NAMES) {
        assert.strictEqual(report.conventions![conv]!.totals.macs, gtTotalMacs(gt, conv), `${c.name} ${conv}`);
        assert.deepStrictEqual(
          report.conventions![conv]!.layers.map((l) => l.macs),
          gt.layers.map((l) => gtLayerMacs(l, conv)),
          `${c.name} ${conv}`,
        );
      }
      // The main table is ptflops: its total is macs, its per-pixel figure uses H×W of the input.
      const pixels = c.input[2]! * c.input[3]!;
      assert.strictEqual(report.totals.macs, gt.totals['ptflops']!.macs);
      assert.strictEqual(report.totals.flops, 2 * gt.totals['ptflops']!.macs!);
      assert.ok(Math.abs(report.totals.macsPerPixel! - gt.totals['ptflops']!.macs! / pixels) < 1e-9);
    });
  }
  it('the source line of a layer built by a helper is the helper call site: resnet18 layer1.0.conv1', () => {
    const c = cases.find((x) => x.name === 'resnet18')!;
    const res = run(['profile', sourceFile(c), '--entry', c.entry, '--root', torchvisionRoot, '--format', 'json']);
    const report = JSON.parse(res.stdout) as CliReport;
    const layer = report.layers.find((l) => l.path === 'layer1.0.conv1')!;
    const text = fs.readFileSync(layer.file, 'utf8').split('\n')[layer.line - 1]!;
    assert.match(text, /nn\.Conv2d\(/, 'the construction line is the nn.Conv2d(...) call inside conv3x3');
  });
});
