// Weight files the playground can load instead of its seeded weights: a NumPy `.npy` array (one tensor,
// e.g. `np.save('w.npy', conv.weight.detach().numpy())`) or a `.safetensors` state dict (many tensors,
// e.g. `safetensors.torch.save_file(model.state_dict(), 'model.safetensors')`). Nothing in a file is
// executed or trusted: `.npy` headers are parsed strictly (npyHeader.ts: what numpy accepts, no eval), the
// safetensors header is JSON checked field by field (dtypes looked up as own keys; tensors must tile the
// data section exactly, with no overlap, hole or trailing byte), and every size is checked against the
// file's length before a byte is read. A safetensors file is read lazily: its header first, then only the tensors used, through
// `Blob.slice`, so a large checkpoint does not have to fit in the webview's memory. No DOM beyond `Blob`.
import { ownValue } from '../../../extension/protocol/check';
import { readNpyHeader, type NpyHeader } from './npyHeader';

/** One tensor a file holds, before its data is read. */
export interface TensorEntry {
  /** The state-dict key (`layer1.0.conv1.weight`); for a `.npy` file, `weight`. */
  readonly name: string;
  /** The file's element type, e.g. `F32`, `BF16`, `<f8`, `I64`. */
  readonly dtype: string;
  readonly dims: readonly number[];
  /** Whether the playground can read it (a float type). */
  readonly readable: boolean;
}

export interface WeightFile {
  readonly fileName: string;
  readonly format: 'npy' | 'safetensors';
  /** In the file's order. */
  readonly tensors: readonly TensorEntry[];
  /** The tensor's values as float32, row-major. Rejects with a WeightFileError for unreadable tensors. */
  read(name: string): Promise<Float32Array>;
}

export class WeightFileError extends Error {
  override readonly name = 'WeightFileError';
}

/** Files and headers larger than these are refused with a message (the webview's memory is limited). */
export const WEIGHT_FILE_LIMITS = {
  /** A whole `.npy` file is read at once. */
  maxNpyBytes: 64 * 1024 * 1024,
  /** The safetensors format itself caps its header at 100 MB; the playground at less. */
  maxSafetensorsHeaderBytes: 16 * 1024 * 1024,
  /** Largest tensor the playground reads (its own tensor limit is smaller still). */
  maxTensorBytes: 64 * 1024 * 1024,
  maxTensors: 100_000,
  maxRank: 8,
  /** Largest dim (int32's maximum); larger ones are no real weight's. */
  maxDim: 2 ** 31 - 1,
} as const;

const SAFETENSORS_SIZES: Readonly<Record<string, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  C64: 8,
};
const SAFETENSORS_FLOATS = new Set(['F64', 'F32', 'F16', 'BF16']);

/** Opens a weight file by its name's extension. */
export async function openWeightFile(file: Blob, fileName: string): Promise<WeightFile> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.npy')) return openNpy(file, fileName);
  if (lower.endsWith('.safetensors')) return openSafetensors(file, fileName);
  throw new WeightFileError(
    `${fileName}: not a .npy or .safetensors file. Save a tensor with np.save(...) or a state dict with safetensors.torch.save_file(...).`,
  );
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function isDims(x: unknown): x is number[] {
  return Array.isArray(x) && x.length <= WEIGHT_FILE_LIMITS.maxRank && x.every((d) => Number.isSafeInteger(d) && d >= 0);
}

/**
 * Why a shape cannot be a real tensor's, or undefined. Each dim is at most int32's maximum, and the
 * element count with zero dims taken as 1 must be exact: `[1e15, 1e15, 0, 3]` holds no bytes, but
 * "Fit controls" would read 10^15 channels from it.
 */
