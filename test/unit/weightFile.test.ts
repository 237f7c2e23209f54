// The playground's weight-file readers on malformed and hostile files (built here byte by byte), and the
// strict state-dict loading rules. Real files written by PyTorch are checked in test/python/userWeights.test.ts.
import * as assert from 'assert';
import { DEFAULT_PLAYGROUND_STATE, type PlaygroundParams } from '../../extension/protocol/playgroundMessages';
import { loadUserWeights, variantKeys, weightModules } from '../../webview/playground/model/userWeights';
import { buildVariantModel } from '../../webview/playground/model/variantModel';
import { halfToFloat, openWeightFile, WEIGHT_FILE_LIMITS, type WeightFile } from '../../webview/playground/model/weightFile';
import { f32bytes, safetensorsBytes, stateDictBytes } from './helpers/weightFiles';

function safetensors(header: unknown, data?: Uint8Array<ArrayBuffer>, headerText?: string): Blob {
  return new Blob([safetensorsBytes(header, data, headerText)]);
}

/** A .npy v1.0 file with the given header dict text and data. */
function npy(dict: string, data: Uint8Array<ArrayBuffer>): Blob {
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const header = dict + ' '.repeat(pad % 64) + '\n';
  const pre = new Uint8Array(10);
  pre.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  new DataView(pre.buffer).setUint16(8, header.length, true);
  return new Blob([pre, new TextEncoder().encode(header), data]);
}

