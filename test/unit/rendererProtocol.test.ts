// The notebook renderer's boundary in plain Node: the profile report validator (every field, limits,
// prototype keys), the conv payload reader, the renderer <-> host message guards, and the pure report
// helpers the profile views use (convention switch, module tree). The payloads come from the integration
// fixture notebook, the same data the browser and VS Code tests render.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { CliReport } from '../../extension/core/report/reportTypes';
import { DEFAULT_PLAYGROUND_STATE } from '../../extension/protocol/playgroundMessages';
import { PROFILE_MIME, REPORT_LIMITS } from '../../extension/protocol/rendererMessages';
import { isRendererToHost, parseConvPayload, parseHostToRenderer } from '../../extension/protocol/validateRenderer';
import { parseProfileReport } from '../../extension/protocol/validateReport';
import { conventionsIn, moduleTree, reportUnder } from '../../webview/components/profile/reportView';

const repoRoot = path.resolve(__dirname, '../../..');
const notebook = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/integration/workspace/renderer.ipynb'), 'utf8')) as {
  cells: { id: string; outputs?: { data: Record<string, unknown> }[] }[];
};
const fixtureReport = (): CliReport =>
  JSON.parse(JSON.stringify(notebook.cells.find((c) => c.id === 'tinynet')!.outputs![0]!.data[PROFILE_MIME])) as CliReport;

function rejects(value: unknown, expected: RegExp): void {
  const r = parseProfileReport(value);
  assert.ok(!r.ok, 'expected a rejection');
  assert.match(r.error, expected);
}

describe('profile report validator', () => {
  it('accepts the CLI report with every convention and returns an equal copy', () => {
    const report = fixtureReport();
    const r = parseProfileReport(JSON.stringify(report));
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepStrictEqual(r.report, report);
    assert.notStrictEqual(r.report.layers, report.layers);
  });

  it('drops unknown fields instead of copying them', () => {
    const r = parseProfileReport({ ...fixtureReport(), extra: { html: '<b>' } });
    assert.ok(r.ok && !('extra' in r.report));
  });

  const cases: [string, (r: Record<string, unknown>) => unknown, RegExp][] = [
    ['a non-object', () => [1, 2], /^report: expected an object/],
    ['a wrong convention', (r) => ({ ...r, convention: 'macs-o-matic' }), /report\.convention: expected one of ptflops/],
    [
      'a fractional param count',
      (r) => ({ ...r, totals: { ...(r['totals'] as object), params: 1.5 } }),
      /report\.totals\.params: expected a non-negative integer/,
    ],
    ['an infinite MAC count', (r) => ({ ...r, totals: { ...(r['totals'] as object), macs: Infinity } }), /report\.totals\.macs/],
    ['a bad status', (r) => ({ ...r, layers: [{ ...(r['layers'] as object[])[0], status: 'maybe' }] }), /report\.layers\[0\]\.status/],
    ['too many dims', (r) => ({ ...r, input: Array(REPORT_LIMITS.dims + 1).fill(1) }), /report\.input: more than 8 items/],
    ['an input with a zero dim', (r) => ({ ...r, input: [1, 3, 0, 32] }), /report\.input\[2\]: expected a dim of at least 1/],
    [
      'an empty input with MACs counted',
      (r) => ({ ...r, input: [] }),
      /report\.input: empty \(no input shape\), but the report counts MACs/,
    ],
    [
      'too many diagnostics',
      (r) => ({ ...r, diagnostics: Array(REPORT_LIMITS.diagnostics + 1).fill({ severity: 'info', message: '' }) }),
      /report\.diagnostics: more than/,
    ],
    [
      'an empty layer type',
      (r) => ({ ...r, layers: [{ ...(r['layers'] as object[])[0], type: '' }] }),
      /report\.layers\[0\]\.type: expected a non-empty string/,
    ],
    [
      'a prototype key among conventions',
      (r) => JSON.parse(JSON.stringify(r).replace('"conventions":{', '"conventions":{"__proto__":{},')),
      /report\.conventions: forbidden key "__proto__"/,
    ],
    [
      'a convention summary without layers',
      (r) => ({ ...r, conventions: { ptflops: { totals: r['totals'] } } }),
      /report\.conventions\.ptflops\.layers: expected an array/,
    ],
  ];
  for (const [name, make, expected] of cases) {
    it(`rejects ${name}`, () => rejects(make(fixtureReport() as unknown as Record<string, unknown>), expected));
  }

  it('accepts an empty input when nothing was counted (the CLI found no input shape)', () => {
    const report = fixtureReport();
    const r = parseProfileReport({ ...report, input: [], totals: { ...report.totals, macs: null, macsPerPixel: null, flops: null } });
    assert.ok(r.ok, r.ok ? '' : r.error);
  });

  it('refuses JSON text over the size limit before parsing it', () => {
    rejects(' '.repeat(REPORT_LIMITS.jsonChars + 1), /JSON text longer than/);
  });

  it('keeps HTML in names as inert strings', () => {
    const report = fixtureReport();
    const r = parseProfileReport({ ...report, entry: '<script>x</script>' });
    assert.ok(r.ok && r.report.entry === '<script>x</script>');
  });
});

