// Browser tests of the real notebook renderer bundle (dist/renderer) with a fake renderer context: both
// MIME types, the convention switcher, static vs runtime side by side, malformed and hostile payloads
// (each shows an error or plain text in its own output and breaks nothing else), untrusted workspaces,
// and disposeOutputItem releasing the playground's ONNX Runtime session. Payloads come from the
// integration fixture notebook (test/integration/workspace/renderer.ipynb), so both suites read the same data.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { formatCount, formatCountBoth } from '../../extension/core/numberFormat';
import type { CliReport } from '../../extension/core/report/reportTypes';
import { CONV_MIME, PROFILE_MIME, REPORT_LIMITS } from '../../extension/protocol/rendererMessages';
import { RUNTIME_LIMITS } from '../../extension/protocol/validateRuntime';
import { expect } from './expect';
import { ROOT } from './harness';
import { RendererHarness, type RendererPage } from './rendererHarness';

interface NotebookJson {
  cells: { id: string; outputs?: { data: Record<string, unknown> }[] }[];
}

let notebook: NotebookJson;
function outputData(cellId: string, index = 0, mime = PROFILE_MIME): unknown {
  const cell = notebook.cells.find((c) => c.id === cellId);
  const data = cell?.outputs?.[index]?.data[mime];
  assert.ok(data, `fixture cell ${cellId} output ${index} has ${mime}`);
  return JSON.parse(JSON.stringify(data));
}
const staticReport = (): CliReport => outputData('tinynet') as CliReport;
const runtimePayload = (): Record<string, unknown> => outputData('runtime') as Record<string, unknown>;

// TinyNet: Conv2d(3, 8, 3, padding=1), BatchNorm2d(8), ReLU, AdaptiveAvgPool2d(1), Linear(8, 10).
const TINYNET_PARAMS = 8 * 3 * 3 * 3 + 8 + 2 * 8 + (8 * 10 + 10);
const TINYNET_LAYERS = ['conv', 'bn', 'relu', 'pool', 'fc'];

/** The macs cell of a totals block, as every surface writes it: exact count, then the compact form (`1,234 (1.23K)`). */
const macsTotal = (macs: number): string => formatCountBoth(macs);

/** Renders a runtime payload as output `id` and waits for its request for the static side. */
async function renderRuntime(rp: RendererPage, id: string): Promise<Record<string, unknown>> {
  await rp.render(id, PROFILE_MIME, JSON.stringify(runtimePayload()));
  return rp.waitForPost((m) => m['type'] === 'requestStaticProfile' && m['outputId'] === id);
}

/** The static report with the conv's params changed and the relu layer gone: two differences. */
function differingReport(): CliReport {
  const report = staticReport();
  return { ...report, layers: report.layers.map((l) => (l.path === 'conv' ? { ...l, params: 1 } : l)).filter((l) => l.path !== 'relu') };
}

