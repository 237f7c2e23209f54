// Starts code-server (the VS Code workbench plus a Node extension host) on loopback for one test run,
// with its own user-data, extensions, XDG and temp folders inside the run folder so nothing reaches $HOME.
// Resolves once the server is listening; it does not open a browser (workbench.ts does).
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { codeServerEntry, node24 } from './paths';

export interface CodeServerOptions {
  readonly runDir: string;
  readonly workspace: string;
  /** When false the workspace opens in Restricted Mode (workspace trust on, never trusted). */
  readonly trusted: boolean;
  /** User settings written before start. */
  readonly userSettings: Readonly<Record<string, unknown>>;
  /** Extra environment for the server and so for the extension host it forks. */
  readonly env: Readonly<Record<string, string>>;
  /** Server output goes here (and is printed by the runner when a run fails). */
  readonly logFile: string;
}

export interface CodeServer {
  readonly origin: string;
  readonly authority: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves when GET /healthz answers, polling on each server output line (no timers). */
function healthy(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    http.get(`${origin}/healthz`, (res) => { res.resume(); resolve(res.statusCode === 200); })
      .on('error', () => resolve(false));
  });
}

/** The folders code-server uses for one run, all inside the run folder (created here). */
export function serverDirs(runDir: string) {
  const dirs = {
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    home: path.join(runDir, 'home'),
    xdgConfig: path.join(runDir, 'xdg/config'),
    xdgData: path.join(runDir, 'xdg/data'),
    xdgCache: path.join(runDir, 'xdg/cache'),
    xdgState: path.join(runDir, 'xdg/state'),
    tmp: path.join(runDir, 'tmp'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

/** The environment of a code-server process for one run: nothing of it reaches $HOME. */
export function serverEnv(dirs: ReturnType<typeof serverDirs>, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${path.dirname(node24)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    XDG_STATE_HOME: dirs.xdgState,
    TMPDIR: dirs.tmp,
    LANG: 'C.UTF-8',
    ...extra,
  };
}

export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  const dirs = serverDirs(o.runDir);
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User/settings.json'), JSON.stringify(o.userSettings, null, 2));

  const port = await freePort();
  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--config', path.join(dirs.xdgConfig, 'code-server.yaml'),
    ...(o.trusted ? ['--disable-workspace-trust'] : []),
    o.workspace,
  ];
  const log = fs.openSync(o.logFile, 'a');
  const child: ChildProcess = spawn(node24, args, {
    cwd: o.runDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(dirs, o.env),
  });
  const origin = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    let done = false;
    const onOutput = (chunk: Buffer): void => {
      fs.writeSync(log, chunk);
      if (done || !chunk.toString('utf8').includes('HTTP server listening')) return;
      void healthy(origin).then((ok) => {
        if (ok && !done) { done = true; resolve(); }
      });
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    void exited.then((code) => {
      if (!done) { done = true; reject(new Error(`code-server exited with ${code} before listening (see ${o.logFile})`)); }
    });
  });

  return {
    origin,
    authority: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.closeSync(log);
    },
  };
}
