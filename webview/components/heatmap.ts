// Draws one channel of a feature map or kernel as a diverging heatmap on a canvas: negative values
// towards the theme's blue, positive towards its red, zero the editor background. Drawing only.
import type { Tensor } from '../playground/model/floatTensor';
import { el, themeColor } from './dom';

function parseColor(c: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})/i.exec(c.trim());
  if (m) {
    const v = parseInt(m[1]!, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(c);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : [128, 128, 128];
}

/** Renders channel `channel` of a `[1, C, H, W]` or `[O, I, kh, kw]` tensor (outer index `outer`). */
export function heatmap(t: Tensor, outer: number, channel: number, title: string, maxPx = 160): HTMLElement {
  const [, c, h, w] = t.dims as [number, number, number, number];
  const canvas = el('canvas', { class: 'heatmap', role: 'img' });
  const cell = Math.max(1, Math.min(24, Math.floor(maxPx / Math.max(h, w))));
  canvas.width = w * cell;
  canvas.height = h * cell;
  const offset = (outer * c + channel) * h * w;
  let absMax = 0;
  for (let i = 0; i < h * w; i++) absMax = Math.max(absMax, Math.abs(t.data[offset + i]!));
  canvas.setAttribute('aria-label', `${title}: ${h}×${w}, values in ±${absMax.toPrecision(3)}`);
  const figure = el('figure', { class: 'map' }, canvas, el('figcaption', {}, title));
  requestAnimationFrame(() => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const bg = parseColor(themeColor(canvas, '--vscode-editor-background', '#1e1e1e'));
    const neg = parseColor(themeColor(canvas, '--vscode-charts-blue', '#3794ff'));
    const pos = parseColor(themeColor(canvas, '--vscode-charts-red', '#f14c4c'));
    const img = ctx.createImageData(w * cell, h * cell);
    for (let y = 0; y < h * cell; y++) {
      for (let x = 0; x < w * cell; x++) {
        const v = t.data[offset + Math.floor(y / cell) * w + Math.floor(x / cell)]!;
        const a = absMax > 0 ? Math.min(1, Math.abs(v) / absMax) : 0;
        const target = v < 0 ? neg : pos;
        const j = (y * w * cell + x) * 4;
        for (let k = 0; k < 3; k++) img.data[j + k] = Math.round(bg[k]! + (target[k]! - bg[k]!) * a);
        img.data[j + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  });
  return figure;
}