async function rejects(blob: Blob, name: string, pattern: RegExp): Promise<void> {
  await assert.rejects(openWeightFile(blob, name), (e: Error) => {
    assert.strictEqual(e.name, 'WeightFileError', e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('weight files', function () {
  describe('safetensors', function () {
    it('reads the tensors it lists, in data order, and skips __metadata__', async function () {
      const f = await openWeightFile(
        safetensors(
          {
            __metadata__: { format: 'pt' },
            b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
            a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          },
          f32bytes([1, 2, 3, 4]),
        ),
        'm.safetensors',
      );
      assert.deepStrictEqual(
        f.tensors.map((t) => t.name),
        ['a', 'b'],
      );
      assert.deepStrictEqual(Array.from(await f.read('b')), [3, 4]);
      await assert.rejects(f.read('c'), /has no tensor "c"/);
    });

    const bad: [string, Blob, RegExp][] = [
      ['shorter than 8 bytes', new Blob([new Uint8Array(3)]), /shorter than its 8-byte header length/],
      [
        'a header longer than the file',
        safetensors({}, undefined, '{}'.padEnd(10)).slice(0, 12),
        /header claims 10 bytes but the file has 12/,
      ],
      [
        'a header over the limit',
        (() => {
          const b = new DataView(new ArrayBuffer(8));
          b.setBigUint64(0, 2n ** 40n, true);
          return new Blob([b.buffer]);
        })(),
        /header claims/,
      ],
      ['a header that is not JSON', safetensors(null, undefined, '{"a": '), /header is not JSON/],
      ['invalid UTF-8 in the header', new Blob([new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe])]), /header is not JSON/],
      ['a JSON array', safetensors([1, 2]), /not a JSON object/],
      [
        'an unknown dtype',
        safetensors({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, new Uint8Array(16)),
        /"w" has an unknown dtype/,
      ],
      ['a negative dimension', safetensors({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }), /"w" has an invalid shape/],
      ['a fractional dimension', safetensors({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 6] } }), /invalid shape/],
      [
        'rank over the limit',
        safetensors(
          { w: { dtype: 'F32', shape: new Array(WEIGHT_FILE_LIMITS.maxRank + 1).fill(1), data_offsets: [0, 4] } },
          new Uint8Array(4),
        ),
        /invalid shape/,
      ],
      [
        'offsets that disagree with the shape',
        safetensors({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 8] } }, new Uint8Array(16)),
        /spans 8 bytes, its shape \[4\] of F32 needs 16/,
      ],
      [
        'offsets past the end of the data',
        safetensors({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8)),
        /ends at byte 16 of a 8-byte data section/,
      ],
      ['reversed offsets', safetensors({ w: { dtype: 'F32', shape: [0], data_offsets: [8, 4] } }, new Uint8Array(8)), /spans -4 bytes/],
      ['missing offsets', safetensors({ w: { dtype: 'F32', shape: [1] } }), /invalid data_offsets/],
      ['an entry that is not an object', safetensors({ w: 5 }), /entry for "w" is not an object/],
      // A dtype is looked up as an own key: `"toString" in {}` is true.
      [
        'a dtype named after an Object method',
        safetensors({ w: { dtype: 'toString', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
        /"w" has an unknown dtype/,
      ],
      [
        'overlapping tensors',
        safetensors(
          { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
          new Uint8Array(12),
        ),
        /"b" at bytes 4–12 overlaps the tensor before it/,
      ],
      [
        'a hole between tensors',
        safetensors(
          { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } },
          new Uint8Array(12),
        ),
        /bytes 4–8 of the data section belong to no tensor/,
      ],
      [
        'trailing bytes',
        safetensors({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(12)),
        /8 bytes after the last tensor/,
      ],
      [
        'a zero-element shape with absurd dims (Fit controls would set 10^15 channels)',
        safetensors({ w: { dtype: 'F32', shape: [1e15, 1e15, 0, 3], data_offsets: [0, 0] } }),
        /"w"'s shape \[1000000000000000, 1000000000000000, 0, 3\] has a dim over 2147483647/,
      ],
      [
        'an element count that is not exact',
        safetensors({ w: { dtype: 'U8', shape: [2 ** 30, 2 ** 30, 2 ** 30, 0], data_offsets: [0, 0] } }),
        /has too many elements to count exactly/,
      ],
    ];
    for (const [what, blob, pattern] of bad) {
      it(`refuses ${what} with a message`, async function () {
        await rejects(blob, 'bad.safetensors', pattern);
      });
    }

    it('keeps hostile names as data and lists integer tensors as unreadable', async function () {
      const name = '<img src=x onerror=alert(1)>.weight';
      const f = await openWeightFile(
        safetensors(
          { [name]: { dtype: 'I32', shape: [1], data_offsets: [0, 4] }, __proto__x: { dtype: 'F32', shape: [], data_offsets: [4, 8] } },
          new Uint8Array(8),
        ),
        'h.safetensors',
      );
      const t = f.tensors.find((e) => e.name === name);
      assert.ok(t && !t.readable);
      await assert.rejects(f.read(name), /is I32; the playground reads F16, BF16, F32 or F64 weights/);
    });

    it('decodes F16 (with subnormals, infinities and NaN), BF16 and F64', async function () {
      assert.strictEqual(halfToFloat(0x3c00), 1);
      assert.strictEqual(halfToFloat(0xc000), -2);
      assert.strictEqual(halfToFloat(0x0001), 2 ** -24);
      assert.strictEqual(halfToFloat(0x7c00), Infinity);
      assert.ok(Number.isNaN(halfToFloat(0x7e00)));
      const bf = new Uint8Array([0x80, 0x3f, 0x00, 0xc0]); // 1.0, -2.0 as bfloat16 (little-endian)
      const f64 = new Uint8Array(new Float64Array([0.5, -0.25]).buffer);
      const f = await openWeightFile(
        safetensors(
          {
            bf: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] },
            d: { dtype: 'F64', shape: [2], data_offsets: [4, 20] },
          },
          new Uint8Array([...bf, ...f64]),
        ),
        'x.safetensors',
      );
      assert.deepStrictEqual(Array.from(await f.read('bf')), [1, -2]);
      assert.deepStrictEqual(Array.from(await f.read('d')), [0.5, -0.25]);
    });
  });

  describe('npy', function () {
    it('reads a float32 array as `weight`', async function () {
      const f = await openWeightFile(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", f32bytes([1, 2, 3, 4])), 'w.npy');
      assert.deepStrictEqual(f.tensors, [{ name: 'weight', dtype: 'f4', dims: [2, 2], readable: true }]);
      assert.deepStrictEqual(Array.from(await f.read('weight')), [1, 2, 3, 4]);
    });

    it('puts a Fortran-order array back in C order', async function () {
      // [[1, 2, 3], [4, 5, 6]] stored column by column.
      const f = await openWeightFile(
        npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f32bytes([1, 4, 2, 5, 3, 6])),
        'w.npy',
      );
      assert.deepStrictEqual(Array.from(await f.read('weight')), [1, 2, 3, 4, 5, 6]);
    });

    it('refuses what it cannot read, with a message', async function () {
      await rejects(
        new Blob([new TextEncoder().encode('PK\u0003\u0004 not numpy at all')]),
        'w.npy',
        /not a readable \.npy file: Not an \.npy file/,
      );
      await rejects(
        npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", f32bytes([1])),
        'w.npy',
        /holds >f4 values; the playground reads little-endian float16/,
      );
      await rejects(
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f32bytes([1])),
        'w.npy',
        /shape \[4\] needs 4 values \(16 bytes\), the file holds 4 bytes/,
      );
      const ints = await openWeightFile(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), 'i.npy');
      assert.strictEqual(ints.tensors[0]!.readable, false);
      await assert.rejects(ints.read('weight'), /holds i4 values/);
    });

    // The header is what numpy's read_array_header accepts, nothing looser (issue 13).
    const header = (shape: string, descr = '<f4', extra = ''): string =>
      `{'descr': '${descr}', 'fortran_order': False, ${extra}'shape': ${shape}, }`;
    const badHeaders: [string, string, Uint8Array<ArrayBuffer>, RegExp][] = [
      ['complex64 (not read as float32)', header('(1,)', '<c8'), new Uint8Array(8), /holds <c8 values/],
      [
        'a header without shape (not read as a scalar)',
        "{'descr': '<f4', 'fortran_order': False, }",
        f32bytes([1]),
        /keys descr, fortran_order; numpy needs exactly/,
      ],
      ['an extra key', header('(1,)', '<f4', "'x': 1, "), f32bytes([1]), /unsupported value|numpy needs exactly/],
      ['empty tuple slots (2,,,1)', header('(2,,,1)'), f32bytes([1, 2]), /other than a decimal integer/],
      ['a hexadecimal dim 0x2', header('(0x2,)'), f32bytes([1, 2]), /other than a decimal integer/],
      ['a parenthesised integer (2)', header('(2)'), f32bytes([1, 2]), /is not a tuple/],
      ['a negative dim', header('(-2,)'), f32bytes([1, 2]), /other than a decimal integer/],
      ['text after the dict', `${header('(1,)')} x`, f32bytes([1]), /text after the dict/],
      ['a structured dtype', "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", f32bytes([1]), /unsupported value/],
      ['trailing bytes after the data', header('(1,)'), f32bytes([1, 2]), /needs 1 values \(4 bytes\), the file holds 8/],
    ];
    for (const [what, dict, data, pattern] of badHeaders) {
      it(`refuses ${what}`, async function () {
        await rejects(npy(dict, data), 'w.npy', pattern);
      });
    }

    it('reads float16 and float64, and takes the last of a repeated key as numpy does', async function () {
      const half = await openWeightFile(npy(header('(2,)', '<f2'), new Uint8Array([0x00, 0x3c, 0x00, 0xc0])), 'h.npy');
      assert.deepStrictEqual(Array.from(await half.read('weight')), [1, -2]);
      const f8 = new Uint8Array(new Float64Array([0.5, 3]).buffer);
      const double = await openWeightFile(npy(header('(2,)', '<f8'), f8), 'd.npy');
      assert.deepStrictEqual(Array.from(await double.read('weight')), [0.5, 3]);
      const repeated = await openWeightFile(npy(header('(2, 1)', '<f4', "'shape': (9,), "), f32bytes([1, 2])), 'r.npy');
      assert.deepStrictEqual(repeated.tensors[0]!.dims, [2, 1]);
      const scalar = await openWeightFile(npy(header('()'), f32bytes([7])), 's.npy');
      assert.deepStrictEqual([scalar.tensors[0]!.dims, Array.from(await scalar.read('weight'))], [[], [7]]);
    });

    it('refuses a file over the size limit before reading it', async function () {
      const big = { size: WEIGHT_FILE_LIMITS.maxNpyBytes + 1, arrayBuffer: () => assert.fail('must not read') } as unknown as Blob;
      await rejects(big, 'big.npy', /the playground reads \.npy files up to 64 MiB/);
    });
  });

  it('names the formats it reads for any other file (a torch .pt, say)', async function () {
    await rejects(new Blob(['x']), 'model.pt', /not a \.npy or \.safetensors file.*np\.save.*save_file/);
  });
});

