// The convolution playground UI, driven only through a `Host` (webview panel, notebook output or a
// test page): controls, run status, heatmaps, sliding window, connectivity, cost table and the ACBlock
// fusion view. Validates every inbound message and answers run requests from the host. Owns one
// PlaygroundEngine (ORT sessions) and releases it on dispose.
import {
  DEFAULT_PLAYGROUND_STATE,
  type BackendChoice,
  type PlaygroundParams,
  type PlaygroundState,
  type RunError,
  type ToWebview,
} from '../../extension/protocol/playgroundMessages';
import { isHostToWebview, isPlaygroundState } from '../../extension/protocol/validate';
import type { Host } from '../host';
import { PlaygroundEngine, type RunOutcome } from '../playground/engine';
import { imageInput, testPattern } from '../playground/model/inputs';
import { presetFor } from '../playground/model/presets';
import { seededInput } from '../playground/model/variantModel';
import type { Tensor } from '../playground/model/floatTensor';
import { loadUserWeights, paramsFromWeights, weightModules, type UserWeights } from '../playground/model/userWeights';
import { openWeightFile, type WeightFile } from '../playground/model/weightFile';
import { connectivityDiagram } from './connectivity';
import { Controls, type InputSource, type WeightChoice } from './controls';
import { costTable, formatGmacs, formatLatency, type Measurement } from './costTable';
import { el } from './dom';
import { heatmap } from './heatmap';
import { SlidingWindowView } from './slidingWindow';

const MAX_CHANNELS_SHOWN = 4;

/** Picks the state to start from: the webview's own saved state, else the host's, else the default. */
export function initialState(saved: unknown, fromHost: unknown): PlaygroundState {
  if (isPlaygroundState(saved)) return saved;
  if (isPlaygroundState(fromHost)) return fromHost;
  return DEFAULT_PLAYGROUND_STATE;
}

