// Every ground-truth model (test/fixtures/groundtruth/*.json, measured by running the real tools) is
// rebuilt as a CostInput from its own JSON, and every convention must reproduce each tool's per-layer
// figure and its total exactly. The JSON numbers are never edited.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  computeProfile,
  type ConventionName,
  type CostInput,
  type CostLayer,
  type FunctionalOp,
  type KnownShape,
} from '../../extension/core/cost';
import type { JsonValue } from '../../extension/core/resultTypes';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/groundtruth');

interface GtCall {
  readonly input: KnownShape[];
  readonly output: KnownShape;
}
interface GtLayer {
  readonly name: string;
  readonly type: string;
  readonly hyperparams: Record<string, JsonValue>;
  readonly input_shape: KnownShape[];
  readonly output_shape: KnownShape;
  readonly params: number;
  readonly calls: number;
  readonly all_calls?: GtCall[];
  readonly reference: { macs_no_bias: number } | null;
  readonly tools: Record<string, { macs: number | null; madd?: number } | undefined>;
}
interface GtModel {
  readonly model: string;
  readonly input_shape: KnownShape;
  readonly layers: GtLayer[];
  readonly totals: Record<string, Record<string, JsonValue>>;
}

/** Functional ops the model's own forward issues (torchvision source), with shapes read from the JSON. */
const DIRECT_FUNCTIONALS: Readonly<Record<string, (m: GtModel) => FunctionalOp[]>> = {
  // MobileNetV2._forward_impl: nn.functional.adaptive_avg_pool2d(x, (1, 1)) on the features output.
  mobilenet_v2: (m) => {
    const last = m.layers.find((l) => l.name === 'features.18.2')!;
    const x = last.output_shape;
    return [
      {
        op: 'adaptive_avg_pool2d',
        via: 'F',
        modulePath: '',
        inputShapes: [x],
        outputShape: [x[0]!, x[1]!, 1, 1],
        args: { output_size: [1, 1] },
      },
    ];
  },
};

function toCostLayer(l: GtLayer): CostLayer {
  const calls = l.all_calls
    ? l.all_calls.map((c) => ({ inputShapes: c.input, outputShape: c.output }))
    : Array.from({ length: l.calls }, () => ({ inputShapes: l.input_shape, outputShape: l.output_shape }));
  return { path: l.name, type: l.type, builtin: true, hyperparams: l.hyperparams, params: l.params, calls };
}

function toCostInput(m: GtModel): CostInput {
  return {
    input: m.input_shape,
    layers: m.layers.map(toCostLayer),
    functionals: DIRECT_FUNCTIONALS[m.model]?.(m) ?? [],
    totalParams: m.totals['ptflops']!['params'] as number,
  };
}

/** Which JSON figure each convention must reproduce, per layer and in total. */
const EXPECTED: ReadonlyArray<{
  convention: ConventionName;
  layer: (l: GtLayer) => number;
  total: (m: GtModel) => number;
  params: (m: GtModel) => number;
}> = [
  {
    convention: 'ptflops',
    layer: (l) => l.tools['ptflops']!.macs ?? 0,
    total: (m) => m.totals['ptflops']!['macs'] as number,
    params: (m) => m.totals['ptflops']!['params'] as number,
  },
  {
    convention: 'ptflops-0.6',
    layer: (l) => l.tools['ptflops_v069']!.macs ?? 0,
    total: (m) => m.totals['ptflops_v069']!['macs'] as number,
    params: (m) => m.totals['ptflops_v069']!['params'] as number,
  },
  {
    convention: 'torchinfo',
    layer: (l) => l.tools['torchinfo']!.macs ?? 0,
    total: (m) => m.totals['torchinfo']!['macs'] as number,
    params: (m) => m.totals['torchinfo']!['params'] as number,
  },
  {
    convention: 'thop',
    layer: (l) => l.tools['thop']!.macs ?? 0,
    total: (m) => m.totals['thop']!['macs'] as number,
    params: (m) => m.totals['thop']!['params'] as number,
  },
  {
    convention: 'fvcore',
    layer: (l) => l.tools['fvcore']!.macs ?? 0,
    total: (m) => m.totals['fvcore']!['macs'] as number,
    params: (m) => m.totals['fvcore']!['params'] as number,
  },
  {
    convention: 'torchstat',
    layer: (l) => l.tools['torchstat']!.madd!,
    total: (m) => m.totals['torchstat']!['madd'] as number,
    params: (m) => m.totals['torchstat']!['params'] as number,
  },
  {
    convention: 'paper',
    layer: (l) => l.reference?.macs_no_bias ?? 0,
    total: (m) => m.totals['reference']!['conv_linear_macs_no_bias'] as number,
    params: (m) => m.totals['reference']!['params_total'] as number,
  },
];

const models: GtModel[] = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json') && f !== 'cases.json')
  .map((f) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as GtModel);

describe('cost conventions reproduce the measured ground truth', () => {
  it('finds the ground-truth fixtures', () => {
    assert.ok(models.length >= 7, `expected at least 7 ground-truth models in ${FIXTURES}, found ${models.length}`);
  });

  for (const model of models) {
    describe(model.model, () => {
      const input = toCostInput(model);
      for (const expected of EXPECTED) {
        it(`${expected.convention}: every layer and the total`, () => {
          const profile = computeProfile(expected.convention, input);
          const mismatches = model.layers
            .map((l, i) => ({ name: l.name, want: expected.layer(l), got: profile.layers[i]!.macs, formula: profile.layers[i]!.formula }))
            .filter((r) => r.got !== r.want);
          assert.deepStrictEqual(mismatches, [], `layer mismatches under ${expected.convention}`);
          assert.strictEqual(profile.totals.partial, false);
          assert.strictEqual(profile.totals.macs, expected.total(model));
          assert.strictEqual(profile.totals.params, expected.params(model));
        });
      }

      it('torchstat: its Flops column per layer and in total', () => {
        const profile = computeProfile('torchstat', input);
        model.layers.forEach((l, i) => assert.strictEqual(profile.layers[i]!.secondaryMacs, l.tools['torchstat']!.macs, l.name));
        assert.strictEqual(profile.totals.secondaryMacs, model.totals['torchstat']!['flops_column']);
      });

      it('ptflops: the functional part matches its breakdown and double counts are flagged', () => {
        const profile = computeProfile('ptflops', input);
        const breakdown = model.totals['ptflops']!['functional_breakdown'] as Record<string, number>;
        const byKey = new Map<string, number>();
        for (const f of profile.functionals) {
          const op = f.type.slice('functional:'.length);
          const type = model.layers.find((l) => l.name === f.path)?.type;
          const key = f.doubleCount ? `${op} (inside hooked ${type})` : op;
          byKey.set(key, (byKey.get(key) ?? 0) + (f.macs ?? 0));
        }
        assert.deepStrictEqual(Object.fromEntries(byKey), breakdown);
        const doubles = profile.functionals.filter((f) => f.doubleCount).reduce((a, f) => a + f.macs!, 0);
        assert.strictEqual(doubles, model.totals['ptflops']!['functional_double_counted_inside_hooked_modules']);
      });

      it('MACs per pixel use H×W of the input', () => {
        const profile = computeProfile('ptflops', input);
        assert.strictEqual(profile.totals.pixels, (model as unknown as { pixels_for_macs_per_pixel: number }).pixels_for_macs_per_pixel);
        assert.ok(Math.abs(profile.totals.macsPerPixel! - (model.totals['ptflops']!['macs_per_pixel'] as number)) < 1e-3);
        assert.strictEqual(profile.totals.flops, 2 * profile.totals.macs);
      });
    });
  }
});
