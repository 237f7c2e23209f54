// Browser test of the editor's profile view: the real dist/webview/profile.js bundle in the HTML the
// extension renders (same CSP, escaped state), fed the view model the host builds for torchvision-style
// resnet18 (test/integration/workspace/tvstyle.py, analysed here in Node). It shows the notebook
// renderer's module summary; switching the convention re-renders from the report it has, at once, and
// only tells the host (which never writes the setting); a row click asks the host to reveal its line.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatCount, formatCountBoth } from '../../extension/core/numberFormat';
import { makeNonce } from '../../extension/features/convPanelHtml';
import { runAnalysisJob } from '../../extension/worker/analysisJob';
import { buildProfileModel } from '../../extension/features/profileModel';
import { renderProfileHtml } from '../../extension/features/profileViewHtml';
import { readSettings } from '../../extension/features/settings';
import { isProfileWebviewToHost, type ProfileFromWebview, type ProfileViewModel } from '../../extension/protocol/profileMessages';
import { expect } from './expect';
import { assetServer, listen, ROOT } from './harness';

const CHROMIUM = process.env['CONVLENS_CHROMIUM'] ?? '/usr/bin/chromium';

describe("the editor's profile view in Chromium (real dist/webview/profile.js)", function () {
  let browser: Browser;
  let page: Page;
  const closers: (() => void)[] = [];
  const posted: ProfileFromWebview.Message[] = [];
  const errors: string[] = [];
  let model: ProfileViewModel;
  let source: string[];

  before(async function () {
    const file = path.join(ROOT, 'test', 'integration', 'workspace', 'tvstyle.py');
    const text = await fs.readFile(file, 'utf8');
    source = text.split('\n');
    const settings = readSettings(() => undefined);
    const job = runAnalysisJob({
      id: 1,
      text,
      file,
      roots: [],
      canReadFiles: false,
      files: {},
      defaultResolution: 224,
      priorityLines: [],
    })!;
    const entry = job.entries.find((e) => e.spec.expr === 'resnet18()')!;
    model = buildProfileModel(entry, {
      uri: 'file:///tvstyle.py',
      fileName: 'tvstyle.py',
      entries: job.entries,
      settings,
      toDocumentLine: (l) => l,
    });

    const assets = await assetServer([path.join(ROOT, 'dist', 'webview'), path.join(ROOT, 'media')]);
    const html = renderProfileHtml({
      cspSource: assets.origin,
      nonce: makeNonce((n) => randomBytes(n)),
      scriptUri: `${assets.origin}/dist/webview/profile.js`,
      styleUri: `${assets.origin}/media/profile.css`,
      state: { uri: model.uri, entry: model.entry },
    });
    const pages = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    closers.push(
      () => assets.server.close(),
      () => pages.server.close(),
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--no-first-run'] });
    page = await (await browser.newContext({ viewport: { width: 1200, height: 1400 } })).newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.exposeBinding('__toHost', (_s, m: unknown) => {
      assert.ok(isProfileWebviewToHost(m), `the view sent an invalid message: ${JSON.stringify(m).slice(0, 200)}`);
      posted.push(m);
    });
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w['__cspViolations'] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (w['__cspViolations'] as string[]).push(`${e.violatedDirective} ${e.blockedURI}`),
      );
      w['acquireVsCodeApi'] = () => ({
        postMessage: (m: unknown) => (w['__toHost'] as (m: unknown) => void)(JSON.parse(JSON.stringify(m))),
        getState: () => undefined,
        setState: (s: unknown) => s,
      });
    });
    await page.goto(pages.origin);
    await expect.poll(() => posted.some((m) => m.type === 'ready')).toBe(true);
    await page.evaluate((m) => window.postMessage({ type: 'show', model: m }, '*'), model as never);
    await expect.poll(() => posted.some((m) => m.type === 'rendered')).toBe(true);
  });

  after(async function () {
    await browser?.close();
    for (const c of closers) c();
  });

  const row = (p: string) => page.locator(`table.module-tree tr[data-path="${p}"]`);

  it('shows the module summary open to the first level, with per-module sums and shares', async function () {
    const report = model.report!;
    await expect(row('')).toBeVisible();
    await expect(row('layer1')).toBeVisible();
    await expect(row('layer1.0')).toBeHidden();
    await expect(row('layer1').locator('td').first()).toHaveText('Sequential', { useInnerText: true });
    // layer1's MACs are the sum of its layers' MACs (written as `convlens.units` says, si by default; every digit
    // in the cell's title), and its share is of the model's total.
    const sum = report.layers.filter((l) => l.path.startsWith('layer1.')).reduce((s, l) => s + (l.macs ?? 0), 0);
    await expect(row('layer1').locator('td').nth(3)).toHaveText(formatCount(sum, 'si'));
    await expect(row('layer1').locator('td').nth(3)).toHaveAttribute('title', formatCount(sum, 'exact'));
    await expect(row('layer1').locator('td.pct')).toHaveText(`${((sum / report.totals.macs!) * 100).toFixed(1)}%`);
    await expect(page.locator('section.chart h3')).toHaveText('MACs by module (depth 1)');
    assert.deepStrictEqual(errors, []);
  });

  it("fills every container's output: its last call's output, the model's the forward's result", async function () {
    await expect(row('').locator('td').nth(1)).toHaveText('1×1000');
    await expect(row('layer1').locator('td').nth(1)).toHaveText('1×64×56×56');
    await expect(row('layer4').locator('td').nth(1)).toHaveText('1×512×7×7');
    const blank = await page.$$eval('table.module-tree tr.module', (trs) =>
      trs.filter((tr) => !/^\d+(×\d+)*$/.test(tr.querySelectorAll('td')[1]?.textContent ?? '')).map((tr) => tr.getAttribute('data-path')),
    );
    assert.deepStrictEqual(blank, []);
  });

  it('draws the MACs chart with Chart.js under the strict CSP: the modules at the depth, largest first', async function () {
    const report = model.report!;
    const depth1 = ['conv1', 'bn1', 'relu', 'maxpool', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'fc'];
    const macsOf = (p: string): number =>
      report.layers.filter((l) => l.path === p || l.path.startsWith(`${p}.`)).reduce((s, l) => s + (l.macs ?? 0), 0);
    const expected = depth1.filter((p) => macsOf(p) > 0).sort((a, b) => macsOf(b) - macsOf(a));
    const items = page.locator('canvas.macs-chart li');
    await expect(items).toHaveCount(expected.length);
    assert.deepStrictEqual(await items.evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-macs')))), expected.map(macsOf));
    // Bars are painted (the theme's charts-blue, or its fallback), not an empty canvas: Chart.js draws once the
    // box is in the page, as wide as the view.
    const bluePixels = (): Promise<number> =>
      page.$eval('canvas.macs-chart', (c) => {
        const canvas = c as HTMLCanvasElement;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let blue = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 200 && d[i + 2]! > 150 && d[i + 2]! > d[i]! + 80) blue++;
        return blue;
      });
    await expect.poll(bluePixels).toBeGreaterThan(2000);
    // It fits a narrow view (a side panel): at 500 px the canvas shrinks with it instead of running past the edge.
    await page.setViewportSize({ width: 500, height: 1400 });
    await expect.poll(() => page.$eval('canvas.macs-chart', (c) => c.getBoundingClientRect().right)).toBeLessThanOrEqual(500);
    await page.setViewportSize({ width: 1200, height: 1400 });
    const dir = path.join(ROOT, 'test-artifacts');
    await fs.mkdir(dir, { recursive: true });
    await page.locator('section.chart').screenshot({ path: path.join(dir, 'profile-view-chart.png') });
    // A theme switch (VS Code changes the variables and <body>'s class) repaints the bars in the new colour.
    await page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-charts-blue', '#00c000');
      document.body.classList.add('vscode-light');
    });
    await expect
      .poll(() =>
        page.$eval('canvas.macs-chart', (c) => {
          const canvas = c as HTMLCanvasElement;
          const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let green = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i + 1]! > 150 && d[i]! < 60 && d[i + 2]! < 60) green++;
          return green > 2000;
        }),
      )
      .toBe(true);
    assert.deepStrictEqual(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), []);
    assert.deepStrictEqual(errors, []);
  });

  it('switches the convention at once from the report it has, and only tells the host', async function () {
    const fvcore = model.report!.conventions!.fvcore!.totals.macs!;
    assert.notStrictEqual(fvcore, model.report!.totals.macs, 'fvcore counts resnet18 differently from ptflops');
    const before = posted.length;
    await page.locator('select#convention').selectOption('fvcore');
    // No `show` was sent: the view re-rendered from the report it already had.
    await expect(page.locator('[data-total="macs"] dd')).toHaveText(formatCountBoth(fvcore));
    assert.deepStrictEqual(
      posted.slice(before).filter((m) => m.type !== 'rendered'),
      [{ type: 'setConvention', convention: 'fvcore' }],
    );
    await expect(page.locator('p.tool')).toHaveText(/^fvcore 0\.1\.6 — /);
  });

  it('opens deeper with the depth control, chart included, and releases the charts it replaced', async function () {
    // Chart.js keeps its state on the canvas (`$chartjs`) until the chart is destroyed.
    const first = await page.evaluateHandle(() => document.querySelector('canvas.macs-chart')!);
    assert.strictEqual(await first.evaluate((c) => '$chartjs' in c), true);
    await page.locator('select#depth').selectOption('all');
    await expect(row('layer4.1.conv2')).toBeVisible();
    await expect(page.locator('section.chart h3')).toHaveText('MACs by module (every layer)');
    await page.locator('select#depth').selectOption('2');
    await expect(row('layer1.0')).toBeVisible();
    await expect(row('layer1.0.conv1')).toBeHidden();
    // Two re-renders later the first chart is out of the page and released (not kept until a theme switch).
    assert.strictEqual(await first.evaluate((c) => c.isConnected), false);
    assert.strictEqual(await first.evaluate((c) => '$chartjs' in c), false);
  });

  it("asks the host to reveal the line that built a row's module", async function () {
    const before = posted.length;
    await row('fc').click();
    await expect.poll(() => posted.slice(before).find((m) => m.type === 'revealLine')).toBeTruthy();
    const reveal = posted.slice(before).find((m) => m.type === 'revealLine') as ProfileFromWebview.RevealLine;
    assert.strictEqual(reveal.path, 'fc');
    assert.match(source[reveal.line]!, /self\.fc = nn\.Linear\(/);
    assert.deepStrictEqual(errors, []);
  });
});
