// The animated sliding window: the input grid (with its padding border) and the output grid, the
// focused output cell and the input cells that feed it (dilation gaps, stride jumps, padding cells),
// or for a transposed conv the focused input cell and the output cells it scatters to. Keyboard:
// arrow keys move the focus, Space plays / pauses. Drawing and input handling only.
import type { PlaygroundParams } from '../../extension/protocol/playgroundMessages';
import { gatherTaps, scatterTargets, viewport, type Tap, type Viewport } from '../playground/model/windowGeometry';
import { el, themeColor } from './dom';

/** One side of the view: an H×W grid with a `bh`/`bw` padding border. */
interface Grid {
  readonly h: number;
  readonly w: number;
  readonly bh: number;
  readonly bw: number;
}
type Box = { y0: number; x0: number; y1: number; x1: number };

/** Cells a side beyond which a grid is drawn as a window around the taps. */
const MAX_CELLS = 24;

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
    const left: Grid = transposed ? { h: ih, w: iw, bh: 0, bw: 0 } : { h: ih, w: iw, bh: ph, bw: pw };
    const right: Grid = transposed ? { h: oh, w: ow, bh: ph, bw: pw } : { h: oh, w: ow, bh: 0, bw: 0 };
    const [fy, fx] = this.focus;
    const taps: Tap[] = transposed ? scatterTargets(p, fy, fx, this.outputSize) : gatherTaps(p, fy, fx);
    const focusBox = (g: Grid): Box => ({ y0: fy + g.bh, y1: fy + g.bh, x0: fx + g.bw, x1: fx + g.bw });
    const tapBox = (g: Grid): Box => ({
      y0: Math.min(...taps.map((t) => t.y)) + g.bh,
      y1: Math.max(...taps.map((t) => t.y)) + g.bh,
      x0: Math.min(...taps.map((t) => t.x)) + g.bw,
      x1: Math.max(...taps.map((t) => t.x)) + g.bw,
    });
    // Large grids are drawn as a window around the taps and the focus (a 224² input at one pixel a cell is blank).
    const lv = viewport(left.h + 2 * left.bh, left.w + 2 * left.bw, transposed ? focusBox(left) : tapBox(left), MAX_CELLS);
    const rv = viewport(right.h + 2 * right.bh, right.w + 2 * right.bw, transposed ? tapBox(right) : focusBox(right), MAX_CELLS);
    const cols = lv.cols + rv.cols + 2;
    const rows = Math.max(lv.rows, rv.rows);
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
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, cols * cell, rows * cell);
    const rightX0 = (lv.cols + 2) * cell;
    const drawGrid = (x0: number, g: Grid, v: Viewport): void => {
      for (let y = v.y0; y < v.y0 + v.rows; y++) {
        for (let x = v.x0; x < v.x0 + v.cols; x++) {
          const border = y < g.bh || x < g.bw || y >= g.h + g.bh || x >= g.w + g.bw;
          ctx.fillStyle = border ? pad : bg;
          ctx.fillRect(x0 + (x - v.x0) * cell, (y - v.y0) * cell, cell, cell);
          if (cell >= 6) {
            ctx.strokeStyle = grid;
            ctx.strokeRect(x0 + (x - v.x0) * cell + 0.5, (y - v.y0) * cell + 0.5, cell - 1, cell - 1);
          }
        }
      }
    };
    drawGrid(0, left, lv);
    drawGrid(rightX0, right, rv);
    const mark = (x0: number, g: Grid, v: Viewport, t: { y: number; x: number }, color: string, fill: boolean): void => {
      const gx = t.x + g.bw - v.x0;
      const gy = t.y + g.bh - v.y0;
      if (gx < 0 || gy < 0 || gx >= v.cols || gy >= v.rows) return;
      const px = x0 + gx * cell;
      const py = gy * cell;
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
    if (transposed) {
      mark(0, left, lv, { y: fy, x: fx }, focusColor, true);
      for (const t of taps) mark(rightX0, right, rv, t, tapColor, t.inside);
    } else {
      for (const t of taps) mark(0, left, lv, t, t.cross ? crossColor : tapColor, t.inside);
      mark(rightX0, right, rv, { y: fy, x: fx }, focusColor, true);
    }
    const inside = taps.filter((t) => t.inside).length;
    const text = transposed
      ? `Input cell (${fy}, ${fx}) scatters a ${p.kernelSize[0]}×${p.kernelSize[1]} kernel to ${inside} output cells (stride ${p.stride.join('×')} spreads inputs apart; ${taps.length - inside} targets fall in the cropped padding border).`
      : `Output cell (${fy}, ${fx}) reads ${inside} input cells and ${taps.length - inside} padding cells; dilation ${p.dilation.join('×')} leaves gaps, stride ${p.stride.join('×')} jumps the window.${p.variant === 'acblock' ? ' Orange: the centre cross that the 3×1 and 1×3 branches add to.' : ''}`;
    const shown = (name: string, g: Grid, v: Viewport): string =>
      v.cropped
        ? ` Showing ${name} rows ${v.y0 - g.bh}–${v.y0 + v.rows - 1 - g.bh}, columns ${v.x0 - g.bw}–${v.x0 + v.cols - 1 - g.bw} of ${g.h}×${g.w}.`
        : '';
    const crop = shown('input', left, lv) + shown('output', right, rv);
    this.caption.textContent = text + crop;
    this.canvas.setAttribute('aria-label', text + crop);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
