// convlens_runtime.playground() against real PyTorch (Debian's python3-torch 1.13 under /usr/bin/python3):
// it reads live nn.Conv2d / nn.ConvTranspose2d modules into conv payloads, and each payload must pass the
// renderer's own parseConvPayload, name the variant that "Visualize this layer" (convCompare.ts) names
// for the same layer with the same preset, and give convMath the output shape torch's forward gives.
// The default `python3` may be a pyenv interpreter without Debian's dist-packages, hence the fixed path.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProfiledLayer } from '../../extension/core';
import { CONV_VARIANTS, variantLayers } from '../../extension/core/convMath';
import type { JsonValue } from '../../extension/core/resultTypes';
import { compareConv } from '../../extension/features/convCompare';
import {
  BACKEND_CHOICES,
  DEFAULT_PLAYGROUND_STATE,
  PLAYGROUND_LIMITS,
  type PlaygroundParams,
} from '../../extension/protocol/playgroundMessages';
import { CONV_MIME } from '../../extension/protocol/rendererMessages';
import { parseConvPayload } from '../../extension/protocol/validateRenderer';
import { runTorchPython, type PythonRun } from './torchPython';

function runPython(script: string, extraPath: string[] = []): Promise<PythonRun> {
  return runTorchPython(['-c', script], extraPath);
}

// Each case: a module, the keywords playground() gets, and what the payload must say beyond the
// module's own in/out channels, kernel, stride and dilation (which every case checks against torch).
const MODULE_CASES = {
  standard: ['nn.Conv2d(3, 16, 3, padding=1)', 'input_size=(20, 24)'],
  grouped: ['nn.Conv2d(8, 16, 3, stride=2, padding=1, groups=4, bias=False)', ''],
  dilated: ['nn.Conv2d(4, 6, 3, padding=2, dilation=2)', ''],
  depthwise: ['nn.Conv2d(8, 8, 3, padding=1, groups=8)', 'input_size=12'],
  transposed: ['nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1)', ''],
  same: ['nn.Conv2d(3, 4, (5, 3), padding="same", dilation=(1, 2))', ''],
  // A 9×9 kernel at dilation 3 spans 25 cells: the 16×16 default input would not fit it.
  wideKernel: ['nn.Conv2d(2, 2, 9, dilation=3)', ''],
  overridden: ['nn.Conv2d(3, 4, 4, padding="same")', 'padding=1, seed=7, backend="wasm"'],
} as const;
type ModuleCase = keyof typeof MODULE_CASES;

const ERROR_CASES = {
  conv1d: 'playground(nn.Conv1d(3, 4, 3))',
  conv3d: 'playground(nn.Conv3d(3, 4, 3))',
  transposed1d: 'playground(nn.ConvTranspose1d(3, 4, 3))',
  linear: 'playground(nn.Linear(4, 2))',
  unevenSame: 'playground(nn.Conv2d(3, 4, 4, padding="same"))',
  unknownKey: 'playground(kernel=3)',
  twice: 'playground(in_channels=3, inChannels=3)',
  threeDims: 'playground(kernel_size=(3, 3, 3))',
  stringPadding: 'playground(padding="same")',
  badVariant: 'playground(variant="depthwise")',
} as const;

interface ModuleResult {
  readonly payload: Record<string, JsonValue>;
  /** torch's output shape for zeros of [1, inChannels, ...payload.inputSize]. */
  readonly output: number[];
  /** What profile() records for the same module (the format convCompare reads). */
  readonly hyperparams: Record<string, JsonValue>;
  readonly type: string;
}
interface Results {
  readonly modules: Record<ModuleCase, ModuleResult>;
  readonly keywords: Record<string, JsonValue>;
  readonly errors: Record<keyof typeof ERROR_CASES, string | null>;
  readonly constants: { mime: string; variants: string[]; backends: string[]; maxInteger: number; maxLabel: number; inputSize: number[] };
}

const SCRIPT = [
  'import functools, json, torch, torch.nn as nn',
  'import convlens_runtime as r',
  'playground = functools.partial(r.playground, display=False)',
  'modules = {}',
  ...Object.entries(MODULE_CASES).map(([name, [module, kwargs]]) =>
    [
      `m = ${module}`,
      `p = playground(m${kwargs ? `, ${kwargs}` : ''})`,
      'with torch.no_grad():',
      '    out = m(torch.zeros([1, m.in_channels] + p["inputSize"]))',
      `modules[${JSON.stringify(name)}] = {"payload": p, "output": list(out.shape[1:]), "hyperparams": r.hyperparams_of(m)[0], "type": type(m).__name__}`,
    ].join('\n'),
  ),
  'keywords = playground(variant="grouped", in_channels=8, outChannels=16, kernel_size=3, groups=4)',
  'errors = {}',
  ...Object.entries(ERROR_CASES).map(([name, call]) =>
    [
      'try:',
      `    ${call}`,
      `    errors[${JSON.stringify(name)}] = None`,
      'except ValueError as e:',
      `    errors[${JSON.stringify(name)}] = str(e)`,
    ].join('\n'),
  ),
  'constants = {"mime": r.CONV_MIME, "variants": list(r.CONV_VARIANTS), "backends": list(r.BACKENDS), "maxInteger": r.MAX_INTEGER,',
  '             "maxLabel": r.MAX_LABEL, "inputSize": list(r.DEFAULT_INPUT_SIZE)}',
  'print(json.dumps({"modules": modules, "keywords": keywords, "errors": errors, "constants": constants}))',
].join('\n');