function shapeProblem(dims: readonly number[]): string | undefined {
  if (dims.length > WEIGHT_FILE_LIMITS.maxRank) return `has more than ${WEIGHT_FILE_LIMITS.maxRank} dims`;
  if (dims.some((d) => d > WEIGHT_FILE_LIMITS.maxDim)) return `${shapeText(dims)} has a dim over ${WEIGHT_FILE_LIMITS.maxDim}`;
  if (!Number.isSafeInteger(product(dims.map((d) => Math.max(d, 1))))) return `${shapeText(dims)} has too many elements to count exactly`;
  return undefined;
}

function shapeText(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`;
}

/** `.npy` dtypes: little-endian floats are read; integers and booleans are listed as unreadable; anything else is refused. */
const NPY_FLOATS: Readonly<Record<string, string>> = { '<f2': 'F16', '<f4': 'F32', '<f8': 'F64' };
const NPY_OTHER = /^[<|](?:[iu][1248]|b1)$/;

async function openNpy(file: Blob, fileName: string): Promise<WeightFile> {
  if (file.size > WEIGHT_FILE_LIMITS.maxNpyBytes) {
    throw new WeightFileError(
      `${fileName} is ${(file.size / 2 ** 20).toFixed(0)} MiB; the playground reads .npy files up to ${WEIGHT_FILE_LIMITS.maxNpyBytes / 2 ** 20} MiB.`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let header: NpyHeader;
  try {
    header = readNpyHeader(bytes);
  } catch (e) {
    throw new WeightFileError(`${fileName} is not a readable .npy file: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { descr, shape: dims, fortranOrder, dataOffset } = header;
  const float = ownValue(NPY_FLOATS, descr);
  const itemBytes = Number(descr.slice(2));
  if (float === undefined && !NPY_OTHER.test(descr)) {
    throw new WeightFileError(
      `${fileName} holds ${descr.slice(0, 20)} values; the playground reads little-endian float16, float32 or float64 weights.`,
    );
  }
  const bad = shapeProblem(dims);
  if (bad) throw new WeightFileError(`${fileName}: the .npy header's shape ${bad}.`);
  const count = product(dims);
  const dataBytes = bytes.length - dataOffset;
  if (count * itemBytes !== dataBytes) {
    throw new WeightFileError(
      `${fileName}: the header's shape ${shapeText(dims)} needs ${count} values (${count * itemBytes} bytes), the file holds ${dataBytes} bytes of data.`,
    );
  }
  const dtype = descr.slice(1);
  const entry: TensorEntry = { name: 'weight', dtype, dims, readable: float !== undefined };
  return {
    fileName,
    format: 'npy',
    tensors: [entry],
    read: async (name) => {
      if (name !== 'weight') throw new WeightFileError(`${fileName} holds one tensor, not "${name}".`);
      if (float === undefined)
        throw new WeightFileError(`${fileName} holds ${dtype} values; the playground reads float16, float32 or float64 weights.`);
      const values = decodeFloats(new DataView(bytes.buffer, bytes.byteOffset + dataOffset, dataBytes), float, count);
      return fortranOrder ? fromFortranOrder(values, dims) : values;
    },
  };
}

/** Reorders a column-major (Fortran-order) array into row-major order. */
function fromFortranOrder(values: Float32Array, dims: readonly number[]): Float32Array {
  const out = new Float32Array(values.length);
  const rank = dims.length;
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < values.length; i++) {
    // i walks the row-major order; its column-major offset is sum(index[k] · prod(dims[<k])).
    let offset = 0;
    let stride = 1;
    for (let k = 0; k < rank; k++) {
      offset += index[k]! * stride;
      stride *= dims[k]!;
    }
    out[i] = values[offset]!;
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k]! < dims[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}

interface SafetensorsEntry extends TensorEntry {
  readonly begin: number;
  readonly end: number;
}

