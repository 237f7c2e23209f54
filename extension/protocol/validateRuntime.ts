// Validates a runtime profile payload (media/python/convlens_runtime.py, schema `convlens.runtime/1`) as
// it arrives in a notebook output, into core/runtime.ts's RuntimePayload. It trusts nothing: every field
// is checked and bounded with protocol/check.ts, names stay plain data, and the hyperparameters a cost
// rule reads (channels, groups, kernel sizes) must be values torch could have stored. Bounds are on the
// work the renderer then does (layers, calls per layer, calls in all), not only on the bytes.
import type { FunctionalOp, FunctionalVia, KnownShape } from '../core/cost';
import type { JsonValue, OutputShape } from '../core/resultTypes';
import { RUNTIME_SCHEMA, type RuntimeCall, type RuntimeLayer, type RuntimePayload } from '../core/runtime';
import { count, fail, type Fields, isOneOf, list, parseJson, record, str } from './check';

/** Bounds on a payload; anything beyond them is rejected, never truncated silently. */
export const RUNTIME_LIMITS = {
  layers: 20_000,
  functionals: 20_000,
  /**
   * Calls summed over all layers. Every convention reads every call, so this bounds the renderer's work:
   * a payload over it is refused as too large rather than freezing the notebook.
   */
  calls: 20_000,
  /** A layer called once per time step of a long loop stays under this. */
  callsPerLayer: 5_000,
  tensorsPerCall: 64,
  dims: 8,
  /** Path, type, op and error strings. */
  stringChars: 4_096,
  errors: 1_000,
  hyperparamKeys: 64,
  /** Nesting depth and array length inside one hyperparameter or op argument. */
  valueDepth: 4,
  valueItems: 256,
  /** A payload given as a JSON string. */
  jsonChars: 32 * 1024 * 1024,
  /** Largest channel, feature or kernel size accepted (int32's maximum: beyond any real layer). */
  size: 2 ** 31 - 1,
} as const;

export type RuntimeParseResult = { readonly ok: true; readonly payload: RuntimePayload } | { readonly ok: false; readonly error: string };

const VIAS: readonly FunctionalVia[] = ['F', 'torch', 'method', 'operator'];

const string = (v: unknown, where: string, allowEmpty = true): string => str(v, where, RUNTIME_LIMITS.stringChars, !allowEmpty);

function shape(v: unknown, where: string): KnownShape {
  return list(v, where, RUNTIME_LIMITS.dims).map((d, i) => count(d, `${where}[${i}]`));
}

/** A tuple output (core/resultTypes.ts OutputShape): one entry per item, a shape, a nested tuple or null, 4 deep at most. */
function outputTree(v: unknown, where: string, depth = 0): OutputShape {
  const items = list(v, where, RUNTIME_LIMITS.tensorsPerCall);
  if (!items.some(Array.isArray)) return shape(v, where);
  if (depth >= 4) fail(where, 'nested too deep');
  return items.map((d, i) => (d === null ? null : outputTree(d, `${where}[${i}]`, depth + 1)));
}

function shapeOrNull(v: unknown, where: string): KnownShape | null {
  return v === null || v === undefined ? null : shape(v, where);
}

/** A JSON value (hyperparameter or op argument), copied into fresh objects and bounded in depth and size. */
function jsonValue(v: unknown, where: string, depth = 0): JsonValue {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(where, 'expected a finite number');
    return v;
  }
  if (typeof v === 'string') return string(v, where);
  if (depth >= RUNTIME_LIMITS.valueDepth) fail(where, `nested deeper than ${RUNTIME_LIMITS.valueDepth}`);
  if (Array.isArray(v)) return list(v, where, RUNTIME_LIMITS.valueItems).map((x, i) => jsonValue(x, `${where}[${i}]`, depth + 1));
  return jsonObject(v, where, RUNTIME_LIMITS.valueItems, depth + 1);
}

function jsonObject(v: unknown, where: string, maxKeys: number, depth = 0): Record<string, JsonValue> {
  const src = record(v, where);
  const keys = Object.keys(src);
  if (keys.length > maxKeys) fail(where, `more than ${maxKeys} keys`);
  const out: Record<string, JsonValue> = {};
  for (const k of keys) {
    string(k, `${where} key`);
    out[k] = jsonValue(src[k], `${where}.${k}`, depth);
  }
  return out;
}

// ------------------------------------------------------------------ hyperparameters torch could store

