// The extensionTestsPath module: VS Code (desktop via @vscode/test-electron, or code-server's workbench via
// runInCodeServer.ts) loads it inside the extension host and awaits `run()`. It runs every *.test.js next
// to it with mocha; in Restricted Mode (CONVLENS_IT_MODE=untrusted) it leaves out the trusted-only files.
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import Mocha from 'mocha';
import { flushLog, forwardLog } from './driver';

/** Files that only make sense once per run (they write screenshots), so the untrusted pass skips them. */
const trustedOnly = new Set(['screenshots.test.js']);

export async function run(): Promise<void> {
  const mode = process.env['CONVLENS_IT_MODE'] ?? 'trusted';
  const grep = process.env['CONVLENS_IT_GREP'];
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => mode === 'trusted' || !trustedOnly.has(path.basename(f)))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  // Mocha's reporters print through Base.consoleLog; copy that to the runner while the suite runs.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]): void => {
    original(...args);
    forwardLog(`${format(...args)}\n`);
  };
  try {
    forwardLog(`[suite] mode=${mode}, ${files.length} files\n`);
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    forwardLog(`[suite] ${failures} failing\n`);
    await flushLog();
    if (failures > 0) throw new Error(`${failures} test(s) failed`);
  } finally {
    base.consoleLog = original;
    await flushLog();
  }
}
