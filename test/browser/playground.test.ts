// Browser tests of the real playground bundle: every variant on WASM (and WebGPU where Chromium has an
// adapter) against the plain-TypeScript reference, ACBlock fused vs training form, PyTorch's messages
// for bad parameters, hostile strings, malformed messages, CSP, state restore, and theme screenshots.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { DEFAULT_PLAYGROUND_STATE, type PlaygroundParams, type TensorData } from '../../extension/protocol/playgroundMessages';
import { referenceForward } from '../../webview/playground/model/referenceConv';
import { maxAbsDiff } from '../../webview/playground/model/floatTensor';
import { buildVariantModel, seededInput } from '../../webview/playground/model/variantModel';
import { stateDictBytes } from '../unit/helpers/weightFiles';
import { CORRECTNESS_CASES } from './cases';
import { expect } from './expect';
import { Harness, ROOT, type PlaygroundPage, type RunReply } from './harness';

const TOLERANCE = 1e-4;

// Exact locators: the playground has one run-error box (main's own child; the cost table has td.error cells too),
// one status line and one heading label (the connectivity SVG has stage labels of its own).
const ERROR_BOX = 'main.playground > .error';
const STATUS = 'main.playground > .status';
const HEADING_LABEL = 'header .playground-label';

function tensorOf(reply: RunReply, name: string): TensorData {
  assert.strictEqual(reply.type, 'runCompleted', reply.type === 'runFailed' ? `${reply.error.kind}: ${reply.error.message}` : '');
  const t = reply.type === 'runCompleted' ? reply.summary.tensors?.find((x) => x.name === name) : undefined;
  assert.ok(t, `no tensor ${name} in the reply`);
  return t;
}

/** Compares the page's output with the reference computed here in Node from the same seed. */
function checkAgainstReference(params: PlaygroundParams, reply: RunReply): { err: number; fusedErr: number | null } {
  const built = buildVariantModel(params);
  assert.ok(built.ok, 'the case must be valid');
  const input = seededInput(params);
  assert.strictEqual(maxAbsDiff(tensorOf(reply, 'input').data, input.data), 0, 'the page and Node must draw the same seeded input');
  const expected = referenceForward(built.model, input, 'train');
  const got = tensorOf(reply, 'output');
  assert.deepStrictEqual(got.dims, expected.dims);
  const err = maxAbsDiff(got.data, expected.data);
  assert.ok(err <= TOLERANCE, `max abs error ${err} > ${TOLERANCE}`);
  let fusedErr: number | null = null;
  if (built.model.kind === 'acblock') {
    const deploy = tensorOf(reply, 'deployOutput');
    fusedErr = maxAbsDiff(deploy.data, got.data);
    assert.ok(fusedErr <= TOLERANCE, `ACBlock fused vs training form (ORT): ${fusedErr}`);
    const refFused = maxAbsDiff(referenceForward(built.model, input, 'deploy').data, expected.data);
    assert.ok(refFused <= TOLERANCE, `ACBlock fused vs training form (reference): ${refFused}`);
    assert.ok(reply.type === 'runCompleted' && reply.summary.maxAbsDiff !== null && reply.summary.maxAbsDiff <= TOLERANCE);
  }
  return { err, fusedErr };
}

