// VS Code glue for the convolution playground: the `convlens.openPlayground` command, the webview
// panel (strict CSP, resources only from dist/webview and media), message validation on receipt, and
// the serializer that restores the panel after a reload. All maths and UI live in the webview bundle.
import * as vscode from 'vscode';
import {
  DEFAULT_PLAYGROUND_STATE,
  type FromWebview,
  type PlaygroundParams,
  type PlaygroundState,
  type ToWebview,
} from '../protocol/playgroundMessages';
import { isPlaygroundParams, isPlaygroundState, isWebviewToHost } from '../protocol/validate';
import { makeNonce, renderPlaygroundHtml } from './convPanelHtml';

export const PLAYGROUND_VIEW_TYPE = 'convlens.playground';
export const OPEN_PLAYGROUND_COMMAND = 'convlens.openPlayground';

/** A preset for the playground, e.g. from "Visualize this layer". */
export interface PlaygroundPreset {
  readonly params: PlaygroundParams;
  /** Where it came from, shown as plain text (e.g. `model.py: layer1.0.conv1`). */
  readonly label: string;
}

/** The open playground, for callers that want to talk to it (tests, "Visualize this layer"). */
export interface PlaygroundHandle {
  readonly panel: vscode.WebviewPanel;
  /** Fires for every valid message from the webview. */
  readonly onMessage: vscode.Event<FromWebview.Message>;
  post(message: ToWebview.Message): Thenable<boolean>;
}

let extensionUri: vscode.Uri | undefined;
let current: PlaygroundController | undefined;

/**
 * What the playground webview may load: its bundle, its CSS, and ORT's .wasm files, which live once in
 * dist/renderer for both the playground and the notebook renderer (a renderer can only load from its own folder).
 */
function playgroundRoots(root: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'dist', 'renderer'), vscode.Uri.joinPath(root, 'media')];
}

class PlaygroundController implements PlaygroundHandle {
  private readonly emitter = new vscode.EventEmitter<FromWebview.Message>();
  readonly onMessage = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    root: vscode.Uri,
    state: PlaygroundState,
  ) {
    const dist = vscode.Uri.joinPath(root, 'dist', 'webview');
    const media = vscode.Uri.joinPath(root, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: playgroundRoots(root) };
    const webview = panel.webview;
    webview.html = renderPlaygroundHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => crypto.getRandomValues(new Uint8Array(n))),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'playground.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'playground.css')).toString(),
      state,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => {
        // Drop anything that is not a well-formed protocol message.
        if (isWebviewToHost(m)) this.emitter.fire(m);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  post(message: ToWebview.Message): Thenable<boolean> {
    return this.disposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (current === this) current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/**
 * Opens (or reveals) the playground. With a preset, the playground switches to those parameters and
 * runs them; the editor's "Visualize this layer" calls this.
 */
export function openPlayground(preset?: PlaygroundPreset): PlaygroundHandle {
  if (!extensionUri) throw new Error('Conv Lens: the playground is not registered yet');
  if (current) {
    current.panel.reveal();
    if (preset) void current.post({ type: 'setParams', params: preset.params, label: preset.label });
    return current;
  }
  const root = extensionUri;
  const panel = vscode.window.createWebviewPanel(PLAYGROUND_VIEW_TYPE, 'Convolution playground', vscode.ViewColumn.Beside, {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: playgroundRoots(root),
  });
  const state: PlaygroundState = preset
    ? { ...DEFAULT_PLAYGROUND_STATE, params: preset.params, label: preset.label }
    : DEFAULT_PLAYGROUND_STATE;
  current = new PlaygroundController(panel, root, state);
  return current;
}

/** The playground that is open now, if any. */
export function currentPlayground(): PlaygroundHandle | undefined {
  return current;
}

/** Registers the command and the serializer; dispose the result to unregister them. */
export function registerConvPanel(context: vscode.ExtensionContext): vscode.Disposable {
  extensionUri = context.extensionUri;
  return vscode.Disposable.from(
    vscode.commands.registerCommand(OPEN_PLAYGROUND_COMMAND, (preset?: unknown) => {
      // Commands can be invoked with anything (keybindings, URIs, other extensions): check the preset.
      const valid = isPreset(preset) ? preset : undefined;
      openPlayground(valid);
    }),
    vscode.window.registerWebviewPanelSerializer(PLAYGROUND_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown): Thenable<void> {
        current?.dispose();
        current = new PlaygroundController(panel, context.extensionUri, isPlaygroundState(saved) ? saved : DEFAULT_PLAYGROUND_STATE);
        return Promise.resolve();
      },
    }),
    { dispose: () => current?.dispose() },
  );
}

function isPreset(x: unknown): x is PlaygroundPreset {
  return (
    typeof x === 'object' &&
    x !== null &&
    'params' in x &&
    'label' in x &&
    isPlaygroundParams(x.params) &&
    typeof x.label === 'string' &&
    x.label.length <= 500
  );
}
