// ONNX Runtime Web sessions for the playground: picks the backend (WebGPU only for a real adapter),
// loads the matching ORT build on demand (CPU build for WASM, JSEP build for WebGPU), creates
// sessions with a time-out, reuses them while only the input changes, and times runs. It knows
// nothing about convolutions or the DOM beyond `navigator.gpu`.
import type * as Ort from 'onnxruntime-web';
import { PLAYGROUND_LIMITS, type BackendChoice } from '../../extension/protocol/playgroundMessages';

type OrtModule = typeof Ort;
export type Backend = 'wasm' | 'webgpu';

/**
 * Session creation that takes longer than this is reported as an error (a blocked worker or wasm fetch hangs forever).
 * Not a speed target: the first WebGPU session on a software adapter compiles its shaders, which took 39 s on a
 * loaded 2-core machine, so 30 s failed runs that were only slow.
 */
export const SESSION_TIMEOUT_MS = 120_000;
/** How many sessions stay alive; older ones are released. */
const MAX_SESSIONS = 6;

export interface WebGpuProbe {
  readonly adapter: boolean;
  readonly fallback: boolean;
  readonly description: string;
}

/** The part of the WebGPU API we touch (TypeScript's DOM lib does not declare `navigator.gpu`). */
interface GpuAdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: {
    readonly isFallbackAdapter?: boolean;
    readonly vendor?: string;
    readonly architecture?: string;
    readonly description?: string;
  };
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

let probe: Promise<WebGpuProbe> | undefined;

/** Asks `navigator.gpu` for an adapter once per page. A fallback adapter is a software rasteriser (SwiftShader). */
export function probeWebGpu(): Promise<WebGpuProbe> {
  probe ??= (async (): Promise<WebGpuProbe> => {
    const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
    if (!gpu) return { adapter: false, fallback: false, description: 'navigator.gpu is not available' };
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return { adapter: false, fallback: false, description: 'navigator.gpu.requestAdapter() returned no adapter' };
      const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
      const name =
        [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter((s) => s).join(' ') || 'unnamed adapter';
      return { adapter: true, fallback, description: `${name}${fallback ? ' (fallback/software adapter)' : ''}` };
    } catch (e) {
      return { adapter: false, fallback: false, description: `requestAdapter() failed: ${String(e)}` };
    }
  })();
  return probe;
}

/** Resolves the user's choice to a backend and says why. `auto` uses WebGPU only for a real (non-fallback) adapter. */
export async function chooseBackend(choice: BackendChoice): Promise<{ backend: Backend; reason: string }> {
  const gpu = await probeWebGpu();
  switch (choice) {
    case 'wasm':
      return { backend: 'wasm', reason: 'WASM chosen by the user' };
    case 'webgpu':
      return gpu.adapter
        ? { backend: 'webgpu', reason: `WebGPU chosen by the user: ${gpu.description}` }
        : { backend: 'wasm', reason: `WebGPU chosen but unavailable (${gpu.description}); ran on WASM` };
    case 'auto':
      if (!gpu.adapter) return { backend: 'wasm', reason: `auto: ${gpu.description}` };
      if (gpu.fallback) return { backend: 'wasm', reason: `auto: WebGPU adapter is a software fallback (${gpu.description})` };
      return { backend: 'webgpu', reason: `auto: WebGPU adapter ${gpu.description}` };
  }
}

const modules = new Map<Backend, Promise<OrtModule>>();

function wasmUrl(backend: Backend): string {
  return backend === 'wasm'
    ? new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', import.meta.url).href
    : new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.wasm', import.meta.url).href;
}

/**
 * `onnxruntime-web/wasm` is the CPU-only build (14 MB wasm); the bare import is the JSEP build that
 * adds WebGPU (28 MB wasm). webpack emits each `.wasm` next to the bundle from ORT's
 * `new URL(…, import.meta.url)`, so nothing is fetched from a CDN.
 */
function loadOrt(backend: Backend): Promise<OrtModule> {
  let m = modules.get(backend);
  if (!m) {
    m = (
      backend === 'wasm'
        ? import(/* webpackChunkName: "ort-wasm" */ 'onnxruntime-web/wasm')
        : import(/* webpackChunkName: "ort-webgpu" */ 'onnxruntime-web')
    ).then((ort) => {
      // A webview is not cross-origin isolated: no SharedArrayBuffer, so one thread and no proxy worker.
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.proxy = false;
      // Naming the .wasm explicitly makes ORT use the glue code embedded in its bundle. Without it,
      // ORT sees that its script URL is cross-origin (a webview's resources are on another origin than
      // the page) and tries `import()` of a separate ort-wasm-simd-threaded(.jsep).mjs, which we do
      // not ship. The URLs below are webpack assets, the same files ORT's own `new URL()` emits.
      ort.env.wasm.wasmPaths = { wasm: wasmUrl(backend) };
      ort.env.logLevel = 'error';
      return ort;
    });
    modules.set(backend, m);
    m.catch(() => modules.delete(backend));
  }
  return m;
}

export class SessionTimeoutError extends Error {}

/** Sessions created by any OrtRunner on this page and not yet released (the notebook renderer reports it). */
let liveSessions = 0;

export function liveSessionCount(): number {
  return liveSessions;
}