describe('notebook renderer in Chromium (real dist/renderer bundle)', function () {
  let h: RendererHarness;

  before(async function () {
    notebook = JSON.parse(await fs.readFile(path.join(ROOT, 'test', 'integration', 'workspace', 'renderer.ipynb'), 'utf8')) as NotebookJson;
    h = await RendererHarness.start();
  });

  after(async function () {
    await h?.close();
  });

  // Each test renders its own output (its own id), so none depends on what an earlier one left on the page.
  describe('profile outputs', function () {
    let rp: RendererPage;
    before(async function () {
      rp = await h.open();
    });

    it('renders a static report: one table row per layer, totals, chart, tree, every convention', async function () {
      const report = staticReport();
      await rp.render('static', PROFILE_MIME, JSON.stringify(report));
      const rows = rp.output('static', 'table.layers tbody tr');
      await expect(rows).toHaveCount(TINYNET_LAYERS.length);
      assert.deepStrictEqual(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-path'))), TINYNET_LAYERS);
      await expect(rp.output('static', '[data-total="params"] dd')).toHaveText(String(TINYNET_PARAMS));
      await expect(rp.output('static', '[data-total="macs"] dd')).toHaveText(macsTotal(report.totals.macs!));
      await expect(rp.output('static', '[data-total="input"] dd')).toHaveText('1×3×32×32');
      await expect(rp.output('static', 'select#convention option')).toHaveCount(7);
      // TinyNet's layers are the model's direct children: at depth 1 the chart has one bar per layer with MACs.
      await expect(rp.output('static', 'canvas.macs-chart li')).toHaveCount(report.layers.filter((l) => (l.macs ?? 0) > 0).length);
      await expect(rp.output('static', 'table.module-tree tr[data-path=""]')).toHaveCount(1);
      assert.deepStrictEqual(rp.errors, []);
    });

    it('shows the torchinfo-style summary: modules with their sums and share of the MACs, opened to the chosen depth', async function () {
      // A nested model: two blocks of two layers each, built from TinyNet's conv so the figures are real ones.
      const report = staticReport();
      const conv = report.layers.find((l) => l.path === 'conv')!;
      const nested: CliReport = {
        ...report,
        conventions: undefined,
        layers: ['a.0', 'a.1', 'b.0', 'b.1'].map((p, i) => ({ ...conv, path: p, macs: conv.macs! * (i + 1) })),
        totals: { ...report.totals, macs: conv.macs! * 10 },
      };
      await rp.render('nested', PROFILE_MIME, JSON.stringify(nested));
      const row = (p: string) => rp.output('nested', `table.module-tree tr[data-path="${p}"]`);
      // Depth 1: the model and its two blocks show; the layers inside wait behind their block's toggle.
      await expect(row('a')).toBeVisible();
      await expect(row('a.0')).toBeHidden();
      await expect(row('a').locator('td').nth(3)).toHaveText(formatCount(conv.macs! * 3, 'exact'));
      await expect(row('a').locator('td.pct')).toHaveText('30.0%');
      await expect(row('b').locator('td.pct')).toHaveText('70.0%');
      await row('a').locator('button.toggle').click();
      await expect(row('a.0')).toBeVisible();
      await expect(row('b.0')).toBeHidden();
      // The chart follows the depth: two blocks at depth 1, four layers at depth 2.
      await expect(rp.output('nested', 'canvas.macs-chart li')).toHaveCount(2);
      await rp.output('nested', 'select#depth').selectOption('2');
      await expect(row('b.1')).toBeVisible();
      await expect(rp.output('nested', 'canvas.macs-chart li')).toHaveCount(4);
      await expect(rp.output('nested', 'section.chart h3')).toHaveText('MACs by module (depth 2)');
      assert.deepStrictEqual(rp.errors, []);
    });

    it('draws no chart when no MACs are known (no empty axis)', async function () {
      const report = staticReport();
      const unknown: CliReport = {
        ...report,
        conventions: undefined,
        layers: report.layers.map((l) => ({ ...l, macs: null })),
        totals: { ...report.totals, macs: null, flops: null, macsPerPixel: null },
      };
      await rp.render('nomacs', PROFILE_MIME, JSON.stringify(unknown));
      await expect(rp.output('nomacs', 'table.module-tree tr[data-path="conv"]')).toHaveCount(1);
      await expect(rp.output('nomacs', 'canvas.macs-chart')).toHaveCount(0);
    });

    it('switches the convention: totals and layer MACs come from that convention, and the choice is kept', async function () {
      const report = staticReport();
      const fvcore = report.conventions!.fvcore!;
      await rp.render('switch', PROFILE_MIME, JSON.stringify(report));
      await expect(rp.output('switch', '[data-total="macs"] dd')).toHaveText(macsTotal(report.totals.macs!));
      await rp.output('switch', 'select#convention').selectOption('fvcore');
      await expect(rp.output('switch', '[data-total="macs"] dd')).toHaveText(macsTotal(fvcore.totals.macs!));
      const convMacs = fvcore.layers.find((l) => l.path === 'conv')!.macs!;
      await expect(rp.output('switch', 'table.layers tr[data-path="conv"] td:nth-of-type(3)')).toHaveText(convMacs.toLocaleString('en-US'));
      // Rendering the same output again (VS Code does on scroll or reload) restores the choice.
      await rp.render('switch', PROFILE_MIME, JSON.stringify(report));
      await expect(rp.output('switch', 'select#convention')).toHaveValue('fvcore');
      await expect(rp.output('switch', '[data-total="macs"] dd')).toHaveText(macsTotal(fvcore.totals.macs!));
    });

    it('renders a runtime payload with the core conventions and asks the extension for the static side', async function () {
      const req = await renderRuntime(rp, 'runtime');
      assert.deepStrictEqual({ name: req['name'], input: req['input'] }, { name: 'TinyNet', input: [1, 3, 32, 32] });
      await expect(rp.output('runtime', 'header')).toHaveText(/TinyNet — runtime profile.*torch/);
      await expect(rp.output('runtime', '.comparison')).toHaveText(/Asking Conv Lens/);
      await expect(rp.output('runtime', '[data-total="params"] dd')).toHaveText(String(TINYNET_PARAMS));
      await expect(rp.output('runtime', 'table.layers tbody tr')).toHaveCount(TINYNET_LAYERS.length);
    });

    it('shows static and runtime side by side, agreeing', async function () {
      await renderRuntime(rp, 'agree');
      await rp.deliver({ type: 'staticProfile', outputId: 'agree', report: staticReport(), source: 'TinyNet() analysed from test' });
      await expect(rp.output('agree', '.comparison .verdict')).toHaveText(/agree on every layer/);
      await expect(rp.output('agree', 'table.compare tbody tr.same')).toHaveCount(TINYNET_LAYERS.length);
    });

    it('flags every difference between static and runtime', async function () {
      await renderRuntime(rp, 'differ');
      await rp.deliver({ type: 'staticProfile', outputId: 'differ', report: differingReport(), source: 'a different model' });
      await expect(rp.output('differ', 'table.compare tr[data-path="conv"] td.flag')).toHaveText(/params differ/);
      await expect(rp.output('differ', 'table.compare tr[data-path="relu"] td.flag')).toHaveText(/only at runtime/);
      await expect(rp.output('differ', '.comparison .verdict')).toHaveText(/^2 differences/);
    });

    it('ignores messages for other outputs and malformed messages', async function () {
      await renderRuntime(rp, 'ignore');
      await rp.deliver({ type: 'staticProfile', outputId: 'ignore', report: differingReport(), source: 'a different model' });
      await expect(rp.output('ignore', '.comparison .verdict')).toHaveText(/^2 differences/);
      await rp.deliver({ type: 'staticProfileUnavailable', outputId: 'someone-else', reason: 'nope' });
      await rp.deliver({ type: 'staticProfile', outputId: 'ignore', report: { entry: 1 }, source: 'bad' });
      // The renderer handles a delivered message synchronously (deliver() returns after its listeners ran), so the
      // verdict read now is the one after both messages: unchanged.
      assert.match(await rp.output('ignore', '.comparison .verdict').innerText(), /^2 differences/);
      await rp.deliver({ type: 'staticProfileUnavailable', outputId: 'ignore', reason: '<b>no model</b>' });
      await expect(rp.output('ignore', '.comparison')).toHaveText(/No static profile to compare with: <b>no model<\/b>/);
      await expect(rp.output('ignore', '.comparison b')).toHaveCount(0);
    });
  });

  describe('malformed and hostile payloads', function () {
    let rp: RendererPage;
    before(async function () {
      rp = await h.open();
      await rp.render('good', PROFILE_MIME, JSON.stringify(staticReport()));
    });

    /** The runtime fixture's layers, `layers` of them, each called `calls` times with the conv's first call. */
    const manyCalls = (layers: number, calls: number): unknown[] => {
      const src = runtimePayload()['layers'] as Record<string, unknown>[];
      const call = (src[0]!['calls'] as unknown[])[0];
      return Array.from({ length: layers }, (_, i) => ({ ...src[0]!, path: `l${i}`, calls: new Array(calls).fill(call) }));
    };
    const withHyperparam = (key: string, value: unknown): unknown[] => {
      const [first, ...rest] = runtimePayload()['layers'] as Record<string, unknown>[];
      return [{ ...first!, hyperparams: { ...(first!['hyperparams'] as object), [key]: value } }, ...rest];
    };
    const big = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ ...staticReport().layers[0]!, path: `l${i}` }));
    const cases: [string, string, () => string, RegExp][] = [
      ['text that is not JSON', PROFILE_MIME, () => '{"entry": ', /not JSON/],
      [
        'an unknown schema',
        PROFILE_MIME,
        () => JSON.stringify(outputData('hostile', 0)),
        /payload\.schema: expected "convlens\.runtime\/1"/,
      ],
      [
        'a runtime payload with a wrong field',
        PROFILE_MIME,
        () => JSON.stringify({ ...runtimePayload(), input: 'big' }),
        /payload\.input: expected an array/,
      ],
      [
        'a report missing totals',
        PROFILE_MIME,
        () => JSON.stringify({ ...staticReport(), totals: undefined }),
        /report\.totals: expected an object/,
      ],
      [
        'negative params',
        PROFILE_MIME,
        () => JSON.stringify({ ...staticReport(), layers: [{ ...staticReport().layers[0]!, params: -5 }] }),
        /report\.layers\[0\]\.params: expected a non-negative integer/,
      ],
      [
        'an unknown convention',
        PROFILE_MIME,
        () => JSON.stringify({ ...staticReport(), conventions: { flopsomatic: {} } }),
        /report\.conventions key "flopsomatic"/,
      ],
      [
        'a __proto__ key',
        PROFILE_MIME,
        () => JSON.stringify(staticReport()).replace('"conventions":{', '"conventions":{"__proto__":{"totals":{}},'),
        /report\.conventions: forbidden key "__proto__"/,
      ],
      [
        'too many layers',
        PROFILE_MIME,
        () => JSON.stringify({ ...staticReport(), layers: big(REPORT_LIMITS.layers + 1) }),
        /report\.layers: more than 20000 items/,
      ],
      [
        'a huge string',
        PROFILE_MIME,
        () => JSON.stringify({ ...staticReport(), entry: 'x'.repeat(REPORT_LIMITS.stringChars + 1) }),
        /report\.entry: string longer than 4096/,
      ],
      [
        // The issue-13 freeze: 55 layers × 10,000 calls (29 MB, under the byte cap) took 44.7 s to render. The
        // call count bounds the work, and it is counted before any call is read.
        'a runtime payload with more calls than the renderer works through',
        PROFILE_MIME,
        () => JSON.stringify({ ...runtimePayload(), layers: manyCalls(55, 10_000) }),
        /payload: more than 40000 recorded calls and ops: too large to show/,
      ],
      [
        'a runtime payload over the total call bound',
        PROFILE_MIME,
        () => JSON.stringify({ ...runtimePayload(), layers: manyCalls(5, RUNTIME_LIMITS.callsPerLayer) }),
        /payload\.layers: 25000 calls in all, more than the 20000 shown: too large to show/,
      ],
      [
        'a runtime payload with groups: 0',
        PROFILE_MIME,
        () => JSON.stringify({ ...runtimePayload(), layers: withHyperparam('groups', 0) }),
        /payload\.layers\[0\]\.hyperparams\.groups: expected a whole number from 1/,
      ],
      ['deep nesting', PROFILE_MIME, () => `${'['.repeat(200_000)}${']'.repeat(200_000)}`, /expected an object|nested too deeply|not JSON/],
      ['an output larger than the limit', PROFILE_MIME, () => `"${'a'.repeat(REPORT_LIMITS.jsonChars + 10)}"`, /bytes, more than/],
      ['a conv payload with a typo', CONV_MIME, () => JSON.stringify(outputData('hostile', 2, CONV_MIME)), /unknown key "kernal_size"/],
      ['a conv payload with a wrong variant', CONV_MIME, () => JSON.stringify({ variant: 'fancy' }), /variant must be one of/],
      ['a conv payload with a fractional size', CONV_MIME, () => JSON.stringify({ kernelSize: 2.5 }), /every size must be an integer/],
      ['an unexpected MIME type', 'application/json', () => '{}', /unexpected MIME type/],
    ];
    for (const [name, mime, data, expected] of cases) {
      it(`shows an error for ${name}`, async function () {
        const id = name.replace(/\W+/g, '-');
        await rp.render(id, mime, data());
        await expect(rp.output(id, '.error')).toHaveText(expected);
      });
    }

    it('shows HTML in names as text and runs nothing from the payload', async function () {
      const hostile = outputData('hostile', 1) as CliReport;
      await rp.render('hostile', PROFILE_MIME, JSON.stringify(hostile));
      // The first layer's row: its name and its type are the payload's markup, shown as text.
      await expect(rp.output('hostile', 'table.layers tbody tr:nth-child(1) th')).toHaveText(hostile.layers[0]!.path);
      await expect(rp.output('hostile', 'table.layers tbody tr:nth-child(1) td:nth-of-type(1)')).toHaveText(
        '<script>document.title=2</script>',
      );
      await expect(rp.output('hostile', '.diagnostics')).toHaveText(/<b>bold\?<\/b> & <i>no<\/i>/);
      // Read once the output has drawn (above): none of the payload's markup became an element.
      assert.strictEqual(await rp.output('hostile', 'img').count(), 0);
      assert.strictEqual(await rp.output('hostile', 'script').count(), 0);
      assert.strictEqual(await rp.output('hostile', 'b').count(), 0);
      await rp.render('hostile-label', CONV_MIME, JSON.stringify({ label: '<img src=x onerror="document.title=3">', inputSize: 6 }));
      await expect(rp.output('hostile-label', 'header .playground-label')).toHaveText('<img src=x onerror="document.title=3">');
      assert.strictEqual(await rp.output('hostile-label', 'img').count(), 0);
      assert.strictEqual(await rp.page.title(), 'renderer test');
    });

    it('renders a runtime payload at the call bound: a layer called many times is one row', async function () {
      const src = runtimePayload();
      const layers = (src['layers'] as Record<string, unknown>[]).map((l, i) =>
        i === 0 ? { ...l, calls: new Array(RUNTIME_LIMITS.callsPerLayer).fill((l['calls'] as unknown[])[0]) } : l,
      );
      await rp.render('many-calls', PROFILE_MIME, JSON.stringify({ ...src, layers }));
      await expect(rp.output('many-calls', 'table.layers tbody tr')).toHaveCount(TINYNET_LAYERS.length);
      await expect(rp.output('many-calls', '.error')).toHaveCount(0);
      // Read in the renderer's worker (profileReader.ts), started from its own folder under the page's policy.
      assert.strictEqual((await rp.stats()).profileReadIn, 'worker');
    });

    it('keeps the other outputs working and logs no page errors', async function () {
      await expect(rp.output('good', 'table.layers tbody tr')).toHaveCount(TINYNET_LAYERS.length);
      assert.deepStrictEqual(
        rp.errors.filter((e) => !/SharedArrayBuffer|numThreads/.test(e)),
        [],
      );
    });
  });

  describe('conv outputs', function () {
    it('runs the playground in the output and releases its ORT session on disposeOutputItem', async function () {
      const rp = await h.open();
      await rp.render('conv', CONV_MIME, JSON.stringify(outputData('conv', 0, CONV_MIME)));
      // The heading's label, not the connectivity diagram's stage labels (SVG text drawn once the first run is over).
      await expect(rp.output('conv', 'header h1')).toHaveText('Convolution playground');
      await expect(rp.output('conv', 'header .playground-label')).toHaveText('TinyNet-sized depthwise-separable block');
      const ready = await rp.waitForPost((m) => m['type'] === 'playground' && m['outputId'] === 'conv');
      assert.deepStrictEqual(ready['message'], { type: 'ready' });
      const done = await rp.waitForPost((m) => m['type'] === 'playground' && (m['message'] as { type: string }).type !== 'ready');
      assert.strictEqual((done['message'] as { type: string }).type, 'runCompleted', JSON.stringify(done));
      await expect(rp.output('conv', '.status')).toHaveText(/WASM/);
      await expect(rp.output('conv', 'svg.connectivity text.stage-label')).toHaveText(['depthwise (groups = Cin = 8)', 'pointwise 1×1']);
      assert.deepStrictEqual(await rp.stats(), { views: 1, ortSessions: 1, profileReadIn: null });
      await rp.dispose('conv');
      await rp.page.waitForFunction(
        () => (window as unknown as { __convlensApi: { stats(): { ortSessions: number } } }).__convlensApi.stats().ortSessions === 0,
      );
      assert.deepStrictEqual(await rp.stats(), { views: 0, ortSessions: 0, profileReadIn: null });
      await expect(rp.output('conv', 'main')).toHaveCount(0);
    });

    it('answers run requests sent through the renderer protocol', async function () {
      const rp = await h.open();
      await rp.render('c2', CONV_MIME, JSON.stringify({ inputSize: 8 }));
      await rp.waitForPost((m) => m['type'] === 'playground' && (m['message'] as { type: string }).type === 'runCompleted');
      const params = {
        variant: 'standard',
        inChannels: 2,
        outChannels: 3,
        kernelSize: [3, 3],
        stride: [1, 1],
        padding: [0, 0],
        dilation: [1, 1],
        groups: 1,
        outputPadding: [0, 0],
        inputSize: [5, 5],
        bias: false,
        seed: 1,
      };
      await rp.deliver({
        type: 'playground',
        outputId: 'c2',
        message: { type: 'runRequest', requestId: 'q1', params, backend: 'wasm', repeats: 1, includeTensors: false },
      });
      const reply = await rp.waitForPost((m) => m['type'] === 'playground' && (m['message'] as { requestId?: string }).requestId === 'q1');
      const summary = (reply['message'] as { summary: { outputDims: number[]; macs: number } }).summary;
      assert.deepStrictEqual(summary.outputDims, [1, 3, 3, 3]);
      assert.strictEqual(summary.macs, 3 * 3 * 3 * 2 * 3 * 3); // Cout·Ho·Wo · Cin·k·k
      await rp.dispose();
      assert.strictEqual((await rp.stats()).views, 0);
    });
  });

  describe('untrusted workspace and no messaging', function () {
    it('renders profiles without the switcher and conv outputs as static text, loading no ORT', async function () {
      const rp = await h.open({ trusted: false });
      await rp.render('p', PROFILE_MIME, JSON.stringify(staticReport()));
      await expect(rp.output('p', 'table.layers tbody tr')).toHaveCount(TINYNET_LAYERS.length);
      assert.strictEqual(await rp.output('p', 'select').count(), 0);
      await expect(rp.output('p', '.convention')).toHaveText(/Counting convention: ptflops/);
      await rp.render('c', CONV_MIME, JSON.stringify(outputData('conv', 0, CONV_MIME)));
      await expect(rp.output('c', '.status')).toHaveText(/Output 1×16×12×12/);
      await expect(rp.output('c', 'header .playground-label')).toHaveText('TinyNet-sized depthwise-separable block');
      await expect(rp.output('c', '.hint')).toHaveText(/trust the workspace/);
      assert.strictEqual(await rp.output('c', ':is(input, select, button)').count(), 0);
      assert.deepStrictEqual(await rp.stats(), { views: 1, ortSessions: 0, profileReadIn: 'worker' });
    });

    it('says why there is no static side when the renderer cannot message the extension', async function () {
      const rp = await h.open({ messaging: false });
      await rp.render('r', PROFILE_MIME, JSON.stringify(runtimePayload()));
      await expect(rp.output('r', '.comparison')).toHaveText(
        /No static profile to compare with: this notebook viewer does not let the renderer talk/,
      );
    });
  });
});
