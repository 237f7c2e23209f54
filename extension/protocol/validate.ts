// Guards for every message and state object that crosses the host/webview boundary. Each checks every
// field of `unknown` input and returns a type predicate; nothing here casts inbound data. They check
// shape and type only (integers, enums, lengths): whether a conv configuration is valid is convMath's job.
import { CONV_VARIANTS } from '../core/convMath';
import type { ConvVariant } from '../core/convMath';
import {
  BACKEND_CHOICES,
  PLAYGROUND_LIMITS,
  type BackendChoice,
  type FromWebview,
  type PlaygroundParams,
  type PlaygroundState,
  type RunError,
  type RunSummary,
  type TensorData,
  type ToWebview,
} from './playgroundMessages';

type Fields = Record<string, unknown>;

function isRecord(x: unknown): x is Fields {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True when `x` has exactly these keys (optional ones may be missing) and nothing else. */
function hasOnlyKeys(x: Fields, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Object.keys(x);
  return (
    required.every((k) => Object.prototype.hasOwnProperty.call(x, k)) && keys.every((k) => required.includes(k) || optional.includes(k))
  );
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && Math.abs(x) <= PLAYGROUND_LIMITS.maxInteger;
}

function isPair(x: unknown): x is readonly [number, number] {
  return Array.isArray(x) && x.length === 2 && isInt(x[0]) && isInt(x[1]);
}

function isString(x: unknown, maxLength: number): x is string {
  return typeof x === 'string' && x.length <= maxLength;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

export function isConvVariant(x: unknown): x is ConvVariant {
  return typeof x === 'string' && (CONV_VARIANTS as readonly string[]).includes(x);
}

export function isBackendChoice(x: unknown): x is BackendChoice {
  return typeof x === 'string' && (BACKEND_CHOICES as readonly string[]).includes(x);
}

const PARAM_KEYS = [
  'variant',
  'inChannels',
  'outChannels',
  'kernelSize',
  'stride',
  'padding',
  'dilation',
  'groups',
  'outputPadding',
  'inputSize',
  'bias',
  'seed',
] as const;

/** Types only: negative or zero sizes pass here so that convMath can answer with PyTorch's message. */
export function isPlaygroundParams(x: unknown): x is PlaygroundParams {
  return (
    isRecord(x) &&
    hasOnlyKeys(x, PARAM_KEYS) &&
    isConvVariant(x['variant']) &&
    isInt(x['inChannels']) &&
    isInt(x['outChannels']) &&
    isInt(x['groups']) &&
    isPair(x['kernelSize']) &&
    isPair(x['stride']) &&
    isPair(x['padding']) &&
    isPair(x['dilation']) &&
    isPair(x['outputPadding']) &&
    isPair(x['inputSize']) &&
    typeof x['bias'] === 'boolean' &&
    isInt(x['seed']) &&
    x['seed'] >= 0
  );
}

export function isPlaygroundState(x: unknown): x is PlaygroundState {
  return (
    isRecord(x) &&
    hasOnlyKeys(x, ['params', 'backend', 'label', 'focus']) &&
    isPlaygroundParams(x['params']) &&
    isBackendChoice(x['backend']) &&
    isString(x['label'], PLAYGROUND_LIMITS.maxLabelLength) &&
    isPair(x['focus'])
  );
}

function isTensorData(x: unknown): x is TensorData {
  return (
    isRecord(x) &&
    hasOnlyKeys(x, ['name', 'dims', 'data']) &&
    isString(x['name'], 100) &&
    Array.isArray(x['dims']) &&
    x['dims'].every(isInt) &&
    Array.isArray(x['data']) &&
    x['data'].length <= PLAYGROUND_LIMITS.maxTensorElements &&
    x['data'].every(isFiniteNumber)
  );
}

function isRunSummary(x: unknown): x is RunSummary {
  return (
    isRecord(x) &&
    hasOnlyKeys(
      x,
      ['variant', 'backend', 'backendReason', 'latencyMs', 'timingsMs', 'outputDims', 'params', 'macs', 'maxAbsDiff'],
      ['tensors'],
    ) &&
    isConvVariant(x['variant']) &&
    (x['backend'] === 'wasm' || x['backend'] === 'webgpu') &&
    isString(x['backendReason'], 1000) &&
    isFiniteNumber(x['latencyMs']) &&
    Array.isArray(x['timingsMs']) &&
    x['timingsMs'].every(isFiniteNumber) &&
    Array.isArray(x['outputDims']) &&
    x['outputDims'].every(isInt) &&
    isFiniteNumber(x['params']) &&
    isFiniteNumber(x['macs']) &&
    (x['maxAbsDiff'] === null || isFiniteNumber(x['maxAbsDiff'])) &&
    (x['tensors'] === undefined || (Array.isArray(x['tensors']) && x['tensors'].every(isTensorData)))
  );
}

function isRunError(x: unknown): x is RunError {
  return (
    isRecord(x) &&
    hasOnlyKeys(x, ['stage', 'kind', 'message']) &&
    (x['stage'] === 'validation' || x['stage'] === 'session' || x['stage'] === 'run') &&
    isString(x['kind'], 100) &&
    isString(x['message'], 10_000)
  );
}

function isRequestId(x: unknown): x is string {
  return isString(x, 200);
}

/** Guards every message the webview accepts from the host. */
export function isHostToWebview(x: unknown): x is ToWebview.Message {
  if (!isRecord(x)) return false;
  switch (x['type']) {
    case 'setParams':
      return (
        hasOnlyKeys(x, ['type', 'params', 'label']) &&
        isPlaygroundParams(x['params']) &&
        isString(x['label'], PLAYGROUND_LIMITS.maxLabelLength)
      );
    case 'runRequest':
      return (
        hasOnlyKeys(x, ['type', 'requestId', 'params', 'backend', 'repeats', 'includeTensors']) &&
        isRequestId(x['requestId']) &&
        isPlaygroundParams(x['params']) &&
        isBackendChoice(x['backend']) &&
        isInt(x['repeats']) &&
        x['repeats'] >= 1 &&
        x['repeats'] <= PLAYGROUND_LIMITS.maxRepeats &&
        typeof x['includeTensors'] === 'boolean'
      );
    default:
      return false;
  }
}

/** Guards every message the host accepts from the webview. */
export function isWebviewToHost(x: unknown): x is FromWebview.Message {
  if (!isRecord(x)) return false;
  switch (x['type']) {
    case 'ready':
      return hasOnlyKeys(x, ['type']);
    case 'runCompleted':
      return (
        hasOnlyKeys(x, ['type', 'requestId', 'summary']) &&
        (x['requestId'] === null || isRequestId(x['requestId'])) &&
        isRunSummary(x['summary'])
      );
    case 'runFailed':
      return (
        hasOnlyKeys(x, ['type', 'requestId', 'error']) && (x['requestId'] === null || isRequestId(x['requestId'])) && isRunError(x['error'])
      );
    case 'messageRejected':
      return hasOnlyKeys(x, ['type', 'reason']) && isString(x['reason'], 1000);
    default:
      return false;
  }
}
