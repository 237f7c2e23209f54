// Notebook glue: the "Profile this cell" command (convlens.profileCell, also a cell-toolbar button)
// and the extension side of the notebook renderer's messaging. Profiling a cell analyses the notebook's
// code cells up to that cell as one program, statically (no kernel), and appends the report as a
// PROFILE_MIME output of the cell, so the saved notebook carries it. For a runtime profile the renderer
// shows, it answers with the static profile of the same model so both can be compared.
import * as vscode from 'vscode';
import type { ProfileResult } from '../core';
import { reportFromProfile, type CliReport } from '../core/report';
import { inputSourceText } from '../core/inputSource';
import { formatCountBoth } from '../core/numberFormat';
import { NOTEBOOK_RENDERER_ID, PROFILE_MIME, type FromRenderer, type ToRenderer } from '../protocol/rendererMessages';
import { isRendererToHost } from '../protocol/validateRenderer';
import type { AnalysisService } from './analysisService';
import { notebookUnit, type AnalysisUnit } from './analysisUnit';
import { scanDirectives } from '../core/directives';

export const PROFILE_CELL_COMMAND = 'convlens.profileCell';

/** Output metadata that marks an output as this command's, so profiling the cell again replaces it. */
const OUTPUT_TAG = 'convlens.staticProfile';

/** The unit line range a cell's text occupies, or undefined for a cell that is not in the unit. */
function cellLines(unit: AnalysisUnit, cell: vscode.NotebookCell): { start: number; end: number } | undefined {
  const part = unit.parts.find((p) => p.document === cell.document);
  return part ? { start: part.startLine, end: part.startLine + part.lineCount - 1 } : undefined;
}

/**
 * Picks the entry the way the editor does: a `# convlens: entry` comment, else the one nn.Module class
 * that builds without arguments (or the one model factory). When several qualify, the one defined in
 * `cell` wins if it is alone there; otherwise the user is asked.
 */
async function pickEntry(analysis: AnalysisService, unit: AnalysisUnit, cell: vscode.NotebookCell): Promise<string | undefined> {
  const here = cellLines(unit, cell);
  const inCell = (line: number): boolean => !!here && line >= here.start && line <= here.end;
  const narrow = async (candidates: { expr: string; line: number }[]): Promise<string | undefined> => {
    if (candidates.length <= 1) return candidates[0]?.expr;
    const local = candidates.filter((c) => inCell(c.line));
    if (local.length === 1) return local[0]!.expr;
    return vscode.window.showQuickPick(
      candidates.map((c) => c.expr),
      { placeHolder: 'Conv Lens: profile which model?' },
    );
  };
  const comments = scanDirectives(unit.text.split('\n')).entries;
  if (comments.length > 0) return narrow(comments.map((d) => ({ expr: d.expr, line: d.anchor?.line ?? d.line })));
  // The classes that build without arguments and the model factories, found in the analysis worker.
  const { entries } = await analysis.runOnce(unit, { kind: 'list' });
  const of = (origin: 'class' | 'factory') =>
    entries.filter((e) => e.spec.origin === origin).map((e) => ({ expr: e.spec.expr, line: e.spec.lensLine }));
  const classes = of('class');
  return narrow(classes.length > 0 ? classes : of('factory'));
}

/** Profiles `expr` over `unit` in the analysis worker, keeping the module tree the report carries. */
async function profileIn(analysis: AnalysisService, unit: AnalysisUnit, expr: string, input?: readonly number[]): Promise<ProfileResult> {
  const { entries } = await analysis.runOnce(unit, { kind: 'profile', expr, ...(input ? { input } : {}) });
  const entry = entries[0];
  if (!entry?.analysis) throw new Error(entry?.error ?? 'the analysis returned nothing');
  return entry.analysis;
}

