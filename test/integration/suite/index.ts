// The extensionTestsPath module: VS Code (desktop via @vscode/test-electron, or code-server's workbench via
// runInCodeServer.ts) loads it inside the extension host and awaits `run()`. It runs every *.test.js next
// to it with mocha; in Restricted Mode (CONVLENS_IT_MODE=untrusted) it leaves out the trusted-only files.
// Files that test a window reload run last in the first run (so what they leave open stays open), and are the
// only ones run again after the runner reloads the window (the `afterReload` phase, see driver.ts).
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { fetchPhase, flushLog, forwardLog, reloadRequested, reportRunDone } from './driver';

/** Files that only make sense once per run (they write screenshots), so the untrusted pass skips them. */
const trustedOnly = new Set(['screenshots.test.js']);
/**
 * Files that run before any other opens a Python file: workerMemory.test.js sizes the analysis worker's heap
 * (CONVLENS_WORKER_HEAP_MB), which applies to workers started while it is set, so it must start the first one.
 */
const runFirst = new Set(['workerMemory.test.js']);
/** Files with a before-reload and an after-reload part. */
const acrossReload = new Set(['profileRestore.test.js']);

export async function run(): Promise<void> {
  const mode = process.env['CONVLENS_IT_MODE'] ?? 'trusted';
  const grep = process.env['CONVLENS_IT_GREP'];
  const { phase } = await fetchPhase();
  // Per-test guard: tests wait on conditions, never on time, so this only bounds a broken test; a loaded 2-core
  // machine makes single tests take minutes.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 10 * 60_000, ...(grep ? { grep } : {}) });
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => mode === 'trusted' || !trustedOnly.has(path.basename(f)))
    .filter((f) => phase === 'main' || acrossReload.has(path.basename(f)))
    .sort(
      (a, b) =>
        Number(runFirst.has(path.basename(b))) - Number(runFirst.has(path.basename(a))) ||
        Number(acrossReload.has(path.basename(a))) - Number(acrossReload.has(path.basename(b))) ||
        (a < b ? -1 : a > b ? 1 : 0),
    );
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  // Mocha's reporters print through Base.consoleLog; copy that to the runner while the suite runs.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]): void => {
    original(...args);
    forwardLog(`${format(...args)}\n`);
  };
  try {
    forwardLog(`[suite] mode=${mode}, phase=${phase}, ${files.length} files\n`);
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    forwardLog(`[suite] ${failures} failing\n`);
    await flushLog();
    if (phase === 'main' && reloadRequested()) {
      // Reload while this extension host still runs, as a user would; the host goes away with the window, so
      // the result goes to the runner first, and run() never settles (the reloaded window reports its own).
      await reportRunDone(failures);
      base.consoleLog = original;
      await vscode.commands.executeCommand('workbench.action.reloadWindow');
      await new Promise<never>(() => undefined);
    }
    if (failures > 0) throw new Error(`${failures} test(s) failed`);
  } finally {
    base.consoleLog = original;
    await flushLog();
  }
}