describe('convolution playground in Chromium (real dist bundle)', function () {
  let h: Harness;
  let pg: PlaygroundPage;
  const report: string[] = [];

  before(async function () {
    h = await Harness.start();
    pg = await h.open();
  });

  after(async function () {
    if (report.length) console.log(`\n      max abs errors vs reference:\n${report.map((r) => `        ${r}`).join('\n')}`);
    await h?.close();
  });

  it('shows a first run on load without CSP violations or console errors', async function () {
    const first = pg.messages.find((m) => m.type === 'runCompleted');
    assert.ok(first && first.type === 'runCompleted', JSON.stringify(pg.messages.filter((m) => m.type === 'runFailed')));
    assert.deepStrictEqual(await h.cspViolations(pg), []);
    assert.deepStrictEqual(
      pg.consoleErrors.filter((e) => !/SharedArrayBuffer|numThreads/.test(e)),
      [],
    );
    await expect(pg.page.locator(STATUS)).toHaveText(/WASM|WebGPU/);
  });

  describe('WASM backend vs the plain-TypeScript reference', function () {
    for (const [name, params] of CORRECTNESS_CASES) {
      it(name, async function () {
        const reply = await pg.run(params, 'wasm');
        assert.strictEqual(reply.type === 'runCompleted' && reply.summary.backend, 'wasm');
        const { err, fusedErr } = checkAgainstReference(params, reply);
        report.push(`wasm   ${name}: ${err.toExponential(2)}${fusedErr === null ? '' : `, fused vs train ${fusedErr.toExponential(2)}`}`);
      });
    }
  });

  describe('WebGPU backend (JSEP) vs the reference', function () {
    let gpu: string | null = null;
    before(async function () {
      gpu = await pg.page.evaluate(async () => {
        const g = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        return g && (await g.requestAdapter()) ? 'adapter' : null;
      });
      if (!gpu) {
        console.log('      (skipped: this Chromium has no WebGPU adapter, not even SwiftShader with --enable-unsafe-webgpu)');
        this.skip();
      }
    });
    it('auto mode stays on WASM for a fallback (software) adapter and says why', async function () {
      const reply = await pg.run(CORRECTNESS_CASES[0]![1], 'auto', { includeTensors: false });
      assert.strictEqual(reply.type, 'runCompleted');
      if (reply.type === 'runCompleted') {
        assert.match(reply.summary.backendReason, /auto/);
        if (/fallback/.test(reply.summary.backendReason)) assert.strictEqual(reply.summary.backend, 'wasm');
      }
    });
    for (const [name, params] of CORRECTNESS_CASES) {
      it(name, async function () {
        const reply = await pg.run(params, 'webgpu');
        assert.strictEqual(reply.type === 'runCompleted' && reply.summary.backend, 'webgpu', JSON.stringify(reply).slice(0, 300));
        const { err, fusedErr } = checkAgainstReference(params, reply);
        report.push(`webgpu ${name}: ${err.toExponential(2)}${fusedErr === null ? '' : `, fused vs train ${fusedErr.toExponential(2)}`}`);
      });
    }
  });

  describe("bad parameters give PyTorch's message before anything runs", function () {
    const base = DEFAULT_PLAYGROUND_STATE.params;
    const cases: [string, PlaygroundParams, string][] = [
      [
        'in_channels not divisible',
        { ...base, inChannels: 6, groups: 4, outChannels: 8 },
        'ValueError: in_channels must be divisible by groups',
      ],
      [
        'kernel larger than padded input',
        { ...base, kernelSize: [7, 7], padding: [1, 1], inputSize: [4, 4] },
        "RuntimeError: Calculated padded input size per channel: (6 x 6). Kernel size: (7 x 7). Kernel size can't be greater than actual input size",
      ],
      ['zero stride', { ...base, stride: [0, 1] }, 'RuntimeError: non-positive stride is not supported'],
      [
        'negative out_channels',
        { ...base, outChannels: -2 },
        'RuntimeError: Trying to create tensor with negative dimension -2: [-2, 4, 3, 3]',
      ],
      [
        'transposed output ≤ 0',
        { ...base, variant: 'transposed', inChannels: 3, outChannels: 8, kernelSize: [1, 1], padding: [1, 1], inputSize: [1, 5] },
        'RuntimeError: Given input size per channel: (1 x 5). Calculated output size per channel: (-1 x 3). Output size is too small',
      ],
    ];
    for (const [name, params, message] of cases) {
      it(name, async function () {
        const reply = await pg.run(params, 'wasm');
        assert.strictEqual(reply.type, 'runFailed');
        if (reply.type === 'runFailed') {
          assert.strictEqual(reply.error.stage, 'validation');
          assert.strictEqual(`${reply.error.kind}: ${reply.error.message}`, message);
        }
        await expect(pg.page.locator(ERROR_BOX)).toHaveText(message);
      });
    }
    it('refuses huge sizes with a message instead of running out of memory', async function () {
      const reply = await pg.run({ ...base, inChannels: 512, outChannels: 512, inputSize: [1024, 1024] }, 'wasm');
      assert.strictEqual(reply.type, 'runFailed');
      if (reply.type === 'runFailed') assert.match(reply.error.message, /limit/);
    });
  });

  describe('weights from a file', function () {
    // Zero kernels and distinct biases: each output channel is then its bias everywhere, which the output
    // heatmaps state in their labels ("values in ±0.500"); seeded weights could not give these values.
    const BIASES = [0.5, -1.25, 2, 0.75, 1, 1, 1, 1];
    const FILE = {
      name: 'model.safetensors',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(
        stateDictBytes({
          'layer1.conv.weight': { dims: [8, 4, 3, 3], values: new Array(8 * 4 * 9).fill(0) },
          'layer1.conv.bias': { dims: [8], values: BIASES },
          'head.weight': { dims: [2, 8, 1, 1], values: new Array(16).fill(0.25) },
          'head.bias': { dims: [2], values: [0, 0] },
          'fc.weight': { dims: [10, 2], values: new Array(20).fill(0) },
        }),
      ),
    };

    async function outputLabels(p: PlaygroundPage): Promise<string[]> {
      return p.page.$$eval('.maps canvas', (cs) => cs.map((c) => c.getAttribute('aria-label') ?? '').filter((l) => l.startsWith('output')));
    }

    it('loads a .safetensors state dict through the picker, runs on its tensors, and fits the controls to another module', async function () {
      const page = await h.open({ ...DEFAULT_PLAYGROUND_STATE, label: 'model.py: layer1.conv' });
      const chooser = page.page.waitForEvent('filechooser');
      await page.page.selectOption('#f-weights', 'file');
      await (await chooser).setFiles(FILE);
      // Only the 4-D conv weights are offered; the module "Visualize this layer" named is preselected.
      await expect(page.page.locator('#f-weightPrefix')).toBeVisible();
      await expect(page.page.locator('#f-weightPrefix option')).toHaveText(['layer1.conv [8×4×3×3]', 'head [2×8×1×1]']);
      await expect(page.page.locator('#f-weightPrefix')).toHaveValue('layer1.conv');
      await expect(page.page.locator('.weights-status')).toHaveText(/Weights: layer1\.conv from model\.safetensors \(weight, bias\)/);
      await page.page.waitForFunction(() =>
        Array.from(document.querySelectorAll('.maps canvas')).some((c) =>
          /^output ch 1: .*±1\.25$/.test(c.getAttribute('aria-label') ?? ''),
        ),
      );
      assert.deepStrictEqual(await outputLabels(page), [
        'output ch 0: 16×16, values in ±0.500',
        'output ch 1: 16×16, values in ±1.25',
        'output ch 2: 16×16, values in ±2.00',
        'output ch 3: 16×16, values in ±0.750',
      ]);

      // Another module whose shapes differ: PyTorch's load_state_dict message, then Fit sets Cin/Cout/k from the file.
      await page.page.selectOption('#f-weightPrefix', 'head');
      await expect(page.page.locator(ERROR_BOX)).toHaveText(
        'RuntimeError: Error(s) in loading state_dict for Conv2d:\n\tsize mismatch for weight: copying a param with shape torch.Size([2, 8, 1, 1]) from checkpoint, the shape in current model is torch.Size([8, 4, 3, 3]).\n\tsize mismatch for bias: copying a param with shape torch.Size([2]) from checkpoint, the shape in current model is torch.Size([8]).',
      );
      await page.page.click('#f-fitWeights');
      await expect(page.page.locator('.weights-status')).toHaveText(/Weights: head/);
      await expect(page.page.locator(ERROR_BOX)).toHaveText('');
      await expect(page.page.locator('#f-inChannels')).toHaveValue('8');
      await expect(page.page.locator('#f-outChannels')).toHaveValue('2');
      await expect(page.page.locator('#f-kernel')).toHaveValue('1');
      await expect(page.page.locator('#f-fitWeights')).toBeHidden();

      // Back to the seeded weights.
      await page.page.selectOption('#f-weights', 'seeded');
      await expect(page.page.locator('#f-weightPrefix')).toBeHidden();
      await expect(page.page.locator('.weights-status')).toHaveText('');
      assert.deepStrictEqual(
        page.consoleErrors.filter((e) => !/SharedArrayBuffer|numThreads/.test(e)),
        [],
      );
      await page.page.close();
    });

    it('says what is wrong with a file it cannot read, and keeps running', async function () {
      const page = await h.open();
      const chooser = page.page.waitForEvent('filechooser');
      await page.page.selectOption('#f-weights', 'file');
      await (
        await chooser
      ).setFiles({ name: 'model.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('{"not": "safetensors"}') });
      await expect(page.page.locator('.weights-status')).toHaveText(/not a valid \.safetensors file/);
      await expect(page.page.locator('#f-weights')).toHaveValue('seeded');
      const runs = page.messages.filter((m) => m.type === 'runCompleted').length;
      await page.page.fill('#f-outChannels', '6');
      await page.page.dispatchEvent('#f-outChannels', 'change');
      await page.waitFor(() => page.messages.filter((m) => m.type === 'runCompleted').length > runs);
      await page.page.close();
    });
  });

  describe('robustness of the boundary', function () {
    it('rejects malformed messages and keeps working', async function () {
      const before = pg.messages.filter((m) => m.type === 'messageRejected').length;
      const good = DEFAULT_PLAYGROUND_STATE.params;
      const bad: unknown[] = [
        'runRequest',
        null,
        { type: 'nope' },
        { type: 'runRequest', requestId: 'x', params: { ...good, inChannels: '4' }, backend: 'wasm', repeats: 1, includeTensors: false },
        { type: 'runRequest', requestId: 'x', params: good, backend: 'cuda', repeats: 1, includeTensors: false },
        { type: 'runRequest', requestId: 'x', params: good, backend: 'wasm', repeats: 1e9, includeTensors: false },
        { type: 'setParams', params: { ...good, kernelSize: [3] }, label: '' },
        { type: 'setParams', params: good, label: 5 },
        { type: 'setParams', params: { ...good, extra: 1 }, label: '' },
      ];
      for (const m of bad) await pg.send(m);
      // The page handles window messages in order and rejects a bad one synchronously, so by the time the answer to a
      // good request sent after them arrives, every rejection has been posted: then the count is final.
      const reply = await pg.run(good, 'wasm', { includeTensors: false });
      assert.strictEqual(reply.type, 'runCompleted');
      assert.strictEqual(pg.messages.filter((m) => m.type === 'messageRejected').length - before, bad.length);
    });

    it('shows hostile labels as text, from the initial state and from messages', async function () {
      const hostile = '"><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>&amp;';
      const page2 = await h.open({ ...DEFAULT_PLAYGROUND_STATE, label: hostile });
      await expect(page2.page.locator(HEADING_LABEL)).toHaveText(hostile);
      await page2.send({ type: 'setParams', params: DEFAULT_PLAYGROUND_STATE.params, label: `${hostile}!` });
      await expect(page2.page.locator(HEADING_LABEL)).toHaveText(`${hostile}!`);
      assert.strictEqual(await page2.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.strictEqual(await page2.page.locator('header img, header script').count(), 0);
      assert.deepStrictEqual(await h.cspViolations(page2), []);
      await page2.page.close();
    });

    it('restores its state after a reload', async function () {
      const page3 = await h.open();
      await page3.send({
        type: 'setParams',
        params: { ...DEFAULT_PLAYGROUND_STATE.params, variant: 'dilated', inChannels: 5, dilation: [2, 2], padding: [2, 2] },
        label: 'restored',
      });
      await expect(page3.page.locator('#f-inChannels')).toHaveValue('5');
      await page3.page.reload();
      await expect(page3.page.locator('#f-inChannels')).toHaveValue('5');
      await expect(page3.page.locator('#f-variant')).toHaveValue('dilated');
      await expect(page3.page.locator(HEADING_LABEL)).toHaveText('restored');
      await page3.page.close();
    });

    it('keeps a kh×kw kernel (not square, k×1 or 1×k) through form edits', async function () {
      const page = await h.open();
      await page.send({ type: 'setParams', params: { ...DEFAULT_PLAYGROUND_STATE.params, kernelSize: [5, 3] }, label: '5×3' });
      await expect(page.page.locator('#f-kernelShape')).toHaveValue('free');
      await expect(page.page.locator('#f-kernel')).toHaveValue('5');
      await expect(page.page.locator('#f-kernelW')).toHaveValue('3');
      const runs = page.messages.length;
      await page.page.fill('#f-stride0', '2');
      await page.page.fill('#f-stride1', '2');
      await page.page.dispatchEvent('#f-stride1', 'change');
      // 16×16 input, padding 1: H = ⌊(18 − 5)/2⌋ + 1 = 7, W = ⌊(18 − 3)/2⌋ + 1 = 8.
      const done = await page.waitFor(
        (m) => page.messages.indexOf(m) >= runs && m.type === 'runCompleted' && m.summary.outputDims.join('x') === '1x8x7x8',
      );
      assert.ok(done);
      // Back to a square kernel: the width field goes away.
      await page.page.selectOption('#f-kernelShape', 'square');
      await expect(page.page.locator('#f-kernelW')).toBeHidden();
      await page.page.close();
    });

    it('is reachable from the keyboard', async function () {
      // Its own page: the shared one shows whatever the tests before left (an error, a 1-wide output...).
      const page = await h.open();
      await page.page.focus('#f-variant');
      await page.page.keyboard.press('Tab');
      await expect(page.page.locator('#f-inChannels')).toBeFocused();
      await page.page.focus('.window-canvas');
      // The default 16×16 input, 3×3 kernel, padding 1: a 16-wide output, so the focus can move right from (0, 0).
      const caption = page.page.locator('.window .caption');
      await expect(caption).toHaveText(/^Output cell \(0, 0\) reads/);
      await page.page.keyboard.press('ArrowRight');
      await expect(caption).toHaveText(/^Output cell \(0, 1\) reads/);
      await page.page.close();
    });
  });

  describe('form, sliding window, presets and timings (issue 10)', function () {
    const fieldLabels = (page: PlaygroundPage): Promise<string[]> =>
      page.page.$$eval('.controls .field', (els) =>
        els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.querySelector('label')?.textContent ?? ''),
      );

    it('shows only the fields the chosen variant uses, and no dropdown cuts its choices off', async function () {
      const page = await h.open();
      const expected: Record<string, { has: string[]; lacks: string[] }> = {
        standard: { has: ['Kernel shape', 'Stride', 'Padding'], lacks: ['Groups', 'Dilation', 'output_padding', 'kw'] },
        grouped: { has: ['Groups'], lacks: ['Dilation', 'output_padding'] },
        dilated: { has: ['Dilation'], lacks: ['Groups', 'output_padding'] },
        depthwiseSeparable: { has: ['Stride'], lacks: ['Groups', 'Dilation', 'output_padding'] },
        acblock: { has: ['Padding'], lacks: ['Kernel shape', 'Groups', 'Dilation', 'output_padding'] },
        transposed: { has: ['output_padding', 'Stride'], lacks: ['Groups', 'Dilation'] },
      };
      for (const [variant, { has, lacks }] of Object.entries(expected)) {
        await page.page.selectOption('#f-variant', variant);
        await expect(page.page.locator('#f-variant')).toHaveValue(variant);
        const labels = await fieldLabels(page);
        for (const l of has) assert.ok(labels.includes(l), `${variant}: ${l} missing from ${labels.join(', ')}`);
        for (const l of lacks) assert.ok(!labels.includes(l), `${variant}: ${l} shown in ${labels.join(', ')}`);
      }
      // Each visible select is wider than its longest option's text (plus its arrow): "Standard conv", not "Standard c".
      const cut = await page.page.$$eval('.controls select', (selects) =>
        selects
          .filter((s) => (s as HTMLElement).offsetParent !== null)
          .flatMap((s) => {
            const probe = document.createElement('span');
            probe.style.font = getComputedStyle(s).font;
            probe.style.whiteSpace = 'pre';
            document.body.append(probe);
            const widths = Array.from((s as HTMLSelectElement).options).map((o) => {
              probe.textContent = o.text;
              return { text: o.text, width: probe.getBoundingClientRect().width };
            });
            probe.remove();
            const room = s.getBoundingClientRect().width;
            return widths
              .filter((w) => w.width + 16 > room)
              .map((w) => `${s.id}: "${w.text}" ${w.width.toFixed(0)}px in ${room.toFixed(0)}px`);
          }),
      );
      assert.deepStrictEqual(cut, []);
      // A layer sent from the editor with dilation 2 shows its dilation even as a standard conv.
      await page.send({
        type: 'setParams',
        params: { ...DEFAULT_PLAYGROUND_STATE.params, dilation: [2, 2], padding: [2, 2] },
        label: 'd2',
      });
      await expect(page.page.locator('#f-dilation0')).toBeVisible();
      await page.page.close();
    });

    it('keeps the sliding window visible at a 224×224 input: a window around the taps, drawn at a readable size', async function () {
      const page = await h.open();
      const sent = page.messages.length;
      await page.send({ type: 'setParams', params: { ...DEFAULT_PLAYGROUND_STATE.params, inputSize: [224, 224] }, label: '224²' });
      await page.waitFor(
        (m) => page.messages.indexOf(m) >= sent && m.type === 'runCompleted' && m.summary.outputDims.join('x') === '1x8x224x224',
      );
      const caption = page.page.locator('.window .caption');
      await expect(caption).toHaveText(
        /Showing input rows -1–22, columns -1–22 of 224×224\. Showing output rows 0–23, columns 0–23 of 224×224\./,
      );
      // The taps (blue) and the focused output cell (red) cover whole cells, not single pixels of a 678-pixel square.
      const painted = await page.page.$eval('.window-canvas', (c) => {
        const canvas = c as HTMLCanvasElement;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let blue = 0;
        let red = 0;
        for (let i = 0; i < d.length; i += 4) {
          const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
          if (b > 150 && b > r + 80) blue++;
          if (r > 150 && g < 110 && b < 110) red++;
        }
        return { blue, red, cssWidth: canvas.getBoundingClientRect().width, dpr: devicePixelRatio };
      });
      const px = painted.dpr * painted.dpr;
      assert.ok(painted.blue / px >= 9 * 64, `blue ${painted.blue}`); // 9 taps of at least 8×8 CSS pixels
      assert.ok(painted.red / px >= 64, `red ${painted.red}`);
      assert.ok(painted.cssWidth <= 700, `canvas ${painted.cssWidth}px wide`);
      // The window follows the focus.
      await page.page.focus('.window-canvas');
      for (let i = 0; i < 30; i++) await page.page.keyboard.press('ArrowRight');
      await expect(caption).toHaveText(/^Output cell \(0, 30\) reads .* Showing output rows 0–23, columns 19–42 of 224×224\./);
      const dir = path.join(ROOT, 'test-artifacts');
      await fs.mkdir(dir, { recursive: true });
      await page.page.locator('.window').screenshot({ path: path.join(dir, 'playground-window-224.png') });
      await page.page.close();
    });

    it('picks stride 2 for the transposed preset, so its output is twice the input', async function () {
      const page = await h.open();
      const sent = page.messages.length;
      await page.page.selectOption('#f-variant', 'transposed');
      const done = await page.waitFor((m) => page.messages.indexOf(m) >= sent && m.type === 'runCompleted' && m.requestId === null);
      assert.ok(done.type === 'runCompleted');
      assert.deepStrictEqual(done.summary.outputDims, [1, 8, 32, 32]); // 16×16 in
      await expect(page.page.locator('#f-stride0')).toHaveValue('2');
      await expect(page.page.locator('#f-outputPadding0')).toHaveValue('1');
      await expect(page.page.locator('.window .caption')).toHaveText(/stride 2×2 spreads inputs apart/);
      await page.page.close();
    });

    it('times batches of runs until at least 50 ms are measured, and shows runs, median and GMAC/s', async function () {
      const reply = await pg.run(DEFAULT_PLAYGROUND_STATE.params, 'wasm', { includeTensors: false });
      assert.ok(reply.type === 'runCompleted');
      const s = reply.summary;
      assert.ok(s.measuredMs >= 50, `measured ${s.measuredMs} ms`);
      // A 16×16, 4→8 conv runs in well under a millisecond: many runs, in batches, not one 0.1 ms-quantised sample.
      assert.ok(s.runs > s.timingsMs.length, `${s.runs} runs in ${s.timingsMs.length} batches`);
      const sum = s.timingsMs.reduce((a, b) => a + b, 0);
      assert.ok(s.latencyMs > 0 && s.latencyMs <= Math.max(...s.timingsMs) && sum > 0);
      // The page's own run says the same in words.
      const page = await h.open();
      const status = (await page.page.locator(STATUS).textContent()) ?? '';
      const m = /median ([\d.]+) ms per run \(([\d,]+) runs in (\d+) timed batches, ([\d.,]+) ms measured\), ([\d.]+) GMAC\/s\./.exec(
        status,
      );
      assert.ok(m, status);
      assert.ok(Number(m[4]!.replace(/,/g, '')) >= 50, status);
      assert.ok(Number(m[2]!.replace(/,/g, '')) > Number(m[3]), status);
      assert.match(m[5]!, /^(\d{3}|\d{2}\.\d|\d\.\d\d|0\.\d{3,})$/, 'three significant digits');
      await page.page.close();
    });
  });

  describe('screenshots (test-artifacts/)', function () {
    const themes: Record<string, Record<string, string>> = {
      light: {
        '--vscode-foreground': '#3b3b3b',
        '--vscode-editor-background': '#ffffff',
        '--vscode-descriptionForeground': '#717171',
        '--vscode-panel-border': '#e5e5e5',
        '--vscode-input-background': '#ffffff',
        '--vscode-input-foreground': '#3b3b3b',
        '--vscode-input-border': '#cecece',
        '--vscode-button-background': '#005fb8',
        '--vscode-button-foreground': '#ffffff',
        '--vscode-charts-blue': '#1a85ff',
        '--vscode-charts-red': '#e51400',
        '--vscode-charts-orange': '#d18616',
        '--vscode-charts-green': '#388a34',
        '--vscode-editorGutter-background': '#f0f0f0',
        '--vscode-editorWidget-border': '#c8c8c8',
        '--vscode-errorForeground': '#a1260d',
        '--vscode-list-activeSelectionBackground': '#e8e8e8',
      },
      dark: {
        '--vscode-foreground': '#cccccc',
        '--vscode-editor-background': '#1f1f1f',
        '--vscode-descriptionForeground': '#9d9d9d',
        '--vscode-panel-border': '#2b2b2b',
        '--vscode-input-background': '#313131',
        '--vscode-input-foreground': '#cccccc',
        '--vscode-input-border': '#3c3c3c',
        '--vscode-button-background': '#0078d4',
        '--vscode-button-foreground': '#ffffff',
        '--vscode-charts-blue': '#3794ff',
        '--vscode-charts-red': '#f14c4c',
        '--vscode-charts-orange': '#d18616',
        '--vscode-charts-green': '#89d185',
        '--vscode-editorGutter-background': '#2a2a2a',
        '--vscode-editorWidget-border': '#454545',
        '--vscode-errorForeground': '#f85149',
        '--vscode-list-activeSelectionBackground': '#04395e',
      },
    };
    for (const [theme, vars] of Object.entries(themes)) {
      it(`${theme} theme`, async function () {
        const ctx = await h.newContext();
        const shot = await h.open(
          {
            ...DEFAULT_PLAYGROUND_STATE,
            params: { ...DEFAULT_PLAYGROUND_STATE.params, variant: 'acblock', inputSize: [12, 12] },
            label: 'model.py: ACBlock(4, 8, 3, padding=1)',
          },
          { context: ctx },
        );
        // VS Code sets its theme variables on <html> and a theme class on <body>; CSSOM writes are allowed by the CSP.
        await shot.page.evaluate(
          ([v, t]) => {
            for (const [k, val] of Object.entries(v)) document.documentElement.style.setProperty(k, val);
            document.body.classList.add(`vscode-${t}`);
          },
          [vars, theme] as const,
        );
        // Draw again with the theme's colours: setParams re-runs (the first run is over, so this is the only run
        // in flight), and the page draws a run's result before it posts runCompleted.
        const sent = shot.messages.length;
        await shot.send({
          type: 'setParams',
          params: { ...DEFAULT_PLAYGROUND_STATE.params, variant: 'acblock', inputSize: [12, 12] },
          label: 'model.py: ACBlock(4, 8, 3, padding=1)',
        });
        const rerun = await shot.waitFor(
          (m) => shot.messages.indexOf(m) >= sent && (m.type === 'runCompleted' || m.type === 'runFailed') && m.requestId === null,
        );
        assert.strictEqual(rerun.type, 'runCompleted');
        await expect(shot.page.locator('.acblock h2')).toHaveText(/ACBlock/);
        // Heatmaps paint in a requestAnimationFrame callback queued while the result was drawn; a callback queued
        // now runs after them, in the same frame or a later one.
        await shot.page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
        const dir = path.join(ROOT, 'test-artifacts');
        await fs.mkdir(dir, { recursive: true });
        await shot.page.screenshot({ path: path.join(dir, `playground-${theme}.png`), fullPage: true });
        await ctx.close();
      });
    }
  });
});
