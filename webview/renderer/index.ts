// Entry of the notebook renderer (contributes.notebookRenderer, built as an ES module into dist/renderer):
// renders PROFILE_MIME outputs with the profile components and CONV_MIME outputs with the same
// convolution playground the webview panel uses, each into its own shadow root on a RendererHost.
// Payloads are validated (extension/protocol, core/runtime.ts) before anything is drawn; a bad one
// becomes an error message inside its output. Untrusted workspaces get static views only (no ORT, no
// controls). disposeOutputItem disposes the view, which releases its ORT sessions.
import type { ActivationFunction, OutputItem, RendererApi, RendererContext } from 'vscode-notebook-renderer';
import { CONV_MIME, PROFILE_MIME, REPORT_LIMITS } from '../../extension/protocol/rendererMessages';
import { parseConvPayload } from '../../extension/protocol/validateRenderer';
import { runtimeTextTooLarge } from '../../extension/protocol/validateRuntime';
import { convSummary } from '../components/convSummary';
import { el } from '../components/dom';
import { initialState, PlaygroundApp } from '../components/playgroundApp';
import { errorBox, ProfileApp, readProfilePayload } from '../components/profile/outputProfileApp';
import { liveSessionCount } from '../playground/ortRunner';
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

/**
 * The output's bytes as JSON, refusing oversized data before decoding it, and a runtime profile with
 * more calls than the renderer works through before parsing it (parsing alone takes seconds at 30 MB).
 */
function readJson(item: OutputItem): { ok: true; value: unknown } | { ok: false; error: string } {
  const bytes = item.data().byteLength;
  if (bytes > REPORT_LIMITS.jsonChars)
    return { ok: false, error: `output: ${bytes} bytes, more than the ${REPORT_LIMITS.jsonChars} Conv Lens reads` };
  const text = item.text();
  const tooLarge = item.mime === PROFILE_MIME ? runtimeTextTooLarge(text) : undefined;
  if (tooLarge) return { ok: false, error: tooLarge };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: `output: not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

function renderProfile(ctx: RendererContext<RendererState>, item: OutputItem, root: HTMLElement): View | undefined {
  const json = readJson(item);
  const read = json.ok ? readProfilePayload(json.value) : json;
  if (!read.ok) {
    root.replaceChildren(errorBox('Conv Lens cannot show this profile', read.error));
    return undefined;
  }
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
  const disposeOne = (id: string): void => {
    views.get(id)?.dispose();
    views.delete(id);
  };
  const api: RendererApi = {
    renderOutputItem(item, element) {
      disposeOne(item.id);
      const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
      const root = el('div', { class: 'convlens-output' });
      shadow.replaceChildren(stylesheet(styles.renderer), ...(item.mime === CONV_MIME ? [stylesheet(styles.playground)] : []), root);
      try {
        const view =
          item.mime === PROFILE_MIME
            ? renderProfile(ctx, item, root)
            : item.mime === CONV_MIME
              ? renderConv(ctx, item, root)
              : (root.replaceChildren(errorBox('Conv Lens cannot show this output', `unexpected MIME type ${item.mime.slice(0, 100)}`)),
                undefined);
        if (view) views.set(item.id, view);
      } catch (e) {
        // A bug in a view must not break the notebook: show it in the output.
        root.replaceChildren(errorBox('Conv Lens failed to render this output', e instanceof Error ? e.message : String(e)));
      }
    },
    disposeOutputItem(id) {
      if (id === undefined) for (const key of [...views.keys()]) disposeOne(key);
      else disposeOne(id);
    },
    /** For tests and other renderers: how many outputs hold a view, and how many ORT sessions are alive. */
    stats: () => ({ views: views.size, ortSessions: liveSessionCount() }),
  };
  return api;
};