function parsed(payload: Record<string, JsonValue>): PlaygroundParams {
  const r = parseConvPayload(payload);
  if (!r.ok) assert.fail(`parseConvPayload refused ${JSON.stringify(payload)}: ${r.error}`);
  return r.state.params;
}

/** The layer as the profile records it, run on the payload's input: what "Visualize this layer" reads. */
function profiledLayer(m: ModuleResult, params: PlaygroundParams): ProfiledLayer {
  const site = { file: 'notebook.ipynb', from: 0, to: 0, line: 0, col: 0, endLine: 0, endCol: 0 };
  return {
    path: 'conv',
    type: m.type,
    builtin: true,
    hyperparams: m.hyperparams,
    params: null,
    status: 'ok',
    site,
    stack: [site],
    inputShape: [1, params.inChannels, ...params.inputSize],
    outputShape: [1, ...m.output],
    calls: 1,
  };
}

describe('playground() with real PyTorch', function () {
  this.timeout(600_000);
  let results: Results;

  before(async () => {
    const r = await runPython(SCRIPT);
    assert.strictEqual(r.code, 0, r.stderr);
    results = JSON.parse(r.stdout) as Results;
  });

  it("mirrors the renderer's MIME type, variants, backends, limits and default input size", () => {
    assert.deepStrictEqual(results.constants, {
      mime: CONV_MIME,
      variants: [...CONV_VARIANTS],
      backends: [...BACKEND_CHOICES],
      maxInteger: PLAYGROUND_LIMITS.maxInteger,
      maxLabel: PLAYGROUND_LIMITS.maxLabelLength,
      inputSize: [...DEFAULT_PLAYGROUND_STATE.params.inputSize],
    });
  });

  for (const name of Object.keys(MODULE_CASES) as ModuleCase[]) {
    it(`${name}: ${MODULE_CASES[name][0]} passes parseConvPayload as written and gives torch's output shape`, () => {
      const m = results.modules[name];
      const params = parsed(m.payload);
      // Every PlaygroundParams field but the seed comes from the module: nothing falls back to a default.
      const { label, backend, seed, ...fields } = m.payload;
      assert.deepStrictEqual({ ...fields, seed: seed ?? DEFAULT_PLAYGROUND_STATE.params.seed }, params);
      assert.ok(typeof label === 'string' && label.startsWith(m.type), String(label));
      const check = variantLayers(params.variant, params);
      assert.ok(check.ok, JSON.stringify(check));
      const last = check.layers[check.layers.length - 1]!;
      // `overridden` shows padding 1 where the module pads 'same': one row and column fewer than torch's.
      const torchOutput = name === 'overridden' ? [4, 15, 15] : m.output;
      assert.deepStrictEqual([last.spec.outChannels, ...last.outputSize], torchOutput);
      assert.strictEqual(backend, name === 'overridden' ? 'wasm' : undefined);
    });
  }

  it("reads each module's variant, padding, groups, output_padding, bias and input size", () => {
    const pick = (n: ModuleCase): Record<string, JsonValue | undefined> => {
      const p = results.modules[n].payload;
      return {
        variant: p['variant'],
        padding: p['padding'],
        groups: p['groups'],
        outputPadding: p['outputPadding'],
        bias: p['bias'],
        inputSize: p['inputSize'],
      };
    };
    assert.deepStrictEqual(pick('standard'), {
      variant: 'standard',
      padding: [1, 1],
      groups: 1,
      outputPadding: [0, 0],
      bias: true,
      inputSize: [20, 24],
    });
    assert.deepStrictEqual(pick('grouped'), {
      variant: 'grouped',
      padding: [1, 1],
      groups: 4,
      outputPadding: [0, 0],
      bias: false,
      inputSize: [16, 16],
    });
    assert.deepStrictEqual(pick('dilated'), {
      variant: 'dilated',
      padding: [2, 2],
      groups: 1,
      outputPadding: [0, 0],
      bias: true,
      inputSize: [16, 16],
    });
    // A lone depthwise conv is grouped with groups = Cin; depthwiseSeparable would add a 1×1 conv it does not have.
    assert.deepStrictEqual(pick('depthwise'), {
      variant: 'grouped',
      padding: [1, 1],
      groups: 8,
      outputPadding: [0, 0],
      bias: true,
      inputSize: [12, 12],
    });
    assert.deepStrictEqual(pick('transposed'), {
      variant: 'transposed',
      padding: [1, 1],
      groups: 1,
      outputPadding: [1, 1],
      bias: true,
      inputSize: [16, 16],
    });
    // 'same' pads dilation·(k − 1) in all, half on each side: (1·4/2, 2·2/2).
    assert.deepStrictEqual(pick('same'), {
      variant: 'dilated',
      padding: [2, 2],
      groups: 1,
      outputPadding: [0, 0],
      bias: true,
      inputSize: [16, 16],
    });
    assert.deepStrictEqual(results.modules.same.output, [4, 16, 16]);
    assert.deepStrictEqual(pick('wideKernel'), {
      variant: 'dilated',
      padding: [0, 0],
      groups: 1,
      outputPadding: [0, 0],
      bias: true,
      inputSize: [3 * (9 - 1) + 1, 3 * (9 - 1) + 1],
    });
    const o = results.modules.overridden.payload;
    assert.deepStrictEqual([o['padding'], o['seed']], [[1, 1], 7]);
    // The seed and backend do not change the layer, so the label names only the padding.
    assert.match(String(o['label']), /padding=same\); shown with padding=1x1$/);
  });

  it('names the variant and preset "Visualize this layer" names for the same layer', () => {
    // `overridden` is shown with other padding than the module's on purpose, so its preset differs.
    for (const name of (Object.keys(MODULE_CASES) as ModuleCase[]).filter((n) => n !== 'overridden')) {
      const m = results.modules[name];
      const params = parsed(m.payload);
      const layer = profiledLayer(m, params);
      const c = compareConv(layer, [layer]);
      assert.ok(c, name);
      assert.deepStrictEqual(c.preset, params, name);
    }
  });

  it("writes just the keywords given, in the payload's names, with the variant they make", () => {
    assert.deepStrictEqual(results.keywords, { variant: 'grouped', inChannels: 8, outChannels: 16, kernelSize: [3, 3], groups: 4 });
    const params = parsed(results.keywords);
    assert.deepStrictEqual(params, {
      ...DEFAULT_PLAYGROUND_STATE.params,
      variant: 'grouped',
      inChannels: 8,
      outChannels: 16,
      kernelSize: [3, 3],
      groups: 4,
    });
  });

  it('refuses what the playground cannot show with a ValueError that says why', () => {
    const e = results.errors;
    for (const [name, type] of [
      ['conv1d', 'Conv1d'],
      ['conv3d', 'Conv3d'],
      ['transposed1d', 'ConvTranspose1d'],
      ['linear', 'Linear'],
    ] as const) {
      assert.strictEqual(e[name], `the playground shows 2-D convolutions (nn.Conv2d or nn.ConvTranspose2d), got ${type}`);
    }
    assert.match(
      e.unevenSame ?? '',
      /^padding='same' with kernel_size=\(4, 4\) and dilation=\(1, 1\) pads \(h, w\) = \[1, 1\] before and \[2, 2\] after/,
    );
    assert.match(e.unknownKey ?? '', /^unknown playground field 'kernel' \(known: variant, inChannels, /);
    assert.strictEqual(e.twice, 'playground field inChannels given twice');
    assert.match(e.threeDims ?? '', /^kernel_size must be an int or an \(h, w\) pair \(the playground is 2-D\)/);
    assert.strictEqual(e.stringPadding, "padding must be an int or an (h, w) pair, got 'same'");
    assert.match(
      e.badVariant ?? '',
      /^variant must be one of standard, grouped, dilated, depthwiseSeparable, acblock, transposed, got 'depthwise'$/,
    );
  });

  describe('in a notebook', () => {
    let dir: string;

    before(() => {
      // A stand-in IPython that records display() calls, as runtime.test.ts uses.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-playground-'));
      fs.mkdirSync(path.join(dir, 'IPython'));
      fs.writeFileSync(path.join(dir, 'IPython', '__init__.py'), 'def get_ipython():\n    return object()\n');
      fs.writeFileSync(path.join(dir, 'IPython', 'display.py'), 'CALLS = []\ndef display(obj, raw=False):\n    CALLS.append((obj, raw))\n');
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('displays the payload under the conv MIME type with a text/plain summary, as profile() does', async () => {
      const script = [
        'import json, torch.nn as nn, convlens_runtime',
        'from IPython import display',
        'p = convlens_runtime.playground(nn.Conv2d(8, 16, 3, groups=4))',
        'obj, raw = display.CALLS[0]',
        'print(json.dumps({"raw": raw, "keys": sorted(obj), "same": obj[convlens_runtime.CONV_MIME] is p, "text": obj["text/plain"]}))',
      ].join('\n');
      const r = await runPython(script, [dir]);
      assert.strictEqual(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { raw: boolean; keys: string[]; same: boolean; text: string };
      assert.deepStrictEqual([out.raw, out.keys, out.same], [true, [CONV_MIME, 'text/plain'], true]);
      assert.strictEqual(
        out.text.split('\n')[0],
        'Conv Lens convolution playground: variant=grouped, inChannels=8, outChannels=16, kernelSize=3x3, ' +
          'stride=1x1, padding=0x0, dilation=1x1, groups=4, outputPadding=0x0, inputSize=16x16, bias=True',
      );
    });
  });
});
