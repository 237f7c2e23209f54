// The animated sliding window: the input grid (with its padding border) and the output grid, the
// focused output cell and the input cells that feed it (dilation gaps, stride jumps, padding cells),
// or for a transposed conv the focused input cell and the output cells it scatters to. Keyboard:
// arrow keys move the focus, Space plays / pauses. Drawing and input handling only.
import type { PlaygroundParams } from '../../extension/protocol/playgroundMessages';
import { gatherTaps, scatterTargets, type Tap } from '../playground/model/windowGeometry';
import { el, themeColor } from './dom';

export class SlidingWindowView {
  readonly element: HTMLElement;
  private readonly canvas = el('canvas', { class: 'window-canvas', tabindex: '0', role: 'img' });
  private readonly caption = el('p', { class: 'caption', 'aria-live': 'polite' });
  private readonly playButton = el('button', { type: 'button' }, 'Play');
  private params: PlaygroundParams | undefined;
  private outputSize: [number, number] = [1, 1];
  private focus: [number, number] = [0, 0];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly onFocus: (focus: [number, number]) => void) {
    this.element = el(
      'section',
      { class: 'panel window', 'aria-label': 'Sliding window' },
      el('h2', {}, 'Sliding window'),
      el('div', { class: 'row' }, this.playButton, el('span', { class: 'hint' }, 'Arrow keys move the window; Space plays.')),
      this.canvas,
      this.caption,
    );
    this.playButton.addEventListener('click', () => this.toggle());
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The grid the focus moves over: output cells for a conv, input cells for a transposed conv. */
  private focusGrid(): [number, number] {
    const p = this.params;
    if (!p) return [1, 1];
    return p.variant === 'transposed' ? [p.inputSize[0], p.inputSize[1]] : this.outputSize;
  }

  update(params: PlaygroundParams, outputSize: readonly number[], focus: readonly [number, number]): void {
    this.params = params;
    this.outputSize = [outputSize[0] ?? 1, outputSize[1] ?? 1];
    const [gh, gw] = this.focusGrid();
    this.focus = [Math.min(Math.max(0, focus[0]), gh - 1), Math.min(Math.max(0, focus[1]), gw - 1)];
    this.draw();
  }

  private move(dy: number, dx: number, wrap: boolean): void {
    const [gh, gw] = this.focusGrid();
    let [y, x] = this.focus;
    x += dx;
    y += dy;
    if (wrap && x >= gw) {
      x = 0;
      y += 1;
    }
    if (wrap && y >= gh) y = 0;
    this.focus = [Math.min(Math.max(0, y), gh - 1), Math.min(Math.max(0, x), gw - 1)];
    this.onFocus(this.focus);
    this.draw();
  }

  private onKey(e: KeyboardEvent): void {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const m = moves[e.key];
    if (m) {
      this.move(m[0], m[1], false);
      e.preventDefault();
    } else if (e.key === ' ') {
      this.toggle();
      e.preventDefault();
    }
  }

  private toggle(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.playButton.textContent = 'Play';
    } else {
      this.timer = setInterval(() => this.move(0, 1, true), 450);
      this.playButton.textContent = 'Pause';
    }
  }

  private draw(): void {
    const p = this.params;
    if (!p) return;
    const transposed = p.variant === 'transposed';
    // The padded input (conv) or the uncropped output (transposed) shows a `padding` border.
    const [ih, iw] = p.inputSize;
    const [oh, ow] = this.outputSize;
    const [ph, pw] = p.padding;
    const left = transposed ? { h: ih, w: iw, bh: 0, bw: 0 } : { h: ih, w: iw, bh: ph, bw: pw };
    const right = transposed ? { h: oh, w: ow, bh: ph, bw: pw } : { h: oh, w: ow, bh: 0, bw: 0 };
    const cols = left.w + 2 * left.bw + right.w + 2 * right.bw + 2;
    const rows = Math.max(left.h + 2 * left.bh, right.h + 2 * right.bh);
    const cell = Math.max(3, Math.min(22, Math.floor(640 / cols), Math.floor(360 / rows)));
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = cols * cell * dpr;
    this.canvas.height = rows * cell * dpr;
    this.canvas.style.width = `${cols * cell}px`;
    this.canvas.style.height = `${rows * cell}px`;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const c = (v: string, f: string): string => themeColor(this.canvas, v, f);
    const bg = c('--vscode-editor-background', '#1e1e1e');
    const grid = c('--vscode-editorWidget-border', '#454545');
    const pad = c('--vscode-editorGutter-background', '#2a2a2a');
    const tapColor = c('--vscode-charts-blue', '#3794ff');
    const crossColor = c('--vscode-charts-orange', '#d18616');
    const focusColor = c('--vscode-charts-red', '#f14c4c');
    const fg = c('--vscode-foreground', '#cccccc');
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, cols * cell, rows * cell);
    const rightX0 = (left.w + 2 * left.bw + 2) * cell;
    const drawGrid = (x0: number, g: { h: number; w: number; bh: number; bw: number }): void => {
      for (let y = -g.bh; y < g.h + g.bh; y++) {
        for (let x = -g.bw; x < g.w + g.bw; x++) {
          const border = y < 0 || x < 0 || y >= g.h || x >= g.w;
          ctx.fillStyle = border ? pad : bg;
          ctx.fillRect(x0 + (x + g.bw) * cell, (y + g.bh) * cell, cell, cell);
          if (cell >= 6) {
            ctx.strokeStyle = grid;
            ctx.strokeRect(x0 + (x + g.bw) * cell + 0.5, (y + g.bh) * cell + 0.5, cell - 1, cell - 1);
          }
        }
      }
    };
    drawGrid(0, left);
    drawGrid(rightX0, right);
    const mark = (x0: number, g: { bh: number; bw: number }, t: { y: number; x: number }, color: string, fill: boolean): void => {
      const px = x0 + (t.x + g.bw) * cell;
      const py = (t.y + g.bh) * cell;
      ctx.globalAlpha = fill ? 0.75 : 1;
      ctx.fillStyle = color;
      ctx.strokeStyle = color;
      if (fill) ctx.fillRect(px + 1, py + 1, cell - 2, cell - 2);
      else {
        ctx.lineWidth = 2;
        ctx.strokeRect(px + 1, py + 1, cell - 2, cell - 2);
        ctx.lineWidth = 1;
      }
      ctx.globalAlpha = 1;
    };
    const [fy, fx] = this.focus;
    let taps: Tap[];
    if (transposed) {
      taps = scatterTargets(p, fy, fx, this.outputSize);
      mark(0, left, { y: fy, x: fx }, focusColor, true);
      for (const t of taps) mark(rightX0, right, t, tapColor, t.inside);
    } else {
      taps = gatherTaps(p, fy, fx);
      for (const t of taps) mark(0, left, t, t.cross ? crossColor : tapColor, t.inside);
      mark(rightX0, right, { y: fy, x: fx }, focusColor, true);
    }
    ctx.fillStyle = fg;
    const inside = taps.filter((t) => t.inside).length;
    const text = transposed
      ? `Input cell (${fy}, ${fx}) scatters a ${p.kernelSize[0]}×${p.kernelSize[1]} kernel to ${inside} output cells (stride ${p.stride.join('×')} spreads inputs apart; ${taps.length - inside} targets fall in the cropped padding border).`
      : `Output cell (${fy}, ${fx}) reads ${inside} input cells and ${taps.length - inside} padding cells; dilation ${p.dilation.join('×')} leaves gaps, stride ${p.stride.join('×')} jumps the window.${p.variant === 'acblock' ? ' Orange: the centre cross that the 3×1 and 1×3 branches add to.' : ''}`;
    this.caption.textContent = text;
    this.canvas.setAttribute('aria-label', text);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