/** Channel and feature counts: whole numbers, 0 allowed (a Lazy* layer records in_channels = 0 until its first call). */
const COUNT_KEYS: ReadonlySet<string> = new Set([
  'in_channels',
  'out_channels',
  'in_features',
  'out_features',
  'in1_features',
  'in2_features',
  'num_features',
  'num_channels',
  'embed_dim',
  'embedding_dim',
  'num_embeddings',
  'hidden_size',
  'input_size',
  'proj_size',
  'num_layers',
  'num_parameters',
  'kdim',
  'vdim',
]);
/** Divisors and factors: torch raises (or divides by zero) below 1. */
const POSITIVE_KEYS: ReadonlySet<string> = new Set(['groups', 'num_groups', 'num_heads', 'upscale_factor', 'downscale_factor']);
/** An int or one int per spatial dim, each at least 1 (torch's conv and pool kernels raise on 0). */
const SIZE_KEYS: ReadonlySet<string> = new Set(['kernel_size', 'stride', 'dilation']);

function isWhole(v: unknown, min: number): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= RUNTIME_LIMITS.size;
}

/**
 * Refuses a hyperparameter of a torch.nn layer that torch could not have stored: negative, fractional
 * or huge channels (`in_channels: 1e300`), `groups: 0`, a zero kernel dim. `null` stays allowed (an
 * attribute torch leaves as None, e.g. `kdim` or a pool's `stride`): the cost rule then says unknown.
 */
function checkHyperparams(hyperparams: Fields, where: string): void {
  for (const [key, v] of Object.entries(hyperparams)) {
    if (v === null) continue;
    const at = `${where}.${key}`;
    if (COUNT_KEYS.has(key) && !isWhole(v, 0)) fail(at, `expected a whole number from 0 to ${RUNTIME_LIMITS.size}`);
    if (POSITIVE_KEYS.has(key) && !isWhole(v, 1)) fail(at, `expected a whole number from 1 to ${RUNTIME_LIMITS.size}`);
    if (SIZE_KEYS.has(key)) {
      const dims = Array.isArray(v) ? v : [v];
      if (dims.length === 0 || dims.length > RUNTIME_LIMITS.dims || !dims.every((d) => isWhole(d, 1)))
        fail(at, `expected a whole number from 1 to ${RUNTIME_LIMITS.size}, or one per dim`);
    }
  }
}

// ------------------------------------------------------------------ payload

function call(v: unknown, where: string): RuntimeCall {
  const c = record(v, where);
  return {
    inputShapes: list(c['inputShapes'], `${where}.inputShapes`, RUNTIME_LIMITS.tensorsPerCall).map((s, i) =>
      shapeOrNull(s, `${where}.inputShapes[${i}]`),
    ),
    outputShape: shapeOrNull(c['outputShape'], `${where}.outputShape`),
    ...(c['output'] !== undefined && c['output'] !== null ? { output: outputTree(c['output'], `${where}.output`) } : {}),
  };
}

/** A layer's own parameters by name: `[{name, numel}]`. */
function paramNames(v: unknown, where: string): { name: string; numel: number }[] {
  return list(v, where, RUNTIME_LIMITS.hyperparamKeys).map((p, i) => {
    const r = record(p, `${where}[${i}]`);
    return { name: string(r['name'], `${where}[${i}].name`, false), numel: count(r['numel'], `${where}[${i}].numel`) };
  });
}

function layer(v: unknown, where: string): RuntimeLayer {
  const l = record(v, where);
  if (typeof l['builtin'] !== 'boolean') fail(`${where}.builtin`, 'expected a boolean');
  const error = l['error'] === undefined || l['error'] === null ? undefined : string(l['error'], `${where}.error`);
  const torchBase = l['torchBase'] !== undefined ? string(l['torchBase'], `${where}.torchBase`, false) : undefined;
  const hyperparams = jsonObject(l['hyperparams'], `${where}.hyperparams`, RUNTIME_LIMITS.hyperparamKeys);
  // A user class's public attributes are for display only; a torch.nn layer's (or a subclass's) feed the cost rules.
  if (l['builtin'] || torchBase !== undefined) checkHyperparams(hyperparams, `${where}.hyperparams`);
  return {
    path: string(l['path'], `${where}.path`),
    type: string(l['type'], `${where}.type`, false),
    builtin: l['builtin'],
    hyperparams,
    params: l['params'] === null ? null : count(l['params'], `${where}.params`),
    calls: list(l['calls'], `${where}.calls`, RUNTIME_LIMITS.callsPerLayer).map((c, i) => call(c, `${where}.calls[${i}]`)),
    ...(error !== undefined ? { error } : {}),
    ...(torchBase !== undefined ? { torchBase } : {}),
    ...(l['paths'] !== undefined ? { paths: count(l['paths'], `${where}.paths`) } : {}),
    ...(l['paramNames'] !== undefined ? { paramNames: paramNames(l['paramNames'], `${where}.paramNames`) } : {}),
  };
}

