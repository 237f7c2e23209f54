// Problems as VS Code diagnostics, never noisy: one per cause (the same syntax error found while building
// three entries is one diagnostic), on the line that causes it, with the reason, at Information or Hint
// severity (Conv Lens is not a linter; the code may well run). Sources: the core's diagnostics (syntax
// errors, shape errors in forward, unsupported statements), layers whose construction is unknown (an
// import without source here, an unknown call), the `# convlens:` comments that cannot be read, and each
// entry's input shape when it could not be inferred (Information) or was partly assumed (Hint). Quick
// fixes: "Set input shape…", "Add `# convlens: input …` comment", "Choose the package root…".
import * as vscode from 'vscode';
import { inputSourceText, isAssumedInput } from '../core/inputSource';
import type { AnalysisService, DocumentAnalysis, EntryResult } from './analysisService';
import { formatShape } from './displayText';

/** `Diagnostic.source` of everything published here. */
export const DIAGNOSTIC_SOURCE = 'Conv Lens';

/** Diagnostic codes the quick fixes key on. */
export const diagnosticCodes = {
  /** No input shape: none given and none can be inferred. */
  noInput: 'input',
  /** The input shape is partly assumed (H×W from `convlens.defaultResolution`). */
  assumedInput: 'input-assumed',
  /** Something comes from a package whose source is not under any import root. */
  noSource: 'no-source',
} as const;

/** A reason that says the source of an import was not found (the package root may be elsewhere). */
const noSourceRe = /(?:comes from ([\w.]+) \(a library without source here\)|cannot import (?:name '[^']*' from )?'([\w.]+)')/;

/** The document line of the `import X` / `from X import` statement for a top-level package `pkg`, if any. */
function importLine(document: vscode.TextDocument, pkg: string): number | undefined {
  const re = new RegExp(`^\\s*(?:from\\s+${pkg}(?:\\.[\\w.]*)?\\s+import\\b|import\\s+${pkg}\\b)`);
  for (let i = 0; i < document.lineCount; i++) if (re.test(document.lineAt(i).text)) return i;
  return undefined;
}

interface Draft {
  readonly line: number;
  readonly range?: vscode.Range;
  readonly message: string;
  readonly severity: vscode.DiagnosticSeverity;
  readonly code: string;
}

function lineRange(document: vscode.TextDocument, line: number): vscode.Range {
  const text = document.lineAt(line);
  return new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.range.end.character);
}

function inputDrafts(entry: EntryResult, line: number): Draft[] {
  const a = entry.analysis;
  if (!a || a.status !== 'ok') return [];
  const expr = entry.spec.expr;
  if (!a.input) {
    return [
      {
        line,
        message: `${expr}: no input shape — ${a.inputNote ?? 'none given'}. Set one to count MACs.`,
        severity: vscode.DiagnosticSeverity.Information,
        code: diagnosticCodes.noInput,
      },
    ];
  }
  if (!isAssumedInput(a.inputSource)) return [];
  return [
    {
      line,
      message: `${expr}: input ${formatShape(a.input)} is ${inputSourceText(a.inputSource, a.inputNote).replace(/^⚠ /, '')}`,
      severity: vscode.DiagnosticSeverity.Hint,
      code: diagnosticCodes.assumedInput,
    },
  ];
}

/** Every diagnostic of one document, one per cause. */
export function diagnosticsFor(view: DocumentAnalysis): vscode.Diagnostic[] {
  const { document } = view;
  const drafts: Draft[] = [];
  for (const p of view.problems) {
    drafts.push({ line: p.range.start.line, message: p.message, severity: vscode.DiagnosticSeverity.Information, code: 'directive' });
  }
  for (const { result, line } of view.entries) drafts.push(...inputDrafts(result, line));
  const unitFile = view.unitFile;
  for (const entry of view.allEntries) {
    const a = entry.analysis;
    if (!a) continue;
    // Layers built from something unknown: on the import that lacks its source, else on the construction.
    const reasons: string[] = [];
    for (const layer of a.layers) {
      if (layer.status !== 'unknown') continue;
      const reason = layer.reason ?? 'unknown';
      reasons.push(reason);
      const pkg = noSourceRe.exec(reason);
      const name = pkg ? (pkg[1] ?? pkg[2] ?? '').split('.')[0]! : '';
      const at = name ? importLine(document, name) : undefined;
      if (at !== undefined) {
        drafts.push({
          line: at,
          message: `${name}: no source found under the import roots, so its layers are unknown (${reason})`,
          severity: vscode.DiagnosticSeverity.Information,
          code: diagnosticCodes.noSource,
        });
        continue;
      }
      const frame = [...layer.stack].reverse().find((f) => f.file === unitFile && view.toDocumentLine(f.line) !== undefined);
      if (!frame) continue;
      const line = view.toDocumentLine(frame.line)!;
      drafts.push({
        line,
        message: `${layer.path || '(root)'} is unknown: ${reason}`,
        severity: vscode.DiagnosticSeverity.Information,
        code: pkg ? diagnosticCodes.noSource : 'unknown',
      });
    }
    for (const d of a.diagnostics) {
      if (!d.range || d.range.file !== unitFile || d.code === 'input') continue;
      // A warning that only repeats why a layer is unknown (reported above, on its cause) is the same cause.
      if (reasons.some((r) => d.message.includes(r))) continue;
      const start = view.toDocumentLine(d.range.line);
      if (start === undefined) continue;
      const end = view.toDocumentLine(d.range.endLine);
      const range = end === undefined ? lineRange(document, start) : new vscode.Range(start, d.range.col, end, d.range.endCol);
      const message = d.code === 'syntax' ? `syntax error: ${d.message.replace(/^syntax error:?\s*/i, '')}` : d.message;
      drafts.push({
        line: start,
        range,
        message,
        severity: d.severity === 'info' ? vscode.DiagnosticSeverity.Hint : vscode.DiagnosticSeverity.Information,
        code: d.code,
      });
    }
  }
  const seen = new Set<string>();
  const out: vscode.Diagnostic[] = [];
  for (const d of drafts) {
    const key = `${d.line}\u0000${d.code === diagnosticCodes.noSource ? d.code : d.message}`;
    if (seen.has(key) || d.line >= document.lineCount) continue;
    seen.add(key);
    const diagnostic = new vscode.Diagnostic(d.range ?? lineRange(document, d.line), d.message, d.severity);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = d.code;
    out.push(diagnostic);
  }
  return out;
}

