// The profile view: a webview panel with one entry's profile (module summary, MACs chart, totals, every
// convention). There is one: profiling another file shows it in the open panel (re-rendered, not a new webview).
// It follows the document (re-renders when the analysis service has a new result), validates
// every inbound message, and restores itself after a reload (serializer + the webview's saved state, which
// includes the convention picked in the view). Set input shape and export run our own commands, so they
// behave as the palette's do; the convention picked here is this view's own and never rewrites the setting.
import * as vscode from 'vscode';
import {
  isProfileViewState,
  isProfileWebviewToHost,
  type ProfileFromWebview,
  type ProfileToWebview,
  type ProfileViewModel,
  type ProfileViewState,
} from '../protocol/profileMessages';
import { Disposable } from '../util/dispose';
import type { AnalysisService, EntryResult } from './analysisService';
import { makeNonce } from './convPanelHtml';
import { buildProfileModel } from './profileModel';
import { renderProfileHtml } from './profileViewHtml';

export const PROFILE_VIEW_TYPE = 'convlens.profileView';

/** The open view, for callers that want to watch it (tests). */
export interface ProfileViewHandle {
  readonly panel: vscode.WebviewPanel;
  /** Fires for every valid message from the webview. */
  readonly onMessage: vscode.Event<ProfileFromWebview.Message>;
  /** The model last sent to the webview. */
  readonly model: ProfileViewModel | undefined;
  /** Resolves once the webview has rendered `entry` (its `rendered` message). */
  rendered(entry: string): Promise<ProfileFromWebview.Rendered>;
}