function functional(v: unknown, where: string): FunctionalOp {
  const f = record(v, where);
  const via = string(f['via'], `${where}.via`);
  if (!isOneOf(via, VIAS)) fail(`${where}.via`, `expected one of ${VIAS.join(', ')}`);
  const c = call(f, where);
  return {
    op: string(f['op'], `${where}.op`, false),
    via,
    modulePath: string(f['modulePath'], `${where}.modulePath`),
    inputShapes: c.inputShapes,
    outputShape: c.outputShape,
    args: f['args'] === undefined ? {} : jsonObject(f['args'], `${where}.args`, RUNTIME_LIMITS.hyperparamKeys),
  };
}

/** Counts the calls before any is read, so a payload over the work bound is refused at once. */
function checkCallCount(layers: readonly unknown[]): void {
  let calls = 0;
  layers.forEach((l, i) => {
    const c = (l as Fields | null)?.['calls'];
    if (!Array.isArray(c)) return;
    if (c.length > RUNTIME_LIMITS.callsPerLayer)
      fail(`payload.layers[${i}].calls`, `more than ${RUNTIME_LIMITS.callsPerLayer} items: too large to show`);
    calls += c.length;
  });
  if (calls > RUNTIME_LIMITS.calls)
    fail('payload.layers', `${calls} calls in all, more than the ${RUNTIME_LIMITS.calls} shown: too large to show`);
}

function payloadOf(json: unknown): RuntimePayload {
  const p = record(json, 'payload');
  if (p['schema'] !== RUNTIME_SCHEMA) fail('payload.schema', `expected ${JSON.stringify(RUNTIME_SCHEMA)}`);
  const rawLayers = list(p['layers'], 'payload.layers', RUNTIME_LIMITS.layers);
  checkCallCount(rawLayers);
  const layers = rawLayers.map((l, i) => layer(l, `payload.layers[${i}]`));
  const seen = new Set<string>();
  for (const l of layers) {
    if (seen.has(l.path)) fail('payload.layers', `duplicate path ${JSON.stringify(l.path.slice(0, 100))}`);
    seen.add(l.path);
  }
  const input = shape(p['input'], 'payload.input');
  if (input.length === 0) fail('payload.input', 'expected at least one dim');
  input.forEach((d, i) => d === 0 && fail(`payload.input[${i}]`, 'expected a dim of at least 1'));
  return {
    schema: RUNTIME_SCHEMA,
    name: string(p['name'], 'payload.name'),
    input,
    torch: string(p['torch'], 'payload.torch'),
    totalParams: p['totalParams'] === null ? null : count(p['totalParams'], 'payload.totalParams'),
    layers,
    functionals:
      p['functionals'] === undefined
        ? []
        : list(p['functionals'], 'payload.functionals', RUNTIME_LIMITS.functionals).map((f, i) =>
            functional(f, `payload.functionals[${i}]`),
          ),
    outputShape: shapeOrNull(p['outputShape'], 'payload.outputShape'),
    errors: list(p['errors'], 'payload.errors', RUNTIME_LIMITS.errors).map((e, i) => string(e, `payload.errors[${i}]`)),
  };
}

/**
 * Refuses JSON text with more recorded calls than a payload may hold before it is parsed (parsing 30 MB
 * takes seconds): every call and functional op carries one `"inputShapes"` key, and the key cannot occur
 * unescaped inside a string. Undefined when the text may be within the bounds.
 */
export function runtimeTextTooLarge(text: string): string | undefined {
  const needle = '"inputShapes"';
  const max = RUNTIME_LIMITS.calls + RUNTIME_LIMITS.functionals;
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length))
    if (++n > max) return `payload: more than ${max} recorded calls and ops: too large to show`;
  return undefined;
}

/**
 * Validates a runtime payload (the parsed MIME data, or its JSON text). Every field is checked for
 * type and bounds; unknown extra fields are ignored and not copied. Never throws.
 */
export function parseRuntimePayload(json: unknown): RuntimeParseResult {
  const tooLarge = typeof json === 'string' ? runtimeTextTooLarge(json) : undefined;
  if (tooLarge) return { ok: false, error: tooLarge };
  const r = parseJson(json, 'payload', RUNTIME_LIMITS.jsonChars, payloadOf);
  return r.ok ? { ok: true, payload: r.value } : r;
}
