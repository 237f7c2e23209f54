// Builds .safetensors bytes in tests (8-byte little-endian header length, JSON header, raw data), the
// format's own layout, for the unit tests of the readers and for the Chromium test that loads a file
// through the playground's file picker.

export function f32bytes(values: readonly number[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new Float32Array(values).buffer);
}

/** The file's bytes for a header (or a raw header text) and a data section. */
export function safetensorsBytes(
  header: unknown,
  data: Uint8Array<ArrayBuffer> = new Uint8Array(0),
  headerText = JSON.stringify(header),
): Uint8Array<ArrayBuffer> {
  const text = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

/** A float32 state dict: `{ 'conv.weight': { dims: [8, 4, 3, 3], values } }`, values laid out in order. */
export function stateDictBytes(
  entries: Readonly<Record<string, { readonly dims: readonly number[]; readonly values: readonly number[] }>>,
): Uint8Array<ArrayBuffer> {
  const header: Record<string, unknown> = {};
  const data: number[] = [];
  for (const [name, { dims, values }] of Object.entries(entries)) {
    if (values.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${name}: ${values.length} values for [${dims.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: dims, data_offsets: [4 * data.length, 4 * (data.length + values.length)] };
    data.push(...values);
  }
  return safetensorsBytes(header, f32bytes(data));
}
