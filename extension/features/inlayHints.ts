// Inlay hints at the end of each line that builds layers: the layer's own construction, each item of an
// nn.Sequential, a helper call that returns a layer, or a call building a whole block (aggregated, `×8`).
// Only lines in the range VS Code asks for (the visible one). Numbers come from the analysis service;
// an unknown value shows `?` and the hover says why.
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { aggregate, hintText } from './displayText';

export function registerInlayHints(analysis: AnalysisService): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    async provideInlayHints(document, range, token) {
      if (!analysis.hintsShown) return [];
      const view = await analysis.analysisFor(document, { token, lines: [range.start.line, range.end.line] });
      if (!view || view.version !== document.version || view.settings.hintParts.length === 0) return [];
      return view.lines
        .filter((l) => l.line >= range.start.line && l.line <= range.end.line)
        .map((l) => {
          const agg = aggregate(l.entry, l.layers, view.settings.convention);
          const hint = new vscode.InlayHint(l.position, `${hintText(agg, view.settings)}${l.stale ? ' (stale)' : ''}`);
          hint.paddingLeft = true;
          const stale = l.stale ? 'From the last analysis that built: an edit elsewhere stops the model from building right now.' : '';
          if (agg.reason || stale) hint.tooltip = [stale, agg.reason ? `Unknown: ${agg.reason}` : ''].filter(Boolean).join('\n');
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
