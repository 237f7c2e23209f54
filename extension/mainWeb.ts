// Entry of the web extension (package.json `browser`, dist/web/extension.js), for vscode.dev and other browser
// workbenches: the extension host is already a web worker, so analysis jobs run inline in it, and every import
// is read through vscode.workspace.fs (virtual file systems included). Nothing Node-only is reachable from here:
// no CLI, no worker_threads, no disk; the Python runtime helper runs in the user's own kernel, not here.
import type * as vscode from 'vscode';
import { activateWith } from './activate';
import { InlineRunner } from './worker/inlineRunner';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, (log) => new InlineRunner(log));
}

export function deactivate(): void {}
