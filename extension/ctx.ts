// The extension's one owner of lifetimes: the log, the analysis service (and its worker), the profile
// views and every registered feature.
// main.ts builds it once per activation and VS Code disposes it through extensionContext.subscriptions.
import * as vscode from 'vscode';
import { AnalysisService } from './features/analysisService';
import { createJobRunner } from './features/analysisRunner';
import { ProfileViews } from './features/profileView';
import { Disposable, type IDisposable } from './util/dispose';

export class Ctx extends Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly analysis: AnalysisService;
  readonly profileViews: ProfileViews;

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    super();
    extensionContext.subscriptions.push(this);
    this.log = this._register(vscode.window.createOutputChannel('Conv Lens', { log: true }));
    const runner = createJobRunner(extensionContext.extensionPath, (level, message) => this.log[level](message));
    this.analysis = this._register(new AnalysisService(runner, extensionContext.workspaceState, this.log));
    this.profileViews = this._register(new ProfileViews(extensionContext.extensionUri, this.analysis, this.log));
  }

  /** Takes ownership of a feature's disposable. */
  own<T extends IDisposable>(value: T): T {
    return this._register(value);
  }
}
