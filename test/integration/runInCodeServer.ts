// `npm run test:integration`: runs the mocha suite in suite/ inside a real VS Code extension host
// (code-server's workbench driven by Chromium), once with a trusted workspace and once in Restricted Mode.
// Exits with the suite's exit code; a run that does not report within CONVLENS_IT_TIMEOUT_MS fails.
// Installing code-server, Node 24 and Chromium is scripts/ensureCodeServer.sh's job (the npm script runs it first).
//   options: --mode trusted|untrusted|all (default all)   --grep PATTERN (mocha grep)   env CONVLENS_KEEP_RUN=1 keeps run folders
//            --installed [VSIX]: test the package (default: the one `npm run package` wrote) installed with
//            code-server --install-extension, instead of the repository as a development extension
import * as fs from 'fs';
import * as path from 'path';
import { startCodeServer, type CodeServer } from './runner/codeServer';
import { checkVsix, defaultVsix, installVsix, makeTestHost } from './runner/installedExtension';
import { startDriverServer, type DriverServer } from './runner/driverServer';
import { tail } from './runner/logTail';
import { artifactsDir, cacheDir, codeServerEntry, extensionBundle, fixtureWorkspace, node24, repoRoot, suiteDir } from './runner/paths';
import { openWorkbench, type Workbench } from './runner/workbench';

type Mode = 'trusted' | 'untrusted';

// A guard against a hung run, not a speed target: on a loaded 2-core machine one mode takes 10 minutes or more.
const timeoutMs = Number(process.env['CONVLENS_IT_TIMEOUT_MS'] ?? 60 * 60_000);

function userSettings(mode: Mode): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'git.enabled': false,
    'security.workspace.trust.enabled': mode === 'untrusted',
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'security.workspace.trust.untrustedFiles': 'open',
  };
}

/** The extension under test: the repository as a development extension, or an installed .vsix. */
type Target = { readonly kind: 'development' } | { readonly kind: 'installed'; readonly vsix: string };

/** Where the workbench loads the extension from, and what the suite should find (CONVLENS_IT_EXTENSION_DIR). */
async function prepareTarget(target: Target, runDir: string, logFile: string): Promise<{ developmentPath: string; extensionDir: string }> {
  if (target.kind === 'development') return { developmentPath: repoRoot, extensionDir: repoRoot };
  const extensionDir = await installVsix(runDir, target.vsix, logFile);
  return { developmentPath: makeTestHost(runDir), extensionDir };
}

