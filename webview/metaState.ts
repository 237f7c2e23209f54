// The initial state a webview document carries as escaped JSON in a `<meta data-state=...>`
// attribute (never as script text; see renderWebviewDocument). Shared by the webview entries.

/** The parsed `data-state` of the element with this id, or undefined when absent or not JSON. */
export function readMetaState(id: string): unknown {
  const raw = document.getElementById(id)?.getAttribute('data-state');
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
