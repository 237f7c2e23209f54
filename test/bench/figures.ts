// What the benchmarks share: medians and p95s of repeated timings, the table of issue #11's speed targets
// (each figure beside its target and its baseline) and, with `--cpu-prof`, a CPU profile of a measured
// section summarised as its heaviest functions (printed; the profile itself goes to the OS temp folder).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Session } from 'inspector';

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** One target of issue #11: what is measured, its samples, the target and the baseline it started from. */
export interface TargetRow {
  readonly what: string;
  /** Milliseconds (or the unit below) of each run. */
  readonly samples: readonly number[];
  readonly target: string;
  /** The figure before the work on #11 (the issue's, on a quiet machine, unless it says otherwise). */
  readonly baseline: string;
  readonly unit?: string;
  /** Shown after the figures (a ratio, what was not measured). */
  readonly note?: string;
}

export function printTargets(title: string, rows: readonly TargetRow[]): void {
  console.log(`\n${title}`);
  const head = ['figure', 'runs', 'median', 'p95', 'target', 'baseline'];
  const table = rows.map((r) => {
    const unit = r.unit ?? 'ms';
    const fmt = (n: number) => (Number.isNaN(n) ? '—' : `${n >= 100 ? n.toFixed(0) : n.toFixed(1)} ${unit}`);
    return [r.what, String(r.samples.length), fmt(median(r.samples)), fmt(quantile(r.samples, 0.95)), r.target, r.baseline];
  });
  const widths = head.map((h, k) => Math.max(h.length, ...table.map((row) => row[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  console.log(line(head));
  for (const [k, row] of table.entries()) {
    console.log(line(row));
    if (rows[k]!.note) console.log(`    ${rows[k]!.note}`);
  }
}

/** Runs `f` under the V8 profiler and prints the functions with the most self time (and where time went by file). */
export async function withCpuProfile<T>(label: string, f: () => T | Promise<T>, top = 25): Promise<T> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  const result = await f();
  const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  const file = path.join(os.tmpdir(), `convlens-${label.replace(/\W+/g, '-')}-${process.pid}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  printProfile(label, profile, top, file);
  return result;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function printProfile(label: string, p: CpuProfile, top: number, file: string): void {
  const self = new Map<number, number>();
  p.samples.forEach((id, k) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[k] ?? 0) / 1000));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const ms = self.get(n.id) ?? 0;
    if (!ms) continue;
    total += ms;
    const where = n.callFrame.url ? path.basename(n.callFrame.url) : '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}${where ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const group = n.callFrame.url.includes('@lezer') ? '@lezer (parser)' : where || n.callFrame.functionName;
    byFile.set(group, (byFile.get(group) ?? 0) + ms);
  }
  const list = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `  ${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  console.log(`\nCPU profile of ${label}: ${total.toFixed(0)} ms sampled (${file})`);
  console.log(`by file:\n${list(byFile, 12)}`);
  console.log(`by function (self time):\n${list(byFunction, top)}`);
}
