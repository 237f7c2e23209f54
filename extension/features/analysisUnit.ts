// What the glue analyses as one program: a Python file, or the Python code cells of one notebook joined in
// order (so a class defined in one cell is known in the next). Maps unit lines back to the documents.
// IPython magics and shell escapes (`%timeit`, `!pip`) become comments so the parser sees plain Python.
import * as vscode from 'vscode';

/** One document inside a unit and the unit line where its text starts. */
export interface UnitPart {
  readonly document: vscode.TextDocument;
  readonly startLine: number;
  readonly lineCount: number;
}

export interface AnalysisUnit {
  /** The file's or the notebook's URI string. */
  readonly id: string;
  readonly uri: vscode.Uri;
  /** The path handed to the core as the file name (POSIX, as SourceHost paths are). */
  readonly file: string;
  readonly text: string;
  /** Changes whenever any of the unit's text changes. */
  readonly versionKey: string;
  readonly parts: readonly UnitPart[];
  readonly notebook?: vscode.NotebookDocument;
}

const magicRe = /^(\s*)([%!])/;

function isPython(document: vscode.TextDocument): boolean {
  return document.languageId === 'python';
}

function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  const key = document.uri.toString();
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === key));
}

/** A notebook's Python code cells joined in order; with `lastCell`, only the cells up to that index. */
export function notebookUnit(nb: vscode.NotebookDocument, lastCell = Infinity): AnalysisUnit {
  const parts: UnitPart[] = [];
  const chunks: string[] = [];
  let line = 0;
  for (const cell of nb.getCells()) {
    if (cell.index > lastCell) break;
    if (cell.kind !== vscode.NotebookCellKind.Code || !isPython(cell.document)) continue;
    const lines = cell.document
      .getText()
      .split(/\r?\n/)
      .map((t) => t.replace(magicRe, '$1#$2'));
    parts.push({ document: cell.document, startLine: line, lineCount: lines.length });
    chunks.push(lines.join('\n'));
    line += lines.length;
  }
  return {
    id: nb.uri.toString(),
    uri: nb.uri,
    file: nb.uri.path,
    text: chunks.join('\n'),
    versionKey: `${nb.version}:${parts.map((p) => p.document.version).join(',')}`,
    parts,
    notebook: nb,
  };
}

/** The unit a document belongs to; undefined for anything that is not Python code. */
export function unitFor(document: vscode.TextDocument): AnalysisUnit | undefined {
  if (!isPython(document)) return undefined;
  const nb = notebookOf(document);
  if (nb) return notebookUnit(nb);
  return {
    id: document.uri.toString(),
    uri: document.uri,
    file: document.uri.path,
    text: document.getText(),
    versionKey: String(document.version),
    parts: [{ document, startLine: 0, lineCount: document.lineCount }],
  };
}

/** The part holding a unit line, and the line inside that part's document. */
export function partAt(unit: AnalysisUnit, unitLine: number): { part: UnitPart; line: number } | undefined {
  const part = unit.parts.find((p) => unitLine >= p.startLine && unitLine < p.startLine + p.lineCount);
  return part ? { part, line: unitLine - part.startLine } : undefined;
}