function release(session: Ort.InferenceSession): void {
  liveSessions--;
  void session.release();
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string, onLate: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new SessionTimeoutError(message));
    }, ms);
    p.then(
      (v) => {
        if (done) onLate(v);
        else {
          done = true;
          clearTimeout(timer);
          resolve(v);
        }
      },
      (e: unknown) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    );
  });
}

export interface TimedRun {
  readonly output: Float32Array;
  readonly dims: readonly number[];
  /** Milliseconds per run, one entry per timed batch (a batch's time over its runs). */
  readonly timingsMs: number[];
  /** Timed runs in all batches, and the time they took together. */
  readonly runs: number;
  readonly measuredMs: number;
  readonly sessionCreated: boolean;
}

/** How long the timed runs take at least, when a run asks for a minimum: enough that a median means something. */
export const MIN_MEASURED_MS = 50;
/** Most runs in one batch (a tiny conv at a few µs a run). */
const MAX_BATCH = 4096;
/** A batch takes at least this share of the minimum: the timer's 0.1 ms resolution outside isolation is then ≤ 1 % of it. */
const BATCH_SHARE = 1 / 5;
/** One timing per batch; a summary carries at most this many. */
const MAX_BATCHES = PLAYGROUND_LIMITS.maxRepeats;

interface CachedSession {
  readonly ort: OrtModule;
  readonly session: Ort.InferenceSession;
}

/** Owns the sessions of one playground view. Call `dispose()` when the view goes away. */
export class OrtRunner {
  private readonly sessions = new Map<string, Promise<CachedSession>>();
  private disposed = false;

  constructor(private readonly timeoutMs = SESSION_TIMEOUT_MS) {}

  /** Returns the cached session for `key`, or creates one from `model()` (called only on a miss). */
  private session(key: string, backend: Backend, model: () => Uint8Array): { created: boolean; session: Promise<CachedSession> } {
    const hit = this.sessions.get(key);
    if (hit) {
      // Refresh its place in the LRU order.
      this.sessions.delete(key);
      this.sessions.set(key, hit);
      return { created: false, session: hit };
    }
    const created = (async (): Promise<CachedSession> => {
      const ort = await withTimeout(
        loadOrt(backend),
        this.timeoutMs,
        `Loading ONNX Runtime (${backend}) took longer than ${this.timeoutMs / 1000} s.`,
        () => undefined,
      );
      const session = await withTimeout(
        ort.InferenceSession.create(model(), { executionProviders: [backend], graphOptimizationLevel: 'all' }),
        this.timeoutMs,
        `ONNX Runtime did not create a ${backend} session within ${this.timeoutMs / 1000} s. A blocked worker or wasm fetch (CSP worker-src / connect-src) makes session creation hang instead of failing.`,
        (late) => void late.release(),
      );
      liveSessions++;
      return { ort, session };
    })();
    this.sessions.set(key, created);
    created.catch(() => this.sessions.delete(key));
    while (this.sessions.size > MAX_SESSIONS) {
      const [oldKey, old] = this.sessions.entries().next().value as [string, Promise<CachedSession>];
      this.sessions.delete(oldKey);
      old.then(
        (s) => release(s.session),
        () => undefined,
      );
    }
    return { created: true, session: created };
  }

  /**
   * One warm-up run, then timed batches of runs of the session for `key` on `input`: at least `repeats`
   * batches, and until `minMeasuredMs` have been measured. With a minimum, untimed calibration batches first
   * double until one takes a fifth of it, so each timing spans many timer ticks even for a conv of a few µs.
   */
  async run(
    key: string,
    backend: Backend,
    model: () => Uint8Array,
    input: Float32Array,
    inputDims: readonly number[],
    repeats: number,
    minMeasuredMs = 0,
  ): Promise<TimedRun> {
    if (this.disposed) throw new Error('the playground was closed');
    const { created, session: pending } = this.session(`${backend}|${key}`, backend, model);
    const { ort, session } = await pending;
    const feed = (): Record<string, Ort.Tensor> => ({ [session.inputNames[0]!]: new ort.Tensor('float32', input.slice(), [...inputDims]) });
    let result = await session.run(feed());
    // Calibration (untimed for the summary): double the batch until one batch spans enough timer ticks.
    let batch = 1;
    if (minMeasuredMs > 0) {
      for (;;) {
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) result = await session.run(feed());
        if (performance.now() - t0 >= minMeasuredMs * BATCH_SHARE || batch * 2 > MAX_BATCH) break;
        batch *= 2;
      }
    }
    const timingsMs: number[] = [];
    let runs = 0;
    let measuredMs = 0;
    while ((timingsMs.length < repeats || measuredMs < minMeasuredMs) && timingsMs.length < MAX_BATCHES) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) result = await session.run(feed());
      const t = performance.now() - t0;
      timingsMs.push(t / batch);
      runs += batch;
      measuredMs += t;
    }
    const out = result[session.outputNames[0]!];
    if (!out) throw new Error('ONNX Runtime returned no output');
    const data = await out.getData();
    if (!(data instanceof Float32Array)) throw new Error(`expected float32 output, got ${out.type}`);
    return { output: data, dims: out.dims, timingsMs, runs, measuredMs, sessionCreated: created };
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.sessions.values())
      s.then(
        (c) => release(c.session),
        () => undefined,
      );
    this.sessions.clear();
  }
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
