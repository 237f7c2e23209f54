// The extension's one owner of lifetimes: the log, the analysis service and every registered feature.
// main.ts builds it once per activation and VS Code disposes it through extensionContext.subscriptions.
import * as vscode from 'vscode';
import { AnalysisService, coreApi } from './features/analysisService';
import { Disposable, type IDisposable } from './util/dispose';

export class Ctx extends Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly analysis: AnalysisService;

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    super();
    extensionContext.subscriptions.push(this);
    this.log = this._register(vscode.window.createOutputChannel('Conv Lens', { log: true }));
    this.analysis = this._register(new AnalysisService(coreApi(), extensionContext.workspaceState, this.log));
  }

  /** Takes ownership of a feature's disposable. */
  own<T extends IDisposable>(value: T): T {
    return this._register(value);
  }
}
