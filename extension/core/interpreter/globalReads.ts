// The analysed file's module namespace, recording which names are read and written while a recorder is
// set: one recorder per top-level statement while the module body runs, one per entry while it is
// profiled. The editor's incremental analysis (core/reuse.ts) learns from it which entries an edit can
// change. Every way Python code reaches a module's names (a name lookup from its own code or a function
// defined there, `from m import x`, `m.x`, `globals()`, `vars(m)`) goes through this map, so a read cannot
// go unseen; reading the whole namespace (iteration, `globals()`) is recorded as reading every name.
import type { Value } from './values';

/** What one recorder saw. */
export interface NameEffects {
  readonly reads: Set<string>;
  readonly writes: Set<string>;
  /** The whole namespace was read (iterated, copied): every name counts as read. */
  whole: boolean;
}

export function newEffects(): NameEffects {
  return { reads: new Set(), writes: new Set(), whole: false };
}

export class RecordingVars extends Map<string, Value> {
  recorder: NameEffects | undefined;

  override get(name: string): Value | undefined {
    this.recorder?.reads.add(name);
    return super.get(name);
  }

  override has(name: string): boolean {
    this.recorder?.reads.add(name);
    return super.has(name);
  }

  override set(name: string, value: Value): this {
    this.recorder?.writes.add(name);
    return super.set(name, value);
  }

  override delete(name: string): boolean {
    this.recorder?.writes.add(name);
    return super.delete(name);
  }

  override clear(): void {
    if (this.recorder) this.recorder.whole = true;
    super.clear();
  }

  #whole(): void {
    if (this.recorder) this.recorder.whole = true;
  }

  override get size(): number {
    this.#whole();
    return super.size;
  }

  override entries(): MapIterator<[string, Value]> {
    this.#whole();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.#whole();
    return super.keys();
  }

  override values(): MapIterator<Value> {
    this.#whole();
    return super.values();
  }

  override forEach(fn: (value: Value, key: string, map: Map<string, Value>) => void, thisArg?: unknown): void {
    this.#whole();
    super.forEach(fn, thisArg);
  }

  override [Symbol.iterator](): MapIterator<[string, Value]> {
    this.#whole();
    return super[Symbol.iterator]();
  }
}
