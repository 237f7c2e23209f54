// Reused entries as references (worker/reusedEntry.ts): the analysis worker sends an entry it reused from the last
// job on the file as "entry i of job N, moved by this plan", and the runner rebuilds it from the entries it kept of
// job N. It must be invisible: after every edit the runner's result equals, byte for byte, a fresh job's; and a
// reference the runner cannot rebuild (it no longer keeps that job) runs the job again without reuse, never a guess.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { clearJobMemos, runAnalysisJob, type AnalysisJob } from '../../extension/worker/analysisJob';
import { WorkerRunner } from '../../extension/worker/analysisRunner';
import { bigModelSource } from '../bench/bigModel';
import { repoRoot } from './helpers/fixtureFiles';

const script = path.join(repoRoot, 'dist/analysisWorker.js');

function job(id: number, file: string, text: string): AnalysisJob {
  return { id, text, file, roots: [], canReadFiles: false, files: {}, defaultResolution: 64, priorityLines: [[0, 40]] };
}

/** What a job that starts afresh gives (this thread's memo is not the worker's). */
function fresh(j: AnalysisJob): string {
  clearJobMemos();
  return JSON.stringify(runAnalysisJob(j)!.entries);
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
    const edits: [string, (t: string) => string][] = [
      ['a number, same width', (t) => t.replace('cout=32', 'cout=33')],
      ['a number, wider (every later statement moves by one character)', (t) => t.replace('cout=33', 'cout=333')],
      ['a comment typed at the end of a line', (t) => t.replace('cout=333', 'cout=33  # wide')],
      [
        'a comment line inserted between classes (later statements move down a line)',
        (t) => t.replace('\nclass Block1', '\n# note\nclass Block1'),
      ],
      ['undone', () => bigModelSource(3000)],
    ];
    for (const [what, edit] of edits) {
      text = edit(text);
      const j = job(id++, file, text);
      const got = await runner.run(j);
      assert.ok(got, what);
      assert.ok(JSON.stringify(got.entries) === fresh(j), `differs after: ${what}`);
    }
    assert.ok(runner.stats.rebuilt > 250, `${runner.stats.rebuilt} entries rebuilt`);
    assert.strictEqual(runner.stats.reruns, 0);
  });

  it('runs the job again without reuse when it no longer keeps the job a reference names', async function () {
    this.timeout(120_000);
    const models = fs.readFileSync(path.join(repoRoot, 'test/integration/workspace/models.py'), 'utf8');
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
});
