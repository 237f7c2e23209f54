// Reused entries as references (worker/reusedEntry.ts): the analysis worker sends an entry it reused from the last
// job on the file as "entry i of job N, moved by this plan", and the runner rebuilds it from the entries it kept of
// job N. It must be invisible: after every edit the runner's result equals, byte for byte, a fresh job's; and a
// reference the runner cannot rebuild (it no longer keeps that job) runs the job again without reuse, never a guess.
// The cases around it: a cancelled job, two files edited in turn, a worker that died, the early result, a `profile`
// job on the same file, and the inline runner (which passes no references at all).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { clearJobMemos, runAnalysisJob, type AnalysisJob, type JobResult } from '../../extension/worker/analysisJob';
import { WORKER_RESOURCE_LIMITS, WorkerRunner } from '../../extension/worker/analysisRunner';
import { InlineRunner } from '../../extension/worker/inlineRunner';
import { bigModelSource } from '../bench/bigModel';
import { repoRoot } from './helpers/fixtureFiles';

const script = path.join(repoRoot, 'dist/analysisWorker.js');
const models = fs.readFileSync(path.join(repoRoot, 'test/integration/workspace/models.py'), 'utf8');

function job(id: number, file: string, text: string, more: Partial<AnalysisJob> = {}): AnalysisJob {
  return { id, text, file, roots: [], canReadFiles: false, files: {}, defaultResolution: 64, priorityLines: [[0, 40]], ...more };
}

/** What a job that starts afresh gives (this thread's memo is not the worker's). */
function fresh(j: AnalysisJob): string {
  clearJobMemos();
  return JSON.stringify(runAnalysisJob(j)!.entries);
}

/** Edits of bigModelSource(lines), each applied to the text the one before left. */
function bigModelEdits(lines: number): [string, (t: string) => string][] {
  return [
    ['a number, same width', (t) => t.replace('cout=32', 'cout=33')],
    ['a number, wider (every later statement moves by one character)', (t) => t.replace('cout=33', 'cout=333')],
    ['a comment typed at the end of a line', (t) => t.replace('cout=333, stride=1):', 'cout=333, stride=1):  # wide')],
    [
      'a comment line inserted between classes (later statements move down a line)',
      (t) => t.replace('\nclass Block1', '\n# note\nclass Block1'),
    ],
    ['undone', () => bigModelSource(lines)],
  ];
}

/** Edits of models.py below its `# convlens:` comments, each applied to the text the one before left. */
const modelsEdits: [string, (t: string) => string][] = [
  ['a comment line at the end', (t) => `${t}\n# the end\n`],
  ['a comment reworded (later statements move)', (t) => t.replace('# E.g., (-1, 0)', '# For example, (-1, 0)')],
  ['a string in a method no entry calls', (t) => t.replace("'init gamma of square as 1, ver and hor as 0'", "'square 1, ver and hor 0'")],
];

/**
 * Runs `j` on `runner` and checks that its result is a fresh job's, byte for byte, and that every entry the worker
 * reused came to the runner as a reference it rebuilt (none run again).
 */
async function runAndCheck(runner: WorkerRunner, j: AnalysisJob, what: string): Promise<JobResult> {
  const before = { ...runner.stats };
  const got = await runner.run(j);
  assert.ok(got?.complete, what);
  assert.ok(JSON.stringify(got.entries) === fresh(j), `differs from a fresh job after: ${what}`);
  assert.strictEqual(runner.stats.reruns, before.reruns, `run again after: ${what}`);
  assert.strictEqual(runner.stats.rebuilt - before.rebuilt, got.reused, `entries rebuilt after: ${what}`);
  return got;
}

