// The "MACs by module" bar chart of the profile view and the notebook renderer, drawn by Chart.js on a
// canvas. Only the bar chart's parts are registered (tree-shaken bundle). Chart.js needs no eval and no
// style element: it sizes its canvas through CSSOM (`canvas.style.width = …`), which a CSP without
// 'unsafe-inline' allows. Colours and font come from VS Code's theme variables and follow a theme switch.
// The canvas holds a list of the bars as fallback content for screen readers (and for tests).
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip, type ChartConfiguration, type Plugin } from 'chart.js';
import { el, formatCount, themeColor } from '../dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface ChartBar {
  /** The axis label (a module path, shortened). */
  readonly label: string;
  /** The whole description: path, type, every digit. */
  readonly title: string;
  readonly macs: number;
  /** Its share of the total, e.g. `12.3%`. */
  readonly share: string;
}

const ROW_HEIGHT = 22;

interface Theme {
  readonly bar: string;
  readonly text: string;
  readonly grid: string;
  readonly font: string;
}

function theme(): Theme {
  const root = document.documentElement;
  return {
    bar: themeColor(root, '--vscode-charts-blue', '#3794ff'),
    text: themeColor(root, '--vscode-foreground', '#cccccc'),
    grid: themeColor(root, '--vscode-panel-border', '#80808040'),
    font: themeColor(root, '--vscode-font-family', 'sans-serif'),
  };
}

/** Writes each bar's figure and share after its end (`464M · 25.2%`): the chart reads without hovering. */
function valueLabels(bars: readonly ChartBar[], current: () => Theme): Plugin<'bar'> {
  return {
    id: 'convlensValues',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const t = current();
      ctx.save();
      ctx.fillStyle = t.text;
      ctx.font = `11px ${t.font}`;
      ctx.textBaseline = 'middle';
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        const b = bars[i];
        if (b) ctx.fillText(`${formatCount(b.macs)} · ${b.share}`, bar.x + 6, bar.y);
      });
      ctx.restore();
    },
  };
}

function config(bars: readonly ChartBar[], t: Theme): ChartConfiguration<'bar', number[], string> {
  return {
    type: 'bar',
    data: {
      labels: bars.map((b) => b.label),
      datasets: [{ data: bars.map((b) => b.macs), backgroundColor: t.bar, borderWidth: 0, barPercentage: 0.8, categoryPercentage: 1 }],
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { right: 110 } },
      // As wide as the view (a side panel is narrow), as tall as its bars need: the box below sets the height.
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      events: ['mousemove', 'mouseout'],
      font: { family: t.font },
      color: t.text,
      scales: {
        x: {
          beginAtZero: true,
          ticks: { color: t.text, callback: (v) => formatCount(Number(v)) },
          grid: { color: t.grid },
          title: { display: true, text: 'MACs', color: t.text },
        },
        y: { ticks: { color: t.text, autoSkip: false }, grid: { display: false } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => bars[items[0]?.dataIndex ?? 0]?.title ?? '',
            label: (item) => `${formatCount(bars[item.dataIndex]?.macs)} MACs · ${bars[item.dataIndex]?.share ?? ''}`,
          },
        },
      },
    },
  };
}

/** Charts drawn and not yet released; `seen` once their box was found in the page. */
const live = new Map<HTMLElement, { chart: Chart; observer: MutationObserver; seen: boolean }>();

function release(box: HTMLElement): void {
  const entry = live.get(box);
  if (!entry) return;
  live.delete(box);
  entry.observer.disconnect();
  entry.chart.destroy();
}

/**
 * Releases the charts a re-render took out of the page (a depth or convention change replaces the
 * table and its chart). A chart is released only once it has been seen in the page and is gone from it,
 * so a chart built in the same pass as the new one but not yet attached is kept: at most one replaced
 * chart waits for the next draw.
 */
function releaseDetached(): void {
  for (const [box, entry] of live) {
    if (box.isConnected) entry.seen = true;
    else if (entry.seen) release(box);
  }
}

/**
 * A horizontal bar per module, in a box as wide as the view; `bars` is not empty (the caller shows no chart
 * when no module has MACs). Chart.js draws once the box is in the page (its ResizeObserver sees it).
 */
export function macsBarChart(bars: readonly ChartBar[], ariaLabel: string): HTMLElement {
  const canvas = el(
    'canvas',
    { class: 'macs-chart', role: 'img', 'aria-label': ariaLabel },
    el('ol', {}, ...bars.map((b) => el('li', { 'data-macs': String(b.macs) }, `${b.title}: ${formatCount(b.macs)} MACs (${b.share})`))),
  );
  const box = el('div', { class: 'chart-box' }, canvas);
  box.style.height = `${bars.length * ROW_HEIGHT + 48}px`; // CSSOM, which the CSP allows (a style attribute it would not)
  let t = theme();
  const chart = new Chart(canvas, { ...config(bars, t), plugins: [valueLabels(bars, () => t)] });
  // VS Code switches the theme by changing <body>'s class and the variables: redraw with the new colours.
  const observer = new MutationObserver(() => {
    if (!box.isConnected) {
      release(box);
      return;
    }
    const now = theme();
    if (JSON.stringify(now) === JSON.stringify(t)) return;
    t = now;
    chart.config.options = config(bars, t).options!;
    chart.data.datasets[0]!.backgroundColor = t.bar;
    chart.update();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  releaseDetached();
  live.set(box, { chart, observer, seen: false });
  return box;
}
