// The files the core reads imports from. The core's SourceHost is synchronous (and runs in the analysis
// worker) while vscode.workspace.fs is not, so each job gets a snapshot: an open document's own text first,
// then files loaded earlier; a miss is reported by the job, loaded here, and the analysis runs again (see
// analysisService). Works for any file system VS Code has (local, remote, virtual); never runs anything.
import * as vscode from 'vscode';
import type { FileSnapshot } from '../worker/analysisJob';
import { Disposable } from '../util/dispose';

type Entry = { readonly kind: 'file'; readonly text: string } | { readonly kind: 'dir' } | { readonly kind: 'absent' };

export class WorkspaceFiles extends Disposable {
  readonly #cache = new Map<string, Entry>();
  readonly #onDidChange = this._register(new vscode.EventEmitter<string>());
  /** Fires with a path whose content may have changed (file system or an open document). */
  readonly onDidChange = this.#onDidChange.event;

  constructor() {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.py'));
    const forget = (uri: vscode.Uri): void => {
      this.#cache.delete(uri.path);
      // A created or deleted file can turn a directory into a package or back.
      this.#cache.delete(uri.path.slice(0, uri.path.lastIndexOf('/')));
      this.#onDidChange.fire(uri.path);
    };
    this._register(watcher.onDidChange(forget));
    this._register(watcher.onDidCreate(forget));
    this._register(watcher.onDidDelete(forget));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.#onDidChange.fire(e.document.uri.path)));
  }

  /**
   * What is known about `paths` now, for an analysis job (which cannot call back): open documents' text
   * first, then the cache. Unknown paths are left out; the job reports them as misses.
   */
  snapshot(base: vscode.Uri, paths: Iterable<string>): Record<string, FileSnapshot> {
    const out: Record<string, FileSnapshot> = {};
    const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === base.scheme).map((d) => [d.uri.path, d]));
    for (const path of paths) {
      const doc = open.get(path);
      const hit = doc ? { kind: 'file' as const, text: doc.getText() } : this.#cache.get(path);
      if (hit) out[path] = hit;
    }
    return out;
  }

  /**
   * The open Python documents on `base`'s file system, by path: a job that reads the disk itself must still
   * see what the editors hold, saved or not.
   */
  openDocuments(base: vscode.Uri): Record<string, FileSnapshot> {
    const out: Record<string, FileSnapshot> = {};
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme === base.scheme && d.languageId === 'python') out[d.uri.path] = { kind: 'file', text: d.getText() };
    }
    return out;
  }

  /** Loads the given paths into the cache; resolves true if any of them exists. */
  async load(base: vscode.Uri, paths: Iterable<string>): Promise<boolean> {
    let found = false;
    await Promise.all(
      [...paths].map(async (path) => {
        const uri = base.with({ path });
        try {
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.type & vscode.FileType.Directory) {
            this.#cache.set(path, { kind: 'dir' });
          } else {
            const bytes = await vscode.workspace.fs.readFile(uri);
            this.#cache.set(path, { kind: 'file', text: new TextDecoder('utf-8').decode(bytes) });
          }
          found = true;
        } catch {
          this.#cache.set(path, { kind: 'absent' });
        }
      }),
    );
    return found;
  }

  clear(): void {
    this.#cache.clear();
  }
}
