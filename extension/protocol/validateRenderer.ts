// Guards for the notebook renderer's boundary: the conv output payload (CONV_MIME) and the messages
// between the renderer and the extension host (rendererMessages.ts). Nothing here casts inbound data;
// the playground messages nested inside are checked by validate.ts's guards.
import { DEFAULT_PLAYGROUND_STATE, PLAYGROUND_LIMITS, type PlaygroundParams, type PlaygroundState } from './playgroundMessages';
import { CONV_PAYLOAD_EXTRA_KEYS, REPORT_LIMITS, type FromRenderer, type ToRenderer } from './rendererMessages';
import { isBackendChoice, isConvVariant, isHostToWebview, isPlaygroundParams, isWebviewToHost } from './validate';
import { parseProfileReport } from './validateReport';
import { hasOnlyKeys, hasOwn, isArrayOf, isInt, isRecord, isString, type Fields } from './check';

function isShortString(x: unknown, max = 200): x is string {
  return isString(x, max);
}

function isOutputId(x: unknown): x is string {
  return isString(x, 200) && x.length > 0;
}

export type ConvPayloadResult = { readonly ok: true; readonly state: PlaygroundState } | { readonly ok: false; readonly error: string };

const PAIR_KEYS = ['kernelSize', 'stride', 'padding', 'dilation', 'outputPadding', 'inputSize'] as const;

/**
 * Reads a conv output payload into a playground state. Missing parameters come from the playground's
 * start state; `kernelSize: 3` means `[3, 3]`. Types are checked here; whether the configuration is a
 * valid convolution is convMath's job (the playground shows PyTorch's message).
 */
export function parseConvPayload(json: unknown): ConvPayloadResult {
  let value = json;
  if (typeof json === 'string') {
    if (json.length > 100_000) return { ok: false, error: 'conv payload: JSON text longer than 100000 characters' };
    try {
      value = JSON.parse(json) as unknown;
    } catch (e) {
      return { ok: false, error: `conv payload: not JSON (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  if (!isRecord(value)) return { ok: false, error: 'conv payload: expected an object' };
  const defaults = DEFAULT_PLAYGROUND_STATE;
  const paramKeys = Object.keys(defaults.params);
  const allowed = [...paramKeys, ...CONV_PAYLOAD_EXTRA_KEYS];
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    return { ok: false, error: `conv payload: unknown key ${JSON.stringify(unknown[0]!.slice(0, 60))} (known: ${allowed.join(', ')})` };
  }
  const merged: Fields = { ...defaults.params };
  for (const k of paramKeys) {
    if (!hasOwn(value, k)) continue;
    const v = value[k];
    // One int stands for both spatial dims, as in PyTorch's `kernel_size=3`.
    merged[k] = (PAIR_KEYS as readonly string[]).includes(k) && typeof v === 'number' ? [v, v] : v;
  }
  if (!isConvVariant(merged['variant']))
    return { ok: false, error: 'conv payload: variant must be one of standard, grouped, dilated, depthwiseSeparable, acblock, transposed' };
  if (!isPlaygroundParams(merged)) {
    return {
      ok: false,
      error: `conv payload: every size must be an integer up to ${PLAYGROUND_LIMITS.maxInteger} (pairs as [h, w]), bias a boolean and seed a non-negative integer`,
    };
  }
  const params: PlaygroundParams = merged;
  const label = value['label'];
  if (label !== undefined && !isShortString(label, PLAYGROUND_LIMITS.maxLabelLength)) {
    return { ok: false, error: `conv payload: label must be a string of at most ${PLAYGROUND_LIMITS.maxLabelLength} characters` };
  }
  const backend = value['backend'];
  if (backend !== undefined && !isBackendChoice(backend)) return { ok: false, error: 'conv payload: backend must be auto, wasm or webgpu' };
  return { ok: true, state: { ...defaults, params, label: label ?? '', backend: backend ?? defaults.backend } };
}

function isInput(x: unknown): x is readonly number[] {
  return isArrayOf(x, REPORT_LIMITS.dims, (d): d is number => isInt(d, 1, PLAYGROUND_LIMITS.maxInteger)) && x.length >= 1;
}

/** Guards every message the extension host accepts from the renderer. */
export function isRendererToHost(x: unknown): x is FromRenderer.Message {
  if (!isRecord(x)) return false;
  switch (x['type']) {
    case 'playground':
      return hasOnlyKeys(x, ['type', 'outputId', 'message']) && isOutputId(x['outputId']) && isWebviewToHost(x['message']);
    case 'requestStaticProfile':
      return (
        hasOnlyKeys(x, ['type', 'outputId', 'name', 'input']) &&
        isOutputId(x['outputId']) &&
        isShortString(x['name'], REPORT_LIMITS.stringChars) &&
        isInput(x['input'])
      );
    default:
      return false;
  }
}

/**
 * Guards every message the renderer accepts from the extension host. A `staticProfile` report is
 * validated in full and replaced by the validated copy, so the caller reads only checked data.
 */
export function parseHostToRenderer(x: unknown): ToRenderer.Message | undefined {
  if (!isRecord(x) || !isOutputId(x['outputId'])) return undefined;
  const outputId = x['outputId'];
  switch (x['type']) {
    case 'playground':
      return hasOnlyKeys(x, ['type', 'outputId', 'message']) && isHostToWebview(x['message'])
        ? { type: 'playground', outputId, message: x['message'] }
        : undefined;
    case 'staticProfile': {
      if (!hasOnlyKeys(x, ['type', 'outputId', 'report', 'source']) || !isShortString(x['source'], REPORT_LIMITS.stringChars))
        return undefined;
      const parsed = parseProfileReport(x['report']);
      return parsed.ok ? { type: 'staticProfile', outputId, report: parsed.report, source: x['source'] } : undefined;
    }
    case 'staticProfileUnavailable':
      return hasOnlyKeys(x, ['type', 'outputId', 'reason']) && isShortString(x['reason'], REPORT_LIMITS.stringChars)
        ? { type: 'staticProfileUnavailable', outputId, reason: x['reason'] }
        : undefined;
    default:
      return undefined;
  }
}
