// Hover on a call that built layers: type and resolved hyperparameters, input → output shape, params and
// MACs with their filled-in formulas, MACs/pixel, FLOPs = 2·MACs, every other convention's MACs with one
// line on why it differs, and for convolutions the seed's comparison with a plain conv (convCompare.ts).
// Links run only our own commands (isTrusted is limited to hoverCommands).
import * as vscode from 'vscode';
import type { LayerRecord, ProfiledLayer } from '../core';
import { siteAt, type AnalysisService, type EntryResult, type LayerSite } from './analysisService';
import { commandLink, hoverCommands } from './commandIds';
import { compareConv } from './convCompare';
import {
  aggregate,
  entryInput,
  entryInputText,
  formatCount,
  formatCountBoth,
  formatShape,
  hyperparamsText,
  layerProfile,
  missingMacsReason,
  pixelsOf,
} from './displayText';
import { conventions, type ConvLensSettings } from './settings';

const maxListed = 12;

const exact = formatCountBoth;

/** Markdown-safe inline text from user files (layer paths, expressions). */
function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text.replace(/[\r\n]+/g, ' ')}${ticks}`;
}

/** Text shown as is inside Markdown: its Markdown characters escaped. */
function plainText(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (m) => `\\${m}`);
}

function profiledLayer(entry: EntryResult, layer: LayerRecord): ProfiledLayer | undefined {
  return entry.analysis?.layers.find((l) => l.path === layer.path);
}

/** A formula as inline code after its figure (`= \`16·(16/16)·3·3 + 16\``), so the hover needs no code blocks. */
function formulaText(formula: string): string {
  return ` = ${code(formula)}`;
}

function macsSection(md: vscode.MarkdownString, entry: EntryResult, layer: LayerRecord, settings: ConvLensSettings): void {
  const p = profiledLayer(entry, layer);
  const active = layerProfile(entry, layer.path, settings.convention);
  if (!active) {
    md.appendMarkdown(`\n\n**MACs** ? — ${missingMacsReason(entry) ?? 'this convention has no figure for the layer'}`);
    return;
  }
  md.appendMarkdown(`\n\n**MACs** (${settings.convention}) ${exact(active.macs)}${formulaText(active.formula)}`);
  // A user class (a subclass of a torch layer, or one named like it): how this tool treats it, which
  // may be nothing at all (ptflops and thop match exact types).
  if (!layer.builtin) md.appendMarkdown(` — ${plainText(active.why)}`);
  if (active.macs === null) {
    md.appendMarkdown(`\n\n**Unknown:** ${active.reason ?? 'no reason given'}`);
  } else {
    const input = entryInput(entry);
    const byOutput = settings.macsPerPixelDenominator === 'output';
    const pixels = byOutput ? pixelsOf(p?.outputShape) : pixelsOf(input);
    const plane = byOutput ? p?.outputShape : input;
    const of = plane ? `${plane.slice(-2).join('×')} ${byOutput ? "of this layer's output" : 'of the input'}` : '';
    if (pixels) md.appendMarkdown(`\n\n**MACs/pixel** ${formatCount(active.macs / pixels, 'exact')} (H×W = ${of}) · `);
    else md.appendMarkdown('\n\n');
    md.appendMarkdown(`**FLOPs** = 2·MACs = ${exact(2 * active.macs)}`);
  }
  const rows = conventions
    .filter((c) => c !== settings.convention)
    .flatMap((c) => {
      const other = layerProfile(entry, layer.path, c);
      return other ? [`| ${c} | ${exact(other.macs)} | ${other.why.replace(/\|/g, '\\|')} |`] : [];
    });
  if (rows.length > 0) md.appendMarkdown(`\n\n| other conventions | MACs | why it differs |\n|---|---:|---|\n${rows.join('\n')}`);
}

function compareSection(md: vscode.MarkdownString, entry: EntryResult, layer: LayerRecord): ReturnType<typeof compareConv> {
  const layers = entry.analysis?.layers ?? [];
  const p = layers.find((l) => l.path === layer.path);
  const c = p ? compareConv(p, layers) : undefined;
  if (!c) return undefined;
  // One line: the variant's own summary, and for a cheaper variant what the plain conv would cost (batch 1, bias aside).
  const plain =
    c.cost.macsRatio !== 1 && c.variant !== 'acblock'
      ? ` (plain: ${formatCount(Math.round(c.cost.params / c.cost.paramsRatio))} params, ${formatCount(Math.round(c.cost.macs / c.cost.macsRatio))} MACs)`
      : '';
  md.appendMarkdown(`\n\n**vs plain conv** ${plainText(c.summary)}${plain}`);
  return c;
}

