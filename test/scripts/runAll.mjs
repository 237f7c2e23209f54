// `npm test`: runs every step below in order, streaming each one's output, and never stops at the first failure,
// so one failing (or flaky) suite does not hide the state of the others. At the end it prints a summary table
// (step, result, duration) and exits non-zero if any step failed or could not run. A step whose `needs` failed is
// reported as "not run" (it would only fail again on missing output: out/ from typecheck, dist/ from build).
//   node test/scripts/runAll.mjs                 every step
//   node test/scripts/runAll.mjs unit browser    only these steps (their `needs` must already be satisfied)
// Plain JavaScript on purpose: it has to run before (and when) the TypeScript build fails.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The steps, in order: `script` is the npm script that runs it (the single place its command lives), `needs` the
 * steps whose output it uses. Further steps (e.g. `lint`, `format:check`) are one more line each.
 */
const STEPS = [
  { name: 'typecheck', script: 'typecheck', needs: [] },
  { name: 'lint', script: 'lint', needs: [] },
  { name: 'cycles', script: 'lint:cycles', needs: [] },
  { name: 'format', script: 'format:check', needs: [] },
  { name: 'build', script: 'build', needs: [] },
  { name: 'unit', script: 'test:unit', needs: ['typecheck', 'build'] },
  { name: 'torchvision', script: 'test:torchvision', needs: ['typecheck', 'build'] },
  { name: 'package', script: 'package:vsix', needs: ['build'] },
  // The real-VS-Code suite runs against the installed .vsix. `npm run test:web` (the browser entry in code-server's web
  // worker host) is not a step yet: in the last full run its tests ran in the Node extension host instead (see
  // test/integration/README.md).
  { name: 'integration', script: 'test:integration', needs: ['typecheck', 'build', 'package'] },
  { name: 'browser', script: 'test:browser', needs: ['typecheck', 'build'] },
  { name: 'python', script: 'test:python', needs: ['typecheck'] },
];

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs one npm script with the terminal's stdio; resolves with its exit code (1 if it could not start). */
function runScript(script) {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', script], { cwd: root, stdio: 'inherit' });
    child.once('error', (err) => {
      console.error(`[test] could not start npm run ${script}: ${err.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function table(rows) {
  const header = ['step', 'result', 'duration'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !STEPS.some((s) => s.name === w));
  if (unknown.length > 0) {
    console.error(`[test] unknown step(s): ${unknown.join(', ')}; steps: ${STEPS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const steps = wanted.length > 0 ? STEPS.filter((s) => wanted.includes(s.name)) : STEPS;
  /** name → 'passed' | 'failed' | 'not run (…)' */
  const results = new Map();
  const rows = [];
  for (const step of steps) {
    const blocked = step.needs.filter((n) => results.has(n) && results.get(n) !== 'passed');
    if (blocked.length > 0) {
      const result = `not run (${blocked.join(', ')} failed)`;
      results.set(step.name, result);
      rows.push([step.name, result, '-']);
      console.log(`\n[test] ${step.name}: ${result}`);
      continue;
    }
    console.log(`\n[test] ${step.name}: npm run ${step.script}`);
    const started = Date.now();
    const code = await runScript(step.script);
    const result = code === 0 ? 'passed' : `failed (exit ${code})`;
    results.set(step.name, code === 0 ? 'passed' : 'failed');
    rows.push([step.name, result, formatDuration(Date.now() - started)]);
    console.log(`[test] ${step.name}: ${result}`);
  }
  const bad = rows.filter((r) => r[1] !== 'passed');
  console.log(`\n[test] summary\n${table(rows)}\n`);
  console.log(bad.length === 0 ? '[test] every step passed' : `[test] ${bad.length} of ${rows.length} step(s) failed or did not run: ${bad.map((r) => r[0]).join(', ')}`);
  return bad.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
