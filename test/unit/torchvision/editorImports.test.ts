// The analysis job reading a real package from the disk (torchvision 0.14.1's efficientnet.py and the modules it
// imports): needs the torchvision sources (test/scripts/fetchTorchvision.sh), so it runs in `npm run test:torchvision`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runAnalysisJob, type AnalysisJob, type FileSnapshot, type JobResult } from '../../../extension/worker/analysisJob';
import { readFromDisk } from '../../../extension/worker/diskFiles';
import { torchvisionRoot } from '../helpers/fixtureFiles';

function job(over: Partial<AnalysisJob> & Pick<AnalysisJob, 'text' | 'file'>): AnalysisJob {
  return { id: 1, roots: [], canReadFiles: false, files: {}, defaultResolution: 224, priorityLines: [], ...over };
}

describe('editor: analysis jobs over a package on disk (torchvision 0.14.1)', () => {
  // The multi-round baseline runs efficientnet.py several times: slow, and minutes on a loaded machine (the suite's
  // timeout, test/.mocharc.torchvision.json, is the guard).
  it('reads imports of a local package from the disk in one round, with the snapshot (open editors) first', function () {
    const root = torchvisionRoot;
    const file = path.join(root, 'torchvision/models/efficientnet.py');
    const text = fs.readFileSync(file, 'utf8');
    const base = { text, file, roots: [root], canReadFiles: true };
    // Without the disk each round reports the imports it lacks; the caller loads them and runs again.
    const files: Record<string, FileSnapshot> = {};
    let rounds = 0;
    let last: JobResult;
    do {
      last = runAnalysisJob(job({ ...base, files: { ...files } }))!;
      for (const p of last.misses) {
        const stat = fs.existsSync(p) ? fs.statSync(p) : undefined;
        files[p] = !stat ? { kind: 'absent' } : stat.isDirectory() ? { kind: 'dir' } : { kind: 'file', text: fs.readFileSync(p, 'utf8') };
      }
      rounds++;
    } while (last.misses.length > 0 && rounds < 20);
    assert.ok(rounds > 2, `rounds: ${rounds}`);
    const once = runAnalysisJob(job({ ...base, readDisk: true }), { readDisk: readFromDisk })!;
    assert.deepStrictEqual(once.misses, []);
    // A runner without a disk (the web extension) reports the same misses as the first round instead.
    const noDisk = runAnalysisJob(job({ ...base, readDisk: true }))!;
    assert.ok(noDisk.misses.length > 0 && noDisk.misses.every((p) => p.startsWith(root)), `misses: ${noDisk.misses.join(', ')}`);
    const totals = (r: JobResult) => r.entries.map((e) => [e.spec.expr, e.analysis?.status, e.analysis?.totals.params]);
    assert.deepStrictEqual(totals(once), totals(last));
    assert.strictEqual(once.entries.filter((e) => e.analysis?.status === 'ok').length, 11);
    // An open editor's unsaved text wins over the disk: here _utils.py loses _make_divisible.
    const utils = path.join(root, 'torchvision/models/_utils.py');
    const edited = fs.readFileSync(utils, 'utf8').replace(/def _make_divisible\(/, 'def _gone(');
    const dirty = runAnalysisJob(job({ ...base, readDisk: true, files: { [utils]: { kind: 'file', text: edited } } }), {
      readDisk: readFromDisk,
    })!;
    assert.notDeepStrictEqual(totals(dirty), totals(once));
  });
});
