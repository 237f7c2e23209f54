// Extension entry: wiring only. Each feature lives in extension/features and returns a Disposable.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {}
