// Ownership of lifetimes: a `Disposable` owns what it `_register`s and disposes it exactly once.
// Registering on an already disposed owner disposes the argument at once, so late async work cannot leak.

/** Anything with a `dispose()` (vscode.Disposable is one). */
export interface IDisposable {
  dispose(): void;
}

/** Disposes every item, even if some throw; rethrows the first error (or an AggregateError for several). */
export function disposeAll(items: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const item of items) {
    try {
      item.dispose();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'errors while disposing');
}

/** Base class for owners of other disposables. */
export abstract class Disposable implements IDisposable {
  #disposed = false;
  readonly #owned: IDisposable[] = [];

  get isDisposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    // Dispose in reverse order of registration, like a stack of scopes.
    disposeAll(this.#owned.splice(0).reverse());
  }

  /** Takes ownership of `value` and returns it; disposes it at once if this owner is already disposed. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this.#disposed) {
      value.dispose();
    } else {
      this.#owned.push(value);
    }
    return value;
  }
}

/** A disposable that runs a callback once. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}
