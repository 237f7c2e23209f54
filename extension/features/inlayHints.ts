// Inlay hints at the end of each line that builds layers: the layer's own construction, each item of an
// nn.Sequential, a helper call that returns a layer, or a call building a whole block (aggregated, `×8`).
// Only lines in the range VS Code asks for (the visible one). Numbers come from the analysis service;
// an unknown value shows `?` and the hover says why. A compact hint on a long line drops parts (shape, then
// params) so it ends before the right edge the user set: the editor's last ruler, else its word-wrap column; with
// neither, the editor's width is not known here and the hint stays whole.
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { aggregate, hintText } from './displayText';
import { hintsProbe } from './hintsProbe';

/** The column hints should end by: the editor's last ruler, else its word-wrap column when wrapping there, else none. */
function rightEdge(document: vscode.TextDocument): number {
  const editor = vscode.workspace.getConfiguration('editor', document);
  const rulers = (editor.get<unknown[]>('rulers') ?? [])
    .map((r) => (typeof r === 'number' ? r : typeof r === 'object' && r !== null ? (r as { column?: unknown }).column : undefined))
    .filter((c): c is number => typeof c === 'number' && c > 0);
  if (rulers.length > 0) return Math.max(...rulers);
  const wrap = editor.get<string>('wordWrap');
  const column = editor.get<number>('wordWrapColumn');
  if ((wrap === 'wordWrapColumn' || wrap === 'bounded') && typeof column === 'number' && column > 0) return column;
  return Number.POSITIVE_INFINITY;
}

async function hintsFor(
  analysis: AnalysisService,
  document: vscode.TextDocument,
  range: vscode.Range,
  token: vscode.CancellationToken,
): Promise<vscode.InlayHint[]> {
  if (!analysis.hintsShown) return [];
  const view = await analysis.analysisFor(document, { token, lines: [range.start.line, range.end.line], debounced: true });
  if (!view || view.version !== document.version || view.settings.hintParts.length === 0) return [];
  const edge = rightEdge(document);
  return view.lines
    .filter((l) => l.line >= range.start.line && l.line <= range.end.line)
    .map((l) => {
      const agg = aggregate(l.entry, l.layers, view.settings.convention);
      const mark = l.stale ? ' (stale)' : '';
      const room = edge - document.lineAt(l.position.line).text.length - 1 - mark.length;
      const text = hintText(agg, view.settings, room);
      const full = hintText(agg, view.settings);
      const hint = new vscode.InlayHint(l.position, `${text}${mark}`);
      hint.paddingLeft = true;
      const stale = l.stale ? 'From the last analysis that built: an edit elsewhere stops the model from building right now.' : '';
      const tooltip = [text === full ? '' : full, stale, agg.reason ? `Unknown: ${agg.reason}` : ''].filter(Boolean);
      if (tooltip.length > 0) hint.tooltip = tooltip.join('\n');
      return hint;
    });
}

export function registerInlayHints(analysis: AnalysisService): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    async provideInlayHints(document, range, token) {
      const probe = hintsProbe();
      const version = document.version;
      probe?.asked(document, version);
      const hints = await hintsFor(analysis, document, range, token);
      probe?.answered(document, version, hints);
      return hints;
    },
  };
  return vscode.Disposable.from(
    changed,
    analysis.onDidChangeAnswered(() => changed.fire()),
    vscode.languages.registerInlayHintsProvider({ language: 'python' }, provider),
  );
}