describe('conv payload', () => {
  it('fills missing parameters from the playground defaults and widens single ints to pairs', () => {
    const r = parseConvPayload({ variant: 'dilated', kernelSize: 5, dilation: [2, 3], label: 'mine' });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepStrictEqual(r.state, {
      ...DEFAULT_PLAYGROUND_STATE,
      label: 'mine',
      params: { ...DEFAULT_PLAYGROUND_STATE.params, variant: 'dilated', kernelSize: [5, 5], dilation: [2, 3] },
    });
  });

  for (const [name, value, expected] of [
    ['a typo', { kernal_size: 3 }, /unknown key "kernal_size"/],
    ['a string size', { stride: '2' }, /every size must be an integer/],
    ['a huge size', { inChannels: 1e12 }, /every size must be an integer/],
    ['a long label', { label: 'x'.repeat(501) }, /label must be a string/],
    ['a bad backend', { backend: 'cuda' }, /backend must be auto, wasm or webgpu/],
    ['an array', [1], /expected an object/],
    ['broken JSON', '{', /not JSON/],
  ] as const) {
    it(`rejects ${name}`, () => {
      const r = parseConvPayload(value);
      assert.ok(!r.ok);
      assert.match(r.error, expected);
    });
  }
});

describe('renderer messages', () => {
  it('accepts well-formed renderer → host messages only', () => {
    assert.ok(isRendererToHost({ type: 'requestStaticProfile', outputId: 'o1', name: 'Net', input: [1, 3, 8, 8] }));
    assert.ok(isRendererToHost({ type: 'playground', outputId: 'o1', message: { type: 'ready' } }));
    assert.ok(!isRendererToHost({ type: 'requestStaticProfile', outputId: 'o1', name: 'Net', input: [1, 0] }));
    assert.ok(!isRendererToHost({ type: 'requestStaticProfile', outputId: '', name: 'Net', input: [1] }));
    assert.ok(!isRendererToHost({ type: 'playground', outputId: 'o1', message: { type: 'ready', extra: 1 } }));
    assert.ok(!isRendererToHost({ type: 'eval', outputId: 'o1' }));
  });

  it('validates host → renderer messages and returns checked copies', () => {
    const report = fixtureReport();
    const m = parseHostToRenderer({ type: 'staticProfile', outputId: 'o1', report, source: 'cells 1–2' });
    assert.ok(m && m.type === 'staticProfile');
    assert.deepStrictEqual(m.report, report);
    assert.strictEqual(
      parseHostToRenderer({ type: 'staticProfile', outputId: 'o1', report: { ...report, layers: 'x' }, source: '' }),
      undefined,
    );
    assert.strictEqual(parseHostToRenderer({ type: 'staticProfileUnavailable', outputId: 'o1' }), undefined);
    assert.deepStrictEqual(parseHostToRenderer({ type: 'staticProfileUnavailable', outputId: 'o1', reason: 'r' }), {
      type: 'staticProfileUnavailable',
      outputId: 'o1',
      reason: 'r',
    });
  });
});

describe('report helpers of the profile views', () => {
  it('puts a report under another convention: layer MACs and totals from that convention', () => {
    const report = fixtureReport();
    assert.deepStrictEqual(conventionsIn(report), ['ptflops', 'ptflops-0.6', 'torchinfo', 'fvcore', 'thop', 'torchstat', 'paper']);
    const thop = reportUnder(report, 'thop');
    assert.strictEqual(thop.convention, 'thop');
    assert.deepStrictEqual(thop.totals, report.conventions!.thop!.totals);
    assert.deepStrictEqual(
      thop.layers.map((l) => l.macs),
      report.layers.map((l) => report.conventions!.thop!.layers.find((c) => c.path === l.path)!.macs),
    );
    assert.strictEqual(reportUnder(report, 'ptflops'), report);
  });

  it('builds the module tree from dotted paths with sums and a depth cap', () => {
    const layer = (p: string, params: number | null, macs: number | null) => ({ ...fixtureReport().layers[0]!, path: p, params, macs });
    const root = moduleTree([
      layer('a.0.conv', 10, 100),
      layer('a.0.bn', 2, null),
      layer('b', 5, 50),
      layer(Array(40).fill('x').join('.'), 1, 1),
    ]);
    assert.deepStrictEqual(
      root.children.map((c) => c.name),
      ['a', 'b', 'x'],
    );
    const a = root.children[0]!;
    assert.deepStrictEqual([a.params, a.macs, a.partial, a.layerCount], [12, 100, true, 2]);
    assert.deepStrictEqual([root.params, root.macs, root.layerCount], [18, 151, 4]);
    let depth = 0;
    for (let n = root.children[2]; n; n = n.children[0]) depth++;
    assert.strictEqual(depth, 24);
  });
});
