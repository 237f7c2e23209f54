// A status bar item for Python editors: the active counting convention (click to change it) and, in the
// tooltip, the totals of the active document's entries.
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { entryTotalsText } from './format';

export function registerStatusBar(analysis: AnalysisService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('convlens.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Conv Lens';
  item.command = 'convlens.selectConvention';
  let generation = 0;

  const update = async (): Promise<void> => {
    const mine = ++generation;
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'python') {
      item.hide();
      return;
    }
    const view = await analysis.analysisFor(document);
    if (mine !== generation || !view) return;
    item.text = `$(symbol-numeric) ${view.settings.convention}`;
    const lines = view.allEntries.map((e) => `- ${entryTotalsText(e, view.settings)}`);
    item.tooltip = new vscode.MarkdownString(`**Conv Lens** — MACs counted as ${view.settings.convention} counts them (click to change)${lines.length ? `\n\n${lines.join('\n')}` : ''}`);
    item.show();
  };

  void update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    analysis.onDidChange(() => void update()),
  );
}