describe('worker: reused entries travel as references', () => {
  let runner: WorkerRunner;
  before(() => {
    if (!fs.existsSync(script)) assert.fail('dist/analysisWorker.js missing: npm run build first (npm test does)');
  });
  beforeEach(() => {
    runner = new WorkerRunner(script, () => undefined);
  });
  afterEach(() => runner.dispose());

  it('gives after each edit of a 3,000-line file what a fresh job gives, rebuilding most entries from the last job', async function () {
    this.timeout(300_000);
    const file = '/bench/big.py';
    let text = bigModelSource(3000);
    let id = 1;
    await runner.run(job(id++, file, text));
    for (const [what, edit] of bigModelEdits(3000)) {
      text = edit(text);
      const j = job(id++, file, text);
      const got = await runner.run(j);
      assert.ok(got, what);
      assert.ok(JSON.stringify(got.entries) === fresh(j), `differs after: ${what}`);
    }
    assert.ok(runner.stats.rebuilt > 350, `${runner.stats.rebuilt} entries rebuilt`);
    assert.strictEqual(runner.stats.reruns, 0);
  });

  it('runs the job again without reuse when it no longer keeps the job a reference names', async function () {
    this.timeout(120_000);
    // A runner that keeps one unit's entries: b.py's job drops a.py's, while the worker keeps its memo of a.py.
    const forgetful = new WorkerRunner(script, () => undefined, undefined, 1);
    try {
      await forgetful.run(job(1, '/w/a.py', models));
      await forgetful.run(job(2, '/w/b.py', models));
      const j = job(3, '/w/a.py', `${models}\n# a comment at the end\n`);
      const got = await forgetful.run(j);
      assert.strictEqual(forgetful.stats.reruns, 1);
      assert.ok(JSON.stringify(got?.entries) === fresh(j));
      // The job run again left its result: the next edit is rebuilt from it.
      const k = job(4, '/w/a.py', `${models}\n# another comment at the end\n`);
      assert.ok(JSON.stringify((await forgetful.run(k))?.entries) === fresh(k));
      assert.strictEqual(forgetful.stats.reruns, 1);
      assert.ok(forgetful.stats.rebuilt > 0);
    } finally {
      forgetful.dispose();
    }
  });

  it('leaves nothing of a job cancelled mid-run: the next edit is rebuilt from the last complete job', async function () {
    this.timeout(120_000);
    const file = '/w/slow.py';
    // After Block0, a class whose entry builds 4,000 convs (about a second): a job that profiles it again is
    // still running when the runner hears of its early result (Block0, the entry on screen) and cancels it.
    const slow = [
      'class Slow(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.body = nn.Sequential(*[nn.Conv2d(8, 8, 3, padding=1) for _ in range(4000)])',
      '',
      '    def forward(self, x):',
      '        return self.body(x)',
      '',
      '',
    ].join('\n');
    const text = bigModelSource(600).replace('\nclass Block1(', `\n${slow}class Block1(`);
    const screen: AnalysisJob['priorityLines'] = [[0, 10]];
    await runAndCheck(runner, job(1, file, text, { priorityLines: screen }), 'the first job');
    const early: string[][] = [];
    const cancelled = await runner.run(job(2, file, text.replace('range(4000)', 'range(4001)'), { priorityLines: screen }), (e) => {
      early.push(e.entries.map((x) => x.spec.expr));
      runner.cancel(2);
    });
    assert.strictEqual(cancelled, undefined);
    // Cancelled mid-run: Block0 had gone out as a reference to job 1.
    assert.deepStrictEqual(early, [['Block0()']]);
    // Had the worker left a memo of job 2, or the runner kept job 2's entries, job 3's references would name
    // one job while the runner holds the other: a run again.
    const got = await runAndCheck(
      runner,
      job(3, file, text.replace('\nclass Block3(', '\n# note\nclass Block3(')),
      'an edit after the cancel',
    );
    assert.ok((got.reused ?? 0) > 1, `${got.reused} entries reused`);
  });

  it('keeps each file its own last job when edits of two files take turns', async function () {
    this.timeout(180_000);
    const files = [
      { file: '/w/a.py', text: bigModelSource(600), edits: bigModelEdits(600).slice(0, 3), reused: 0 },
      { file: '/w/b.py', text: models, edits: modelsEdits, reused: 0 },
    ];
    let id = 1;
    for (const f of files) await runAndCheck(runner, job(id++, f.file, f.text), `the first job on ${f.file}`);
    // a.py, b.py, a.py, b.py, ...: each reference names the last job on its own file, never the other file's.
    for (let k = 0; k < 3; k++) {
      for (const f of files) {
        const [what, edit] = f.edits[k]!;
        f.text = edit(f.text);
        f.reused += (await runAndCheck(runner, job(id++, f.file, f.text), `${f.file}: ${what}`)).reused ?? 0;
      }
    }
    assert.ok(files[0]!.reused > 60 && files[1]!.reused > 5, files.map((f) => `${f.file}: ${f.reused} reused`).join(', '));
  });

  it('starts a worker that died without a memo: it sends no reference, and the job after it is kept for the next', async function () {
    this.timeout(180_000);
    const logs: string[] = [];
    // The first worker gets a heap far below the core's memory budget, so one file kills it; the next, the usual heap.
    let started = 0;
    const limits = () => (started++ === 0 ? { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 8 } : WORKER_RESOURCE_LIMITS);
    const restarting = new WorkerRunner(script, (_level, m) => logs.push(m), limits);
    try {
      const file = '/w/a.py';
      await runAndCheck(restarting, job(1, file, models), 'the first job');
      let text = `${models}\n# the end\n`;
      assert.strictEqual((await runAndCheck(restarting, job(2, file, text), 'an edit')).reused, 3);
      const killer = 'y = [list(range(100000)) for i in range(60)]\n';
      const died = await restarting.run(job(3, '/w/killer.py', killer, { defaultResolution: 32, priorityLines: [] }));
      assert.strictEqual(restarting.deaths, 1, logs.join('\n'));
      assert.match(died?.problems[0]?.message ?? '', /stopped the analysis worker \(it ran out of memory\)/);
      // The runner still keeps job 2 of a.py; the new worker knows nothing of it and profiles every entry.
      text = text.replace('# E.g., (-1, 0)', '# For example, (-1, 0)');
      assert.strictEqual((await runAndCheck(restarting, job(4, file, text), 'an edit after the restart')).reused, 0);
      text = `${text}# one more line\n`;
      assert.strictEqual((await runAndCheck(restarting, job(5, file, text), 'the next edit')).reused, 3);
      assert.strictEqual(restarting.deaths, 1);
      assert.strictEqual(started, 2);
    } finally {
      restarting.dispose();
    }
  });

  it('rebuilds the references of an early result: its entries are a fresh job’s', async function () {
    this.timeout(120_000);
    const file = '/w/early.py';
    const text = bigModelSource(600);
    // Block1 and Block2 on screen; the edit widens a number in Block0, so both move by one character.
    const screen: AnalysisJob['priorityLines'] = [[26, 70]];
    await runAndCheck(runner, job(1, file, text, { priorityLines: screen }), 'the first job');
    const j = job(2, file, text.replace('cout=32', 'cout=320'), { priorityLines: screen });
    const before = runner.stats.rebuilt;
    const early: { result: JobResult; rebuilt: number }[] = [];
    const done = await runner.run(j, (result) => early.push({ result, rebuilt: runner.stats.rebuilt - before }));
    assert.deepStrictEqual(
      early.map((e) => [e.result.complete, e.result.entries.map((x) => x.spec.expr), e.rebuilt]),
      [[false, ['Block1()', 'Block2()'], 2]],
    );
    const freshEntries = JSON.parse(fresh(j)) as JobResult['entries'];
    const onScreen = new Set(early[0]!.result.entries.map((e) => e.spec.expr));
    assert.ok(JSON.stringify(early[0]!.result.entries) === JSON.stringify(freshEntries.filter((e) => onScreen.has(e.spec.expr))));
    assert.ok(JSON.stringify(done?.entries) === JSON.stringify(freshEntries));
    assert.strictEqual(runner.stats.reruns, 0);
  });

  it('keeps the last editor job when a profile or list job runs on the same file (Profile this cell)', async function () {
    this.timeout(120_000);
    const file = '/w/cells.py';
    await runAndCheck(runner, job(1, file, models), 'the first job');
    const profiled = await runner.run(job(2, file, models, { mode: { kind: 'profile', expr: 'DSC(16, 32)' } }));
    assert.strictEqual(profiled?.entries[0]?.analysis?.status, 'ok');
    const listed = await runner.run(job(3, file, models, { mode: { kind: 'list' } }));
    assert.strictEqual(listed?.entries.length, 3);
    // The worker's memo is still job 1's (only editor jobs leave one): the edit's references name job 1.
    assert.strictEqual((await runAndCheck(runner, job(4, file, `${models}\n# the end\n`), 'an edit after them')).reused, 3);
  });
});

describe('inline runner: reused entries stay in the job', () => {
  it('gives after each edit what a fresh job gives', async function () {
    this.timeout(120_000);
    const file = '/w/inline.py';
    const texts = [bigModelSource(600)];
    for (const [, edit] of bigModelEdits(600)) texts.push(edit(texts[texts.length - 1]!));
    const jobs = texts.map((t, i) => job(i + 1, file, t));
    // The fresh results first: this thread's memo is the inline runner's, and a fresh job clears it.
    const expected = jobs.map(fresh);
    clearJobMemos();
    const runner = new InlineRunner(() => undefined);
    let reused = 0;
    for (const [i, j] of jobs.entries()) {
      const got = await runner.run(j);
      assert.ok(
        JSON.stringify(got?.entries) === expected[i],
        `differs after: ${i === 0 ? 'the first job' : bigModelEdits(600)[i - 1]![0]}`,
      );
      reused += got?.reused ?? 0;
    }
    assert.ok(reused > 60, `${reused} entries reused`);
  });
});
