// The playground's form: variant picker, Cin/Cout, kernel (square, k×1 or 1×k), stride, padding,
// dilation, groups, output_padding, input H×W, bias, seed, backend, input source and weights (seeded or
// from a .npy / .safetensors file, with the module to take them from). Every control is a labelled native
// form element (keyboard reachable). It reports edits; it does not validate them.
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
  private readonly fit: HTMLButtonElement;
  private readonly showWidth: () => void;

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
      if (isConvVariant(variant.value)) this.set(presetFor(variant.value, this.read()));
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
    const width = this.number('kernelW', 'kw');
    const widthLabel = this.element.querySelector<HTMLLabelElement>('label[for="f-kernelW"]');
    const showWidth = (): void => {
      width.hidden = shapeSelect.value !== 'free';
      if (widthLabel) widthLabel.hidden = width.hidden;
    };
    shapeSelect.addEventListener('change', showWidth);
    this.showWidth = showWidth;
    for (const [key, label] of [
      ['stride', 'Stride'],
      ['padding', 'Padding'],
      ['dilation', 'Dilation'],
      ['outputPadding', 'output_padding'],
      ['inputSize', 'Input'],
    ] as const) {
      this.number(`${key}0`, `${label} ${key === 'inputSize' ? 'H' : 'h'}`);
      this.number(`${key}1`, `${label} ${key === 'inputSize' ? 'W' : 'w'}`);
    }
    this.number('groups', 'Groups');
    const bias = el('input', { type: 'checkbox', id: 'f-bias' });
    this.fields.set('bias', bias);
    this.element.append(el('label', { class: 'check', for: 'f-bias' }, bias, 'bias'));
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
    this.prefix.addEventListener('change', () => events.onWeightPrefix(this.prefix.value));
    this.fit = el('button', { type: 'button', id: 'f-fitWeights', hidden: '' }, 'Fit controls to these weights');
    this.fit.addEventListener('click', () => events.onFitToWeights());
    this.element.append(this.prefixLabel, this.prefix, this.fit);
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
    this.element.append(el('label', { for: input.id }, label), input);
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
    this.showWidth();
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
