// The playground's form: variant picker, Cin/Cout, kernel (square, k×1 or 1×k), stride, padding,
// dilation, groups, output_padding, input H×W, bias, seed, backend, input source and weights (seeded or
// from a .npy / .safetensors file, with the module to take them from). Every control is a labelled native
// form element (keyboard reachable); only the fields the chosen variant uses show. It reports edits; it does
// not validate them.
import { CONV_VARIANTS, type ConvVariant } from '../../extension/core/convMath';
import { BACKEND_CHOICES, type BackendChoice, type PlaygroundParams } from '../../extension/protocol/playgroundMessages';
import { isBackendChoice, isConvVariant } from '../../extension/protocol/validate';
import { presetFor } from '../playground/model/presets';
import { VARIANT_LABELS } from './costTable';
import { el } from './dom';

export type InputSource = 'pattern' | 'random' | 'image';

export interface ControlsEvents {
  onParams(p: PlaygroundParams): void;
  onBackend(b: BackendChoice): void;
  onInputSource(s: InputSource, image?: File): void;
  /** `file`: a weight file was picked; `seeded`: back to the seeded weights. */
  onWeightFile(file: File | undefined): void;
  onWeightPrefix(prefix: string): void;
  onFitToWeights(): void;
}

/** A module of a loaded weight file the user can take weights from. */
export interface WeightChoice {
  readonly prefix: string;
  readonly label: string;
}

type KernelShape = 'square' | 'column' | 'row' | 'free';

/** How the form shows a kernel: `k` for the square, column and row shapes; `k` × `kw` for any other. */
function kernelShapeOf(k: readonly [number, number]): { shape: KernelShape; size: number; width: number } {
  if (k[0] === k[1]) return { shape: 'square', size: k[0], width: k[1] };
  if (k[1] === 1) return { shape: 'column', size: k[0], width: 1 };
  if (k[0] === 1) return { shape: 'row', size: k[1], width: 1 };
  return { shape: 'free', size: k[0], width: k[1] };
}

export class Controls {
  readonly element: HTMLFormElement;
  private params: PlaygroundParams;
  private readonly fields = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly weights: HTMLSelectElement;
  private readonly weightInput: HTMLInputElement;
  private readonly prefix: HTMLSelectElement;
  private readonly prefixLabel: HTMLLabelElement;
  private readonly prefixField: HTMLElement;
  private readonly fit: HTMLButtonElement;
  /** Each field's wrapper (label and input(s)), to show only the fields the variant uses. */
  private readonly wrappers = new Map<string, HTMLElement>();

