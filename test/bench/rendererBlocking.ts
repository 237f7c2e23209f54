// How long the worst runtime payloads the notebook renderer accepts block its main thread (issue 13 item 6),
// measured in Debian's Chromium on the real bundle (test/browser/rendererHarness.ts): each payload is put in
// the page first, then rendered; a heartbeat of zero-delay timers in the page sees every task over 50 ms
// as a gap between beats: the longest gap, and the total blocking time (the sum of each gap's time over
// 50 ms, as Lighthouse defines it), until the output shows its table or its error. Printed by `npm run bench:fuzz`; not a test (figures vary with load).
import { promises as fs } from 'fs';
import * as path from 'path';
import { PROFILE_MIME } from '../../extension/protocol/rendererMessages';
import { RUNTIME_LIMITS } from '../../extension/protocol/validateRuntime';
import { ROOT } from '../browser/harness';
import { RendererHarness } from '../browser/rendererHarness';

export interface BlockingFigure {
  readonly what: string;
  readonly megabytes: number;
  readonly longestTaskMs: number;
  readonly blockingMs: number;
  readonly untilShownMs: number;
  readonly shown: string;
}

type Json = Record<string, unknown>;

async function fixturePayload(): Promise<Json> {
  const nb = JSON.parse(await fs.readFile(path.join(ROOT, 'test/integration/workspace/renderer.ipynb'), 'utf8')) as {
    cells: { id: string; outputs?: { data: Record<string, unknown> }[] }[];
  };
  return nb.cells.find((c) => c.id === 'runtime')!.outputs![0]!.data[PROFILE_MIME] as Json;
}

/** The payloads at the renderer's bounds (RUNTIME_LIMITS): each is accepted, except the last, which is just over. */
function payloads(src: Json): [string, Json][] {
  const [conv] = src['layers'] as Json[];
  const call = (conv!['calls'] as unknown[])[0];
  const [flat] = src['functionals'] as Json[];
  const layers = (n: number, calls: number): Json[] =>
    Array.from({ length: n }, (_, i) => ({
      ...conv!,
      path: `block${i}.conv`,
      hyperparams: { ...(conv!['hyperparams'] as Json), out_channels: 8 + (i % 64) },
      calls: new Array(calls).fill(call),
    }));
  const ops = (n: number): Json[] => Array.from({ length: n }, (_, i) => ({ ...flat!, modulePath: `block${i % 1000}` }));
  const { layers: maxLayers, calls: maxCalls, callsPerLayer, functionals: maxOps } = RUNTIME_LIMITS;
  return [
    [`${maxLayers} layers × 1 call + ${maxOps} functionals`, { ...src, layers: layers(maxLayers, 1), functionals: ops(maxOps) }],
    [`${maxCalls / callsPerLayer} layers × ${callsPerLayer} calls`, { ...src, layers: layers(maxCalls / callsPerLayer, callsPerLayer) }],
    [`over the bound: ${maxLayers} layers × 2 calls`, { ...src, layers: layers(maxLayers, 2) }],
  ];
}

export async function measureRendererBlocking(runs = 3): Promise<BlockingFigure[]> {
  const src = await fixturePayload();
  const h = await RendererHarness.start();
  const out: BlockingFigure[] = [];
  try {
    for (const [what, payload] of payloads(src)) {
      const text = JSON.stringify(payload);
      const samples: Omit<BlockingFigure, 'what' | 'megabytes'>[] = [];
      for (let run = 0; run < runs; run++) {
        const rp = await h.open();
        // The output item, with its bytes, exists before the measurement, as in VS Code.
        await rp.page.evaluate(
          ([t, mime]) => {
            const w = window as unknown as Json;
            w['__item'] = (w['__convlensItem'] as (...a: string[]) => unknown)('big', mime, t);
          },
          [text, PROFILE_MIME] as const,
        );
        const r = await rp.page.evaluate(async () => {
          const w = window as unknown as Json;
          // A heartbeat of zero-delay timers: a gap between two beats is a task that held the main thread.
          const tasks: number[] = [];
          let last = performance.now();
          let beating = true;
          const beat = (): void => {
            const now = performance.now();
            if (now - last > 50) tasks.push(now - last);
            last = now;
            if (beating) setTimeout(beat, 0);
          };
          setTimeout(beat, 0);
          const start = performance.now();
          // Rendered from a task of its own, as VS Code calls renderOutputItem.
          await new Promise<void>((res) =>
            setTimeout(() => void (w['__convlensRenderItem'] as (item: unknown) => Promise<void>)(w['__item']).then(res), 0),
          );
          // Until the output shows its table or its error (a chunked or worker render finishes after renderOutputItem returns).
          const root = () => document.getElementById('out-big')?.shadowRoot;
          let shown = '';
          while (!shown) {
            const r = root();
            if (r?.querySelector('.error')) shown = `error: ${r.querySelector('.error pre')?.textContent?.slice(0, 90) ?? ''}`;
            else if (r?.querySelector('table.layers tbody tr')) shown = `table: ${r.querySelectorAll('table.layers tbody tr').length} rows`;
            else await new Promise((res) => setTimeout(res, 10));
          }
          const untilShownMs = performance.now() - start;
          // A task still running when the table appeared ends a gap after it.
          await new Promise((res) => setTimeout(res, 300));
          beating = false;
          return { tasks, untilShownMs, shown };
        });
        samples.push({
          longestTaskMs: Math.max(0, ...r.tasks),
          blockingMs: r.tasks.reduce((s, d) => s + Math.max(0, d - 50), 0),
          untilShownMs: r.untilShownMs,
          shown: r.shown,
        });
        await rp.page.context().close();
      }
      const med = (k: 'longestTaskMs' | 'blockingMs' | 'untilShownMs'): number =>
        samples.map((s) => s[k]).sort((a, b) => a - b)[samples.length >> 1]!;
      out.push({
        what,
        megabytes: text.length / 2 ** 20,
        longestTaskMs: med('longestTaskMs'),
        blockingMs: med('blockingMs'),
        untilShownMs: med('untilShownMs'),
        shown: samples[0]!.shown,
      });
    }
  } finally {
    await h.close();
  }
  return out;
}

export function printRendererBlocking(figures: readonly BlockingFigure[]): void {
  console.log(
    '\nnotebook renderer, main thread (Chromium, median of runs): payload | MB | longest task | total blocking | until shown | shown',
  );
  for (const f of figures)
    console.log(
      [
        f.what,
        f.megabytes.toFixed(1),
        `${f.longestTaskMs.toFixed(0)} ms`,
        `${f.blockingMs.toFixed(0)} ms`,
        `${f.untilShownMs.toFixed(0)} ms`,
        f.shown,
      ].join(' | '),
    );
}

if (require.main === module) {
  void measureRendererBlocking(Number(process.env['RENDERER_RUNS'] ?? 3)).then(printRendererBlocking, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
