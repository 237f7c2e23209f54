// A convolution preset as plain text: the hyperparameters, the output shape and params/MACs by formula
// (convMath), or PyTorch's message for an invalid configuration. What a conv output shows where the
// interactive playground may not run (an untrusted workspace): nothing here loads ORT or reacts to input.
import { variantCost } from '../../extension/core/convMath';
import type { PlaygroundState } from '../../extension/protocol/playgroundMessages';
import { VARIANT_LABELS } from './costTable';
import { el, formatCount } from './dom';

const pair = (p: readonly [number, number]): string => (p[0] === p[1] ? String(p[0]) : `(${p[0]}, ${p[1]})`);

export function convSummary(state: PlaygroundState, note: string): HTMLElement {
  const p = state.params;
  const facts: [string, string][] = [
    ['in → out channels', `${p.inChannels} → ${p.outChannels}`],
    ['kernel', pair(p.kernelSize)],
    ['stride', pair(p.stride)],
    ['padding', pair(p.padding)],
    ['dilation', pair(p.dilation)],
    ['groups', String(p.groups)],
    ...(p.variant === 'transposed' ? [['output padding', pair(p.outputPadding)] as [string, string]] : []),
    ['bias', p.bias ? 'yes' : 'no'],
    ['input', `1×${p.inChannels}×${p.inputSize[0]}×${p.inputSize[1]}`],
  ];
  const r = variantCost(p.variant, { ...p }, 'train');
  const result =
    r.ok && 'cost' in r
      ? el(
          'p',
          { class: 'status' },
          `Output 1×${r.cost.outChannels}×${r.cost.outputSize.join('×')} · ${formatCount(r.cost.params)} params · ${formatCount(r.cost.macs)} MACs (by formula)`,
        )
      : el('div', { class: 'error', role: 'alert' }, r.ok ? '' : `${r.error.kind} in ${r.layer}: ${r.error.message}`);
  return el(
    'main',
    { class: 'playground static' },
    el('header', {}, el('h1', {}, `${VARIANT_LABELS[p.variant]}`), el('p', { class: 'playground-label' }, state.label)),
    el('dl', { class: 'facts' }, ...facts.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v)))),
    result,
    el('p', { class: 'hint' }, note),
  );
}