describe('loading weights into a playground variant', function () {
  const params: PlaygroundParams = {
    ...DEFAULT_PLAYGROUND_STATE.params,
    inChannels: 2,
    outChannels: 3,
    kernelSize: [1, 1],
    padding: [0, 0],
    bias: true,
  };

  function file(entries: Record<string, number[]>, dims: Record<string, number[]>): Promise<WeightFile> {
    const dict = Object.fromEntries(Object.entries(entries).map(([name, values]) => [name, { dims: dims[name]!, values }]));
    return openWeightFile(new Blob([stateDictBytes(dict)]), 'm.safetensors');
  }

  it('offers each module whose conv weight fits the variant, by prefix', async function () {
    const f = await file(
      { 'a.weight': [1, 2, 3, 4, 5, 6], 'a.bias': [0, 0, 0], 'b.depth_conv.weight': [1, 1], 'fc.weight': [1, 2] },
      { 'a.weight': [3, 2, 1, 1], 'a.bias': [3], 'b.depth_conv.weight': [2, 1, 1, 1], 'fc.weight': [1, 2] },
    );
    assert.deepStrictEqual(
      weightModules(f, 'standard').map((m) => m.prefix),
      ['a', 'b.depth_conv'],
    );
    assert.deepStrictEqual(
      weightModules(f, 'depthwiseSeparable').map((m) => m.prefix),
      ['b'],
    );
    assert.deepStrictEqual(weightModules(f, 'acblock'), []);
  });

  it('loads a 1×1 conv and the model uses exactly those numbers', async function () {
    const f = await file({ 'a.weight': [1, 2, 3, 4, 5, 6], 'a.bias': [7, 8, 9] }, { 'a.weight': [3, 2, 1, 1], 'a.bias': [3] });
    const r = await loadUserWeights(f, 'a', params, 'id1');
    assert.ok(r.ok);
    const built = buildVariantModel(params, r.weights.tensors);
    assert.ok(built.ok && built.model.kind === 'single');
    assert.deepStrictEqual(Array.from(built.model.conv.weight.data), [1, 2, 3, 4, 5, 6]);
    assert.deepStrictEqual(Array.from(built.model.conv.bias!), [7, 8, 9]);
  });

  it('fails like load_state_dict: missing, unexpected and mismatched keys', async function () {
    const f = await file({ 'a.weight': [1, 2, 3, 4, 5, 6], 'a.extra': [1] }, { 'a.weight': [3, 2, 1, 1], 'a.extra': [1] });
    const missing = await loadUserWeights(f, 'a', params, 'x');
    assert.ok(!missing.ok);
    assert.strictEqual(
      missing.message,
      'Error(s) in loading state_dict for Conv2d:\n\tMissing key(s) in state_dict: "bias". \n\tUnexpected key(s) in state_dict: "extra". ',
    );
    const mismatch = await loadUserWeights(f, 'a', { ...params, bias: false, inChannels: 4 }, 'x');
    assert.ok(!mismatch.ok);
    assert.match(
      mismatch.message,
      /size mismatch for weight: copying a param with shape torch\.Size\(\[3, 2, 1, 1\]\) from checkpoint, the shape in current model is torch\.Size\(\[3, 4, 1, 1\]\)\./,
    );
  });

  it('builds a configuration from user tensors that do not fit it as an error, not a crash', function () {
    const r = buildVariantModel(
      params,
      new Map([
        ['weight', new Float32Array(5)],
        ['bias', new Float32Array(3)],
      ]),
    );
    assert.ok(!r.ok);
    assert.match(r.error.message, /tensor data has 5 elements, dims \[3, 2, 1, 1\] need 6/);
  });

  it("knows the state dict of every variant (the seed classes' names)", function () {
    assert.deepStrictEqual(
      variantKeys({ ...params, variant: 'depthwiseSeparable' }).map((k) => `${k.key} ${k.dims.join('x')}`),
      ['depth_conv.weight 2x1x1x1', 'depth_conv.bias 2', 'point_conv.weight 3x2x1x1', 'point_conv.bias 3'],
    );
    assert.deepStrictEqual(
      variantKeys({ ...params, variant: 'transposed', groups: 1 }).map((k) => `${k.key} ${k.dims.join('x')}`),
      ['weight 2x3x1x1', 'bias 3'],
    );
    assert.strictEqual(variantKeys({ ...params, variant: 'acblock', kernelSize: [3, 3] }).length, 3 + 3 * 4);
  });
});
