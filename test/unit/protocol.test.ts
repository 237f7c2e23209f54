import * as assert from 'assert';
import { DEFAULT_PLAYGROUND_STATE, PLAYGROUND_LIMITS } from '../../extension/protocol/playgroundMessages';
import { isHostToWebview, isPlaygroundState, isWebviewToHost } from '../../extension/protocol/validate';
import { escapeAttribute, playgroundCsp, renderPlaygroundHtml } from '../../extension/features/convPanelHtml';

const params = DEFAULT_PLAYGROUND_STATE.params;
const summary = {
  variant: 'standard',
  backend: 'wasm',
  backendReason: 'auto: no adapter',
  latencyMs: 1.5,
  timingsMs: [1.5],
  runs: 1,
  measuredMs: 1.5,
  outputDims: [1, 8, 16, 16],
  params: 296,
  macs: 73728,
  maxAbsDiff: null,
};

describe('protocol validators', () => {
  it('accept every well-formed message', () => {
    assert.ok(isHostToWebview({ type: 'setParams', params, label: 'x' }));
    assert.ok(isHostToWebview({ type: 'runRequest', requestId: 'r1', params, backend: 'webgpu', repeats: 3, includeTensors: false }));
    assert.ok(isWebviewToHost({ type: 'ready' }));
    assert.ok(isWebviewToHost({ type: 'runCompleted', requestId: null, summary }));
    assert.ok(
      isWebviewToHost({
        type: 'runCompleted',
        requestId: null,
        summary: { ...summary, timingsMs: new Array(PLAYGROUND_LIMITS.maxRepeats).fill(0.5) },
      }),
    );
    assert.ok(
      isWebviewToHost({
        type: 'runCompleted',
        requestId: 'r',
        summary: { ...summary, tensors: [{ name: 'output', dims: [1], data: [0.5] }] },
      }),
    );
    assert.ok(isWebviewToHost({ type: 'runFailed', requestId: 'r', error: { stage: 'validation', kind: 'ValueError', message: 'm' } }));
    assert.ok(isWebviewToHost({ type: 'messageRejected', reason: 'r' }));
    assert.ok(isPlaygroundState(DEFAULT_PLAYGROUND_STATE));
  });
  it("accept negative and zero sizes (convMath answers those with PyTorch's message)", () => {
    assert.ok(isHostToWebview({ type: 'setParams', params: { ...params, stride: [0, -1], outChannels: -2 }, label: '' }));
  });
  it('reject anything malformed, field by field', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      { type: 'unknown' },
      { type: 'ready', extra: 1 },
      { type: 'setParams', params, label: 3 },
      { type: 'setParams', params: { ...params, inChannels: 4.5 }, label: '' },
      { type: 'setParams', params: { ...params, inChannels: '4' }, label: '' },
      { type: 'setParams', params: { ...params, kernelSize: [3] }, label: '' },
      { type: 'setParams', params: { ...params, variant: 'conv3d' }, label: '' },
      { type: 'setParams', params: { ...params, bias: 'yes' }, label: '' },
      { type: 'setParams', params: { ...params, seed: -1 }, label: '' },
      { type: 'setParams', params: { ...params, inChannels: 1e12 }, label: '' },
      { type: 'setParams', params: { ...params, __proto__: { evil: 1 }, extra: true }, label: '' },
      { type: 'setParams', params, label: 'x'.repeat(501) },
      { type: 'runRequest', requestId: 'r', params, backend: 'cuda', repeats: 1, includeTensors: false },
      { type: 'runRequest', requestId: 'r', params, backend: 'wasm', repeats: 0, includeTensors: false },
      { type: 'runRequest', requestId: 'r', params, backend: 'wasm', repeats: 1, includeTensors: 'no' },
    ];
    for (const m of bad) assert.strictEqual(isHostToWebview(m), false, JSON.stringify(m));
    const badUp: unknown[] = [
      { type: 'runCompleted', requestId: 5, summary },
      { type: 'runCompleted', requestId: null, summary: { ...summary, latencyMs: NaN } },
      { type: 'runCompleted', requestId: null, summary: { ...summary, backend: 'webgl' } },
      { type: 'runCompleted', requestId: null, summary: { ...summary, tensors: [{ name: 'o', dims: [1], data: ['1'] }] } },
      { type: 'runFailed', requestId: null, error: { stage: 'boom', kind: 'E', message: 'm' } },
      // Measurements a run cannot produce: negative latencies, more timings than the most repeats, too many tensors.
      { type: 'runCompleted', requestId: null, summary: { ...summary, latencyMs: -1 } },
      { type: 'runCompleted', requestId: null, summary: { ...summary, timingsMs: [1, -0.5] } },
      { type: 'runCompleted', requestId: null, summary: { ...summary, timingsMs: new Array(PLAYGROUND_LIMITS.maxRepeats + 1).fill(1) } },
      { type: 'runCompleted', requestId: null, summary: { ...summary, timingsMs: [] } },
      { type: 'runCompleted', requestId: null, summary: { ...summary, macs: -5 } },
      { type: 'runCompleted', requestId: null, summary: { ...summary, outputDims: [1, -8, 16, 16] } },
      {
        type: 'runCompleted',
        requestId: null,
        summary: { ...summary, tensors: new Array(PLAYGROUND_LIMITS.maxRunTensors + 1).fill({ name: 'o', dims: [1], data: [0] }) },
      },
      { type: 'runCompleted', requestId: null, summary: { ...summary, tensors: [{ name: 'o', dims: [2, 2], data: [0] }] } },
      { type: 'setParams', params, label: '' },
    ];
    for (const m of badUp) assert.strictEqual(isWebviewToHost(m), false, JSON.stringify(m));
    assert.strictEqual(isPlaygroundState({ ...DEFAULT_PLAYGROUND_STATE, focus: [0] }), false);
  });
});

describe('playground HTML', () => {
  const hostile = '"><script>alert(1)</script>\'&';
  const html = renderPlaygroundHtml({
    cspSource: 'https://res.example',
    nonce: 'abc123',
    scriptUri: 'https://res.example/playground.js',
    styleUri: 'https://res.example/p.css',
    state: { ...DEFAULT_PLAYGROUND_STATE, label: hostile },
  });
  it('puts the state in an escaped attribute, never in script text', () => {
    assert.ok(!html.includes('<script>alert'));
    assert.ok(html.includes(`data-state="${escapeAttribute(JSON.stringify({ ...DEFAULT_PLAYGROUND_STATE, label: hostile }))}"`));
    assert.strictEqual((html.match(/<script/g) ?? []).length, 1);
    assert.ok(html.includes('<script nonce="abc123" src="https://res.example/playground.js"></script>'));
  });
  it('has a strict CSP: default none, nonce scripts, wasm-unsafe-eval, no unsafe-inline', () => {
    const csp = playgroundCsp('https://res.example', 'abc123');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123' 'wasm-unsafe-eval'(;|$)/);
    assert.match(csp, /connect-src https:\/\/res\.example/);
    assert.ok(!/unsafe-inline|unsafe-eval'|\*/.test(csp.replace("'wasm-unsafe-eval'", '')));
  });
});
