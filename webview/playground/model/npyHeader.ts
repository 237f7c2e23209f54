// A strict reader for the header of a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0): the magic
// string, the header length, and the header itself, a Python dict literal such as
// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. It accepts what numpy's
// `read_array_header` accepts and nothing looser: exactly the keys descr, fortran_order and shape (a
// repeated key keeps its last value, as `ast.literal_eval` does), a shape that is a tuple of decimal
// integers (`(2,,,1)`, `0x2` and `(2)` are refused), a boolean fortran_order. It reads no array data.

export class NpyHeaderError extends Error {
  override readonly name = 'NpyHeaderError';
}

export interface NpyHeader {
  /** The dtype string as written, e.g. `<f4`. */
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Byte offset of the array data in the file. */
  readonly dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy refuses longer headers unless told to trust the file (`max_header_size`, 10000 by default). */
export const NPY_MAX_HEADER_BYTES = 10_000;

type Value = { kind: 'str'; value: string } | { kind: 'bool'; value: boolean } | { kind: 'tuple'; value: number[] };

/** Reads the header of `bytes` (the start of the file, at least up to the end of the header). */
export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw new NpyHeaderError('Not an .npy file (no \\x93NUMPY magic)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerBytes: number;
  let start: number;
  if (major === 1) {
    headerBytes = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyHeaderError('the file ends inside its header length');
    headerBytes = view.getUint32(8, true);
    start = 12;
  } else {
    throw new NpyHeaderError(`unsupported .npy format version ${major}`);
  }
  if (headerBytes > NPY_MAX_HEADER_BYTES) throw new NpyHeaderError(`header of ${headerBytes} bytes, longer than numpy reads`);
  if (start + headerBytes > bytes.length) throw new NpyHeaderError(`header claims ${headerBytes} bytes, past the end of the file`);
  let text: string;
  try {
    // Versions 1 and 2 are latin-1 (ASCII in practice); 3 is UTF-8. A dtype never needs more than ASCII.
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(bytes.subarray(start, start + headerBytes));
  } catch {
    throw new NpyHeaderError('header is not valid text');
  }
  const fields = parseDict(text.replace(/[ \n]+$/, ''));
  const keys = [...fields.keys()].sort();
  if (keys.join() !== 'descr,fortran_order,shape')
    throw new NpyHeaderError(`header has keys ${keys.join(', ') || 'none'}; numpy needs exactly descr, fortran_order and shape`);
  const descr = fields.get('descr')!;
  const fortran = fields.get('fortran_order')!;
  const shape = fields.get('shape')!;
  if (descr.kind !== 'str') throw new NpyHeaderError('descr is not a string (structured dtypes are not weights)');
  if (fortran.kind !== 'bool') throw new NpyHeaderError('fortran_order is not True or False');
  if (shape.kind !== 'tuple') throw new NpyHeaderError('shape is not a tuple of integers');
  return { descr: descr.value, fortranOrder: fortran.value, shape: shape.value, dataOffset: start + headerBytes };
}

/** `{ 'key': value, ... }` with an optional trailing comma; a repeated key keeps its last value. */
function parseDict(text: string): Map<string, Value> {
  let i = 0;
  const ws = (): void => {
    while (text[i] === ' ') i++;
  };
  const expect = (c: string): void => {
    if (text[i] !== c) throw new NpyHeaderError(`header is not a dict literal: expected '${c}' at character ${i}`);
    i++;
  };
  const str = (): string => {
    const q = text[i];
    if (q !== "'" && q !== '"') throw new NpyHeaderError(`header is not a dict literal: expected a string at character ${i}`);
    const end = text.indexOf(q, i + 1);
    const s = end < 0 ? '' : text.slice(i + 1, end);
    // numpy writes plain strings; an escape or a line break has no place in a key or dtype.
    if (end < 0 || /[\\\n]/.test(s)) throw new NpyHeaderError(`header has an unterminated or escaped string at character ${i}`);
    i = end + 1;
    return s;
  };
  const int = (): number => {
    const m = /^(0|[1-9][0-9]*)(?![0-9A-Za-z_.])/.exec(text.slice(i));
    if (!m) throw new NpyHeaderError(`shape has something other than a decimal integer at character ${i}`);
    i += m[0].length;
    const n = Number(m[0]);
    if (!Number.isSafeInteger(n)) throw new NpyHeaderError(`shape has a dimension too large to be exact (${m[0].slice(0, 30)})`);
    return n;
  };
  const tuple = (): number[] => {
    expect('(');
    ws();
    const dims: number[] = [];
    if (text[i] === ')') {
      i++;
      return dims;
    }
    for (;;) {
      dims.push(int());
      ws();
      if (text[i] === ')') {
        // `(2)` is the integer 2 in Python, not a tuple: numpy refuses it as a shape.
        if (dims.length === 1) throw new NpyHeaderError('shape `(n)` is not a tuple (write `(n,)`)');
        i++;
        return dims;
      }
      expect(',');
      ws();
      if (text[i] === ')') {
        i++;
        return dims;
      }
    }
  };
  const value = (): Value => {
    if (text[i] === "'" || text[i] === '"') return { kind: 'str', value: str() };
    if (text[i] === '(') return { kind: 'tuple', value: tuple() };
    for (const [word, v] of [
      ['True', true],
      ['False', false],
    ] as const) {
      if (text.startsWith(word, i) && !/[0-9A-Za-z_]/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return { kind: 'bool', value: v };
      }
    }
    throw new NpyHeaderError(`header has an unsupported value at character ${i}`);
  };
  const out = new Map<string, Value>();
  ws();
  expect('{');
  ws();
  while (text[i] !== '}') {
    const key = str();
    ws();
    expect(':');
    ws();
    out.set(key, value());
    ws();
    if (text[i] === ',') {
      i++;
      ws();
    } else if (text[i] !== '}') throw new NpyHeaderError(`header is not a dict literal: expected ',' or '}' at character ${i}`);
  }
  i++;
  ws();
  if (i !== text.length) throw new NpyHeaderError(`header has text after the dict at character ${i}`);
  return out;
}
