// The command table: each command id (commandIds.ts) mapped to its implementation. Commands take optional
// arguments (from CodeLens and hover links, the profile view, or tests) and fall back to the active editor
// and a quick pick. Exports go through the core's report functions, so they equal the CLI's output.
import * as vscode from 'vscode';
import type { ProfileExportFormat } from '../protocol/profileMessages';
import { isConventionName, isExportFormat } from '../protocol/profileMessages';
import { siteAt, type AnalysisService, type DocumentAnalysis, type EntryResult } from './analysisService';
import { commandTitles, type CommandId } from './commandIds';
import { compareConv } from './convCompare';
import { openPlayground } from './convPanel';
import { entryInput, entryTotalsText, formatCount, formatShape, layerProfile } from './displayText';
import { exportFormatInfo, exportText } from './profileModel';
import type { ProfileViewHandle, ProfileViews } from './profileView';
import { conventionArgument, conventionNotes, conventions, parseShape, settingsFor, type Convention } from './settings';

export interface CommandContext {
  readonly analysis: AnalysisService;
  readonly profileViews: ProfileViews;
  readonly log: vscode.LogOutputChannel;
}

/** What `convlens.profile` returns (besides showing the profile view): one row per leaf layer. */
export interface ProfileSummary {
  readonly entry: string;
  readonly input: readonly number[] | null;
  readonly convention: Convention;
  readonly totals: { readonly params: number | null; readonly macs: number | null };
  readonly layers: readonly {
    readonly path: string;
    readonly type: string;
    readonly params: number | null;
    readonly macs: number | null;
  }[];
  /** The view showing it (same extension host only). */
  readonly view?: ProfileViewHandle;
}

async function documentFor(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  return vscode.window.activeTextEditor?.document;
}

/** The entry whose class or def holds the cursor line. */
function entryAtLine(view: DocumentAnalysis, line: number): EntryResult | undefined {
  return view.allEntries.find((e) => {
    const a = e.spec.anchor;
    if (!a) return false;
    const start = view.toDocumentLine(a.line);
    const end = view.toDocumentLine(a.endLine);
    return start !== undefined && line >= start && line <= (end ?? view.document.lineCount - 1);
  });
}

async function pickEntry(
  view: DocumentAnalysis | undefined,
  expr: unknown,
  placeHolder = 'Which model?',
): Promise<EntryResult | undefined> {
  const entries = view?.allEntries ?? [];
  if (typeof expr === 'string') return entries.find((e) => e.spec.expr === expr);
  if (entries.length <= 1) return entries[0];
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: e.spec.expr, description: view ? entryTotalsText(e, view.settings) : '', entry: e })),
    { placeHolder },
  );
  return picked?.entry;
}

function summaryOf(entry: EntryResult, convention: Convention, view?: ProfileViewHandle): ProfileSummary {
  const layers = entry.analysis?.layers ?? [];
  const totals = entry.analysis?.profiles?.[convention]?.totals;
  return {
    entry: entry.spec.expr,
    input: entryInput(entry) ?? null,
    convention,
    totals: { params: entry.analysis?.totals.params ?? null, macs: totals && !totals.partial ? totals.macs : null },
    layers: layers.map((l) => ({
      path: l.path,
      type: l.type,
      params: l.params,
      macs: layerProfile(entry, l.path, convention)?.macs ?? null,
    })),
    ...(view ? { view } : {}),
  };
}

const noEntryMessage = 'Conv Lens: no model entry in this file. Add `# convlens: entry Net()` above a class.';

async function profile(
  ctx: CommandContext,
  document: vscode.TextDocument,
  entry: EntryResult | undefined,
): Promise<ProfileSummary | undefined> {
  if (!entry) {
    void vscode.window.showInformationMessage(noEntryMessage);
    return undefined;
  }
  const view = await ctx.profileViews.show(document.uri, entry.spec.expr);
  return summaryOf(entry, ctx.analysis.settings(document).convention, view);
}

type CommandImpl = (ctx: CommandContext, ...args: unknown[]) => unknown;

