// Shared steps for the integration tests: open fixture files, ask VS Code's own provider commands for
// hints, hovers and lenses (the same path the editor uses), and change settings for one test.
// Nothing here sleeps: every await is on VS Code or on the extension's own promises.
import { formatCount } from '../../../extension/core/numberFormat';
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';

export const extensionId = 'convlens.conv-lens';

export function workspaceUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function activate(): Promise<void> {
  const ext = vscode.extensions.getExtension(extensionId);
  assert.ok(ext, `${extensionId} is loaded`);
  await ext.activate();
}

export async function openPython(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(name));
  await vscode.window.showTextDocument(doc);
  await activate();
  return doc;
}

/** The 0-based line of the `occurrence`-th line containing `text`. */
export function lineOf(doc: vscode.TextDocument, text: string, occurrence = 0): number {
  let seen = 0;
  for (let i = 0; i < doc.lineCount; i++) {
    if (doc.lineAt(i).text.includes(text) && seen++ === occurrence) return i;
  }
  throw new Error(`no line with ${JSON.stringify(text)} in ${doc.uri.path}`);
}

/** A position inside `text` on its line. */
export function positionOf(doc: vscode.TextDocument, text: string, occurrence = 0): vscode.Position {
  const line = lineOf(doc, text, occurrence);
  return new vscode.Position(line, doc.lineAt(line).text.indexOf(text) + 1);
}

function labelText(label: string | vscode.InlayHintLabelPart[]): string {
  return typeof label === 'string' ? label : label.map((p) => p.value).join('');
}

/** Inlay hints of the whole document, by line. */
/** Opens `file` with the cursor on `cursorText` and the line holding `topText` at the top of the editor. */
export async function showAt(file: string, cursorText: string, topText: string): Promise<vscode.TextEditor> {
  const doc = await openPython(file);
  const editor = await vscode.window.showTextDocument(doc);
  const pos = positionOf(doc, cursorText);
  editor.selection = new vscode.Selection(pos, pos);
  const top = lineOf(doc, topText);
  editor.revealRange(new vscode.Range(top, 0, top, 0), vscode.TextEditorRevealType.AtTop);
  return editor;
}

export async function hintsByLine(doc: vscode.TextDocument): Promise<Map<number, string>> {
  const range = new vscode.Range(0, 0, doc.lineCount, 0);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range);
  const byLine = new Map<number, string>();
  for (const h of hints) {
    assert.ok(!byLine.has(h.position.line), `one hint per line (line ${h.position.line + 1})`);
    byLine.set(h.position.line, labelText(h.label));
  }
  return byLine;
}

export async function hintAt(doc: vscode.TextDocument, lineText: string, occurrence = 0): Promise<string | undefined> {
  return (await hintsByLine(doc)).get(lineOf(doc, lineText, occurrence));
}

export async function hoverText(doc: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n---\n');
}

export async function lensTitles(doc: vscode.TextDocument, line: number): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
  return lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
}

/** Sets `convlens.*` user settings for the duration of `fn`, then restores them. */
export async function withSettings<T>(values: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration();
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, config.inspect(k)?.globalValue]));
  for (const [k, v] of Object.entries(values)) await config.update(k, v, vscode.ConfigurationTarget.Global);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(before)) await config.update(k, v, vscode.ConfigurationTarget.Global);
  }
}

/**
 * Counts as every surface writes them with `convlens.units: si` (`37.0K`, `1.00M`): the core's one formatter,
 * whose own behaviour test/unit/numberFormat.test.ts pins down with literal expectations.
 */
export function si(n: number): string {
  return formatCount(n, 'si');
}

/**
 * The CLI's output for one entry of a fixture file: `node dist/cli.js profile FILE --entry E --format F --convention C`.
 * The CLI is the repository's build (the suite compiles to out/test/integration/suite): it is not in the .vsix, and
 * the extension under test may be an installed package.
 */
export function cli(doc: vscode.TextDocument, entry: string, format: 'json' | 'md' | 'csv' | 'jvet', convention = 'ptflops'): string {
  const script = path.resolve(__dirname, '../../../../dist/cli.js');
  // The extension host's own Node (ELECTRON_RUN_AS_NODE makes a desktop VS Code binary behave as Node too).
  return execFileSync(
    process.execPath,
    [script, 'profile', doc.uri.fsPath, '--entry', entry, '--format', format, '--convention', convention],
    {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    },
  ).replace(/\n$/, '');
}

export interface CliLayer {
  path: string;
  type: string;
  params: number | null;
  macs: number | null;
  inputShape: number[] | null;
  outputShape: number[] | null;
  formula: string;
}
export interface CliJson {
  entry: string;
  input: number[];
  convention: string;
  totals: { params: number | null; macs: number | null; macsPerPixel: number | null; flops: number | null };
  layers: CliLayer[];
}

export function cliJson(doc: vscode.TextDocument, entry: string, convention = 'ptflops'): CliJson {
  return JSON.parse(cli(doc, entry, 'json', convention)) as CliJson;
}

/** Sum of the CLI's MACs over the layers whose path matches. */
export function cliMacs(report: CliJson, match: (path: string) => boolean): number {
  const layers = report.layers.filter((l) => match(l.path));
  assert.ok(layers.length > 0, 'some layer matches');
  return layers.reduce((s, l) => s + (l.macs ?? NaN), 0);
}

/**
 * Resolves when `event` fires with a value `accept` takes, or rejects after `timeoutMs` (a guard, not a wait: generous,
 * as a loaded machine can take minutes).
 */
export function nextEvent<T>(event: vscode.Event<T>, accept: (value: T) => boolean, what: string, timeoutMs = 5 * 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const sub = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}
