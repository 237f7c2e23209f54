// `npm run bench:playground`: per variant, ORT-web latency (median of repeats) and achieved GMAC/s on
// WASM and, where Chromium has an adapter, WebGPU, next to the MACs by formula (convMath). Runs the
// real dist bundle through the browser-test harness. Not part of `npm test`.
import { BENCH_CASES } from '../browser/cases';
import { Harness } from '../browser/harness';

const REPEATS = Number(process.env['CONVLENS_BENCH_REPEATS'] ?? 20);

async function main(): Promise<void> {
  const h = await Harness.start();
  try {
    const pg = await h.open();
    const hasGpu = await pg.page.evaluate(async () => {
      const g = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return !!(g && (await g.requestAdapter()));
    });
    const backends = hasGpu ? (['wasm', 'webgpu'] as const) : (['wasm'] as const);
    if (!hasGpu) console.log('WebGPU: no adapter in this Chromium; WASM only.');
    console.log(`ORT-web 1.30, batch 1, median of ${REPEATS} runs after one warm-up (one thread: a webview is not cross-origin isolated).`);
    const rows: string[][] = [['variant', 'shape', 'params', 'MACs (formula)', ...backends.flatMap((b) => [`${b} ms`, `${b} GMAC/s`])]];
    for (const [name, params] of BENCH_CASES) {
      const cells: string[] = [
        name,
        `${params.inChannels}→${params.outChannels} ${params.kernelSize.join('×')} @${params.inputSize.join('×')}`,
      ];
      let macs = 0;
      let paramCount = 0;
      const timing: string[] = [];
      for (const backend of backends) {
        const reply = await pg.run(params, backend, { repeats: REPEATS, includeTensors: false });
        if (reply.type === 'runFailed') {
          timing.push(`error: ${reply.error.message}`, '');
          continue;
        }
        const s = reply.summary;
        macs = s.macs;
        paramCount = s.params;
        timing.push(s.latencyMs.toFixed(2), (s.macs / (s.latencyMs * 1e6)).toFixed(2));
      }
      rows.push([...cells, paramCount.toLocaleString('en-US'), macs.toLocaleString('en-US'), ...timing]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
    for (const r of rows) console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    console.log('ACBlock is timed in its three-branch training form; its MACs include one per BatchNorm output.');
  } finally {
    await h.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
