// The Host interface shared by the playground webview and the notebook renderer (netron's
// BrowserHost/ElectronHost idea): components talk to `Host`, never to acquireVsCodeApi directly,
// so the same components run in a panel, in a notebook output and in headless tests.

export interface Host {
  /** Sends a message to the extension host (validated there). */
  post(message: unknown): void;
  /** Subscribes to messages from the extension host; returns an unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  getState<T>(): T | undefined;
  setState<T>(state: T): void;
}