function plainSummary(report: CliReport): string {
  const n = (v: number | null): string => formatCountBoth(v);
  return (
    `Conv Lens static profile: ${report.entry} @ ${report.input.join('x')} (${inputSourceText(report.inputSource, report.inputNote)}): ${n(report.totals.params)} params, ` +
    `${n(report.totals.macs)} MACs (${report.convention}), ${report.layers.length} layers.`
  );
}

/**
 * Watches for this extension host's view of the notebook to show the Conv Lens output in cell `index`
 * (applyEdit can resolve before the change reaches the extension host), so callers read the new cell.
 * Start watching before the edit; `shown()` resolves at once if the output is already there.
 */
function watchOutput(nb: vscode.NotebookDocument, index: number, timeoutMs = 10_000): { shown(): Promise<void>; cancel(): void } {
  const has = (): boolean => index < nb.cellCount && nb.cellAt(index).outputs.some((o) => o.metadata?.[OUTPUT_TAG] === true);
  let seen = false;
  let notify = (): void => undefined;
  const sub = vscode.workspace.onDidChangeNotebookDocument((e) => {
    if (e.notebook === nb && has()) {
      seen = true;
      notify();
    }
  });
  return {
    cancel: () => sub.dispose(),
    shown: () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error('the profile output did not appear in the notebook'));
        }, timeoutMs);
        notify = () => {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        };
        if (seen || has()) notify();
      }),
  };
}

/** The cell a command invocation means: the toolbar passes the cell, the palette uses the active editor's selection. */
function targetCell(arg: unknown): vscode.NotebookCell | undefined {
  if (typeof arg === 'object' && arg !== null && 'notebook' in arg && 'index' in arg) {
    const { notebook, index } = arg;
    const uri =
      typeof notebook === 'object' && notebook !== null && 'uri' in notebook && notebook.uri instanceof vscode.Uri
        ? notebook.uri.toString()
        : undefined;
    const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri);
    if (nb && typeof index === 'number' && index >= 0 && index < nb.cellCount) return nb.cellAt(index);
  }
  const editor = vscode.window.activeNotebookEditor;
  return editor ? editor.notebook.cellAt(editor.selection.start) : undefined;
}

async function profileCell(
  log: vscode.LogOutputChannel,
  analysis: AnalysisService,
  cellArg: unknown,
  entryArg: unknown,
): Promise<CliReport | undefined> {
  const cell = targetCell(cellArg);
  if (!cell) {
    void vscode.window.showInformationMessage('Conv Lens: open a notebook and select a code cell to profile.');
    return undefined;
  }
  const unit = notebookUnit(cell.notebook, cell.index);
  const entry = typeof entryArg === 'string' ? entryArg : await pickEntry(analysis, unit, cell);
  if (!entry) {
    void vscode.window.showInformationMessage(
      'Conv Lens: no model to profile in the cells up to this one. Add `# convlens: entry Net()` above a class.',
    );
    return undefined;
  }
  const result = await profileIn(analysis, unit, entry);
  if (result.status === 'error') {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    void vscode.window.showErrorMessage(`Conv Lens: cannot profile ${entry}: ${first?.message ?? 'the model could not be built'}`);
    return undefined;
  }
  const report = reportFromProfile(result, 'all');
  const output = new vscode.NotebookCellOutput(
    [vscode.NotebookCellOutputItem.json(report, PROFILE_MIME), vscode.NotebookCellOutputItem.text(plainSummary(report), 'text/plain')],
    { [OUTPUT_TAG]: true },
  );
  // Outputs only change through a kernel's execution or by replacing the cell; Conv Lens is no kernel,
  // so the cell is replaced by itself with the new output list (an earlier Conv Lens profile replaced).
  const data = new vscode.NotebookCellData(cell.kind, cell.document.getText(), cell.document.languageId);
  data.metadata = cell.metadata;
  data.outputs = [...cell.outputs.filter((o) => o.metadata?.[OUTPUT_TAG] !== true), output];
  if (cell.executionSummary) data.executionSummary = cell.executionSummary;
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(cell.index, cell.index + 1), [data])]);
  const watch = watchOutput(cell.notebook, cell.index);
  if (!(await vscode.workspace.applyEdit(edit))) {
    watch.cancel();
    throw new Error('VS Code refused the notebook edit');
  }
  await watch.shown();
  log.info(`profiled ${entry} in ${cell.notebook.uri.path} (cells 1–${cell.index + 1})`);
  return report;
}

