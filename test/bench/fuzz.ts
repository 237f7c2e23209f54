// npm run bench:fuzz — the hostile-input fuzzer at a larger size than the unit suite's run: per category,
// inputs tried, crashes, budget stops, runs past the budget, runs with a negative or non-finite number,
// and peak heap / RSS. The `hostile-args` rows also let hyperparameters be negative, fractional or huge
// (issue 13 item 4: impossible layers), so their bad-number count is a finding, not a defect of the fuzzer.
// Then the notebook renderer's main-thread blocking on the largest payloads it accepts (rendererBlocking.ts).
import * as fs from 'fs';
import * as path from 'path';
import { fuzzInputs, runOne, type Category } from '../fuzz/hostileFuzzer';
import { measureRendererBlocking, printRendererBlocking } from './rendererBlocking';

const repoRoot = path.resolve(__dirname, '../../..');
const perCategory = Number(process.env['FUZZ_PER_CATEGORY'] ?? 150);
const seed = Number(process.env['FUZZ_SEED'] ?? 2026);

interface Row {
  tried: number;
  crashes: number;
  stops: number;
  past: number;
  bad: number;
  peakHeapMb: number;
  peakRssMb: number;
  ms: number;
}
const rows = new Map<string, Row>();
const examples: string[] = [];
for (const nonNegative of [true, false]) {
  for (const input of fuzzInputs(repoRoot, seed, perCategory, nonNegative)) {
    const key = `${input.category as Category}${nonNegative ? '' : ' (hostile-args)'}`;
    const row = rows.get(key) ?? { tried: 0, crashes: 0, stops: 0, past: 0, bad: 0, peakHeapMb: 0, peakRssMb: 0, ms: 0 };
    rows.set(key, row);
    const t = Date.now();
    const o = runOne(input);
    row.ms += Date.now() - t;
    const mem = process.memoryUsage();
    row.tried++;
    if (o.crash) {
      row.crashes++;
      examples.push(`crash ${input.name}: ${o.crash.split('\n')[0]}`);
    }
    if (o.budgetStop) row.stops++;
    if (o.pastBudget) {
      row.past++;
      examples.push(`past budget: ${input.name}`);
    }
    if (o.badNumbers.length) {
      row.bad++;
      if (examples.length < 30) examples.push(`bad number ${input.name}: ${o.badNumbers[0]}`);
    }
    row.peakHeapMb = Math.max(row.peakHeapMb, mem.heapUsed / 2 ** 20);
    row.peakRssMb = Math.max(row.peakRssMb, mem.rss / 2 ** 20);
  }
}
console.log(`fuzz (seed ${seed}, ${perCategory} per category)`);
console.log(
  ['category'.padEnd(28), 'tried', 'crashes', 'budget stops', 'past budget', 'bad numbers', 'peak heap MB', 'peak RSS MB', 'ms/input'].join(
    ' | ',
  ),
);
for (const [k, r] of rows) {
  console.log(
    [
      k.padEnd(28),
      r.tried,
      r.crashes,
      r.stops,
      r.past,
      r.bad,
      r.peakHeapMb.toFixed(0),
      r.peakRssMb.toFixed(0),
      (r.ms / r.tried).toFixed(0),
    ].join(' | '),
  );
}
for (const e of examples.slice(0, 30)) console.log(`  ${e}`);

// The renderer's side of issue 13 item 6: the worst payloads its limits accept, in Chromium (needs `npm run build`).
if (process.env['FUZZ_RENDERER'] === '0') console.log('\nnotebook renderer: skipped (FUZZ_RENDERER=0)');
else if (!fs.existsSync(path.join(repoRoot, 'dist/renderer/profileWorker.js')))
  console.log('\nnotebook renderer: skipped (run `npm run build` first)');
else
  void measureRendererBlocking(Number(process.env['RENDERER_RUNS'] ?? 3)).then(printRendererBlocking, (e: unknown) => {
    console.log(`\nnotebook renderer: not measured (${e instanceof Error ? e.message : String(e)})`);
  });