/** `# convlens: input …` inserted above the definition a diagnostic sits on, keeping its indentation. */
function addCommentAction(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  shape: readonly number[] | undefined,
): vscode.CodeAction {
  const title = shape ? `Add \`# convlens: input ${shape.join('x')}\` comment` : 'Add `# convlens: input …` comment';
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.command = {
    title,
    command: 'convlens.addInputComment',
    arguments: [document.uri.toString(), diagnostic.range.start.line, shape ? shape.join('x') : undefined],
  };
  return action;
}

/**
 * Quick fixes for our diagnostics. `view` gives the shape an input diagnostic's entry was profiled at (the
 * diagnostics reach a code-action provider as copies, so nothing can ride along on them).
 */
export function codeActionsFor(
  document: vscode.TextDocument,
  diagnostics: readonly vscode.Diagnostic[],
  view: DocumentAnalysis | undefined,
): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const shapeAt = (line: number): readonly number[] | undefined =>
    view?.entries.find((e) => e.line === line)?.result.analysis?.input ?? undefined;
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    if (d.code === diagnosticCodes.noInput || d.code === diagnosticCodes.assumedInput) {
      const set = new vscode.CodeAction('Set input shape…', vscode.CodeActionKind.QuickFix);
      set.diagnostics = [d];
      set.command = { title: 'Set input shape…', command: 'convlens.setInputShape', arguments: [document.uri.toString()] };
      set.isPreferred = d.code === diagnosticCodes.noInput;
      actions.push(set, addCommentAction(document, d, shapeAt(d.range.start.line)));
    } else if (d.code === diagnosticCodes.noSource) {
      const root = new vscode.CodeAction('Choose the package root…', vscode.CodeActionKind.QuickFix);
      root.diagnostics = [d];
      root.command = { title: 'Choose the package root…', command: 'convlens.choosePackageRoot', arguments: [document.uri.toString()] };
      actions.push(root);
    }
  }
  return actions;
}

export function registerDiagnostics(analysis: AnalysisService): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('convlens');
  let generation = 0;
  // Hints follow typing at once; problems wait until the user pauses (`convlens.analysis.debounceMs` after a
  // document's last edit), so that half-typed code does not flash squiggles.
  const editedAt = new Map<string, number>();
  let wake: NodeJS.Timeout | undefined;
  const publish = async (): Promise<void> => {
    const mine = ++generation;
    if (wake) clearTimeout(wake);
    wake = undefined;
    const documents = new Set<vscode.TextDocument>();
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.languageId === 'python') documents.add(editor.document);
    let soonest = Infinity;
    for (const document of documents) {
      const wait = (editedAt.get(document.uri.toString()) ?? -Infinity) + analysis.settings(document).debounceMs - Date.now();
      if (wait > 0) {
        soonest = Math.min(soonest, wait);
        continue;
      }
      const view = await analysis.analysisFor(document);
      if (mine !== generation) return;
      if (!view || view.version !== document.version) continue;
      collection.set(
        document.uri,
        view.complete ? diagnosticsFor(view) : diagnosticsFor(view).filter((d) => d.code !== diagnosticCodes.noSource),
      );
    }
    if (soonest < Infinity && mine === generation) wake = setTimeout(() => void publish(), soonest);
  };
  void publish();
  return vscode.Disposable.from(
    collection,
    analysis.onDidChange(() => void publish()),
    vscode.window.onDidChangeVisibleTextEditors(() => void publish()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) editedAt.set(e.document.uri.toString(), Date.now());
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      collection.delete(d.uri);
      editedAt.delete(d.uri.toString());
    }),
    { dispose: () => clearTimeout(wake) },
    vscode.languages.registerCodeActionsProvider(
      { language: 'python' },
      {
        provideCodeActions: async (document, _range, context, token) => {
          if (!context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) return [];
          return codeActionsFor(document, context.diagnostics, await analysis.analysisFor(document, token));
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );
}
