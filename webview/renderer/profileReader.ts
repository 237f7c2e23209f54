// Reads profile outputs off the notebook's main thread: one Web Worker (profileWorker.ts) per renderer, started
// on the first output from a blob: URL holding the worker script fetched from the renderer's own folder (a
// notebook webview serves extension files from another origin than the page, and a Worker must be
// same-origin). Where no worker can start (a webview that forbids it), outputs are read on the main thread
// as before. A worker that dies fails the reads it held with an error in their outputs, and the next read
// starts a new one.
import { readProfileText, type ProfileReadResult } from '../components/profile/readProfile';

export interface ReaderRequest {
  readonly id: number;
  readonly text: string;
}

export type ReaderReply = { readonly type: 'ready' } | { readonly type: 'read'; readonly id: number; readonly result: ProfileReadResult };

export class ProfileReader {
  #worker: Promise<Worker | undefined> | undefined;
  readonly #pending = new Map<number, (r: ProfileReadResult) => void>();
  #next = 1;
  /** Where the last read ran, for the tests and the benchmark. */
  lastRanIn: 'worker' | 'main thread' | undefined;

  constructor(private readonly workerUrl: string) {}

  read(text: string): Promise<ProfileReadResult> {
    return this.#start().then((worker) => {
      if (!worker) {
        this.lastRanIn = 'main thread';
        return readProfileText(text);
      }
      this.lastRanIn = 'worker';
      return new Promise<ProfileReadResult>((resolve) => {
        const id = this.#next++;
        this.#pending.set(id, resolve);
        worker.postMessage({ id, text } satisfies ReaderRequest);
      });
    });
  }

  #start(): Promise<Worker | undefined> {
    return (this.#worker ??= this.#spawn());
  }

  async #spawn(): Promise<Worker | undefined> {
    let blobUrl: string | undefined;
    try {
      const res = await fetch(this.workerUrl);
      if (!res.ok) return undefined;
      blobUrl = URL.createObjectURL(new Blob([await res.text()], { type: 'text/javascript' }));
      const worker = new Worker(blobUrl);
      // Ready once its script ran: a worker the page's policy refuses fails here instead.
      const ready = await new Promise<boolean>((resolve) => {
        worker.onmessage = (e: MessageEvent<ReaderReply>) => resolve(e.data.type === 'ready');
        worker.onerror = () => resolve(false);
      });
      if (!ready) {
        worker.terminate();
        return undefined;
      }
      worker.onmessage = (e: MessageEvent<ReaderReply>) => {
        if (e.data.type !== 'read') return;
        this.#pending.get(e.data.id)?.(e.data.result);
        this.#pending.delete(e.data.id);
      };
      worker.onerror = (e) => this.#died(worker, e.message || 'it failed');
      return worker;
    } catch {
      return undefined;
    } finally {
      if (blobUrl) URL.revokeObjectURL(blobUrl);
    }
  }

  #died(worker: Worker, reason: string): void {
    worker.terminate();
    this.#worker = undefined;
    for (const resolve of this.#pending.values()) resolve({ ok: false, error: `the profile reader stopped (${reason})` });
    this.#pending.clear();
  }

  dispose(): void {
    void this.#worker?.then((w) => w?.terminate());
    this.#worker = undefined;
    for (const resolve of this.#pending.values()) resolve({ ok: false, error: 'the renderer was disposed' });
    this.#pending.clear();
  }
}