export class PlaygroundApp {
  private state: PlaygroundState;
  private readonly engine = new PlaygroundEngine();
  private readonly controls: Controls;
  private readonly status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly errorBox = el('div', { class: 'error', role: 'alert' });
  private readonly label = el('p', { class: 'playground-label' });
  private readonly maps = el('section', { class: 'panel maps', 'aria-label': 'Feature maps' });
  private readonly acblock = el('section', { class: 'panel acblock', 'aria-label': 'ACBlock fusion' });
  private readonly connectivity = el('div');
  private readonly costs = el('div');
  private readonly window: SlidingWindowView;
  private readonly measured = new Map<string, Measurement>();
  private inputSource: InputSource = 'pattern';
  private image: { pixels: Uint8ClampedArray; h: number; w: number; file: File } | undefined;
  /** A loaded weight file, the module picked in it, and its tensors loaded for the current controls. */
  private weightFile: WeightFile | undefined;
  private weightPrefix: string | undefined;
  private userWeights: { key: string; weights: UserWeights } | undefined;
  private weightLoads = 0;
  /** The variant the module list was made for. */
  private weightVariant: string | undefined;
  private readonly weightStatus = el('p', { class: 'weights-status', role: 'status' });
  private runToken = 0;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  /** Host requests run one after another, never concurrently with each other. */
  private requests: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
    initial: PlaygroundState,
  ) {
    this.state = initial;
    this.controls = new Controls(initial.params, initial.backend, {
      onParams: (p) => this.update({ params: p }),
      onBackend: (b) => this.update({ backend: b }),
      onInputSource: (s, file) => void this.setInputSource(s, file),
      onWeightFile: (file) => void this.setWeightFile(file),
      onWeightPrefix: (prefix) => {
        this.weightPrefix = prefix;
        this.userWeights = undefined;
        this.scheduleRun(0);
      },
      onFitToWeights: () => this.fitToWeights(),
    });
    this.window = new SlidingWindowView((focus) => this.save({ ...this.state, focus }));
    this.label.textContent = initial.label;
    root.replaceChildren(
      el(
        'main',
        { class: 'playground' },
        el('header', {}, el('h1', {}, 'Convolution playground'), this.label),
        this.controls.element,
        this.weightStatus,
        this.status,
        this.errorBox,
        el('div', { class: 'grid' }, this.window.element, this.connectivity),
        this.maps,
        this.acblock,
        this.costs,
      ),
    );
    this.unsubscribe = host.onMessage((m) => this.onMessage(m));
    host.post({ type: 'ready' });
    this.scheduleRun(0);
  }

  private save(state: PlaygroundState): void {
    this.state = state;
    this.host.setState(state);
  }

  private update(change: Partial<PlaygroundState>): void {
    this.save({ ...this.state, ...change });
    this.scheduleRun(150);
  }

  private onMessage(message: unknown): void {
    if (!isHostToWebview(message)) {
      this.host.post({ type: 'messageRejected', reason: 'message failed validation' });
      return;
    }
    const m: ToWebview.Message = message;
    switch (m.type) {
      case 'setParams':
        this.label.textContent = m.label;
        this.save({ ...this.state, label: m.label });
        this.controls.set(m.params);
        break;
      case 'runRequest':
        this.requests = this.requests.then(() => this.answer(m));
        break;
    }
  }

  /** Runs a host request on the seeded input and posts the result; the view shows it too. */
  private async answer(m: ToWebview.RunRequest): Promise<void> {
    const r = await this.engine.run(m.params, m.backend, () => seededInput(m.params), m.repeats, m.includeTensors);
    if (r.ok) {
      this.host.post({ type: 'runCompleted', requestId: m.requestId, summary: r.outcome.summary });
      this.render(m.params, r.outcome);
    } else {
      this.host.post({ type: 'runFailed', requestId: m.requestId, error: r.error });
      this.showError(r.error);
    }
  }

  private async setInputSource(source: InputSource, file?: File): Promise<void> {
    if (source === 'image' && file) {
      this.image = { ...(await this.decode(file, this.state.params.inputSize)), file };
    }
    this.inputSource = source;
    this.scheduleRun(0);
  }

  /** Draws the image at H×W on an offscreen canvas and reads its pixels. */
  private async decode(file: File, size: readonly [number, number]): Promise<{ pixels: Uint8ClampedArray; h: number; w: number }> {
    const [h, w] = size;
    const bitmap = await createImageBitmap(file);
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(bitmap, 0, 0, w, h);
    bitmap.close();
    return { pixels: ctx.getImageData(0, 0, w, h).data, h, w };
  }

  private async inputFor(p: PlaygroundParams): Promise<Tensor> {
    const [h, w] = p.inputSize;
    if (this.inputSource === 'random') return seededInput(p);
    if (this.inputSource === 'image' && this.image) {
      if (this.image.h !== h || this.image.w !== w) this.image = { ...(await this.decode(this.image.file, [h, w])), file: this.image.file };
      return imageInput(this.image.pixels, p.inChannels, h, w);
    }
    return testPattern(p.inChannels, h, w);
  }

  private async setWeightFile(file: File | undefined): Promise<void> {
    this.userWeights = undefined;
    this.weightFile = undefined;
    this.weightPrefix = undefined;
    if (file) {
      try {
        this.weightFile = await openWeightFile(file, file.name);
      } catch (e) {
        this.pickPrefix();
        this.weightStatus.textContent = e instanceof Error ? e.message : String(e);
        this.scheduleRun(0);
        return;
      }
    }
    this.pickPrefix();
    this.scheduleRun(0);
  }

  /**
   * The modules of the weight file that fit the current variant; keeps the picked one, else prefers the layer
   * "Visualize this layer" came from (the label ends with its path), else the first.
   */
  private pickPrefix(): void {
    const file = this.weightFile;
    const variant = this.state.params.variant;
    this.weightVariant = variant;
    this.weightStatus.textContent = '';
    if (!file) {
      this.controls.showWeights(undefined, undefined);
      return;
    }
    const modules = weightModules(file, variant);
    const prefixes = modules.map((m) => m.prefix);
    const fromLabel = prefixes.find((p) => p !== '' && this.state.label.endsWith(`: ${p}`));
    const picked = this.weightPrefix !== undefined && prefixes.includes(this.weightPrefix) ? this.weightPrefix : (fromLabel ?? prefixes[0]);
    if (picked !== this.weightPrefix) this.userWeights = undefined;
    this.weightPrefix = picked;
    const choices: WeightChoice[] = modules.map((m) => ({
      prefix: m.prefix,
      label: `${m.prefix === '' ? '(top level)' : m.prefix} [${m.anchor.dims.join('×')}]`,
    }));
    this.controls.showWeights(choices, picked);
    if (picked === undefined) {
      const needs =
        variant === 'depthwiseSeparable'
          ? "a depth_conv.weight and a point_conv.weight (the seed's DSC)"
          : variant === 'acblock'
            ? "square_conv, ver_conv, hor_conv and their BatchNorms (the seed's ACBlock)"
            : 'a 4-D weight';
      this.weightStatus.textContent = `${file.fileName} has no module for this variant: it needs ${needs}. Using seeded weights.`;
    }
  }

  /** The loaded weights for `p`, or the reason they do not fit; undefined when the seeded weights are used. */
  private async weightsFor(p: PlaygroundParams): Promise<{ ok: true; weights: UserWeights | undefined } | { ok: false; message: string }> {
    const file = this.weightFile;
    const prefix = this.weightPrefix;
    if (!file || prefix === undefined) return { ok: true, weights: undefined };
    const key = `${prefix}|${JSON.stringify(p)}`;
    if (this.userWeights?.key === key) return { ok: true, weights: this.userWeights.weights };
    const r = await loadUserWeights(file, prefix, p, `${file.fileName}#${++this.weightLoads}`);
    if (!r.ok) return r;
    this.userWeights = { key, weights: r.weights };
    return { ok: true, weights: r.weights };
  }

  private fitToWeights(): void {
    if (!this.weightFile || this.weightPrefix === undefined) return;
    const fitted = paramsFromWeights(this.weightFile, this.weightPrefix, this.state.params);
    if (fitted) this.controls.set(fitted);
  }

  private scheduleRun(delayMs: number): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.runCurrent(), delayMs);
  }

  private async runCurrent(): Promise<void> {
    const token = ++this.runToken;
    const p = this.state.params;
    this.status.textContent = 'Running…';
    this.connectivity.replaceChildren();
    this.costs.replaceChildren(costTable(p, this.measured, () => void this.measureAll()));
    if (this.weightFile && this.weightVariant !== p.variant) this.pickPrefix(); // which modules fit depends on the variant
    const w = await this.weightsFor(p);
    if (token !== this.runToken) return;
    if (!w.ok) {
      // PyTorch's load_state_dict message; the Fit button sets the controls from the file's shapes.
      this.showError({ stage: 'validation', kind: 'RuntimeError', message: w.message });
      this.controls.setFitVisible(true);
      this.host.post({ type: 'runFailed', requestId: null, error: { stage: 'validation', kind: 'RuntimeError', message: w.message } });
      return;
    }
    this.controls.setFitVisible(false);
    if (w.weights) {
      const names = [...w.weights.tensors.keys()];
      this.weightStatus.textContent = `Weights: ${w.weights.prefix || '(top level)'} from ${w.weights.fileName} (${names.join(', ')}).`;
    }
    const r = await this.engine.run(p, this.state.backend, () => this.inputFor(p), 3, false, w.weights);
    if (token !== this.runToken) return; // a newer edit superseded this run
    if (r.ok) {
      this.render(p, r.outcome);
      this.host.post({ type: 'runCompleted', requestId: null, summary: r.outcome.summary });
    } else {
      this.showError(r.error);
      this.host.post({ type: 'runFailed', requestId: null, error: r.error });
    }
  }

  private showError(e: RunError): void {
    this.status.textContent = '';
    this.errorBox.textContent = e.stage === 'validation' ? `${e.kind}: ${e.message}` : `${e.stage} failed — ${e.kind}: ${e.message}`;
    this.maps.replaceChildren();
    this.acblock.replaceChildren();
  }

  private render(p: PlaygroundParams, o: RunOutcome): void {
    const s = o.summary;
    this.errorBox.textContent = '';
    this.status.replaceChildren(
      el('strong', { class: 'backend' }, s.backend === 'webgpu' ? 'WebGPU' : 'WASM'),
      ` — ${s.backendReason}. `,
      `Output [${s.outputDims.join(', ')}], median ${formatLatency(s.latencyMs)} per run `,
      `(${s.runs.toLocaleString('en-US')} runs in ${s.timingsMs.length} timed batches, ${formatLatency(s.measuredMs)} measured), `,
      `${formatGmacs(s.macs, s.latencyMs)} GMAC/s.`,
    );
    this.measured.set(`${p.variant}|train`, { latencyMs: s.latencyMs, backend: s.backend, runs: s.runs });
    const outHw = s.outputDims.slice(2);
    this.window.update(p, outHw, this.state.focus);
    this.connectivity.replaceChildren(connectivityDiagram(p));
    const firstLayer = o.model.kind === 'single' ? o.model.conv : o.model.kind === 'dsc' ? o.model.depthwise : o.model.square.conv;
    const channels = (t: Tensor, what: string): HTMLElement[] =>
      Array.from({ length: Math.min(MAX_CHANNELS_SHOWN, t.dims[1]!) }, (_, c) => heatmap(t, 0, c, `${what} ch ${c}`));
    const kernelCount = Math.min(MAX_CHANNELS_SHOWN, firstLayer.weight.dims[1]!);
    this.maps.replaceChildren(
      el('h2', {}, 'Feature maps'),
      el('div', { class: 'row wrap' }, ...channels(o.input, 'input')),
      el(
        'div',
        { class: 'row wrap' },
        ...Array.from({ length: kernelCount }, (_, i) => heatmap(firstLayer.weight, 0, i, `${firstLayer.name}.weight[0, ${i}]`, 96)),
      ),
      el('div', { class: 'row wrap' }, ...channels(o.output, 'output')),
    );
    this.renderAcBlock(o);
    this.costs.replaceChildren(costTable(p, this.measured, () => void this.measureAll()));
  }

  private renderAcBlock(o: RunOutcome): void {
    if (o.model.kind !== 'acblock') {
      this.acblock.replaceChildren();
      return;
    }
    const f = o.model.fused.weight;
    const [, , kh, kw] = f.dims as [number, number, number, number];
    const rows = Array.from({ length: kh }, (_, y) =>
      el(
        'tr',
        {},
        ...Array.from({ length: kw }, (_, x) =>
          el('td', y === Math.floor(kh / 2) || x === Math.floor(kw / 2) ? { class: 'cross' } : {}, f.data[y * kw + x]!.toFixed(3)),
        ),
      ),
    );
    const diff = o.summary.maxAbsDiff ?? NaN;
    this.acblock.replaceChildren(
      el('h2', {}, 'ACBlock: training form vs fused deploy form'),
      el(
        'p',
        {},
        `BatchNorm folded into each branch (W·γ/σ, β − μ·γ/σ); the 3×1 and 1×3 kernels added onto the centre cross of the ${kh}×${kw} kernel. `,
        el('strong', {}, `max |train − deploy| = ${diff.toExponential(2)}`),
      ),
      el(
        'div',
        { class: 'row wrap' },
        el(
          'table',
          { class: 'kernel', 'aria-label': 'Fused kernel, output channel 0, input channel 0' },
          el('caption', {}, 'fused_conv.weight[0, 0]'),
          el('tbody', {}, ...rows),
        ),
        heatmap(f, 0, 0, 'fused kernel [0, 0]', 96),
        ...(o.deployOutput ? [heatmap(o.deployOutput, 0, 0, 'deploy output ch 0')] : []),
      ),
    );
  }

  /** Runs every variant (presets applied to the current controls) and fills the latency column. */
  private async measureAll(): Promise<void> {
    for (const v of ['standard', 'grouped', 'dilated', 'depthwiseSeparable', 'acblock', 'transposed'] as const) {
      const q = presetFor(v, this.state.params);
      const r = await this.engine.run(q, this.state.backend, () => seededInput(q), 10, false);
      if (r.ok) {
        const { latencyMs, backend, runs } = r.outcome.summary;
        this.measured.set(`${v}|train`, { latencyMs, backend, runs });
      }
      this.costs.replaceChildren(costTable(this.state.params, this.measured, () => void this.measureAll()));
    }
  }

  setBackend(b: BackendChoice): void {
    this.update({ backend: b });
  }

  dispose(): void {
    this.unsubscribe();
    this.window.dispose();
    this.engine.dispose();
    if (this.debounce) clearTimeout(this.debounce);
    this.root.replaceChildren();
  }
}
