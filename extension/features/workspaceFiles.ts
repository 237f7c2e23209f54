// The SourceHost the core reads imported files through. The core's SourceHost is synchronous while
// vscode.workspace.fs is not, so reads are served from a cache: an open document's own text first, then
// files loaded earlier; a miss is recorded, loaded afterwards, and the analysis runs again (see
// analysisService). Works for any file system VS Code has (local, remote, virtual); never runs anything.
import * as vscode from 'vscode';
import type { SourceHost } from '../core';
import { Disposable } from '../util/dispose';

type Entry = { readonly kind: 'file'; readonly text: string } | { readonly kind: 'dir' } | { readonly kind: 'absent' };

/** A SourceHost for one analysis run; `misses` lists the paths it could not answer from the cache. */
export interface RecordingHost extends SourceHost {
  readonly misses: ReadonlySet<string>;
  /** Every path the core asked about (to know which file edits make this analysis stale). */
  readonly reads: ReadonlySet<string>;
}

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

  /** A host that resolves paths against `base` (a URI on the same file system as the analysed file). */
  hostFor(base: vscode.Uri): RecordingHost {
    const misses = new Set<string>();
    const reads = new Set<string>();
    const cache = this.#cache;
    const openText = (path: string): string | undefined =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === base.scheme && d.uri.path === path)?.getText();
    return {
      misses,
      reads,
      readFile(path: string): string | undefined {
        reads.add(path);
        const open = openText(path);
        if (open !== undefined) return open;
        const hit = cache.get(path);
        if (hit === undefined) misses.add(path);
        return hit?.kind === 'file' ? hit.text : undefined;
      },
      isDirectory(path: string): boolean {
        reads.add(path);
        const hit = cache.get(path);
        if (hit === undefined) misses.add(path);
        return hit?.kind === 'dir';
      },
    };
  }

  /** Loads the given paths into the cache; resolves true if any of them exists. */
  async load(base: vscode.Uri, paths: Iterable<string>): Promise<boolean> {
    let found = false;
    await Promise.all([...paths].map(async (path) => {
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
    }));
    return found;
  }

  clear(): void {
    this.#cache.clear();
  }
}
