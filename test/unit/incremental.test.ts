// Incremental analysis (core/reuse.ts, worker/analysisJob.ts): after an edit, the editor's job reuses the last
// result of every entry the edit cannot have changed. Reuse is only right if it is invisible: each job here
// runs after another one left its memo, and its entries must equal those of a job that starts afresh, down to
// every position and message. The edits are the ones people make (a number in a class, a comment typed at a
// line's end, a line inserted, a module constant), over every fixture and zoo file; then the cases where reuse
// must not happen or must see through an indirection.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { clearJobMemos, runAnalysisJob, type AnalysisJob, type JobResult } from '../../extension/worker/analysisJob';
import { readFromDisk } from '../../extension/worker/diskFiles';
import { bigModelSource } from '../bench/bigModel';
import { edits } from './helpers/edits';
import { fixturePath } from './helpers/fixtureFiles';

function job(file: string, text: string, id: number): AnalysisJob {
  const dir = path.dirname(file);
  return { id, text, file, roots: [dir], canReadFiles: true, readDisk: true, files: {}, defaultResolution: 64, priorityLines: [] };
}

let nextId = 1;
function run(file: string, text: string): JobResult {
  return runAnalysisJob(job(file, text, nextId++), { readDisk: readFromDisk })!;
}

function fresh(file: string, text: string): string {
  clearJobMemos();
  return JSON.stringify(run(file, text).entries);
}

const corpus = (): string[] => {
  const dirs = [fixturePath('python'), fixturePath('python', 'zoo')];
  return dirs.flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((f) => f.endsWith('.py'))
      .map((f) => path.join(d, f)),
  );
};

describe('incremental analysis: a job after an edit equals a fresh job', () => {
  it('on every fixture and zoo file, for the edits people make, and reuses entries on most', function () {
    let reused = 0;
    let profiled = 0;
    const mismatches: string[] = [];
    for (const file of corpus()) {
      const original = fs.readFileSync(file, 'utf8');
      const expected = fresh(file, original);
      const wanted = edits(original).map((edit) => ({ edit, want: fresh(file, edit.text) }));
      run(file, original);
      for (const { edit, want } of wanted) {
        // The memo is the original's; the edited job reuses from it; then back, reusing from the edited one.
        const after = run(file, edit.text);
        reused += after.reused ?? 0;
        profiled += after.entries.length - (after.reused ?? 0);
        if (JSON.stringify(after.entries) !== want) mismatches.push(`${path.basename(file)}, ${edit.what}`);
        const back = run(file, original);
        if (JSON.stringify(back.entries) !== expected) mismatches.push(`${path.basename(file)}, ${edit.what}, undone`);
      }
    }
    assert.deepStrictEqual(mismatches, []);
    // Zoo files have one or two entries, most reading the class an edit touched; some are still reused.
    assert.ok(reused > profiled / 10, `reused ${reused}, profiled ${profiled}`);
  });

  it('profiles again only the entries that read what the edit changed (the 3,000-line benchmark file)', () => {
    const file = '/bench/big.py';
    const text = bigModelSource(3000);
    clearJobMemos();
    const first = runAnalysisJob({ ...job(file, text, nextId++), readDisk: false, roots: [] })!;
    // Block0's default width: Block0() and Net (which builds Block0) change; the other 128 entries do not.
    const edited = text.replace('cout=32', 'cout=33');
    const after = runAnalysisJob({ ...job(file, edited, nextId++), readDisk: false, roots: [] })!;
    assert.strictEqual(after.entries.length, first.entries.length);
    assert.strictEqual(after.reused, first.entries.length - 2);
    // A comment typed on the blank line before Block1 moves every later position; nothing needs profiling again.
    const typed = edited.replace('\n\n\nclass Block1(', '\n# next: Block1\n\nclass Block1(');
    assert.notStrictEqual(typed, edited);
    const moved = runAnalysisJob({ ...job(file, typed, nextId++), readDisk: false, roots: [] })!;
    assert.strictEqual(moved.reused, first.entries.length);
    assert.strictEqual(JSON.stringify(moved.entries), fresh(file, typed));
  });
});

/** Runs `texts` in order (each job after the last one's memo) and returns the last job's totals by entry. */
function totalsAfter(file: string, ...texts: string[]): { reused: number; totals: Record<string, number | null | undefined> } {
  clearJobMemos();
  let r: JobResult | undefined;
  for (const text of texts) r = runAnalysisJob({ ...job(file, text, nextId++), readDisk: false, roots: [] })!;
  return {
    reused: r!.reused ?? 0,
    totals: Object.fromEntries(r!.entries.map((e) => [e.spec.expr, e.analysis?.profiles?.ptflops.totals.macs])),
  };
}

describe('incremental analysis: what an edit reaches', () => {
  const file = '/inc/model.py';
  const base = (width: number, extra = ''): string =>
    [
      'import torch.nn as nn',
      `WIDTH = ${width}`,
      '',
      'class Base(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv2d(3, WIDTH, 3)',
      '    def forward(self, x):',
      '        return self.conv(x)',
      '',
      'class Child(Base):',
      '    pass',
      '',
      'Alias = Child',
      '',
      'class UsesAlias(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.body = Alias()',
      '    def forward(self, x):',
      '        return self.body(x)',
      '',
      'class Other(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv2d(3, 8, 1)',
      '    def forward(self, x):',
      '        return self.conv(x)',
      extra,
    ].join('\n');

  it('a module constant reaches every class that reads it, through a base class and an alias', () => {
    const want = totalsAfter(file, base(16));
    const got = totalsAfter(file, base(8), base(16));
    assert.deepStrictEqual(got.totals, want.totals);
    // Only Other does not read WIDTH, directly or through what it runs.
    assert.strictEqual(got.reused, 1);
  });

  it('a registry filled at module level makes the edit reach everything that reads it', () => {
    const reg = ['REG = {}', 'REG["c"] = Child', '', 'def build():', '    return REG["c"]()'].join('\n');
    const edited = (w: number): string => base(w, reg).replace('nn.Conv2d(3, WIDTH, 3)', `nn.Conv2d(3, WIDTH, ${w === 16 ? 3 : 5})`);
    const want = totalsAfter(file, edited(16));
    const got = totalsAfter(file, edited(8), edited(16));
    assert.deepStrictEqual(got.totals, want.totals);
    // `REG["c"] = Child` stores into a dict and read a dirty name: nothing is reused.
    assert.strictEqual(got.reused, 0);
  });

  it('an entry that binds a module name (`global`) leaves nothing to reuse', () => {
    const counter = [
      'COUNT = 0',
      '',
      'class Counted(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        global COUNT',
      '        COUNT += 1',
      '        self.conv = nn.Conv2d(3, 4 + COUNT, 1)',
      '    def forward(self, x):',
      '        return self.conv(x)',
    ].join('\n');
    const got = totalsAfter(file, base(16, counter), base(16, `${counter}\n`));
    assert.strictEqual(got.reused, 0);
  });
});