async function openSafetensors(file: Blob, fileName: string): Promise<WeightFile> {
  const bad = (why: string): WeightFileError => new WeightFileError(`${fileName} is not a valid .safetensors file: ${why}.`);
  if (file.size < 8) throw bad('it is shorter than its 8-byte header length');
  const head = new DataView(await file.slice(0, 8).arrayBuffer());
  const headerBytes = Number(head.getBigUint64(0, true));
  if (headerBytes > WEIGHT_FILE_LIMITS.maxSafetensorsHeaderBytes)
    throw bad(
      `its header claims ${headerBytes} bytes (the playground reads headers up to ${WEIGHT_FILE_LIMITS.maxSafetensorsHeaderBytes} bytes)`,
    );
  if (8 + headerBytes > file.size) throw bad(`its header claims ${headerBytes} bytes but the file has ${file.size}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await file.slice(8, 8 + headerBytes).arrayBuffer()));
  } catch (e) {
    throw bad(`its header is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('its header is not a JSON object');
  const dataStart = 8 + headerBytes;
  const dataBytes = file.size - dataStart;
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (entries.length >= WEIGHT_FILE_LIMITS.maxTensors) throw bad(`it lists more than ${WEIGHT_FILE_LIMITS.maxTensors} tensors`);
    if (typeof value !== 'object' || value === null) throw bad(`the entry for "${name}" is not an object`);
    const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
    // An own key: `"toString" in SAFETENSORS_SIZES` is true on a plain object.
    const size = typeof dtype === 'string' ? ownValue(SAFETENSORS_SIZES, dtype) : undefined;
    if (typeof dtype !== 'string' || size === undefined) throw bad(`"${name}" has an unknown dtype`);
    if (!isDims(shape)) throw bad(`"${name}" has an invalid shape`);
    const problem = shapeProblem(shape);
    if (problem) throw bad(`"${name}"'s shape ${problem}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0))
      throw bad(`"${name}" has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const expected = product(shape) * size;
    if (end < begin || end - begin !== expected)
      throw bad(`"${name}" spans ${end - begin} bytes, its shape ${shapeText(shape)} of ${dtype} needs ${expected}`);
    if (end > dataBytes) throw bad(`"${name}" ends at byte ${end} of a ${dataBytes}-byte data section`);
    entries.push({ name, dtype, dims: shape, readable: SAFETENSORS_FLOATS.has(dtype), begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  // The tensors tile the data section exactly, as the format's reference reader requires: each begins
  // where the previous one ends, and the last ends at the end of the file.
  let at = 0;
  for (const e of entries) {
    if (e.begin < at) throw bad(`"${e.name}" at bytes ${e.begin}–${e.end} overlaps the tensor before it`);
    if (e.begin > at) throw bad(`bytes ${at}–${e.begin} of the data section belong to no tensor`);
    at = e.end;
  }
  if (at !== dataBytes) throw bad(`${dataBytes - at} bytes after the last tensor belong to no tensor`);
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    fileName,
    format: 'safetensors',
    tensors: entries.map(({ name, dtype, dims, readable }) => ({ name, dtype, dims, readable })),
    read: async (name) => {
      const e = byName.get(name);
      if (!e) throw new WeightFileError(`${fileName} has no tensor "${name}".`);
      if (!e.readable)
        throw new WeightFileError(`"${name}" in ${fileName} is ${e.dtype}; the playground reads F16, BF16, F32 or F64 weights.`);
      if (e.end - e.begin > WEIGHT_FILE_LIMITS.maxTensorBytes)
        throw new WeightFileError(
          `"${name}" in ${fileName} is ${e.end - e.begin} bytes; the playground reads tensors up to ${WEIGHT_FILE_LIMITS.maxTensorBytes} bytes.`,
        );
      const bytes = await file.slice(dataStart + e.begin, dataStart + e.end).arrayBuffer();
      return decodeFloats(new DataView(bytes), e.dtype, product(e.dims));
    },
  };
}

/** Little-endian F64/F32/F16/BF16 to float32 (safetensors stores little-endian). */
function decodeFloats(view: DataView, dtype: string, count: number): Float32Array {
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const word = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        word.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = word.getFloat32(0);
      }
      break;
    }
    default:
      throw new WeightFileError(`cannot decode ${dtype}`);
  }
  return out;
}

/** IEEE 754 binary16 to a number (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
