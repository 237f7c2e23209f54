// The channel connectivity diagram: which input channels each output channel sees. Standard (all to
// all), grouped (blocks of Cin/g → Cout/g), depthwise (one to one) and pointwise (all to all), drawn
// as SVG with one colour per group. At most 32 channels per column are drawn. Drawing only.
import type { PlaygroundParams } from '../../extension/protocol/playgroundMessages';
import { el, svg } from './dom';

const MAX_DRAWN = 32;

interface Stage {
  readonly label: string;
  readonly from: number;
  readonly to: number;
  readonly groups: number;
}

function stagesOf(p: PlaygroundParams): Stage[] {
  switch (p.variant) {
    case 'depthwiseSeparable':
      return [
        { label: `depthwise (groups = Cin = ${p.inChannels})`, from: p.inChannels, to: p.inChannels, groups: p.inChannels },
        { label: 'pointwise 1×1', from: p.inChannels, to: p.outChannels, groups: 1 },
      ];
    case 'transposed':
      return [{ label: `transposed, groups ${p.groups}`, from: p.inChannels, to: p.outChannels, groups: p.groups }];
    default:
      return [
        {
          label:
            p.groups === 1
              ? 'every output sees every input'
              : `${p.groups} groups: Cin/g = ${p.inChannels / p.groups} → Cout/g = ${p.outChannels / p.groups}`,
          from: p.inChannels,
          to: p.outChannels,
          groups: p.groups,
        },
      ];
  }
}

export function connectivityDiagram(p: PlaygroundParams): HTMLElement {
  const stages = stagesOf(p);
  const colW = 150;
  const rowH = 12;
  const cols = [stages[0]!.from, ...stages.map((s) => s.to)].map((n) => Math.min(n, MAX_DRAWN));
  const height = Math.max(...cols) * rowH + 30;
  const root = svg('svg', { width: colW * stages.length + 40, height, role: 'img', class: 'connectivity' });
  const y = (i: number, n: number): number => 20 + (i + 0.5) * ((height - 30) / n);
  const palette = [
    '--vscode-charts-blue',
    '--vscode-charts-orange',
    '--vscode-charts-green',
    '--vscode-charts-purple',
    '--vscode-charts-red',
    '--vscode-charts-yellow',
  ];
  stages.forEach((s, si) => {
    const nFrom = Math.min(s.from, MAX_DRAWN);
    const nTo = Math.min(s.to, MAX_DRAWN);
    const x0 = 20 + si * colW;
    const inPer = s.from / s.groups;
    const outPer = s.to / s.groups;
    for (let o = 0; o < nTo; o++) {
      const g = Math.floor(o / outPer);
      for (let i = 0; i < nFrom; i++) {
        if (Math.floor(i / inPer) !== g) continue;
        root.append(svg('line', { x1: x0, y1: y(i, nFrom), x2: x0 + colW, y2: y(o, nTo), class: `edge g${g % palette.length}` }));
      }
    }
    const label = svg('text', { x: x0 + colW / 2, y: 12, 'text-anchor': 'middle', class: 'stage-label' });
    label.textContent = s.label;
    root.append(label);
  });
  cols.forEach((n, ci) => {
    for (let i = 0; i < n; i++) root.append(svg('circle', { cx: 20 + ci * colW, cy: y(i, n), r: 4, class: 'node' }));
  });
  const truncated = [stages[0]!.from, ...stages.map((s) => s.to)].some((n) => n > MAX_DRAWN);
  const desc = stages.map((s) => `${s.from} → ${s.to} channels, ${s.groups} group(s)`).join('; then ');
  root.setAttribute('aria-label', `Channel connectivity: ${desc}`);
  return el(
    'section',
    { class: 'panel' },
    el('h2', {}, 'Channel connectivity'),
    root,
    truncated ? el('p', { class: 'hint' }, `Showing the first ${MAX_DRAWN} channels of each column.`) : null,
  );
}
