// Inlay hints at the end of each line that builds layers: the layer's own construction, each item of an
// nn.Sequential, a helper call that returns a layer, or a call building a whole block (aggregated, `×8`).
// Only lines in the visible range VS Code asks for. Numbers come from the analysis service.
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { aggregate, hintText } from './format';

export function registerInlayHints(analysis: AnalysisService): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    async provideInlayHints(document, range, token) {
      const view = await analysis.analysisFor(document, token);
      if (!view || view.version !== document.version || view.settings.hintParts.length === 0) return [];
      return view.lines
        .filter((l) => l.line >= range.start.line && l.line <= range.end.line)
        .map((l) => {
          const hint = new vscode.InlayHint(l.position, hintText(aggregate(l.entry, l.layers, view.settings.convention), view.settings));
          hint.paddingLeft = true;
          return hint;
        });
    },
  };
  return vscode.Disposable.from(
    changed,
    analysis.onDidChange(() => changed.fire()),
    vscode.languages.registerInlayHintsProvider({ language: 'python' }, provider),
  );
}