export function hoverMarkdown(site: LayerSite, settings: ConvLensSettings, uri: vscode.Uri): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: [...hoverCommands] };
  const { entry, layers } = site;
  const agg = aggregate(entry, layers, settings.convention);
  const input = entryInput(entry);
  const where = `in ${code(entry.spec.expr)} @ ${input ? formatShape(input) : '?'} (${entryInputText(entry).replace(/[\\`*_[\]<>|]/g, (m) => `\\${m}`)})`;
  const links: string[] = [];
  if (layers.length === 1) {
    const layer = layers[0]!;
    md.appendMarkdown(`**${layer.type}** ${code(layer.path)} ${where}`);
    const args = hyperparamsText(layer.type, layer.hyperparams);
    if (args) md.appendMarkdown(`\n\n${code(args)}`);
    const p = profiledLayer(entry, layer);
    const shapeText = (x: readonly (number | null)[] | null | undefined): string => (x ? formatShape(x) : '?');
    const calls = !p ? '' : p.calls > 1 ? ` (called ${p.calls}×)` : p.calls === 0 ? ' (not called in forward)' : '';
    const shape = p ? `**Shape** ${shapeText(p.inputShape)} → ${shapeText(p.outputShape)}${calls} · ` : '';
    md.appendMarkdown(`\n\n${shape}**Params** ${exact(layer.params)}${layer.paramsFormula ? formulaText(layer.paramsFormula) : ''}`);
    if (layer.status === 'unknown') md.appendMarkdown(`\n\n**Unknown:** ${layer.reason ?? 'no reason given'}`);
    else {
      macsSection(md, entry, layer, settings);
      if (compareSection(md, entry, layer))
        links.push(`[Visualize this layer](${commandLink('convlens.visualizeLayer', [uri.toString(), entry.spec.expr, layer.path])})`);
    }
  } else {
    const title = agg.types.length === 1 ? `${agg.types[0]} ×${agg.count}` : `${agg.count} layers`;
    md.appendMarkdown(`**${title}** ${where}`);
    md.appendMarkdown(`\n\n**Params** ${exact(agg.params)} · **MACs** (${settings.convention}) ${exact(agg.macs)}`);
    if (agg.macs !== null) md.appendMarkdown(` · **FLOPs** = 2·MACs = ${exact(2 * agg.macs)}`);
    if (agg.reason) md.appendMarkdown(`\n\n**Unknown:** ${agg.reason}`);
    // One line per instance: its shape and cost, and for a convolution the playground with that instance.
    const profiled = entry.analysis?.layers ?? [];
    const listed = layers.slice(0, maxListed).map((l) => {
      const p = profiled.find((x) => x.path === l.path);
      const shape = p?.outputShape ? ` → ${formatShape(p.outputShape)}` : '';
      const macs = formatCount(layerProfile(entry, l.path, settings.convention)?.macs, settings.units);
      const visualize =
        p && compareConv(p, profiled)
          ? ` · [Visualize](${commandLink('convlens.visualizeLayer', [uri.toString(), entry.spec.expr, l.path])})`
          : '';
      return `- ${code(l.path)} ${l.type}${shape} · ${formatCount(l.params, settings.units)} params · ${macs} MACs${visualize}`;
    });
    if (layers.length > maxListed) listed.push(`- … and ${layers.length - maxListed} more`);
    md.appendMarkdown(`\n\n${listed.join('\n')}`);
  }
  links.push(
    `[Profile module](${commandLink('convlens.profile', [uri.toString(), entry.spec.expr])})`,
    `[Set input shape](${commandLink('convlens.setInputShape', [uri.toString()])})`,
    `[Convention: ${settings.convention}](${commandLink('convlens.selectConvention')})`,
  );
  md.appendMarkdown(`\n\n${links.join(' · ')}`);
  return md;
}

export function registerHover(analysis: AnalysisService): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { language: 'python' },
    {
      async provideHover(document, position, token) {
        let view = await analysis.analysisFor(document, { token, lines: [position.line, position.line], debounced: true });
        // An early result settles only some lines: elsewhere the hover waits for every entry.
        if (view && !view.complete && !siteAt(view, position)) view = await analysis.analysisFor(document, { token, debounced: true });
        if (!view || view.version !== document.version) return undefined;
        const site = siteAt(view, position);
        if (site) {
          const md = hoverMarkdown(site, view.settings, document.uri);
          if (site.stale)
            md.appendMarkdown('\n\n*Stale: from the last version that built; an edit elsewhere stops the model from building right now.*');
          return new vscode.Hover(md, site.range);
        }
        const problem = view.problems.find((p) => p.range.contains(position));
        return problem
          ? new vscode.Hover(new vscode.MarkdownString().appendText(`Conv Lens: ${problem.message}`), problem.range)
          : undefined;
      },
    },
  );
}
