// The extension host survives an analysis worker killed by memory (issue 13): the worker really dies of its
// heap limit (worker_threads resourceLimits, ERR_WORKER_OUT_OF_MEMORY), the file that killed it gets a
// diagnostic saying so, and the next file still gets its hints from a new worker. The default heap (1.5 GB)
// is far above what the core's memory budget lets a file build, so this suite makes the first worker small
// with CONVLENS_WORKER_HEAP_MB, read by the extension each time it starts a worker; the file runs first
// (suite/index.ts runFirst), before any other file starts a worker, and the next worker gets the default.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { hintAt, nextEvent, openPython, si, withSettings, workspaceUri } from './helpers';

/** 6 million list slots: about 24 MB counted by the core's budget, far more as JS objects. */
const KILLER = 'y = [list(range(100000)) for i in range(60)]\n';

describe('a worker killed by memory', () => {
  const killer = workspaceUri('memoryKiller.py');
  before(async () => {
    await vscode.workspace.fs.writeFile(killer, new TextEncoder().encode(KILLER));
  });
  after(async () => {
    delete process.env['CONVLENS_WORKER_HEAP_MB'];
    await vscode.workspace.fs.delete(killer);
  });

  it('gives the file that killed it a diagnostic, and the next file still gets hints', async () => {
    process.env['CONVLENS_WORKER_HEAP_MB'] = '24';
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(killer).filter((d) => d.source === 'Conv Lens');
    const died = (): boolean =>
      ours().some((d) => /stopped the analysis worker \(it ran out of memory\); it was not retried/.test(d.message));
    const diagnosed = died()
      ? Promise.resolve()
      : nextEvent(
          vscode.languages.onDidChangeDiagnostics,
          (e) => e.uris.some((u) => u.toString() === killer.toString()) && died(),
          'the worker-death diagnostic',
        );
    await openPython('memoryKiller.py');
    await diagnosed;
    assert.strictEqual(ours().length, 1, JSON.stringify(ours().map((d) => d.message)));
    // The worker started for the next job gets the default heap again.
    delete process.env['CONVLENS_WORKER_HEAP_MB'];
    const doc = await openPython('models.py');
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(16 * (16 / 16) * 3 * 3 + 16)} params`);
    });
  });
});
