// Starts code-server (the VS Code workbench plus a Node extension host) on loopback for one test run,
// with its own user-data, extensions, XDG and temp folders inside the run folder so nothing reaches $HOME.
// Resolves once the server is listening; it does not open a browser (workbench.ts does).
// The server binds port 0 and says which port it got: picking a free port first and passing it on would race
// with every other process on the machine for that port between the probe's close and code-server's listen.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
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

/** code-server's line once it listens: `[…] info  HTTP server listening on http://127.0.0.1:41234/`. */
const LISTENING = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))/;

/** Whether GET /healthz answers 200. */
function healthy(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(`${origin}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
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

  const args = [
    codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--config',
    path.join(dirs.xdgConfig, 'code-server.yaml'),
    ...(o.trusted ? ['--disable-workspace-trust'] : []),
    o.workspace,
  ];
  const log = fs.openSync(o.logFile, 'a');
  const child: ChildProcess = spawn(node24, args, {
    cwd: o.runDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(dirs, o.env),
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const origin = await new Promise<string>((resolve, reject) => {
    let done = false;
    const fail = (err: Error): void => {
      if (done) return;
      done = true;
      child.kill('SIGTERM');
      reject(err);
    };
    // Output arrives in chunks that need not end at a line end: look for the line in the text seen so far.
    let seen = '';
    const onOutput = (chunk: Buffer): void => {
      fs.writeSync(log, chunk);
      if (done) return;
      seen += chunk.toString('utf8');
      const m = LISTENING.exec(seen);
      if (!m) return;
      done = true;
      seen = '';
      // The line is written once the server listens and its routes are registered: /healthz must answer now.
      void healthy(m[1]!).then((ok) => {
        if (ok) resolve(m[1]!);
        else {
          done = false;
          fail(new Error(`code-server said it listens on ${m[1]} but /healthz does not answer (see ${o.logFile})`));
        }
      });
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    void exited.then((code) => fail(new Error(`code-server exited with ${code} before listening (see ${o.logFile})`)));
  });

  return {
    origin,
    authority: new URL(origin).host,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.closeSync(log);
    },
  };
}
