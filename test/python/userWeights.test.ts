// The playground's user weights against real PyTorch: make_weight_files.py (under /usr/bin/python3 with
// Debian's torch) saves the state dicts of a Conv2d, a ConvTranspose2d and the seed's DSC and ACBlock in a
// .safetensors file, a conv weight as .npy (C and Fortran order, F16 and BF16 copies), an input and each
// module's output in eval mode. Here the playground's own code reads those files (weightFile.ts), loads
// each module's tensors the way load_state_dict does (userWeights.ts), builds the variant and runs the
// plain-TypeScript reference convolution, which the Chromium suite checks ORT-web against. Its output
// must be torch's.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_PLAYGROUND_STATE, type PlaygroundParams } from '../../extension/protocol/playgroundMessages';
import { referenceForward } from '../../webview/playground/model/referenceConv';
import { maxAbsDiff, tensor, type Tensor } from '../../webview/playground/model/floatTensor';
import { loadUserWeights, paramsFromWeights, weightModules } from '../../webview/playground/model/userWeights';
import { buildVariantModel } from '../../webview/playground/model/variantModel';
import { openWeightFile, type WeightFile } from '../../webview/playground/model/weightFile';
import { REPO_ROOT, runTorchPython } from './torchPython';

const SCRIPT = path.join(REPO_ROOT, 'test/python/make_weight_files.py');

function open(dir: string, name: string): Promise<WeightFile> {
  return openWeightFile(new Blob([fs.readFileSync(path.join(dir, name))]), name);
}

async function npy(dir: string, name: string): Promise<Tensor> {
  const f = await open(dir, name);
  return tensor(f.tensors[0]!.dims, await f.read('weight'));
}

const base: PlaygroundParams = { ...DEFAULT_PLAYGROUND_STATE.params, inChannels: 4, outChannels: 8, inputSize: [8, 8], padding: [1, 1] };
const CASES: readonly { prefix: string; params: PlaygroundParams }[] = [
  { prefix: 'conv', params: { ...base, variant: 'standard' } },
  { prefix: 'up', params: { ...base, variant: 'transposed', outChannels: 6, stride: [2, 2], outputPadding: [1, 1] } },
  { prefix: 'dsc', params: { ...base, variant: 'depthwiseSeparable' } },
  { prefix: 'acb', params: { ...base, variant: 'acblock', bias: false } },
];

describe('playground user weights with real PyTorch', function () {
  let dir: string;
  let model: WeightFile;
  let input: Tensor;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-weights-'));
    const run = await runTorchPython([SCRIPT, dir]);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(run.stdout, /"torch"/);
    model = await open(dir, 'model.safetensors');
    input = await npy(dir, 'input.npy');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`${c.prefix} (${c.params.variant}): the reference run on torch's weights gives torch's output`, async function () {
      assert.ok(
        weightModules(model, c.params.variant).some((m) => m.prefix === c.prefix),
        `${c.prefix} is offered for ${c.params.variant}`,
      );
      const loaded = await loadUserWeights(model, c.prefix, c.params, 'test');
      assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
      const built = buildVariantModel(c.params, loaded.weights.tensors);
      assert.ok(built.ok, built.ok ? '' : built.error.message);
      const expected = await npy(dir, `out_${c.prefix}.npy`);
      const train = referenceForward(built.model, input, 'train');
      assert.deepStrictEqual(train.dims, expected.dims);
      const err = maxAbsDiff(train.data, expected.data);
      assert.ok(err <= 1e-5, `max |ours − torch| = ${err}`);
      if (built.model.kind === 'acblock') {
        // ACNet's deploy form from torch's trained branches and BatchNorm statistics.
        const deployErr = maxAbsDiff(referenceForward(built.model, input, 'deploy').data, expected.data);
        assert.ok(deployErr <= 1e-5, `max |fused − torch| = ${deployErr}`);
      }
    });

    it(`${c.prefix}: fitting the controls to its tensors gives a configuration that loads`, async function () {
      // From other channel counts (and the other bias flag), then load strictly.
      const start: PlaygroundParams = {
        ...c.params,
        inChannels: 2,
        outChannels: 4,
        kernelSize: [5, 5],
        padding: [2, 2],
        bias: !c.params.bias,
      };
      const before = await loadUserWeights(model, c.prefix, start, 'test');
      assert.ok(!before.ok, 'the default controls do not fit');
      assert.match(before.message, /^Error\(s\) in loading state_dict for /);
      // The file has biases (but ACBlock's convs never do): without bias they are unexpected keys.
      if (c.params.variant !== 'acblock') assert.match(before.message, /Unexpected key\(s\) in state_dict: .*bias"/);
      const fitted = paramsFromWeights(model, c.prefix, start);
      assert.ok(fitted);
      const after = await loadUserWeights(model, c.prefix, fitted, 'test');
      assert.ok(after.ok, after.ok ? '' : after.message);
      for (const k of ['inChannels', 'outChannels', 'kernelSize'] as const) assert.deepStrictEqual(fitted[k], c.params[k]);
    });
  }

  it('refuses a state dict of other sizes with the message torch gives for the same load', async function () {
    const torchSays = JSON.parse(fs.readFileSync(path.join(dir, 'errors.json'), 'utf8')) as Record<string, string>;
    // The modules make_weight_files.py loads into: Cin 2, Cout 4; conv and up with a 5×5 kernel and no bias.
    const other: Record<string, PlaygroundParams> = {
      conv: { ...CASES[0]!.params, inChannels: 2, outChannels: 4, kernelSize: [5, 5], padding: [2, 2], bias: false },
      up: { ...CASES[1]!.params, inChannels: 2, outChannels: 4, kernelSize: [5, 5], bias: false },
      dsc: { ...CASES[2]!.params, inChannels: 2, outChannels: 4 },
      acb: { ...CASES[3]!.params, inChannels: 2, outChannels: 4 },
    };
    for (const c of CASES) {
      const r = await loadUserWeights(model, c.prefix, other[c.prefix]!, 'test');
      assert.ok(!r.ok);
      assert.strictEqual(r.message, torchSays[c.prefix], c.prefix);
    }
  });

  it('reads .npy in C and Fortran order and F16 / BF16 safetensors as torch stores them', async function () {
    const c = await npy(dir, 'conv_weight.npy');
    const f = await npy(dir, 'conv_weight_f.npy');
    const sd = tensor([8, 4, 3, 3], await model.read('conv.weight'));
    assert.deepStrictEqual(c.dims, [8, 4, 3, 3]);
    assert.deepStrictEqual(Array.from(c.data), Array.from(sd.data));
    assert.deepStrictEqual(Array.from(f.data), Array.from(sd.data), 'Fortran order comes back in C order');
    const half = await model.read('half.weight');
    assert.ok(maxAbsDiff(half, sd.data) < 1e-3, 'float16 rounding only');
    assert.ok(maxAbsDiff(half, sd.data) > 0, 'the F16 copy was really rounded');
    const bf = await model.read('bf.weight');
    assert.deepStrictEqual(Array.from(bf), Array.from((await npy(dir, 'bf_weight_values.npy')).data));
  });

  it('the torch I64 counter is listed but not read as weights', async function () {
    const counter = model.tensors.find((t) => t.name === 'acb.square_bn.num_batches_tracked');
    assert.ok(counter && !counter.readable && counter.dtype === 'I64');
    await assert.rejects(model.read(counter.name), /reads F16, BF16, F32 or F64/);
  });
});
