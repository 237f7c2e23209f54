// Entry of the notebook renderer (contributes.notebookRenderer, built as an ES module into dist/renderer):
// renders PROFILE_MIME outputs with the profile components and CONV_MIME outputs with the same
// convolution playground the webview panel uses, each into its own shadow root on a RendererHost.
// Payloads are validated (extension/protocol, core/runtime.ts) before anything is drawn; a bad one
// becomes an error message inside its output. A profile is read (parsed, validated, costed) in a Web Worker
// (profileReader.ts), so the largest payload the limits accept does not hold the notebook's main thread. Untrusted workspaces get static views only (no ORT, no
// controls). disposeOutputItem disposes the view, which releases its ORT sessions.
import type { ActivationFunction, OutputItem, RendererApi, RendererContext } from 'vscode-notebook-renderer';
import { CONV_MIME, PROFILE_MIME, REPORT_LIMITS } from '../../extension/protocol/rendererMessages';
import { parseConvPayload } from '../../extension/protocol/validateRenderer';
import { convSummary } from '../components/convSummary';
import { el } from '../components/dom';
import { initialState, PlaygroundApp } from '../components/playgroundApp';
import { errorBox, ProfileApp } from '../components/profile/outputProfileApp';
import { liveSessionCount } from '../playground/ortRunner';
import { ProfileReader } from './profileReader';
import { RendererHost, type RendererState } from './rendererHost';

// Chunks (the ORT builds) and assets (.wasm, .css) load relative to this module's own URL: the
// notebook webview serves extension files from another origin than the page.
declare let __webpack_public_path__: string;
// eslint-disable-next-line prefer-const -- webpack's free variable: assigning it is how its value is set
__webpack_public_path__ = new URL('.', import.meta.url).href;

const styles = {
  renderer: new URL('../../media/renderer.css', import.meta.url).href,
  playground: new URL('../../media/playground.css', import.meta.url).href,
};

interface View {
  dispose(): void;
}

function stylesheet(href: string): HTMLLinkElement {
  return el('link', { rel: 'stylesheet', href });
}

/** The output's text, refusing oversized data before decoding it. */
function outputText(item: OutputItem): { ok: true; text: string } | { ok: false; error: string } {
  const bytes = item.data().byteLength;
  if (bytes > REPORT_LIMITS.jsonChars)
    return { ok: false, error: `output: ${bytes} bytes, more than the ${REPORT_LIMITS.jsonChars} Conv Lens reads` };
  return { ok: true, text: item.text() };
}

function readJson(item: OutputItem): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = outputText(item);
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.text) as unknown };
  } catch (e) {
    return { ok: false, error: `output: not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/**
 * A profile output: read (parsed, validated, costed) by the ProfileReader, off the main thread, while the
 * output says it is reading; drawn unless the output was disposed or rendered again meanwhile (`current`).
 */
async function renderProfile(
  ctx: RendererContext<RendererState>,
  reader: ProfileReader,
  item: OutputItem,
  root: HTMLElement,
  current: () => boolean,
): Promise<View | undefined> {
  const text = outputText(item);
  if (!text.ok) {
    root.replaceChildren(errorBox('Conv Lens cannot show this profile', text.error));
    return undefined;
  }
  root.replaceChildren(el('p', { class: 'reading' }, 'Reading the profile…'));
  const read = await reader.read(text.text);
  // The reply's copy into this thread was one task; the view is built in the next, so the two never add up.
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (!current()) return undefined;
  if (!read.ok) {
    root.replaceChildren(errorBox('Conv Lens cannot show this profile', read.error));
    return undefined;
  }
  root.replaceChildren();
  const host = new RendererHost(ctx, item.id, 'profile');
  return new ProfileApp(root, host, read.input, { interactive: ctx.workspace.isTrusted, canRequestStatic: host.canPost });
}

function renderConv(ctx: RendererContext<RendererState>, item: OutputItem, root: HTMLElement): View | undefined {
  const json = readJson(item);
  const read = json.ok ? parseConvPayload(json.value) : json;
  if (!read.ok) {
    root.replaceChildren(errorBox('Conv Lens cannot show this convolution', read.error));
    return undefined;
  }
  if (!ctx.workspace.isTrusted) {
    root.replaceChildren(
      convSummary(read.state, 'The interactive playground runs ONNX Runtime in this output; trust the workspace to use it.'),
    );
    return undefined;
  }
  const host = new RendererHost(ctx, item.id, 'playground');
  return new PlaygroundApp(root, host, initialState(host.getState<unknown>(), read.state));
}

export const activate: ActivationFunction<RendererState> = (ctx) => {
  const views = new Map<string, View>();
  // The render in progress of each output: a profile read finishing after its output was disposed or
  // rendered again draws nothing.
  const renders = new Map<string, object>();
  const reader = new ProfileReader(`${__webpack_public_path__}profileWorker.js`);
  const disposeOne = (id: string): void => {
    views.get(id)?.dispose();
    views.delete(id);
    renders.delete(id);
  };
  const api: RendererApi = {
    async renderOutputItem(item, element, signal) {
      disposeOne(item.id);
      const token = {};
      renders.set(item.id, token);
      const current = (): boolean => renders.get(item.id) === token && !signal.aborted;
      const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
      const root = el('div', { class: 'convlens-output' });
      shadow.replaceChildren(stylesheet(styles.renderer), ...(item.mime === CONV_MIME ? [stylesheet(styles.playground)] : []), root);
      try {
        const view =
          item.mime === PROFILE_MIME
            ? await renderProfile(ctx, reader, item, root, current)
            : item.mime === CONV_MIME
              ? renderConv(ctx, item, root)
              : (root.replaceChildren(errorBox('Conv Lens cannot show this output', `unexpected MIME type ${item.mime.slice(0, 100)}`)),
                undefined);
        if (view && current()) views.set(item.id, view);
        else view?.dispose();
      } catch (e) {
        // A bug in a view must not break the notebook: show it in the output.
        root.replaceChildren(errorBox('Conv Lens failed to render this output', e instanceof Error ? e.message : String(e)));
      }
    },
    disposeOutputItem(id) {
      if (id === undefined) for (const key of new Set([...views.keys(), ...renders.keys()])) disposeOne(key);
      else disposeOne(id);
    },
    /** For tests and other renderers: how many outputs hold a view, and how many ORT sessions are alive. */
    stats: () => ({ views: views.size, ortSessions: liveSessionCount(), profileReadIn: reader.lastRanIn ?? null }),
  };
  return api;
};
