// A hook for the editor benchmark only (test/bench/editorHost): it sets `globalThis[hintsProbeKey]` to see
// when the inlay hint provider is asked for a document's hints and when it answers, so the benchmark can tell
// our share of keystroke → hint from VS Code's messaging. Nothing else sets it: outside the benchmark each
// request reads one unset property and calls nothing. The provider passes the document version it was asked
// for; the benchmark keeps its own clock.
import type * as vscode from 'vscode';

export const hintsProbeKey = Symbol.for('convlens.hintsProbe');

export interface HintsProbe {
  asked(document: vscode.TextDocument, version: number): void;
  answered(document: vscode.TextDocument, version: number, hints: readonly vscode.InlayHint[]): void;
}

/** The probe the benchmark set, if any. */
export function hintsProbe(): HintsProbe | undefined {
  return (globalThis as { [hintsProbeKey]?: HintsProbe })[hintsProbeKey];
}
