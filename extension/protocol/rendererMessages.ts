// The notebook renderer's contract: its id and MIME types, the `application/vnd.convlens.conv+json`
// payload, and the messages between the renderer (webview/renderer) and the extension host
// (extension/features/notebook.ts). Imported as-is by both bundles; never copy these types.
// Types and constants only; the guards live in validateRenderer.ts (messages, conv payload) and
// validateReport.ts (the profile payload).
import type { CliReport } from '../core/report/reportTypes';
import type { FromWebview, ToWebview } from './playgroundMessages';

/** `contributes.notebookRenderer[].id` in package.json. */
export const NOTEBOOK_RENDERER_ID = 'convlens.notebookRenderer';

/**
 * A profile: the CLI's JSON report (`convlens profile --format json --convention all`), or a runtime
 * payload from media/python/convlens_runtime.py (`schema: "convlens.runtime/1"`). Mirrors
 * core/runtime.ts RUNTIME_PROFILE_MIME, which the Python helper emits.
 */
export const PROFILE_MIME = 'application/vnd.convlens.profile+json';

/** A convolution playground preset (ConvOutputPayload). */
export const CONV_MIME = 'application/vnd.convlens.conv+json';

/** Every MIME type the renderer contributes, in package.json order. */
export const RENDERER_MIME_TYPES: readonly string[] = [PROFILE_MIME, CONV_MIME];

/**
 * The conv payload (`CONV_MIME`) is a JSON object with any subset of the PlaygroundParams keys (the rest
 * default to the playground's start state; sizes as `[h, w]` or one int for both) plus optional `label`
 * and `backend`. Unknown keys are an error, so a typo is reported instead of ignored.
 * validateRenderer.ts parseConvPayload turns it into a PlaygroundState.
 */
export const CONV_PAYLOAD_EXTRA_KEYS = ['label', 'backend'] as const;

/**
 * Bounds on a profile payload. A report beyond them is refused with a message, never rendered in part:
 * the renderer runs inside the notebook's webview, and a payload must not be able to freeze it.
 */
export const REPORT_LIMITS = {
  layers: 20_000,
  functionals: 20_000,
  diagnostics: 1_000,
  /** Paths, types, files, formulas, reasons and messages. */
  stringChars: 4_096,
  dims: 8,
  /** The whole payload as JSON text (outputs arrive as bytes). */
  jsonChars: 32 * 1024 * 1024,
} as const;

/** Renderer → extension host. Every message names the output it comes from (the renderer's OutputItem.id). */
export namespace FromRenderer {
  /** A playground message from the conv output `outputId` (same protocol as the webview panel). */
  export interface Playground {
    readonly type: 'playground';
    readonly outputId: string;
    readonly message: FromWebview.Message;
  }
  /**
   * Asks for the static profile of the code that built a runtime profile: the entry `name` (the model's
   * class name) at `input`, analysed from the notebook that holds the output.
   */
  export interface RequestStaticProfile {
    readonly type: 'requestStaticProfile';
    readonly outputId: string;
    readonly name: string;
    readonly input: readonly number[];
  }
  export type Message = Playground | RequestStaticProfile;
  export type Type = Message['type'];
}

/** Extension host → renderer. Outputs ignore messages for other output ids. */
export namespace ToRenderer {
  export interface Playground {
    readonly type: 'playground';
    readonly outputId: string;
    readonly message: ToWebview.Message;
  }
  /** The answer to `requestStaticProfile`: a CLI report with every convention. */
  export interface StaticProfile {
    readonly type: 'staticProfile';
    readonly outputId: string;
    readonly report: CliReport;
    /** Where the static analysis ran, e.g. `demo.ipynb, cells 1–3, Net()`. Plain text. */
    readonly source: string;
  }
  export interface StaticProfileUnavailable {
    readonly type: 'staticProfileUnavailable';
    readonly outputId: string;
    readonly reason: string;
  }
  export type Message = Playground | StaticProfile | StaticProfileUnavailable;
  export type Type = Message['type'];
}
