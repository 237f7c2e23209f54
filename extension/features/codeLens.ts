// CodeLens above each entry's class or factory (or its `# convlens: entry` comment): totals at the input
// shape under the active convention (`11.7M params · 1.82G MACs · 36.2K MAC/px @ 1×3×224×224 (ptflops)`),
// then "Profile" and "Set input shape".
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { entryTotalsText } from './displayText';

export function registerCodeLens(analysis: AnalysisService): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document, token) {
      const view = await analysis.analysisFor(document, { token, debounced: true });
      if (!view) return [];
      return view.entries.flatMap(({ result, line, stale }) => {
        const range = new vscode.Range(line, 0, line, 0);
        const args = [document.uri.toString(), result.spec.expr];
        return [
          new vscode.CodeLens(range, {
            title: `${stale ? '(last build) ' : ''}${entryTotalsText(result, view.settings)}`,
            command: 'convlens.profile',
            arguments: args,
            tooltip: stale
              ? 'The code does not build right now: these are the figures of the last version that did'
              : 'Open the profile view',
          }),
          new vscode.CodeLens(range, { title: 'Profile', command: 'convlens.profile', arguments: args }),
          new vscode.CodeLens(range, { title: 'Set input shape', command: 'convlens.setInputShape', arguments: [document.uri.toString()] }),
        ];
      });
    },
  };
  return vscode.Disposable.from(
    changed,
    analysis.onDidChangeAnswered((e) => {
      if (e.lenses) changed.fire();
    }),
    vscode.languages.registerCodeLensProvider({ language: 'python' }, provider),
  );
}
