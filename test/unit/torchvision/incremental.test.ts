// Incremental analysis over a real package on disk (torchvision 0.14.1): after each edit people make to a model
// file, the editor's job (reusing the last job's results where the edit cannot reach) equals a fresh job.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { clearJobMemos, runAnalysisJob, type JobResult } from '../../../extension/worker/analysisJob';
import { readFromDisk } from '../../../extension/worker/diskFiles';
import { difference, edits } from '../helpers/edits';
import { torchvisionRoot } from '../helpers/fixtureFiles';

let nextId = 1;
function run(file: string, text: string): JobResult {
  const job = {
    id: nextId++,
    text,
    file,
    roots: [torchvisionRoot],
    canReadFiles: true,
    readDisk: true,
    files: {},
    defaultResolution: 224,
    priorityLines: [],
  };
  return runAnalysisJob(job, { readDisk: readFromDisk })!;
}

describe('incremental analysis over torchvision 0.14.1', () => {
  for (const name of ['resnet.py', 'mobilenetv2.py', 'convnext.py', 'efficientnet.py']) {
    it(`${name}: a job after each edit equals a fresh job`, () => {
      const file = path.join(torchvisionRoot, 'torchvision/models', name);
      const original = fs.readFileSync(file, 'utf8');
      const wanted = edits(original).map((edit) => {
        clearJobMemos();
        return { edit, want: JSON.stringify(run(file, edit.text).entries) };
      });
      clearJobMemos();
      const expected = JSON.stringify(run(file, original).entries);
      let reused = 0;
      for (const { edit, want } of wanted) {
        const after = run(file, edit.text);
        reused += after.reused ?? 0;
        assert.strictEqual(difference(JSON.stringify(after.entries), want), undefined, edit.what);
        assert.strictEqual(difference(JSON.stringify(run(file, original).entries), expected), undefined, `${edit.what}, undone`);
      }
      assert.ok(wanted.length >= 3, `${wanted.length} edits`);
      assert.ok(reused > 0, 'nothing was reused');
    });
  }
});
