// A status bar item for Python editors: the total of the model the cursor is in (its class or factory),
// under the active convention; click to open the profile view. The tooltip lists every entry of the file.
import * as vscode from 'vscode';
import type { AnalysisService, EntryResult } from './analysisService';
import { entryInputText, entryShortText, entryTotalsText } from './displayText';

export function registerStatusBar(analysis: AnalysisService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('convlens.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Conv Lens';
  let generation = 0;

  const update = async (): Promise<void> => {
    const mine = ++generation;
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (!editor || !document || document.languageId !== 'python') {
      item.hide();
      return;
    }
    const view = await analysis.analysisFor(document);
    if (mine !== generation || !view) return;
    const line = editor.selection.active.line;
    const here = view.allEntries.find((e) => {
      const a = e.spec.anchor;
      const start = a && view.toDocumentLine(a.line);
      const end = a && view.toDocumentLine(a.endLine);
      return start !== undefined && line >= start && line <= (end ?? document.lineCount - 1);
    });
    const shown: EntryResult | undefined = here ?? (view.allEntries.length === 1 ? view.allEntries[0] : undefined);
    item.text = shown
      ? `$(pulse) ${entryShortText(shown, view.settings)} (${view.settings.convention})`
      : `$(pulse) ${view.settings.convention}`;
    item.command = shown
      ? { title: 'Profile', command: 'convlens.profile', arguments: [document.uri.toString(), shown.spec.expr] }
      : 'convlens.selectConvention';
    const lines = view.allEntries.map((e) => `- ${entryTotalsText(e, view.settings)}`);
    const input = shown ? `\n\nInput of ${shown.spec.expr}: ${entryInputText(shown)}` : '';
    item.tooltip = new vscode.MarkdownString()
      .appendText(
        `Conv Lens — MACs counted as ${view.settings.convention} counts them; click to ${shown ? 'profile' : 'change the convention'}${input}`,
      )
      .appendMarkdown(lines.length ? `\n\n${lines.join('\n')}` : '');
    item.show();
  };

  void update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor === vscode.window.activeTextEditor) void update();
    }),
    analysis.onDidChange(() => void update()),
  );
}