async function runOnce(mode: Mode, grep: string | undefined, target: Target): Promise<number> {
  const runDir = path.join(cacheDir, 'runs', `${mode}-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(fixtureWorkspace, workspace, { recursive: true });
  const logDir = path.join(artifactsDir, 'logs', mode);
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const serverLog = path.join(logDir, 'code-server.log');
  const browserLog = path.join(logDir, 'workbench.log');
  const suiteLog = path.join(logDir, 'mocha.log');

  let workbench: Workbench | undefined;
  let server: CodeServer | undefined;
  let driver: DriverServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  // A test may ask (POST /reload) for the window to be reloaded once the suite is over. Then the suite, instead of
  // exiting, reports its result (POST /run-done) and runs Reload Window from its extension host (a reload must
  // find the extension running: an exited host has unregistered its webview serializers, and VS Code does not
  // keep panels nobody can restore). The reloaded window runs the suite's `afterReload` phase with the hand-over.
  const session: { phase: 'main' | 'afterReload'; reloadRequested: boolean; handover: unknown } = {
    phase: 'main',
    reloadRequested: false,
    handover: null,
  };
  let reportMainRun: (code: number) => void = () => undefined;
  const mainRunDone = new Promise<number>((resolve) => {
    reportMainRun = resolve;
  });
  const started = Date.now();
  try {
    driver = await startDriverServer({
      log: (text) => {
        process.stdout.write(text);
        fs.appendFileSync(suiteLog, text);
      },
      screenshot: async (req) => {
        if (!workbench) throw new Error('workbench not open');
        return workbench.screenshot(req, path.join(artifactsDir, `${req.name}.png`));
      },
      click: async (req) => {
        if (!workbench) throw new Error('workbench not open');
        await workbench.click(req);
      },
      keys: async (req) => {
        if (!workbench) throw new Error('workbench not open');
        await workbench.keys(req);
      },
      query: async (req) => {
        if (!workbench) throw new Error('workbench not open');
        return workbench.query(req);
      },
      select: async (req) => {
        if (!workbench) throw new Error('workbench not open');
        await workbench.select(req);
      },
      phase: () => ({ phase: session.phase, handover: session.phase === 'afterReload' ? session.handover : null }),
      requestReload: (data) => {
        if (session.phase !== 'main') throw new Error('a reload was asked for after the reload');
        session.reloadRequested = true;
        session.handover = data;
      },
      runDone: (failures) => {
        if (!session.reloadRequested || session.phase !== 'main') throw new Error('run-done without a reload request');
        session.phase = 'afterReload';
        reportMainRun(failures > 0 ? 1 : 0);
      },
    });
    const under = await prepareTarget(target, runDir, serverLog);
    server = await startCodeServer({
      runDir,
      workspace,
      trusted: mode === 'trusted',
      userSettings: userSettings(mode),
      logFile: serverLog,
      env: {
        CONVLENS_DRIVER_URL: driver.url,
        CONVLENS_IT_MODE: mode,
        CONVLENS_IT_EXTENSION_DIR: under.extensionDir,
        ...(grep ? { CONVLENS_IT_GREP: grep } : {}),
      },
    });
    console.log(
      `[it:${mode}] code-server ready at ${server.origin} after ${Date.now() - started} ms (extension under test: ${under.extensionDir})`,
    );
    workbench = await openWorkbench({
      origin: server.origin,
      authority: server.authority,
      workspace,
      extensionDevelopmentPath: under.developmentPath,
      extensionTestsPath: suiteDir,
      profileDir: path.join(runDir, 'chromium/profile'),
      tmpDir: path.join(runDir, 'tmp'),
      logFile: browserLog,
    });
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(-1), timeoutMs);
    });
    // One exit promise for both phases: when the first run ends by asking for a reload (mainRunDone), this promise is
    // still waiting and takes the reloaded window's exit code. Asking nextExit() again would leave it behind, and an
    // exit reported before the second call would go to the abandoned promise.
    const exit = workbench.nextExit();
    let code = await Promise.race([exit, mainRunDone, timedOut]);
    if (code !== -1 && session.phase === 'afterReload') {
      console.log(`[it:${mode}] first run over (${code === 0 ? 'passed' : 'failed'}) after ${Date.now() - started} ms; the window reloads`);
      const after = await Promise.race([exit, timedOut]);
      code = after === -1 ? -1 : Math.max(code, after);
    }
    if (code === -1) {
      await workbench.screenshot({ name: `timeout-${mode}` }, path.join(logDir, 'timeout.png')).catch(() => undefined);
      console.error(`[it:${mode}] no result after ${timeoutMs} ms (screenshot in ${logDir})`);
      return 1;
    }
    console.log(`[it:${mode}] suite exited with ${code} after ${Date.now() - started} ms`);
    return code;
  } catch (err) {
    console.error(`[it:${mode}] runner error: ${err instanceof Error ? err.stack : String(err)}`);
    return 1;
  } finally {
    if (timer) clearTimeout(timer);
    await workbench?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await driver?.close().catch(() => undefined);
  }
}

function printLogsOnFailure(mode: Mode): void {
  const logDir = path.join(artifactsDir, 'logs', mode);
  console.error(`--- ${mode}: last lines of code-server.log ---\n${tail(path.join(logDir, 'code-server.log'), 30)}`);
  console.error(`--- ${mode}: last lines of workbench.log ---\n${tail(path.join(logDir, 'workbench.log'), 60)}`);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const modeArg = flag('--mode') ?? 'all';
  const modes: Mode[] = modeArg === 'all' ? ['trusted', 'untrusted'] : [modeArg as Mode];
  if (!modes.every((m) => m === 'trusted' || m === 'untrusted')) throw new Error(`unknown --mode ${modeArg}`);
  for (const [what, file] of [
    ['Node 24', node24],
    ['code-server', codeServerEntry],
  ] as const) {
    if (!fs.existsSync(file)) throw new Error(`${what} missing at ${file}: run test/integration/scripts/ensureCodeServer.sh`);
  }
  for (const [what, file] of [
    ['extension bundle', extensionBundle],
    ['compiled suite', path.join(suiteDir, 'index.js')],
  ] as const) {
    if (!fs.existsSync(file)) throw new Error(`${what} missing at ${file}: run npm run build and tsc -b`);
  }
  const installed = argv.indexOf('--installed');
  const vsixArg = installed >= 0 ? argv[installed + 1] : undefined;
  const target: Target =
    installed < 0
      ? { kind: 'development' }
      : { kind: 'installed', vsix: vsixArg && !vsixArg.startsWith('--') ? path.resolve(vsixArg) : defaultVsix() };
  if (target.kind === 'installed') await checkVsix(target.vsix);
  let failed = 0;
  for (const mode of modes) {
    const code = await runOnce(mode, flag('--grep'), target);
    if (code !== 0) {
      failed++;
      printLogsOnFailure(mode);
    } else if (!process.env['CONVLENS_KEEP_RUN'])
      fs.rmSync(path.join(cacheDir, 'runs', `${mode}-${process.pid}`), { recursive: true, force: true });
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