const commandTable: Record<CommandId, CommandImpl> = {
  async 'convlens.profile'(ctx, uri, expr) {
    const document = await documentFor(uri);
    if (!document) return undefined;
    const view = await ctx.analysis.analysisFor(document, {});
    return profile(ctx, document, await pickEntry(view, expr));
  },

  async 'convlens.profileAtCursor'(ctx) {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const view = await ctx.analysis.analysisFor(editor.document, {});
    if (!view) return undefined;
    const entry =
      entryAtLine(view, editor.selection.active.line) ?? (await pickEntry(view, undefined, 'The cursor is in no model: which one?'));
    return profile(ctx, editor.document, entry);
  },

  async 'convlens.profileAll'(ctx, uri) {
    const document = await documentFor(uri);
    if (!document) return undefined;
    const view = await ctx.analysis.analysisFor(document, {});
    const entries = view?.allEntries ?? [];
    if (!view || entries.length === 0) {
      void vscode.window.showInformationMessage(noEntryMessage);
      return undefined;
    }
    // The view lists every entry of the file; it opens on the first one.
    const handle = await ctx.profileViews.show(document.uri, entries[0]!.spec.expr);
    return entries.map((e, i) => summaryOf(e, view.settings.convention, i === 0 ? handle : undefined));
  },

  async 'convlens.setInputShape'(ctx, uri, shapeText) {
    const document = await documentFor(uri);
    if (!document) return undefined;
    const current = ctx.analysis.rememberedInput(document.uri);
    const text =
      typeof shapeText === 'string'
        ? shapeText
        : await vscode.window.showInputBox({
            title: 'Conv Lens: input shape for this file',
            prompt: 'N×C×H×W, e.g. 1x3x224x224. Empty to go back to the default. A `# convlens: input` comment still wins.',
            value: current ? current.join('x') : '',
            placeHolder: '1x3x224x224',
            validateInput: (v) => (v.trim() === '' || parseShape(v) ? undefined : 'Write the shape like 1x3x224x224 (positive integers)'),
          });
    if (text === undefined) return undefined;
    const shape = text.trim() === '' ? undefined : parseShape(text);
    if (text.trim() !== '' && !shape) {
      void vscode.window.showErrorMessage(`Conv Lens: cannot read the input shape "${text}"; write it like 1x3x224x224.`);
      return undefined;
    }
    await ctx.analysis.setRememberedInput(document.uri, shape);
    return shape ?? null;
  },

  /** Inserts `# convlens: input SHAPE` above `line` (a class or def), asking for the shape unless given. */
  async 'convlens.addInputComment'(_ctx, uri, line, shapeText) {
    const document = await documentFor(uri);
    if (!document || typeof line !== 'number' || line < 0 || line >= document.lineCount) return undefined;
    const text =
      typeof shapeText === 'string'
        ? shapeText
        : await vscode.window.showInputBox({
            title: 'Conv Lens: input shape comment',
            prompt: 'N×C×H×W, e.g. 1x3x224x224; written as a `# convlens: input` comment above the definition',
            placeHolder: '1x3x224x224',
            validateInput: (v) => (parseShape(v) ? undefined : 'Write the shape like 1x3x224x224 (positive integers)'),
          });
    const shape = text === undefined ? undefined : parseShape(text);
    if (!shape) return undefined;
    const target = document.lineAt(line);
    const indent = target.text.slice(0, target.firstNonWhitespaceCharacterIndex);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(line, 0), `${indent}# convlens: input ${shape.join('x')}\n`);
    return (await vscode.workspace.applyEdit(edit)) ? shape : undefined;
  },

  /** Adds a folder to `convlens.packageRoots` (of the file's workspace folder), picked in a dialog unless given. */
  async 'convlens.choosePackageRoot'(_ctx, uri, folderArg) {
    const document = await documentFor(uri);
    const folder = document && vscode.workspace.getWorkspaceFolder(document.uri);
    const picked =
      typeof folderArg === 'string'
        ? vscode.Uri.parse(folderArg)
        : (
            await vscode.window.showOpenDialog({
              canSelectFolders: true,
              canSelectFiles: false,
              canSelectMany: false,
              defaultUri: folder?.uri,
              title: 'Conv Lens: the folder that holds the package (for `from pkg.x import y`, the folder containing pkg/)',
              openLabel: 'Use as package root',
            })
          )?.[0];
    if (!picked) return undefined;
    // Inside the workspace folder the setting keeps a relative path, so it works on other machines too.
    const prefix = folder ? `${folder.uri.path.replace(/\/$/, '')}/` : undefined;
    const value = prefix && picked.path.startsWith(prefix) ? picked.path.slice(prefix.length) : picked.path;
    const config = vscode.workspace.getConfiguration('convlens', document?.uri);
    const current = config.get<string[]>('packageRoots') ?? [];
    if (!current.includes(value)) {
      await config.update(
        'packageRoots',
        [...current, value],
        folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global,
      );
    }
    return value;
  },

  /**
   * Switches the convention every surface counts MACs with: given as the argument (`"thop"` or
   * `{ "convention": "thop" }`, e.g. a keybinding's `args`), else picked. Shown at once, then written to
   * `convlens.convention` (see AnalysisService.switchConvention for where).
   */
  async 'convlens.selectConvention'(ctx, arg) {
    const given = conventionArgument(arg);
    if (given.error) {
      void vscode.window.showErrorMessage(`Conv Lens: ${given.error}.`);
      return undefined;
    }
    // Read and written for the active file (the setting is resource-scoped).
    const document = vscode.window.activeTextEditor?.document;
    const current = (document ? ctx.analysis.settings(document) : settingsFor(vscode.workspace)).convention;
    const chosen =
      given.convention ??
      (
        await vscode.window.showQuickPick(
          conventions.map((c) => {
            const [tool, when] = conventionNotes[c].split(' — ');
            return { label: c, description: `${tool === c ? '' : tool}${c === current ? ' (current)' : ''}`.trim(), detail: when, c };
          }),
          {
            placeHolder: `Count MACs as which tool does? (now: ${current})`,
            matchOnDescription: true,
            matchOnDetail: true,
          },
        )
      )?.c;
    if (!chosen) return undefined;
    await ctx.analysis.switchConvention(document?.uri, chosen);
    return chosen;
  },

  async 'convlens.exportReport'(ctx, uri, expr, format, destination, convention) {
    const document = await documentFor(uri);
    if (!document) return undefined;
    const view = await ctx.analysis.analysisFor(document, {});
    const entry = await pickEntry(view, typeof expr === 'string' ? expr : undefined);
    if (!view || !entry) {
      void vscode.window.showInformationMessage(noEntryMessage);
      return undefined;
    }
    const fmt: ProfileExportFormat | undefined = isExportFormat(format)
      ? format
      : (
          await vscode.window.showQuickPick(
            (Object.keys(exportFormatInfo) as ProfileExportFormat[]).map((f) => ({ label: exportFormatInfo[f].label, format: f })),
            { placeHolder: `Export the profile of ${entry.spec.expr} as` },
          )
        )?.format;
    if (!fmt) return undefined;
    // The profile view passes the convention picked in it; otherwise the setting's.
    const text = exportText(entry, isConventionName(convention) ? convention : view.settings.convention, fmt);
    if (text === undefined) {
      void vscode.window.showErrorMessage(`Conv Lens: ${entry.spec.expr} could not be analysed; nothing to export.`);
      return undefined;
    }
    const where =
      destination === 'save' || destination === 'untitled' || destination === 'none'
        ? destination
        : (
            await vscode.window.showQuickPick(
              [
                { label: 'Save as…', where: 'save' as const },
                { label: 'Open as an untitled document', where: 'untitled' as const },
              ],
              { placeHolder: 'Where to?' },
            )
          )?.where;
    if (where === 'save') {
      const base = document.uri.path.replace(/\.[^./]*$/, '');
      const target = await vscode.window.showSaveDialog({
        defaultUri: document.uri.with({ path: `${base}.convlens.${exportFormatInfo[fmt].ext}` }),
        filters: { [exportFormatInfo[fmt].label]: [exportFormatInfo[fmt].ext] },
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${text}\n`));
    } else if (where === 'untitled') {
      const doc = await vscode.workspace.openTextDocument({ language: exportFormatInfo[fmt].language, content: `${text}\n` });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    } else if (where !== 'none') {
      return undefined;
    }
    return text;
  },

  async 'convlens.toggleInlayHints'(ctx) {
    const shown = !ctx.analysis.hintsShown;
    await ctx.analysis.setHintsShown(shown);
    return shown;
  },

  async 'convlens.visualizeLayer'(ctx, uri, expr, path) {
    const document = await documentFor(uri);
    if (!document) return undefined;
    const view = await ctx.analysis.analysisFor(document, {});
    if (!view) return undefined;
    // From the palette: the layer under the cursor.
    const editor = vscode.window.activeTextEditor;
    const site = typeof path !== 'string' && editor?.document === document ? siteAt(view, editor.selection.active) : undefined;
    const entry = site ? site.entry : await pickEntry(view, expr);
    const layers = entry?.analysis?.layers ?? [];
    let layerPath = typeof path === 'string' ? path : site?.layers.length === 1 ? site.layers[0]!.path : undefined;
    if (layerPath === undefined && site && site.layers.length > 1) {
      // A line built in a loop or a helper: one instance per call. Ask which (the convolutions the playground can show).
      const candidates = site.layers.flatMap((l) => {
        const p = layers.find((x) => x.path === l.path);
        const c = p && compareConv(p, layers);
        return c ? [{ p, c }] : [];
      });
      if (candidates.length === 0) {
        void vscode.window.showInformationMessage(
          `Conv Lens: none of the ${site.layers.length} layers built here is a 2-D convolution with a known input shape; the playground cannot show them.`,
        );
        return undefined;
      }
      const picked =
        candidates.length === 1
          ? candidates[0]
          : await vscode.window.showQuickPick(
              candidates.map(({ p, c }) => ({
                label: p.path,
                description: `${p.inputShape ? formatShape(p.inputShape) : '?'} → ${p.outputShape ? formatShape(p.outputShape) : '?'}`,
                detail: `${formatCount(c.cost.params)} params · ${formatCount(c.cost.macs)} MACs (batch 1, bias aside) · ${c.summary}`,
                path: p.path,
              })),
              {
                placeHolder: `${site.layers.length} layers are built here: which one should the playground show?`,
                matchOnDescription: true,
              },
            );
      if (!picked) return undefined;
      layerPath = 'path' in picked ? picked.path : picked.p.path;
    }
    const layer = layers.find((l) => l.path === layerPath);
    const comparison = layer && compareConv(layer, layers);
    if (!comparison) {
      void vscode.window.showInformationMessage(
        `Conv Lens: ${layerPath ? `${layerPath} is not a 2-D convolution with a known input shape` : 'the cursor is not on a convolution layer'}; the playground cannot show it.`,
      );
      return undefined;
    }
    const label = `${document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1)}: ${comparison.paths.join(' + ')}`.slice(0, 500);
    openPlayground({ params: comparison.preset, label });
    return comparison.preset;
  },

  'convlens.refresh'(ctx) {
    ctx.analysis.refresh();
  },

  'convlens.showLog'(ctx) {
    ctx.log.show(true);
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable {
  return vscode.Disposable.from(
    ...(Object.keys(commandTable) as CommandId[]).map((id) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await commandTable[id](ctx, ...args);
        } catch (err) {
          ctx.log.error(`${commandTitles[id]} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          void vscode.window.showErrorMessage(
            `Conv Lens: ${commandTitles[id]} failed: ${err instanceof Error ? err.message : String(err)}`,
          );
          return undefined;
        }
      }),
    ),
  );
}