  constructor(
    initial: PlaygroundParams,
    backend: BackendChoice,
    private readonly events: ControlsEvents,
  ) {
    this.params = initial;
    this.element = el('form', { class: 'controls', 'aria-label': 'Convolution parameters' });
    this.element.addEventListener('submit', (e) => e.preventDefault());
    const variant = this.select(
      'variant',
      'Variant',
      CONV_VARIANTS.map((v) => [v, VARIANT_LABELS[v]]),
    );
    variant.addEventListener('change', () => {
      // The preset sees the variant being left (the select already holds the new one).
      if (isConvVariant(variant.value)) this.set(presetFor(variant.value, { ...this.read(), variant: this.params.variant }));
    });
    this.number('inChannels', 'Cin');
    this.number('outChannels', 'Cout');
    const shapeSelect = this.select('kernelShape', 'Kernel shape', [
      ['square', 'k×k'],
      ['column', 'k×1'],
      ['row', '1×k'],
      ['free', 'kh×kw'],
    ]);
    this.number('kernel', 'k');
    // The width field only for kh×kw (a kernel from a weight file or an editor layer may be any shape).
    this.number('kernelW', 'kw');
    shapeSelect.addEventListener('change', () => this.showFields());
    for (const [key, label] of [
      ['stride', 'Stride'],
      ['padding', 'Padding'],
      ['dilation', 'Dilation'],
      ['outputPadding', 'output_padding'],
      ['inputSize', 'Input H×W'],
    ] as const) {
      this.pair(key, label);
    }
    this.number('groups', 'Groups');
    const bias = el('input', { type: 'checkbox', id: 'f-bias' });
    this.fields.set('bias', bias);
    this.element.append(el('div', { class: 'field' }, el('label', { class: 'check', for: 'f-bias' }, bias, 'bias')));
    this.number('seed', 'Seed');
    const be = this.select(
      'backend',
      'Backend',
      BACKEND_CHOICES.map((b) => [b, b === 'auto' ? 'auto (WebGPU if a real adapter)' : b === 'wasm' ? 'WASM (CPU)' : 'WebGPU']),
    );
    be.value = backend;
    be.addEventListener('change', () => {
      if (isBackendChoice(be.value)) events.onBackend(be.value);
    });
    const source = this.select('source', 'Input', [
      ['pattern', 'test pattern'],
      ['random', 'seeded random'],
      ['image', 'image…'],
    ]);
    const file = el('input', { type: 'file', accept: 'image/*', id: 'f-image', class: 'visually-hidden', 'aria-label': 'Input image' });
    this.element.append(file);
    source.addEventListener('change', () => {
      if (source.value === 'image') file.click();
      else if (source.value === 'pattern' || source.value === 'random') events.onInputSource(source.value);
    });
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (f) events.onInputSource('image', f);
    });
    this.weights = this.select('weights', 'Weights', [
      ['seeded', 'seeded'],
      ['file', 'from file…'],
    ]);
    this.weights.title = 'Seeded random weights (the Seed field), or a .npy array or .safetensors state dict';
    this.weightInput = el('input', {
      type: 'file',
      accept: '.npy,.safetensors',
      id: 'f-weightFile',
      class: 'visually-hidden',
      'aria-label': 'Weight file',
    });
    this.element.append(this.weightInput);
    this.weights.addEventListener('change', () => {
      if (this.weights.value === 'file') {
        this.weightInput.value = '';
        this.weightInput.click();
      } else {
        events.onWeightFile(undefined);
      }
    });
    this.weightInput.addEventListener('change', () => {
      const f = this.weightInput.files?.[0];
      if (f) events.onWeightFile(f);
    });
    this.prefix = el('select', { id: 'f-weightPrefix' });
    this.prefixLabel = el('label', { for: 'f-weightPrefix', hidden: '' }, 'Module');
    this.prefix.hidden = true;
    this.prefixField = el('div', { class: 'field', hidden: '' }, this.prefixLabel, this.prefix);
    this.prefix.addEventListener('change', () => events.onWeightPrefix(this.prefix.value));
    this.fit = el('button', { type: 'button', id: 'f-fitWeights', hidden: '' }, 'Fit controls to these weights');
    this.fit.addEventListener('click', () => events.onFitToWeights());
    this.element.append(this.prefixField, this.fit);
    this.element.addEventListener('change', (e) => {
      const id = e.target instanceof HTMLElement ? e.target.id : '';
      if (['f-variant', 'f-backend', 'f-source', 'f-image', 'f-weights', 'f-weightFile', 'f-weightPrefix'].includes(id)) return;
      this.params = this.read();
      events.onParams(this.params);
    });
    this.write(initial);
  }

  private field(id: string, label: string, input: HTMLInputElement | HTMLSelectElement): void {
    input.id = `f-${id}`;
    this.fields.set(id, input);
    const wrapper = el('div', { class: 'field' }, el('label', { for: input.id }, label), input);
    this.wrappers.set(id, wrapper);
    this.element.append(wrapper);
  }

  /** An h, w pair under one label: `Stride [2] × [2]`; the inputs are `f-stride0` and `f-stride1`. */
  private pair(key: string, label: string): void {
    const [h, w] = [0, 1].map((i) => {
      const input = el('input', {
        type: 'number',
        step: '1',
        inputmode: 'numeric',
        id: `f-${key}${i}`,
        'aria-label': `${label} ${i ? 'w' : 'h'}`,
      });
      this.fields.set(`${key}${i}`, input);
      return input;
    }) as [HTMLInputElement, HTMLInputElement];
    const wrapper = el('div', { class: 'field' }, el('label', { for: h.id }, label), h, el('span', { 'aria-hidden': 'true' }, '×'), w);
    this.wrappers.set(key, wrapper);
    this.element.append(wrapper);
  }

  /**
   * Shows the fields the variant uses: groups for grouped, dilation for dilated, output_padding for transposed,
   * the kernel shape for all but ACBlock (always square), kw for a kh×kw kernel. A field whose value is not its
   * neutral one (a layer sent from the editor with dilation 2) always shows.
   */
  private showFields(p: PlaygroundParams = this.read()): void {
    const pairIs = (key: 'dilation' | 'outputPadding', v: number): boolean => p[key][0] === v && p[key][1] === v;
    const shape = this.value('kernelShape');
    const shown: Record<string, boolean> = {
      groups: p.variant === 'grouped' || p.groups !== 1,
      dilation: p.variant === 'dilated' || !pairIs('dilation', 1),
      outputPadding: p.variant === 'transposed' || !pairIs('outputPadding', 0),
      kernelShape: p.variant !== 'acblock' || shape !== 'square',
      kernelW: shape === 'free',
    };
    for (const [id, show] of Object.entries(shown)) {
      const w = this.wrappers.get(id);
      if (w) w.hidden = !show;
    }
  }

  private number(id: string, label: string): HTMLInputElement {
    const input = el('input', { type: 'number', step: '1', inputmode: 'numeric' });
    this.field(id, label, input);
    return input;
  }

  private select(id: string, label: string, options: readonly (readonly [string, string])[]): HTMLSelectElement {
    const s = el('select', {}, ...options.map(([v, t]) => el('option', { value: v }, t)));
    this.field(id, label, s);
    return s;
  }

  private value(id: string): string {
    return this.fields.get(id)?.value ?? '';
  }

  /** Reads the form. Non-integers stay NaN so that validation reports them. */
  read(): PlaygroundParams {
    const n = (id: string): number => (this.value(id).trim() === '' ? NaN : Number(this.value(id)));
    const pair = (id: string): [number, number] => [n(`${id}0`), n(`${id}1`)];
    const k = n('kernel');
    const kw = n('kernelW');
    const shape = this.value('kernelShape');
    const v = this.value('variant');
    const variant: ConvVariant = isConvVariant(v) ? v : this.params.variant;
    const biasField = this.fields.get('bias');
    return {
      variant,
      inChannels: n('inChannels'),
      outChannels: n('outChannels'),
      kernelSize: shape === 'column' ? [k, 1] : shape === 'row' ? [1, k] : shape === 'free' ? [k, kw] : [k, k],
      stride: pair('stride'),
      padding: pair('padding'),
      dilation: pair('dilation'),
      outputPadding: pair('outputPadding'),
      inputSize: pair('inputSize'),
      groups: n('groups'),
      bias: biasField instanceof HTMLInputElement ? biasField.checked : true,
      seed: n('seed'),
    };
  }

  private write(p: PlaygroundParams): void {
    const put = (id: string, v: number | string): void => {
      const f = this.fields.get(id);
      if (f) f.value = String(v);
    };
    put('variant', p.variant);
    put('inChannels', p.inChannels);
    put('outChannels', p.outChannels);
    const ks = kernelShapeOf(p.kernelSize);
    put('kernelShape', ks.shape);
    put('kernel', ks.size);
    put('kernelW', ks.width);
    this.showFields(p);
    for (const key of ['stride', 'padding', 'dilation', 'outputPadding', 'inputSize'] as const) {
      put(`${key}0`, p[key][0]);
      put(`${key}1`, p[key][1]);
    }
    put('groups', p.groups);
    put('seed', p.seed);
    const b = this.fields.get('bias');
    if (b instanceof HTMLInputElement) b.checked = p.bias;
  }

  /** Shows the modules of a loaded weight file, or with `undefined` goes back to seeded weights. */
  showWeights(choices: readonly WeightChoice[] | undefined, selected: string | undefined): void {
    const loaded = choices !== undefined;
    this.weights.value = loaded ? 'file' : 'seeded';
    this.prefix.replaceChildren(...(choices ?? []).map((c) => el('option', { value: c.prefix }, c.label)));
    if (selected !== undefined) this.prefix.value = selected;
    this.prefix.hidden = !loaded || choices.length === 0;
    this.prefixLabel.hidden = this.prefix.hidden;
    this.prefixField.hidden = this.prefix.hidden;
    this.fit.hidden = true;
  }

  /** The Fit button shows while the picked module's shapes differ from the controls. */
  setFitVisible(visible: boolean): void {
    this.fit.hidden = !visible;
  }

  /** Replaces the form's values (a preset or a message from the host) and reports them. */
  set(p: PlaygroundParams): void {
    this.params = p;
    this.write(p);
    this.events.onParams(p);
  }
}
