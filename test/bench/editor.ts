// `npm run bench:editor` (a benchmark, not a test): keystroke-to-updated-hints latency on a 3,000-line
// model file measured inside a real VS Code (code-server + Chromium, the integration runner's pieces),
// with the analysis in the worker and, for comparison, inline on the extension-host thread
// (CONVLENS_ANALYSIS_INLINE=1); the extension's activation time; the time one analysis of the file
// takes in plain Node; and the bundle sizes. Prints the figures; fails only if a run fails.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { runAnalysisJob } from '../../extension/worker/analysisJob';
import { startCodeServer } from '../integration/runner/codeServer';
import { startDriverServer } from '../integration/runner/driverServer';
import { cacheDir, repoRoot } from '../integration/runner/paths';
import { openWorkbench, type Workbench } from '../integration/runner/workbench';
import { bigModelSource } from './bigModel';

const lines = 3000;
const hostDir = path.join(repoRoot, 'out/test/bench/editorHost');

async function inVsCode(mode: 'worker' | 'inline', source: string): Promise<Record<string, unknown>> {
  const runDir = path.join(cacheDir, 'runs', `bench-${mode}-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'big.py'), source);
  let report: Record<string, unknown> | undefined;
  const refuse = (what: string) => (): Promise<never> => Promise.reject(new Error(`no ${what} in the benchmark`));
  // Every driver route but the log is refused; spread so that routes other runners add need no change here.
  const unused = { screenshot: refuse('screenshots'), click: refuse('clicks'), keys: refuse('keys'), query: refuse('queries') };
  const driver = await startDriverServer({
    ...unused,
    log: (text) => {
      const m = /^BENCH (.*)$/m.exec(text);
      if (m) report = JSON.parse(m[1]!) as Record<string, unknown>;
    },
  });
  let workbench: Workbench | undefined;
  const server = await startCodeServer({
    runDir,
    workspace,
    trusted: true,
    logFile: path.join(runDir, 'code-server.log'),
    userSettings: {
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'git.enabled': false,
      'chat.disableAIFeatures': true,
    },
    env: { CONVLENS_DRIVER_URL: driver.url, ...(mode === 'inline' ? { CONVLENS_ANALYSIS_INLINE: '1' } : {}) },
  });
  try {
    workbench = await openWorkbench({
      origin: server.origin,
      authority: server.authority,
      workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: hostDir,
      profileDir: path.join(runDir, 'chromium/profile'),
      tmpDir: path.join(runDir, 'tmp'),
      logFile: path.join(runDir, 'workbench.log'),
    });
    await workbench.exitCode;
  } finally {
    await workbench?.close().catch(() => undefined);
    await server.stop().catch(() => undefined);
    await driver.close().catch(() => undefined);
  }
  if (!report) throw new Error(`${mode}: no figures came back (see ${runDir})`);
  if (report['error']) throw new Error(`${mode}: ${String(report['error'])}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  return report;
}

function coreTimes(source: string): { firstMs: number; afterEditMs: number; earlyMs: number } {
  const job = (id: number, text: string) => ({
    id,
    text,
    file: '/bench/big.py',
    roots: ['/bench'],
    canReadFiles: true,
    files: {},
    defaultResolution: 224,
    priorityLines: [[0, 40] as const],
  });
  let t = performance.now();
  runAnalysisJob(job(1, source));
  const firstMs = performance.now() - t;
  const edited = source.replace('cout=32', 'cout=33');
  let earlyMs = 0;
  t = performance.now();
  runAnalysisJob(job(2, edited), {
    onEarly: () => {
      earlyMs = performance.now() - t;
    },
  });
  return { firstMs, afterEditMs: performance.now() - t, earlyMs };
}

function sizes(): Record<string, number> {
  const dist = path.join(repoRoot, 'dist');
  const files = ['extension.js', 'analysisWorker.js', ...fs.readdirSync(path.join(dist, 'webview')).map((f) => `webview/${f}`)].filter(
    (f) => !f.endsWith('.map') && !f.endsWith('.LICENSE.txt'),
  );
  return Object.fromEntries(files.map((f) => [f, fs.statSync(path.join(dist, f)).size]));
}

const ms = (n: unknown): string => (typeof n === 'number' ? `${n.toFixed(1)} ms` : String(n));

async function main(): Promise<void> {
  const source = bigModelSource(lines);
  const core = coreTimes(source);
  console.log(`model file: ${source.split('\n').length} lines`);
  console.log(
    `core in plain Node (what the host thread would block for without the worker): first analysis ${ms(core.firstMs)}, after one edit ${ms(core.afterEditMs)} (entries on screen after ${ms(core.earlyMs)})`,
  );
  for (const mode of ['worker', 'inline'] as const) {
    const r = await inVsCode(mode, source);
    console.log(
      `\n[${mode}] activation ${ms(r['activationMs'])}, first full analysis ${ms(r['firstFullAnalysisMs'])} (${String(r['entries'])} entries)`,
    );
    for (const key of ['debounce300', 'debounce0']) {
      const s = r[key] as {
        edits: number;
        medianMs: number;
        p95Ms: number;
        maxMs: number;
        eventLoopDelayMs: { p50: number; p99: number; max: number };
      };
      console.log(
        `[${mode}] ${key}: keystroke → updated hint over ${s.edits} edits: median ${ms(s.medianMs)}, p95 ${ms(s.p95Ms)}, max ${ms(s.maxMs)}; ` +
          `extension-host event-loop delay p50 ${ms(s.eventLoopDelayMs.p50)}, p99 ${ms(s.eventLoopDelayMs.p99)}, max ${ms(s.eventLoopDelayMs.max)}`,
      );
    }
  }
  console.log('\nbundle sizes:');
  for (const [f, n] of Object.entries(sizes())) console.log(`  dist/${f.padEnd(48)} ${(n / 1024).toFixed(1).padStart(9)} KiB`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
