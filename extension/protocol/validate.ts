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
import { hasOnlyKeys, isArrayOf, isFiniteNumber, isInt as checkIsInt, isNumberIn, isOneOf, isRecord, isString } from './check';

/** An integer field: anything beyond ±maxInteger is malformed, not "huge". */
function isInt(x: unknown): x is number {
  return checkIsInt(x, -PLAYGROUND_LIMITS.maxInteger, PLAYGROUND_LIMITS.maxInteger);
}

function isPair(x: unknown): x is readonly [number, number] {
  return Array.isArray(x) && x.length === 2 && isInt(x[0]) && isInt(x[1]);
}

function isDim(x: unknown): x is number {
  return checkIsInt(x, 0, PLAYGROUND_LIMITS.maxInteger);
}

function isDims(x: unknown): x is number[] {
  return isArrayOf(x, PLAYGROUND_LIMITS.maxRank, isDim);
}

/** A duration or count a run measured: finite and not negative. */
function isNonNegative(x: unknown): x is number {
  return isNumberIn(x, 0, Number.MAX_VALUE);
}

export function isConvVariant(x: unknown): x is ConvVariant {
  return isOneOf(x, CONV_VARIANTS);
}

export function isBackendChoice(x: unknown): x is BackendChoice {
  return isOneOf(x, BACKEND_CHOICES);
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
    isDims(x['dims']) &&
    Array.isArray(x['data']) &&
    x['data'].length <= PLAYGROUND_LIMITS.maxTensorElements &&
    x['data'].length === x['dims'].reduce((a, b) => a * b, 1) &&
    x['data'].every(isFiniteNumber)
  );
}

function isRunSummary(x: unknown): x is RunSummary {
  return (
    isRecord(x) &&
    hasOnlyKeys(
      x,
      ['variant', 'backend', 'backendReason', 'latencyMs', 'timingsMs', 'runs', 'measuredMs', 'outputDims', 'params', 'macs', 'maxAbsDiff'],
      ['tensors'],
    ) &&
    isConvVariant(x['variant']) &&
    (x['backend'] === 'wasm' || x['backend'] === 'webgpu') &&
    isString(x['backendReason'], 1000) &&
    isNonNegative(x['latencyMs']) &&
    isArrayOf(x['timingsMs'], PLAYGROUND_LIMITS.maxRepeats, isNonNegative) &&
    x['timingsMs'].length >= 1 &&
    checkIsInt(x['runs'], 1) &&
    isNonNegative(x['measuredMs']) &&
    isDims(x['outputDims']) &&
    checkIsInt(x['params'], 0) &&
    checkIsInt(x['macs'], 0) &&
    (x['maxAbsDiff'] === null || isNonNegative(x['maxAbsDiff'])) &&
    (x['tensors'] === undefined || isArrayOf(x['tensors'], PLAYGROUND_LIMITS.maxRunTensors, isTensorData))
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
