// The command table: each command id (commandIds.ts) mapped to its implementation. Commands take optional
// arguments (from CodeLens and hover links, or tests) and fall back to the active editor and a quick pick.
import * as vscode from 'vscode';
import type { AnalysisService, EntryResult } from './analysisService';
import { commandTitles, type CommandId } from './commandIds';
import { entryTotalsText, formatCount, formatShape } from './format';
import { conventions, parseShape } from './settings';

export interface CommandContext {
  readonly analysis: AnalysisService;
  readonly log: vscode.LogOutputChannel;
}

/** What `convlens.profile` returns (and shows): one row per leaf layer. */
export interface ProfileSummary {
  readonly entry: string;
  readonly input: readonly number[];
  readonly totals: { readonly params: number | null };
  readonly layers: readonly { readonly path: string; readonly type: string; readonly params: number | null; readonly macs?: number | null }[];
}

async function documentFor(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  return vscode.window.activeTextEditor?.document;
}

async function pickEntry(ctx: CommandContext, document: vscode.TextDocument, expr: unknown): Promise<EntryResult | undefined> {
  const view = await ctx.analysis.analysisFor(document);
  const entries = view?.allEntries ?? [];
  if (typeof expr === 'string') return entries.find((e) => e.spec.expr === expr);
  if (entries.length <= 1) return entries[0];
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: e.spec.expr, description: view ? entryTotalsText(e, view.settings) : '', entry: e })),
    { placeHolder: 'Which model?' },
  );
  return picked?.entry;
}

function profileSummary(entry: EntryResult, convention: (typeof conventions)[number]): ProfileSummary {
  const layers = entry.analysis?.layers ?? [];
  return {
    entry: entry.spec.expr,
    input: entry.spec.input,
    totals: { params: entry.analysis?.totals.params ?? null },
    layers: layers.map((l) => {
      const macs = entry.profile?.layers.get(l.path)?.macs[convention]?.macs;
      return { path: l.path, type: l.type, params: l.params, ...(macs !== undefined ? { macs } : {}) };
    }),
  };
}

function profileMarkdown(s: ProfileSummary): string {
  const hasMacs = s.layers.some((l) => l.macs !== undefined);
  const head = `| layer | type | params |${hasMacs ? ' MACs |' : ''}\n|---|---|---:|${hasMacs ? '---:|' : ''}`;
  const cell = (n: number | null | undefined): string => (n === null || n === undefined ? '?' : formatCount(n, 'exact'));
  const rows = s.layers.map((l) => `| \`${l.path}\` | ${l.type} | ${cell(l.params)} |${hasMacs ? ` ${cell(l.macs)} |` : ''}`);
  return `# ${s.entry} @ ${formatShape(s.input)}\n\nTotal params: ${cell(s.totals.params)}\n\n${head}\n${rows.join('\n')}\n`;
}

type CommandImpl = (ctx: CommandContext, ...args: unknown[]) => unknown;

const commandTable: Record<CommandId, CommandImpl> = {
  async 'convlens.profile'(ctx, uri, expr) {
    const document = await documentFor(uri);
    if (!document) return undefined;
    const entry = await pickEntry(ctx, document, expr);
    if (!entry) {
      void vscode.window.showInformationMessage('Conv Lens: no model entry in this file. Add `# convlens: entry Net()` above a class.');
      return undefined;
    }
    const summary = profileSummary(entry, ctx.analysis.settings(document).convention);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: profileMarkdown(summary) });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    return summary;
  },

  async 'convlens.setInputShape'(ctx, uri, shapeText) {
    const document = await documentFor(uri);
    if (!document) return undefined;
    const current = ctx.analysis.rememberedInput(document.uri) ?? ctx.analysis.settings(document).defaultInputShape;
    const text = typeof shapeText === 'string' ? shapeText : await vscode.window.showInputBox({
      title: 'Conv Lens: input shape for this file',
      prompt: 'N×C×H×W, e.g. 1x3x224x224. Empty to forget. A `# convlens: input` comment still wins.',
      value: formatShape(current).replace(/×/g, 'x'),
      validateInput: (v) => (v.trim() === '' || parseShape(v) ? undefined : 'Write the shape like 1x3x224x224'),
    });
    if (text === undefined) return undefined;
    const shape = text.trim() === '' ? undefined : parseShape(text);
    await ctx.analysis.setRememberedInput(document.uri, shape);
    return shape;
  },

  async 'convlens.selectConvention'(_ctx, name) {
    const chosen = typeof name === 'string' && (conventions as readonly string[]).includes(name)
      ? name
      : (await vscode.window.showQuickPick([...conventions], { placeHolder: 'Count MACs as which tool does?' }));
    if (!chosen) return undefined;
    await vscode.workspace.getConfiguration('convlens').update('convention', chosen, vscode.ConfigurationTarget.Global);
    return chosen;
  },

  'convlens.refresh'(ctx) {
    ctx.analysis.refresh();
  },

  'convlens.showLog'(ctx) {
    ctx.log.show(true);
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable {
  return vscode.Disposable.from(...(Object.keys(commandTable) as CommandId[]).map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await commandTable[id](ctx, ...args);
      } catch (err) {
        ctx.log.error(`${commandTitles[id]} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        void vscode.window.showErrorMessage(`Conv Lens: ${commandTitles[id]} failed: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    })));
}
