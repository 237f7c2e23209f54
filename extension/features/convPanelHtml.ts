// The playground webview's HTML document: strict CSP with a script nonce, one bundle script and one
// stylesheet (URLs from asWebviewUri), and the initial state as escaped JSON in a `<meta>` attribute,
// never as script text. Pure string building with no vscode import, so the browser tests serve
// exactly this document.
import type { PlaygroundState } from '../protocol/playgroundMessages';

export interface PlaygroundHtmlOptions {
  /** `webview.cspSource`: the origin the webview's own resources come from. */
  readonly cspSource: string;
  readonly nonce: string;
  /** URL of dist/webview/playground.js. */
  readonly scriptUri: string;
  /** URL of media/playground.css. */
  readonly styleUri: string;
  readonly state: PlaygroundState;
}

/** Escapes text for a double-quoted HTML attribute (and for element content). */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The Content-Security-Policy. `'wasm-unsafe-eval'` lets ONNX Runtime compile its .wasm (nothing else
 * is eval'd); `connect-src` lets it fetch the .wasm from the extension; `worker-src` covers ORT's
 * blob: workers should it start one. Chunks loaded later carry the nonce (`__webpack_nonce__`).
 */
export function playgroundCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `worker-src ${cspSource} blob:`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

/** What every Conv Lens webview document is made of (the playground's and the profile view's). */
export interface WebviewDocumentOptions {
  readonly csp: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** The id of the `<meta>` whose `data-state` attribute carries the initial state as JSON. */
  readonly stateId: string;
  readonly state: unknown;
  readonly title: string;
}

/** A webview document: the CSP, the state as an escaped attribute, one stylesheet and one nonce'd script. */
export function renderWebviewDocument(o: WebviewDocumentOptions): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(o.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta id="${attr(o.stateId)}" data-state="${attr(JSON.stringify(o.state))}">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(o.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}

export function renderPlaygroundHtml(o: PlaygroundHtmlOptions): string {
  return renderWebviewDocument({
    csp: playgroundCsp(o.cspSource, o.nonce),
    nonce: o.nonce,
    scriptUri: o.scriptUri,
    styleUri: o.styleUri,
    stateId: 'convlens-playground-state',
    state: o.state,
    title: 'Convolution playground',
  });
}

/** A nonce from a CSPRNG-quality source (Web Crypto, in Node and the web extension alike): 32 chars of base-62. */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}
