// The cost stage's memo (core/cost/computeProfile.ts): a layer's evaluation under a convention is kept by what it
// depends on (the layer without its path, the batch, the convention) and shared by every layer, entry and file the
// process profiles. A hit must be invisible: every fixture and zoo file profiled with a cold memo must equal, byte
// for byte, the same file profiled after every other file has filled the memo (other paths, other models).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONVENTIONS, clearCostMemo, computeProfile, type CostInput, type CostLayer } from '../../extension/core/cost';
import { layerKey } from '../../extension/core/cost/computeProfile';
import { clearJobMemos, runAnalysisJob } from '../../extension/worker/analysisJob';
import { readFromDisk } from '../../extension/worker/diskFiles';
import { fixturePath } from './helpers/fixtureFiles';

const corpus = (): string[] =>
  [fixturePath('python'), fixturePath('python', 'zoo')].flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((f) => f.endsWith('.py'))
      .map((f) => path.join(d, f)),
  );

let nextId = 1;
function profiled(file: string): string {
  // No reuse of whole entries between jobs: every entry is profiled, so every layer goes through the cost stage.
  clearJobMemos();
  const text = fs.readFileSync(file, 'utf8');
  const r = runAnalysisJob(
    {
      id: nextId++,
      text,
      file,
      roots: [path.dirname(file)],
      canReadFiles: true,
      readDisk: true,
      files: {},
      defaultResolution: 64,
      priorityLines: [],
    },
    { readDisk: readFromDisk },
  )!;
  return JSON.stringify(r.entries);
}

describe('cost memo', () => {
  it('gives every fixture and zoo file, profiled after all the others, exactly its cold profile', function () {
    this.timeout(600_000);
    const files = corpus();
    const cold = new Map(
      files.map((f) => {
        clearCostMemo();
        return [f, profiled(f)] as const;
      }),
    );
    clearCostMemo();
    for (const f of files) profiled(f);
    const differ = files.filter((f) => profiled(f) !== cold.get(f));
    assert.deepStrictEqual(
      differ.map((f) => path.basename(f)),
      [],
    );
    assert.ok(files.length > 60, `${files.length} files`);
  });

  it('keeps each layer its own path, and tells apart values JSON writes alike', () => {
    clearCostMemo();
    const conv = (p: string, extra: Partial<CostLayer> = {}): CostLayer => ({
      path: p,
      type: 'Conv2d',
      builtin: true,
      hyperparams: {
        in_channels: 3,
        out_channels: 8,
        kernel_size: [3, 3],
        stride: [1, 1],
        padding: [1, 1],
        dilation: [1, 1],
        groups: 1,
        bias: true,
      },
      params: 224,
      calls: [{ inputShapes: [[1, 3, 8, 8]], outputShape: [1, 8, 8, 8] }],
      ...extra,
    });
    const input = (layers: CostLayer[]): CostInput => ({ input: [1, 3, 8, 8], layers, functionals: [], totalParams: 448 });
    const p = computeProfile('ptflops', input([conv('a'), conv('b.c')]));
    assert.deepStrictEqual(
      p.layers.map((l) => [l.path, l.macs]),
      [
        ['a', 14336],
        ['b.c', 14336],
      ],
    );
    // Values JSON writes alike are told apart: NaN and null, -0 and 0, Infinity and a string spelling it.
    const key = (extra: Partial<CostLayer>): string => layerKey(CONVENTIONS.ptflops, conv('x', extra), 1);
    const variants = [
      { params: NaN },
      { params: null },
      { params: 0 },
      { params: -0 },
      { params: Infinity },
      { hyperparams: { k: Infinity } },
      { hyperparams: { k: '\u0000nInfinity' } },
      { hyperparams: { k: null } },
    ];
    assert.strictEqual(new Set(variants.map(key)).size, variants.length);
    // The path is not part of it; the batch is, for a tool that reports per sample.
    assert.strictEqual(layerKey(CONVENTIONS.ptflops, conv('a'), 1), layerKey(CONVENTIONS.ptflops, conv('b'), 1));
    assert.notStrictEqual(layerKey(CONVENTIONS.ptflops, conv('a'), 1), layerKey(CONVENTIONS.ptflops, conv('a'), 2));
  });
});
