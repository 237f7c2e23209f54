// Hover on a call that built layers: type, resolved hyperparameters, the params formula and, once the core
// profiles, shapes, the MACs formula under the active convention, MACs/pixel, FLOPs = 2·MACs and the other
// conventions side by side. Links run only our own commands (isTrusted is limited to hoverCommands).
import * as vscode from 'vscode';
import type { JsonValue, LayerRecord } from '../core';
import { siteAt, type AnalysisService, type EntryResult, type LayerSite } from './analysisService';
import { commandLink, hoverCommands } from './commandIds';
import { aggregate, formatCount, formatShape } from './format';
import { conventions, type ConvLensSettings } from './settings';

const maxListed = 12;

function exact(n: number | null | undefined): string {
  if (n === null || n === undefined) return '?';
  return n >= 1000 ? `${formatCount(n, 'exact')} (${formatCount(n, 'si')})` : formatCount(n, 'exact');
}

function hyperparamsText(h: Readonly<Record<string, JsonValue>>): string {
  return Object.entries(h).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
}

function pixelsOf(shape: readonly (number | null)[] | null | undefined): number | null {
  if (!shape || shape.length < 3) return null;
  const [h, w] = shape.slice(-2);
  return typeof h === 'number' && typeof w === 'number' ? h * w : null;
}

function profileSection(md: vscode.MarkdownString, entry: EntryResult, layer: LayerRecord, settings: ConvLensSettings): void {
  const p = entry.profile?.layers.get(layer.path);
  if (!entry.profile || !p) {
    md.appendMarkdown('\n\n*Shapes and MACs appear once the profile is available.*');
    return;
  }
  const inputs = p.inputShapes.map((s) => (s ? formatShape(s) : '?')).join(', ');
  md.appendMarkdown(`\n\n**Shape** ${inputs} → ${p.outputShape ? formatShape(p.outputShape) : '?'}`);
  const active = p.macs[settings.convention];
  if (active) {
    md.appendMarkdown(`\n\n**MACs** (${settings.convention}) ${exact(active.macs)}`);
    md.appendMarkdown('\n\n');
    md.appendCodeblock(active.formula, 'text');
    const pixels = settings.macsPerPixelDenominator === 'output' ? pixelsOf(p.outputShape) : pixelsOf(entry.profile.input);
    if (active.macs !== null && pixels) {
      md.appendMarkdown(`\n\n**MACs/pixel** ${formatCount(active.macs / pixels, 'exact')} (per ${settings.macsPerPixelDenominator} pixel) · `);
      md.appendMarkdown(`**FLOPs** = 2·MACs = ${exact(2 * active.macs)}`);
    }
  }
  const rows = conventions.filter((c) => p.macs[c]).map((c) => `| ${c === settings.convention ? `**${c}**` : c} | ${exact(p.macs[c]!.macs)} | ${p.macs[c]!.why ?? ''} |`);
  if (rows.length > 1) md.appendMarkdown(`\n\n| convention | MACs | |\n|---|---:|---|\n${rows.join('\n')}`);
}

export function hoverMarkdown(site: LayerSite, settings: ConvLensSettings, uri: vscode.Uri): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: [...hoverCommands] };
  const { entry, layers } = site;
  const agg = aggregate(entry, layers, settings.convention);
  const where = `in \`${entry.spec.expr}\` @ ${formatShape(entry.spec.input)}`;
  if (layers.length === 1) {
    const layer = layers[0]!;
    md.appendMarkdown(`**${layer.type}** \`${layer.path}\` ${where}`);
    if (Object.keys(layer.hyperparams).length > 0) md.appendMarkdown(`\n\n${hyperparamsText(layer.hyperparams)}`);
    md.appendMarkdown(`\n\n**Params** ${exact(layer.params)}`);
    if (layer.paramsFormula) {
      md.appendMarkdown('\n\n');
      md.appendCodeblock(layer.paramsFormula, 'text');
    }
    if (layer.status === 'unknown') md.appendMarkdown(`\n\n**Unknown:** ${layer.reason ?? 'no reason given'}`);
    else profileSection(md, entry, layer, settings);
  } else {
    const title = agg.types.length === 1 ? `${agg.types[0]} ×${agg.count}` : `${agg.count} layers`;
    md.appendMarkdown(`**${title}** ${where}`);
    md.appendMarkdown(`\n\n**Params** ${exact(agg.params)}`);
    if (agg.macs !== undefined) md.appendMarkdown(` · **MACs** (${settings.convention}) ${exact(agg.macs)}`);
    if (agg.reason) md.appendMarkdown(`\n\n**Unknown:** ${agg.reason}`);
    const listed = layers.slice(0, maxListed).map((l) => `- \`${l.path}\` ${l.type} ${exact(l.params)}`);
    if (layers.length > maxListed) listed.push(`- … and ${layers.length - maxListed} more`);
    md.appendMarkdown(`\n\n${listed.join('\n')}`);
  }
  const args = [uri.toString(), entry.spec.expr];
  md.appendMarkdown(`\n\n[Profile](${commandLink('convlens.profile', args)}) · `
    + `[Set input shape](${commandLink('convlens.setInputShape', [uri.toString()])}) · `
    + `[Convention: ${settings.convention}](${commandLink('convlens.selectConvention')})`);
  return md;
}

export function registerHover(analysis: AnalysisService): vscode.Disposable {
  return vscode.languages.registerHoverProvider({ language: 'python' }, {
    async provideHover(document, position, token) {
      const view = await analysis.analysisFor(document, token);
      if (!view || view.version !== document.version) return undefined;
      const site = siteAt(view, position);
      if (site) return new vscode.Hover(hoverMarkdown(site, view.settings, document.uri), site.range);
      const problem = view.problems.find((p) => p.range.contains(position));
      return problem ? new vscode.Hover(new vscode.MarkdownString().appendText(`Conv Lens: ${problem.message}`), problem.range) : undefined;
    },
  });
}
