// Messages between the extension host and the convolution playground (webview panel, and later the
// notebook renderer), plus the playground's parameter and state types. Imported as-is by both bundles;
// never copy these types. Types only, plus limits shared by both sides; the guards live in validate.ts.
import type { ConvVariant } from '../core/convMath';

export type { ConvVariant };

/** Which ONNX Runtime execution provider to use; `auto` picks WebGPU only for a real (non-fallback) adapter. */
export type BackendChoice = 'auto' | 'wasm' | 'webgpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'webgpu'];

/** Everything the playground controls set. 2-D only; tuples are `[height, width]`. */
export interface PlaygroundParams {
  readonly variant: ConvVariant;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
  /** Used by the transposed variant only. */
  readonly outputPadding: readonly [number, number];
  /** Spatial input size `[H, W]` (batch 1, `inChannels` channels). */
  readonly inputSize: readonly [number, number];
  readonly bias: boolean;
  /** Seed of the deterministic weight / input generator. */
  readonly seed: number;
}

/** What the webview persists with `setState` and what the host sends as initial state. */
export interface PlaygroundState {
  readonly params: PlaygroundParams;
  readonly backend: BackendChoice;
  /** Where the preset came from, e.g. `model.py: layer1.0.conv1`. Shown as text, never as HTML. */
  readonly label: string;
  /** Which output cell the sliding-window view highlights. */
  readonly focus: readonly [number, number];
}

/**
 * Sizes the playground refuses with a message instead of trying (a webview's wasm heap is small, and a
 * 4-byte float tensor of 16 M elements is already 64 MB). Both sides enforce them.
 */
export const PLAYGROUND_LIMITS = {
  /** Largest element count of any one tensor (input, weight, output). */
  maxTensorElements: 4_000_000,
  /** Largest MAC count of one variant run. */
  maxMacs: 4_000_000_000,
  /** Largest value the protocol accepts for any integer field; larger ones are malformed, not "huge". */
  maxInteger: 1_000_000_000,
  /** Longest label string. */
  maxLabelLength: 500,
  /** Most timing repeats one run request may ask for (and timings one run summary may carry). */
  maxRepeats: 1000,
  /** Highest rank of a tensor or output shape. */
  maxRank: 8,
  /** Most tensors one run summary carries (input, output, deployOutput). */
  maxRunTensors: 3,
} as const;

/** A float tensor sent over the protocol (only when a run request asks for outputs). */
export interface TensorData {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: readonly number[];
}

/** The result of one run, as the webview reports it. */
export interface RunSummary {
  readonly variant: ConvVariant;
  readonly backend: 'wasm' | 'webgpu';
  /** Why this backend ran, e.g. `WebGPU adapter is a fallback (software) adapter`. */
  readonly backendReason: string;
  /** Median of `timingsMs`: milliseconds per run. */
  readonly latencyMs: number;
  /** Milliseconds per run of each timed batch (a batch runs the conv once or many times in a row). */
  readonly timingsMs: readonly number[];
  /** Timed runs over all batches, and the milliseconds they took together. */
  readonly runs: number;
  readonly measuredMs: number;
  readonly outputDims: readonly number[];
  readonly params: number;
  readonly macs: number;
  /** ACBlock only: max |train − deploy| over the output. */
  readonly maxAbsDiff: number | null;
  /** Present only when the request asked for them: the input, the output(s) (`output`, and `deployOutput` for ACBlock). */
  readonly tensors?: readonly TensorData[];
}

export interface RunError {
  /** `validation`: refused before anything ran (PyTorch's message or a size limit). */
  readonly stage: 'validation' | 'session' | 'run';
  /** PyTorch's exception class for validation errors, otherwise `Error`. */
  readonly kind: string;
  readonly message: string;
}

/** Host → webview. */
export namespace ToWebview {
  /** Replaces the controls (e.g. "Visualize this layer") and runs once. */
  export interface SetParams {
    readonly type: 'setParams';
    readonly params: PlaygroundParams;
    readonly label: string;
  }
  /** Runs a configuration and answers with `runCompleted` / `runFailed` carrying the same `requestId`. */
  export interface RunRequest {
    readonly type: 'runRequest';
    readonly requestId: string;
    readonly params: PlaygroundParams;
    readonly backend: BackendChoice;
    /** Timed batches at least, after one warm-up run (and at least 50 ms measured); the summary reports their median. */
    readonly repeats: number;
    readonly includeTensors: boolean;
  }
  export type Message = SetParams | RunRequest;
  export type Type = Message['type'];
}

/** Webview → host. */
export namespace FromWebview {
  export interface Ready {
    readonly type: 'ready';
  }
  export interface RunCompleted {
    readonly type: 'runCompleted';
    /** Null for runs the user started. */
    readonly requestId: string | null;
    readonly summary: RunSummary;
  }
  export interface RunFailed {
    readonly type: 'runFailed';
    readonly requestId: string | null;
    readonly error: RunError;
  }
  /** The webview dropped an inbound message that failed validation. */
  export interface MessageRejected {
    readonly type: 'messageRejected';
    readonly reason: string;
  }
  export type Message = Ready | RunCompleted | RunFailed | MessageRejected;
  export type Type = Message['type'];
}

/** The state a fresh playground starts from: the seed DSC's 3×3 conv on a small input. */
export const DEFAULT_PLAYGROUND_STATE: PlaygroundState = {
  params: {
    variant: 'standard',
    inChannels: 4,
    outChannels: 8,
    kernelSize: [3, 3],
    stride: [1, 1],
    padding: [1, 1],
    dilation: [1, 1],
    groups: 1,
    outputPadding: [0, 0],
    inputSize: [16, 16],
    bias: true,
    seed: 1,
  },
  backend: 'auto',
  label: '',
  focus: [0, 0],
};
