// `npm run test:web`: the web extension (package.json `browser`, dist/web/extension.js) in code-server's real
// workbench, in its web worker extension host, with the web suite (web/index.ts, bundled to out/webSuite).
// What selects the host: the user setting `remote.extensionKind: { "convlens.conv-lens": ["web"] }` (see `settings`).
// Tests inside the extension's folder (out/webSuite) run in the host that runs the extension.
// The suite's report reaches the runner through the workbench log (see web/setup.ts): copied to stdout and
// test-artifacts/logs/web/mocha.log.
import * as fs from 'fs';
import * as path from 'path';
import { startCodeServer, type CodeServer } from './runner/codeServer';
import { startDriverServer, type DriverServer } from './runner/driverServer';
import { tail } from './runner/logTail';
import { artifactsDir, cacheDir, codeServerEntry, fixtureWorkspace, node24, repoRoot } from './runner/paths';
import { openWorkbench, type Workbench } from './runner/workbench';
import { DRIVER_URL_SETTING, SUITE_LOG_PREFIX } from './web/runnerContract';

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
  // The only input of code-server's browser workbench that moves the extension to the web worker host. It picks a
  // host per extension from its kinds (`pickRunningLocation` in workbench.js), and with a remote server a manifest
  // with `main` and `browser` has kinds [workspace, web]: workspace wins, so the Node host. The manifest's own
  // `extensionKind` cannot say web (`getConfiguredExtensionKind` keeps only ui/workspace from it), and the payload's
  // `extensionDevelopmentKind` is stored where the picker does not look (the browser environment's
  // `extensionDevelopmentLocationKind`; the picker reads `extensionDevelopmentKind`). This setting is read unfiltered.
  'remote.extensionKind': { 'convlens.conv-lens': ['web'] },
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
  const suiteLog = path.join(logDir, 'mocha.log');
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let driver: DriverServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  try {
    // Reading webviews and notebook outputs is the only route the web suite uses (web/driver.ts); the others refuse.
    const refuse = (what: string) => (): Promise<never> => Promise.reject(new Error(`no ${what} in the web suite`));
    driver = await startDriverServer(
      {
        screenshot: refuse('screenshots'),
        click: refuse('clicks'),
        keys: refuse('keys'),
        log: (text) => process.stdout.write(text),
        query: async (req) => {
          if (!workbench) throw new Error('workbench not open');
          return workbench.query(req);
        },
      },
      { allowOrigin: () => server?.origin },
    );
    server = await startCodeServer({
      runDir,
      workspace,
      trusted: true,
      userSettings: { ...settings, [DRIVER_URL_SETTING]: driver.url },
      env: {},
      logFile: path.join(logDir, 'code-server.log'),
    });
    workbench = await openWorkbench({
      origin: server.origin,
      authority: server.authority,
      workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: webSuite,
      profileDir: path.join(runDir, 'chromium/profile'),
      tmpDir: path.join(runDir, 'tmp'),
      logFile: browserLog,
      onLog: (_type, args) => {
        const [line] = Array.isArray(args) ? (args as unknown[]) : [];
        if (typeof line !== 'string' || !line.startsWith(SUITE_LOG_PREFIX)) return;
        const text = `${line.slice(SUITE_LOG_PREFIX.length)}\n`;
        fs.appendFileSync(suiteLog, text);
        process.stdout.write(text);
      },
    });
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(-1), timeoutMs);
    });
    const code = await Promise.race([workbench.exitCode, timedOut]);
    if (code === -1) await workbench.screenshot({ name: 'timeout-web' }, path.join(logDir, 'timeout.png')).catch(() => undefined);
    console.log(code === -1 ? `[web] no result after ${timeoutMs} ms` : `[web] suite exited with ${code} after ${Date.now() - started} ms`);
    // A suite that failed before mocha reported (e.g. loaded by a Node host, where mocha's browser build reads
    // `location`) says why only in the workbench log.
    if (code !== 0) console.error(`--- web: last lines of workbench.log ---\n${tail(browserLog, 60)}`);
    return code === 0 ? 0 : 1;
  } finally {
    if (timer) clearTimeout(timer);
    await workbench?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await driver?.close().catch(() => undefined);
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