/** The cell holding the runtime output the renderer asks about: same model name and input. */
function cellWithRuntimeOutput(nb: vscode.NotebookDocument, name: string, input: readonly number[]): vscode.NotebookCell | undefined {
  const decoder = new TextDecoder('utf-8');
  return nb.getCells().find((cell) =>
    cell.outputs.some((o) =>
      o.items.some((item) => {
        if (item.mime !== PROFILE_MIME) return false;
        try {
          const p = JSON.parse(decoder.decode(item.data)) as { schema?: unknown; name?: unknown; input?: unknown };
          return p.name === name && JSON.stringify(p.input) === JSON.stringify(input);
        } catch {
          return false;
        }
      }),
    ),
  );
}

/** The static profile of the model a runtime profile recorded, from the cells up to the output's cell. */
async function staticProfileFor(
  analysis: AnalysisService,
  nb: vscode.NotebookDocument,
  m: FromRenderer.RequestStaticProfile,
): Promise<ToRenderer.Message> {
  const cell = cellWithRuntimeOutput(nb, m.name, m.input);
  const unit = notebookUnit(nb, cell?.index ?? Infinity);
  // The runtime payload names the model's class (or, from the helper's command line, the expression
  // that built it); a `# convlens: entry` comment gives a class its arguments. Only the abstract
  // interpreter ever evaluates the expression.
  const comment = scanDirectives(unit.text.split('\n')).entries.find((d) => d.expr.startsWith(`${m.name}(`));
  const entry = comment?.expr ?? (m.name.trimEnd().endsWith(')') ? m.name : `${m.name}()`);
  const result = await profileIn(analysis, unit, entry, m.input);
  if (result.status === 'error') {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    return {
      type: 'staticProfileUnavailable',
      outputId: m.outputId,
      reason: `Conv Lens could not build ${entry} from the notebook's code (${first?.message ?? 'unknown error'})`,
    };
  }
  const cells = cell ? `cells 1–${cell.index + 1}` : 'all cells';
  const fileName = nb.uri.path.slice(nb.uri.path.lastIndexOf('/') + 1);
  return {
    type: 'staticProfile',
    outputId: m.outputId,
    report: reportFromProfile(result, 'all'),
    source: `${entry} analysed from ${fileName}, ${cells}`,
  };
}

export function registerNotebook(log: vscode.LogOutputChannel, analysis: AnalysisService): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging(NOTEBOOK_RENDERER_ID);
  return vscode.Disposable.from(
    vscode.commands.registerCommand(PROFILE_CELL_COMMAND, async (cell?: unknown, entry?: unknown) => {
      try {
        return await profileCell(log, analysis, cell, entry);
      } catch (err) {
        log.error(`Profile this cell failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        void vscode.window.showErrorMessage(`Conv Lens: Profile this cell failed: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    }),
    messaging.onDidReceiveMessage(async ({ editor, message }) => {
      if (!isRendererToHost(message)) {
        log.warn('dropped a malformed message from the notebook renderer');
        return;
      }
      switch (message.type) {
        case 'requestStaticProfile': {
          const reply = await staticProfileFor(analysis, editor.notebook, message).catch((err: unknown): ToRenderer.Message => ({
            type: 'staticProfileUnavailable',
            outputId: message.outputId,
            reason: `Conv Lens failed: ${err instanceof Error ? err.message : String(err)}`,
          }));
          await messaging.postMessage(reply, editor);
          break;
        }
        case 'playground':
          // The playground in an output reports its runs; nothing in the extension needs them yet.
          log.debug(`notebook playground ${message.outputId}: ${message.message.type}`);
          break;
      }
    }),
  );
}
