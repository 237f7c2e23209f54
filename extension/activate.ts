// Activation shared by both entries (main.ts for the Node extension host, mainWeb.ts for the web worker one):
// wiring only. Builds the Ctx and registers each feature from the table below; every feature lives in
// extension/features and returns a Disposable the Ctx owns. Nothing here may need Node.
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import type { JobRunner, RunnerLog } from './worker/inlineRunner';
import { registerCodeLens } from './features/codeLens';
import { registerCommands } from './features/commands';
import { registerConvPanel } from './features/convPanel';
import { registerDiagnostics } from './features/diagnostics';
import { registerHover } from './features/hover';
import { registerInlayHints } from './features/inlayHints';
import { registerNotebook } from './features/notebook';
import { registerStatusBar } from './features/statusBar';

const features: Record<string, (ctx: Ctx) => vscode.Disposable> = {
  commands: (ctx) => registerCommands(ctx),
  hover: (ctx) => registerHover(ctx.analysis),
  inlayHints: (ctx) => registerInlayHints(ctx.analysis),
  codeLens: (ctx) => registerCodeLens(ctx.analysis),
  statusBar: (ctx) => registerStatusBar(ctx.analysis),
  diagnostics: (ctx) => registerDiagnostics(ctx.analysis),
  convPanel: (ctx) => registerConvPanel(ctx.extensionContext),
  notebook: (ctx) => registerNotebook(ctx.log, ctx.analysis),
  profileView: (ctx) => ctx.profileViews.registerSerializer(),
};

/** Activates every feature; `createRunner` says where analysis jobs run on this platform. */
export function activateWith(context: vscode.ExtensionContext, createRunner: (log: RunnerLog) => JobRunner): void {
  const ctx = new Ctx(context, createRunner);
  for (const [name, register] of Object.entries(features)) {
    try {
      ctx.own(register(ctx));
    } catch (err) {
      // VS Code does not show activation errors by itself.
      ctx.log.error(`${name} failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      void vscode.window.showErrorMessage(`Conv Lens: ${name} failed to start (see the Conv Lens log).`);
    }
  }
}
