// Entry of the Node extension (package.json `main`, dist/extension.js): analysis jobs run in a worker thread
// that reads local imports from the disk. Everything else is shared with the web entry (activate.ts).
import type * as vscode from 'vscode';
import { activateWith } from './activate';
import { createJobRunner } from './worker/analysisRunner';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, (log) => createJobRunner(context.extensionPath, log));
}

export function deactivate(): void {}
