// The playground's pure pieces behind the form and the sliding window: what picking a variant sets (the
// transposed preset upsamples ×2 for every kernel size torch accepts), and the window the view draws over a
// large grid (around the taps, inside the grid, the whole grid when it is small).
import * as assert from 'assert';
import { variantLayers } from '../../extension/core/convMath';
import { DEFAULT_PLAYGROUND_STATE } from '../../extension/protocol/playgroundMessages';
import { presetFor } from '../../webview/playground/model/presets';
import { gatherTaps, viewport } from '../../webview/playground/model/windowGeometry';

describe('playground presets', () => {
  for (const k of [1, 2, 3, 4, 5, 7]) {
    it(`the transposed preset doubles H and W with a ${k}×${k} kernel (torch accepts its output_padding)`, () => {
      const p = presetFor('transposed', { ...DEFAULT_PLAYGROUND_STATE.params, kernelSize: [k, k], inputSize: [16, 12] });
      assert.deepStrictEqual(p.stride, [2, 2]);
      const check = variantLayers('transposed', { ...p });
      assert.ok(check.ok, check.ok ? '' : check.error.message);
      assert.deepStrictEqual(check.layers[0]!.outputSize, [32, 24]);
    });
  }

  it('keeps what the user set once the variant is transposed', () => {
    const mine = {
      ...DEFAULT_PLAYGROUND_STATE.params,
      variant: 'transposed' as const,
      stride: [3, 3] as [number, number],
      outputPadding: [2, 2] as [number, number],
    };
    assert.deepStrictEqual(presetFor('transposed', mine), mine);
  });
});

describe('sliding-window viewport', () => {
  it('shows a small grid whole', () => {
    assert.deepStrictEqual(viewport(18, 18, { y0: 0, x0: 0, y1: 2, x1: 2 }, 24), { y0: 0, x0: 0, rows: 18, cols: 18, cropped: false });
  });

  it('crops a 224² input to a window around the taps of a centre output cell, at most 24 cells a side', () => {
    const p = { ...DEFAULT_PLAYGROUND_STATE.params, inputSize: [224, 224] as [number, number] };
    const taps = gatherTaps(p, 100, 150);
    const ys = taps.map((t) => t.y + 1);
    const xs = taps.map((t) => t.x + 1);
    const v = viewport(226, 226, { y0: Math.min(...ys), y1: Math.max(...ys), x0: Math.min(...xs), x1: Math.max(...xs) }, 24);
    assert.strictEqual(v.cropped, true);
    assert.deepStrictEqual([v.rows, v.cols], [24, 24]);
    for (const y of ys) assert.ok(y >= v.y0 && y < v.y0 + v.rows, `row ${y} in ${v.y0}+${v.rows}`);
    for (const x of xs) assert.ok(x >= v.x0 && x < v.x0 + v.cols, `column ${x} in ${v.x0}+${v.cols}`);
  });

  it('stays inside the grid at its corners, and grows to hold a dilated kernel wider than the window', () => {
    assert.deepStrictEqual(viewport(226, 226, { y0: 0, x0: 223, y1: 2, x1: 225 }, 24), {
      y0: 0,
      x0: 202,
      rows: 24,
      cols: 24,
      cropped: true,
    });
    const wide = viewport(300, 300, { y0: 100, x0: 100, y1: 140, x1: 140 }, 24);
    assert.deepStrictEqual([wide.rows, wide.cols], [43, 43]); // the 41 cells and one either side
    assert.ok(wide.y0 <= 100 && wide.y0 + wide.rows > 140);
  });
});
