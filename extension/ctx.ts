// The extension's one owner of lifetimes: the log, the analysis service (and its worker), the profile
// views and every registered feature.
// main.ts builds it once per activation and VS Code disposes it through extensionContext.subscriptions.
import * as vscode from 'vscode';
import { AnalysisService } from './features/analysisService';
import type { JobRunner, RunnerLog } from './worker/inlineRunner';
import { ProfileViews } from './features/profileView';
import { Disposable, type IDisposable } from './util/dispose';

export class Ctx extends Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly analysis: AnalysisService;
  readonly profileViews: ProfileViews;

  /** `createRunner` is where analysis jobs run: a worker thread in Node (main.ts), inline on the web (mainWeb.ts). */
  constructor(
    readonly extensionContext: vscode.ExtensionContext,
    createRunner: (log: RunnerLog) => JobRunner,
  ) {
    super();
    extensionContext.subscriptions.push(this);
    this.log = this._register(vscode.window.createOutputChannel('Conv Lens', { log: true }));
    const runner = createRunner((level, message) => this.log[level](message));
    this.analysis = this._register(new AnalysisService(runner, extensionContext.workspaceState, this.log));
    this.profileViews = this._register(new ProfileViews(extensionContext.extensionUri, this.analysis, this.log));
  }

  /** Takes ownership of a feature's disposable. */
  own<T extends IDisposable>(value: T): T {
    return this._register(value);
  }
}
