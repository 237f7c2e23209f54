// `npm run test:web`: the web extension (package.json `browser`, dist/web/extension.js) in code-server's real
// workbench, in its web worker extension host, with the web suite (web/index.ts, bundled to out/webSuite).
// The payload's `extensionDevelopmentKind: web` makes the workbench run the development extension in the web
// worker host instead of code-server's Node host; tests inside the extension's folder run in the same host.
// The suite's output is the web worker's console: copied to stdout and test-artifacts/logs/web/mocha.log.
import * as fs from 'fs';
import * as path from 'path';
import type { Worker as PwWorker } from 'playwright-core';
import { startCodeServer, type CodeServer } from './runner/codeServer';
import { artifactsDir, cacheDir, codeServerEntry, fixtureWorkspace, node24, repoRoot } from './runner/paths';
import { openWorkbench, type Workbench } from './runner/workbench';

// A guard against a hung run, as in runInCodeServer.ts.
const timeoutMs = Number(process.env['CONVLENS_IT_TIMEOUT_MS'] ?? 60 * 60_000);
const webBundle = path.join(repoRoot, 'dist/web/extension.js');
const webSuite = path.join(repoRoot, 'out/webSuite/index.js');

const settings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
};

async function main(): Promise<number> {
  for (const [what, file] of [
    ['Node 24', node24],
    ['code-server', codeServerEntry],
    ['web bundle (npm run build)', webBundle],
    ['web suite (npm run test:web)', webSuite],
  ] as const) {
    if (!fs.existsSync(file)) throw new Error(`${what} missing at ${file}`);
  }
  const runDir = path.join(cacheDir, 'runs', `web-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(fixtureWorkspace, workspace, { recursive: true });
  const logDir = path.join(artifactsDir, 'logs', 'web');
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const browserLog = path.join(logDir, 'workbench.log');
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  try {
    server = await startCodeServer({
      runDir,
      workspace,
      trusted: true,
      userSettings: settings,
      env: {},
      logFile: path.join(logDir, 'code-server.log'),
    });
    workbench = await openWorkbench({
      origin: server.origin,
      authority: server.authority,
      workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: webSuite,
      extensionDevelopmentKind: 'web',
      profileDir: path.join(runDir, 'chromium/profile'),
      tmpDir: path.join(runDir, 'tmp'),
      logFile: browserLog,
    });
    // The extension host is a dedicated worker (in an iframe of the page): its console carries mocha's report.
    const suiteLog = path.join(logDir, 'mocha.log');
    const onWorker = (worker: PwWorker): void => {
      worker.on('console', (m) => {
        const text = `${m.text()}\n`;
        fs.appendFileSync(suiteLog, text);
        if (!/^%c/.test(m.text())) process.stdout.write(text);
      });
    };
    workbench.page.workers().forEach(onWorker);
    workbench.page.on('worker', onWorker);
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(-1), timeoutMs);
    });
    const code = await Promise.race([workbench.exitCode, timedOut]);
    if (code === -1) await workbench.screenshot({ name: 'timeout-web' }, path.join(logDir, 'timeout.png')).catch(() => undefined);
    console.log(code === -1 ? `[web] no result after ${timeoutMs} ms` : `[web] suite exited with ${code} after ${Date.now() - started} ms`);
    return code === 0 ? 0 : 1;
  } finally {
    if (timer) clearTimeout(timer);
    await workbench?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    if (!process.env['CONVLENS_KEEP_RUN']) fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
