// The side-by-side table of every variant for the current Cin, Cout, kernel and input: params and MACs
// by formula (convMath), the ratio to a plain conv, and measured latency / GMAC/s once the user asks
// for a measurement. Rendering only; measuring is the app's job.
import { CONV_VARIANTS, variantCost, type ConvVariant } from '../../extension/core/convMath';
import type { PlaygroundParams } from '../../extension/protocol/playgroundMessages';
import { presetFor } from '../playground/model/presets';
import { el, formatCount } from './dom';

export interface Measurement {
  readonly latencyMs: number;
  readonly backend: string;
  /** Timed runs behind the median. */
  readonly runs: number;
}

/** Three significant digits (`0.137`, `12.4`, `1,234`): the batched timings resolve a few µs, no more. */
function significant(x: number): string {
  return x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}

/** `0.137 ms`. */
export function formatLatency(ms: number): string {
  return `${significant(ms)} ms`;
}

/** Throughput of `macs` done in `ms` milliseconds, in GMAC/s (`1.23`). */
export function formatGmacs(macs: number, ms: number): string {
  return ms > 0 ? significant(macs / (ms * 1e6)) : '—';
}

export const VARIANT_LABELS: Record<ConvVariant, string> = {
  standard: 'Standard conv',
  grouped: 'Grouped conv',
  dilated: 'Dilated conv',
  depthwiseSeparable: 'Depthwise-separable',
  acblock: 'ACBlock',
  transposed: 'Transposed conv',
};

export function costTable(p: PlaygroundParams, measured: ReadonlyMap<string, Measurement>, onMeasure: () => void): HTMLElement {
  const body = el('tbody');
  const rows: [string, PlaygroundParams, 'train' | 'deploy'][] = [];
  for (const v of CONV_VARIANTS) {
    const q = presetFor(v, p);
    if (v === 'acblock') {
      rows.push(['ACBlock (train)', q, 'train'], ['ACBlock (deploy, fused)', q, 'deploy']);
    } else rows.push([VARIANT_LABELS[v], q, 'train']);
  }
  for (const [label, q, form] of rows) {
    const r = variantCost(q.variant, { ...q }, form);
    const m = measured.get(`${q.variant}|${form}`);
    if (!r.ok || !('cost' in r)) {
      body.append(el('tr', {}, el('th', { scope: 'row' }, label), el('td', { colspan: '5', class: 'error' }, r.ok ? '' : r.error.message)));
      continue;
    }
    const c = r.cost;
    body.append(
      el(
        'tr',
        q.variant === p.variant ? { class: 'current' } : {},
        el('th', { scope: 'row' }, label),
        el('td', {}, formatCount(c.params)),
        el('td', {}, formatCount(c.macs)),
        el('td', {}, `${c.macsRatio.toFixed(3)}×`),
        el(
          'td',
          { title: m ? `median of ${m.runs.toLocaleString('en-US')} runs` : '' },
          m ? `${formatLatency(m.latencyMs)} (${m.backend})` : '—',
        ),
        el('td', {}, m ? formatGmacs(c.macs, m.latencyMs) : '—'),
      ),
    );
  }
  const k2 = p.kernelSize[0] * p.kernelSize[1];
  const button = el('button', { type: 'button' }, 'Measure all variants');
  button.addEventListener('click', onMeasure);
  return el(
    'section',
    { class: 'panel' },
    el('h2', {}, 'Cost per variant'),
    el(
      'table',
      { class: 'costs' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['Variant', 'Params', 'MACs', 'MACs vs standard', 'Latency (median)', 'GMAC/s'].map((h) => el('th', { scope: 'col' }, h)),
        ),
      ),
      body,
    ),
    el(
      'p',
      { class: 'hint' },
      `Depthwise-separable vs standard, by formula: 1/Cout + 1/k² = 1/${p.outChannels} + 1/${k2} = ${(1 / p.outChannels + 1 / k2).toFixed(3)} (bias aside). MACs count conv taps (bias excluded) plus one per BatchNorm output.`,
    ),
    button,
  );
}
