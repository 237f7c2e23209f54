// The Host inside a VS Code webview panel (the playground's and the profile view's): messages through
// acquireVsCodeApi's postMessage and window `message` events, state through the webview's getState / setState
// (which the panel serializer gets back after a reload). Inbound messages are passed on unvalidated; components
// validate them with extension/protocol.
import type { Host } from './host';

export class VsCodeHost implements Host {
  private readonly api = acquireVsCodeApi();

  post(message: unknown): void {
    this.api.postMessage(message);
  }

  onMessage(listener: (message: unknown) => void): () => void {
    const handler = (e: MessageEvent<unknown>): void => listener(e.data);
    window.addEventListener('message', handler);
    return () => window.removeEventListener('message', handler);
  }

  getState<T>(): T | undefined {
    // The stored value is whatever setState stored; callers validate it before use.
    return this.api.getState() as T | undefined;
  }

  setState<T>(state: T): void {
    this.api.setState(state);
  }
}