class ProfilePanel extends Disposable implements ProfileViewHandle {
  readonly #emitter = this._register(new vscode.EventEmitter<ProfileFromWebview.Message>());
  readonly onMessage = this.#emitter.event;
  model: ProfileViewModel | undefined;
  #state: ProfileViewState;
  #lastRendered: ProfileFromWebview.Rendered | undefined;
  #refreshing = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    root: vscode.Uri,
    state: ProfileViewState,
    private readonly analysis: AnalysisService,
    private readonly log: vscode.LogOutputChannel,
    private readonly onDispose: () => void,
  ) {
    super();
    this.#state = state;
    const dist = vscode.Uri.joinPath(root, 'dist', 'webview');
    const media = vscode.Uri.joinPath(root, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    panel.webview.html = renderProfileHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce((n) => crypto.getRandomValues(new Uint8Array(n))),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'profile.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'profile.css')).toString(),
      state,
    });
    this._register(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        // Drop anything that is not a well-formed protocol message.
        if (isProfileWebviewToHost(m)) void this.#handle(m);
        else this.log.warn('profile view: dropped a malformed message');
      }),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(analysis.onDidChange(() => void this.refresh()));
    // A file opened before its language is known (possible when the view is restored at startup) is not Python
    // yet and gets no analysis; VS Code re-opens it once its language is set: analyse it then, or the view would
    // stay on "Analysing…".
    this._register(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.uri.toString() === this.#state.uri && this.model === undefined) void this.refresh();
      }),
    );
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.#state.uri && e.contentChanges.length > 0) void this.#post({ type: 'busy' });
      }),
    );
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
    this.onDispose();
  }

  get state(): ProfileViewState {
    return this.#state;
  }

  #post(message: ProfileToWebview.Message): Thenable<boolean> {
    return this.isDisposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  async #handle(m: ProfileFromWebview.Message): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.refresh();
        break;
      case 'rendered':
        this.#lastRendered = m;
        break;
      case 'revealLine':
        await this.#reveal(m.line);
        break;
      case 'selectEntry':
        this.#state = { ...this.#state, entry: m.entry };
        await this.refresh();
        break;
      case 'setConvention':
        // This view's choice only: the webview re-rendered from the report it has (every convention is in it);
        // the `convlens.convention` setting, which every other surface follows, stays as the user set it.
        this.#state = { ...this.#state, convention: m.convention };
        if (this.model) this.model = { ...this.model, convention: m.convention };
        break;
      case 'setInputShape':
        await vscode.commands.executeCommand('convlens.setInputShape', this.#state.uri, m.text);
        break;
      case 'exportReport':
        await vscode.commands.executeCommand(
          'convlens.exportReport',
          this.#state.uri,
          this.#state.entry,
          m.format,
          undefined,
          this.#state.convention,
        );
        break;
    }
    this.#emitter.fire(m);
  }

  async #reveal(line: number): Promise<void> {
    const uri = vscode.Uri.parse(this.#state.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.#state.uri);
    const editor = visible
      ? await vscode.window.showTextDocument(visible.document, visible.viewColumn)
      : await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    const safe = Math.min(line, editor.document.lineCount - 1);
    const pos = new vscode.Position(safe, editor.document.lineAt(safe).firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /**
   * Shows `entry` of another document in this same panel: re-creating the webview costs far more (VS Code builds
   * its frame and loads the script again) than re-rendering. The convention picked in the view stays.
   */
  async retarget(uri: string, entry: string | undefined): Promise<void> {
    this.#state = { ...this.#state, uri, entry: entry ?? null };
    this.model = undefined;
    this.#lastRendered = undefined;
    await this.show(entry);
  }

  /** Shows `entry` (or keeps the current one) and re-renders from the latest analysis. */
  async show(entry: string | undefined): Promise<void> {
    if (entry !== undefined) this.#state = { ...this.#state, entry };
    this.panel.reveal(undefined, true);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const mine = ++this.#refreshing;
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(vscode.Uri.parse(this.#state.uri));
    } catch {
      this.panel.title = 'Profile: file not found';
      return;
    }
    const view = await this.analysis.analysisFor(document, {});
    if (mine !== this.#refreshing || !view || this.isDisposed) return;
    const entries = view.allEntries;
    const entry: EntryResult | undefined = entries.find((e) => e.spec.expr === this.#state.entry) ?? entries[0];
    if (!entry) {
      this.panel.title = `Profile: no model in ${fileName(document.uri)}`;
      return;
    }
    this.#state = { ...this.#state, entry: entry.spec.expr };
    this.model = buildProfileModel(entry, {
      uri: this.#state.uri,
      fileName: fileName(document.uri),
      entries,
      settings: view.settings,
      toDocumentLine: view.toDocumentLine,
      ...(this.#state.convention ? { convention: this.#state.convention } : {}),
    });
    this.panel.title = `Profile: ${entry.spec.expr}`;
    // Not awaited: VS Code resolves a post to a webview that has not loaded yet only once it has loaded, and a
    // restored panel loads only after its deserializer has returned. The webview asks again with `ready`.
    void this.#post({ type: 'show', model: this.model });
  }

  rendered(entry: string): Promise<ProfileFromWebview.Rendered> {
    const last = this.#lastRendered;
    if (last && last.entry === entry && this.model?.entry === entry) return Promise.resolve(last);
    return new Promise((resolve) => {
      const sub = this.onMessage((m) => {
        if (m.type === 'rendered' && m.entry === entry) {
          sub.dispose();
          resolve(m);
        }
      });
    });
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** Owns the (single) profile view and its serializer. */
export class ProfileViews extends Disposable {
  #current: ProfilePanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analysis: AnalysisService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register({ dispose: () => this.#current?.dispose() });
  }

  #create(panel: vscode.WebviewPanel, state: ProfileViewState): ProfilePanel {
    const created = new ProfilePanel(panel, this.extensionUri, state, this.analysis, this.log, () => {
      if (this.#current === created) this.#current = undefined;
    });
    this.#current = created;
    return created;
  }

  /** Opens (or reveals) the view on `entry` of the document at `uri`. */
  async show(uri: vscode.Uri, entry: string | undefined): Promise<ProfileViewHandle> {
    const state: ProfileViewState = { uri: uri.toString(), entry: entry ?? null };
    if (this.#current) {
      if (this.#current.state.uri === state.uri) await this.#current.show(entry);
      else await this.#current.retarget(state.uri, entry);
      return this.#current;
    }
    const panel = vscode.window.createWebviewPanel(
      PROFILE_VIEW_TYPE,
      'Profile',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
      },
    );
    const created = this.#create(panel, state);
    // The webview asks for its data with `ready`; refresh now as well so `model` is set for callers.
    await created.refresh();
    return created;
  }

  /** The view that is open now, if any. */
  get current(): ProfileViewHandle | undefined {
    return this.#current;
  }

  /** Restores views after a reload. */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PROFILE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, saved: unknown): Promise<void> => {
        if (!isProfileViewState(saved)) {
          panel.dispose();
          return;
        }
        this.#current?.dispose();
        // Return at once: VS Code shows the restored panel (and loads its HTML) only after this resolves, so
        // waiting here for the analysis or for a post to the webview would leave the view blank. The webview's
        // `ready` message asks for the data once it has loaded; this refresh only gets the analysis going early.
        void this.#create(panel, saved).refresh();
      },
    });
  }
}
