// The runtime payload boundary (extension/protocol/validateRuntime.ts, then extension/core/runtime.ts): a valid hand-made payload round-trips into a
// CostInput and a CliReport; malformed and hostile payloads (wrong schema, wrong types, huge arrays,
// `__proto__` keys, HTML in names) are rejected or kept as inert data; compareProfiles finds every kind
// of difference between a static and a runtime report.
import * as assert from 'assert';
import type { CliReport, ReportLayer } from '../../extension/core/report';
import { compareProfiles, RUNTIME_SCHEMA, runtimeCostInput, runtimeReport, type RuntimePayload } from '../../extension/core/runtime';
import { parseRuntimePayload, RUNTIME_LIMITS } from '../../extension/protocol/validateRuntime';

// conv: Conv2d(3, 8, 3, padding=1) on 1x3x16x16 → 8·3·3·3 + 8 params; relu after it.
const CONV_PARAMS = 8 * 3 * 3 * 3 + 8;
const CONV_MACS_NO_BIAS = 1 * 8 * 16 * 16 * (3 / 1) * 3 * 3;
const BIAS_MACS = 1 * 8 * 16 * 16;
const RELU_NUMEL = 1 * 8 * 16 * 16;

function validPayload(): Record<string, unknown> {
  return {
    schema: RUNTIME_SCHEMA,
    name: 'Net()',
    input: [1, 3, 16, 16],
    torch: '1.13.1',
    totalParams: CONV_PARAMS,
    layers: [
      {
        path: 'conv',
        type: 'Conv2d',
        builtin: true,
        params: CONV_PARAMS,
        hyperparams: {
          in_channels: 3,
          out_channels: 8,
          kernel_size: [3, 3],
          stride: [1, 1],
          padding: [1, 1],
          dilation: [1, 1],
          groups: 1,
          output_padding: [0, 0],
          padding_mode: 'zeros',
          transposed: false,
          bias: true,
        },
        calls: [{ inputShapes: [[1, 3, 16, 16]], outputShape: [1, 8, 16, 16] }],
      },
      {
        path: 'relu',
        type: 'ReLU',
        builtin: true,
        params: 0,
        hyperparams: { inplace: false },
        calls: [{ inputShapes: [[1, 8, 16, 16]], outputShape: [1, 8, 16, 16] }],
      },
    ],
    functionals: [
      { op: 'flatten', via: 'torch', modulePath: '', inputShapes: [[1, 8, 16, 16]], outputShape: [1, 2048], args: { start_dim: 1 } },
    ],
    outputShape: [1, 2048],
    errors: [],
  };
}

function parsed(json: unknown): RuntimePayload {
  const r = parseRuntimePayload(json);
  if (!r.ok) assert.fail(r.error);
  return r.payload;
}

function rejects(json: unknown, pattern: RegExp): void {
  const r = parseRuntimePayload(json);
  assert.strictEqual(r.ok, false, 'expected the payload to be rejected');
  if (!r.ok) assert.match(r.error, pattern);
}

function mutate(edit: (p: Record<string, any>) => void): Record<string, unknown> {
  const p = validPayload() as Record<string, any>;
  edit(p);
  return p;
}

describe('runtime payload: parseRuntimePayload', () => {
  it('accepts a valid payload, as an object or as JSON text', () => {
    const p = parsed(validPayload());
    assert.strictEqual(p.layers.length, 2);
    assert.deepStrictEqual(p.layers[0]!.calls[0]!.outputShape, [1, 8, 16, 16]);
    assert.deepStrictEqual(parsed(JSON.stringify(validPayload())), p);
  });

  it('ignores unknown extra fields without copying them', () => {
    const p = parsed(
      mutate((x) => {
        x['extra'] = { a: 1 };
        x['layers'][0]['future'] = true;
      }),
    );
    assert.ok(!('extra' in p));
    assert.ok(!('future' in p.layers[0]!));
  });

  const malformed: [string, (p: Record<string, any>) => void, RegExp][] = [
    [
      'a wrong schema',
      (p) => {
        p['schema'] = 'convlens.runtime/2';
      },
      /schema/,
    ],
    [
      'a missing layers array',
      (p) => {
        delete p['layers'];
      },
      /payload\.layers: expected an array/,
    ],
    [
      'a string params',
      (p) => {
        p['layers'][0]['params'] = '224';
      },
      /layers\[0\]\.params/,
    ],
    [
      'negative params',
      (p) => {
        p['layers'][0]['params'] = -1;
      },
      /layers\[0\]\.params/,
    ],
    [
      'a fractional dim',
      (p) => {
        p['input'] = [1, 3, 16.5, 16];
      },
      /payload\.input\[2\]/,
    ],
    [
      'an empty input',
      (p) => {
        p['input'] = [];
      },
      /payload\.input/,
    ],
    [
      'a 9-D shape',
      (p) => {
        p['layers'][0]['calls'][0]['outputShape'] = [1, 1, 1, 1, 1, 1, 1, 1, 1];
      },
      /more than 8 items/,
    ],
    [
      'a non-boolean builtin',
      (p) => {
        p['layers'][0]['builtin'] = 'yes';
      },
      /builtin/,
    ],
    [
      'an unknown functional via',
      (p) => {
        p['functionals'][0]['via'] = 'eval';
      },
      /via/,
    ],
    [
      'an empty type',
      (p) => {
        p['layers'][0]['type'] = '';
      },
      /type: expected a non-empty string/,
    ],
    [
      'a duplicate path',
      (p) => {
        p['layers'][1]['path'] = 'conv';
      },
      /duplicate path/,
    ],
    [
      'an array as layer',
      (p) => {
        p['layers'][0] = [];
      },
      /layers\[0\]: expected an object/,
    ],
    [
      'a non-finite hyperparameter',
      (p) => {
        p['layers'][0]['hyperparams']['eps'] = Infinity;
      },
      /finite/,
    ],
    [
      'deeply nested hyperparameters',
      (p) => {
        p['layers'][0]['hyperparams']['x'] = [[[[[1]]]]];
      },
      /nested deeper/,
    ],
    [
      'an over-long path',
      (p) => {
        p['layers'][0]['path'] = 'a'.repeat(RUNTIME_LIMITS.stringChars + 1);
      },
      /longer than/,
    ],
  ];
  for (const [what, edit, pattern] of malformed) it(`rejects ${what}`, () => rejects(mutate(edit), pattern));

  it('rejects non-objects and bad JSON text', () => {
    for (const v of [null, undefined, 42, [], true]) rejects(v, /payload: expected an object/);
    rejects('{"schema": ', /not JSON/);
  });

  it('rejects huge arrays before walking them', () => {
    const many = new Array(RUNTIME_LIMITS.layers + 1).fill(0);
    rejects(
      mutate((p) => {
        p['layers'] = many;
      }),
      new RegExp(`more than ${RUNTIME_LIMITS.layers} items`),
    );
    rejects(
      mutate((p) => {
        p['errors'] = new Array(RUNTIME_LIMITS.errors + 1).fill('e');
      }),
      /errors: more than/,
    );
    rejects(
      mutate((p) => {
        p['layers'][0]['calls'] = new Array(RUNTIME_LIMITS.callsPerLayer + 1).fill(p['layers'][0]['calls'][0]);
      }),
      /calls: more than/,
    );
  });

  it('refuses a payload whose total calls exceed the work bound as too large, before reading any call', () => {
    const call = { inputShapes: [[1, 8, 16, 16]], outputShape: [1, 8, 16, 16] };
    const perLayer = RUNTIME_LIMITS.callsPerLayer;
    const layers = Math.floor(RUNTIME_LIMITS.calls / perLayer) + 1;
    rejects(
      mutate((p) => {
        p['layers'] = Array.from({ length: layers }, (_, i) => ({
          ...p['layers'][1],
          path: `r${i}`,
          calls: new Array(perLayer).fill(call),
        }));
      }),
      new RegExp(`payload\\.layers: ${layers * perLayer} calls in all, more than the ${RUNTIME_LIMITS.calls} shown: too large`),
    );
  });

  it('refuses JSON text with more calls than the bounds before parsing it (the 29 MB, 55 × 10,000-call payload)', () => {
    const call = JSON.stringify({ inputShapes: [[1, 8, 16, 16]], outputShape: [1, 8, 16, 16] });
    const layer = (i: number) =>
      `{"path":"l${i}","type":"ReLU","builtin":true,"params":0,"hyperparams":{},"calls":[${new Array(10_000).fill(call).join(',')}]}`;
    const text = JSON.stringify(validPayload()).replace(
      /"layers":\[.*\],"functionals"/,
      `"layers":[${Array.from({ length: 55 }, (_, i) => layer(i)).join(',')}],"functionals"`,
    );
    assert.ok(text.length > 25_000_000 && text.length < 32 * 1024 * 1024, String(text.length));
    const limit = RUNTIME_LIMITS.calls + RUNTIME_LIMITS.functionals;
    rejects(text, new RegExp(`^payload: more than ${limit} recorded calls and ops: too large to show$`));
    // Truncated text is refused the same way: the count comes before JSON.parse.
    rejects(text.slice(0, -100), /too large to show/);
    // Inside a string the key's quotes are escaped, so names and messages cannot inflate the count.
    const quoted = mutate((p) => {
      p['errors'] = new Array(200).fill('"inputShapes"'.repeat(250));
    });
    assert.strictEqual(parsed(JSON.stringify(quoted)).errors.length, 200);
  });

  // Hyperparameters a cost rule reads must be values torch could have stored; the message names the field.
  const impossible: [string, Record<string, unknown>, RegExp][] = [
    ['groups: 0', { groups: 0 }, /layers\[0\]\.hyperparams\.groups: expected a whole number from 1/],
    ['groups: -1', { groups: -1 }, /hyperparams\.groups: expected a whole number from 1/],
    ['out_channels: -16', { out_channels: -16 }, /hyperparams\.out_channels: expected a whole number from 0/],
    ['in_channels: 1e300', { in_channels: 1e300 }, /hyperparams\.in_channels: expected a whole number from 0 to 2147483647/],
    ['in_channels: 2.5', { in_channels: 2.5 }, /hyperparams\.in_channels/],
    ['a zero kernel dim', { kernel_size: [3, 0] }, /hyperparams\.kernel_size: expected a whole number from 1/],
    ['a fractional stride', { stride: 1.5 }, /hyperparams\.stride/],
    ['an empty kernel', { kernel_size: [] }, /hyperparams\.kernel_size/],
  ];
  for (const [what, edit, pattern] of impossible) {
    it(`refuses a torch layer with ${what}`, () =>
      rejects(
        mutate((p) => Object.assign(p['layers'][0]['hyperparams'], edit)),
        pattern,
      ));
  }

  it('keeps legitimate hyperparameters: a Lazy layer before its first call, None attributes, a user class', () => {
    // LazyConv2d records in_channels = 0 until it has seen an input; torch leaves kdim or a pool's stride as None.
    parsed(
      mutate((p) =>
        Object.assign(p['layers'][0], { type: 'LazyConv2d', hyperparams: { ...p['layers'][0]['hyperparams'], in_channels: 0 } }),
      ),
    );
    parsed(mutate((p) => Object.assign(p['layers'][0]['hyperparams'], { stride: null, kdim: null, kernel_size: 3 })));
    // A user class's public attributes are display data: the helper records whatever they hold.
    parsed(mutate((p) => Object.assign(p['layers'][0], { type: 'MyBlock', builtin: false, hyperparams: { groups: 0, in_channels: -1 } })));
  });

  it('refuses an input with a zero dim', () => {
    rejects(
      mutate((p) => {
        p['input'] = [1, 3, 0, 16];
      }),
      /payload\.input\[2\]: expected a dim of at least 1/,
    );
  });

  it('rejects prototype-pollution keys wherever they appear', () => {
    const texts = [
      JSON.stringify(validPayload()).replace('"name":', '"__proto__":{"polluted":1},"name":'),
      JSON.stringify(validPayload()).replace('"inplace":false', '"__proto__":{"polluted":1}'),
      JSON.stringify(validPayload()).replace('"start_dim":1', '"constructor":{"prototype":{"polluted":1}}'),
    ];
    for (const t of texts) rejects(t, /forbidden key/);
    assert.strictEqual(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('rejects objects with a foreign prototype', () => {
    rejects(
      mutate((p) => {
        p['layers'][0]['hyperparams'] = new Map();
      }),
      /plain object/,
    );
  });

  it('keeps HTML and control characters in names as plain data', () => {
    const html = '<img src=x onerror=alert(1)>\u0000"</script>';
    const p = parsed(
      mutate((x) => {
        x['name'] = html;
        x['layers'][0]['path'] = html;
        x['layers'][0]['type'] = html;
        x['errors'] = [html];
      }),
    );
    assert.strictEqual(p.name, html);
    const report = runtimeReport(p, 'ptflops');
    assert.strictEqual(report.layers[0]!.path, html);
    assert.strictEqual(report.layers[0]!.type, html);
    assert.strictEqual(report.file, html);
    assert.ok(report.diagnostics.some((d) => d.message === html));
  });
});

describe('runtime payload: cost input and report', () => {
  const payload = parsed(validPayload());

  it('feeds the layers, calls and functionals to the cost stage unchanged', () => {
    const input = runtimeCostInput(payload);
    assert.deepStrictEqual(input.input, [1, 3, 16, 16]);
    assert.strictEqual(input.totalParams, CONV_PARAMS);
    assert.deepStrictEqual(
      input.layers.map((l) => l.path),
      ['conv', 'relu'],
    );
    assert.strictEqual(input.functionals[0]!.op, 'flatten');
  });

  it('builds a CliReport like a static one, with file = name and line 0', () => {
    const report = runtimeReport(payload, 'thop');
    assert.strictEqual(report.convention, 'thop');
    assert.deepStrictEqual(
      report.layers.map((l) => [l.path, l.file, l.line, l.macs]),
      [
        ['conv', 'Net()', 0, CONV_MACS_NO_BIAS],
        ['relu', 'Net()', 0, 0],
      ],
    );
    assert.strictEqual(report.totals.macs, CONV_MACS_NO_BIAS);
    assert.strictEqual(report.totals.params, CONV_PARAMS);
    assert.ok(report.diagnostics.some((d) => /line is 0/.test(d.message)));
    assert.strictEqual(report.conventions, undefined);
  });

  it('with all, summarises every convention and uses ptflops for the table', () => {
    const report = runtimeReport(payload, 'all');
    assert.strictEqual(report.convention, 'ptflops');
    assert.strictEqual(Object.keys(report.conventions!).length, 7);
    // ptflops: conv with bias, ReLU numel, and F.relu inside nn.ReLU counted a second time.
    assert.strictEqual(report.totals.macs, CONV_MACS_NO_BIAS + BIAS_MACS + RELU_NUMEL + RELU_NUMEL);
    assert.strictEqual(report.conventions!['paper']!.totals.macs, CONV_MACS_NO_BIAS);
  });

  it('marks a layer the helper could not read as unknown, with its error', () => {
    const p = parsed(
      mutate((x) => {
        x['layers'][0]['error'] = 'hyperparameters not found: padding';
      }),
    );
    const report = runtimeReport(p, 'ptflops');
    assert.strictEqual(report.layers[0]!.status, 'unknown');
    assert.strictEqual(report.layers[0]!.macs, null);
    assert.strictEqual(report.totals.partial, true);
  });

  it('says when a layer never ran', () => {
    const p = parsed(
      mutate((x) => {
        x['layers'][1]['calls'] = [];
      }),
    );
    const r = runtimeReport(p, 'ptflops');
    assert.strictEqual(r.layers[1]!.formula, 'not executed in forward');
    assert.strictEqual(r.layers[1]!.outputShape, null);
  });
});

describe('runtime payload: compareProfiles', () => {
  const runtime = runtimeReport(parsed(validPayload()), 'ptflops');
  const withLayers = (r: CliReport, layers: ReportLayer[], totals = r.totals): CliReport => ({ ...r, layers, totals, file: 'model.py' });

  it('finds nothing when both sides agree', () => {
    const c = compareProfiles(
      withLayers(
        runtime,
        runtime.layers.map((l) => ({ ...l, file: 'model.py', line: 4 })),
      ),
      runtime,
    );
    assert.deepStrictEqual(c.differences, []);
    assert.ok(c.rows.every((r) => r.same));
    assert.ok(c.totals.params.same && c.totals.macs.same);
    assert.strictEqual(c.convention, 'ptflops');
  });

  it('lists missing and extra layers, and differing params, MACs, types and shapes', () => {
    const [conv, relu] = runtime.layers as [ReportLayer, ReportLayer];
    const staticLayers: ReportLayer[] = [
      { ...conv, params: conv.params! - 8, macs: conv.macs! - 1, outputShape: [1, 8, 8, 8], type: 'Conv2dSame' },
      { ...relu, path: 'act' },
    ];
    const c = compareProfiles(withLayers(runtime, staticLayers, { ...runtime.totals, macs: 1 }), runtime);
    const kinds = c.differences.map((d) => `${d.path}:${d.kind}`);
    assert.deepStrictEqual(kinds.sort(), [
      'act:staticOnly',
      'conv:macs',
      'conv:outputShape',
      'conv:params',
      'conv:type',
      'relu:runtimeOnly',
    ]);
    assert.deepStrictEqual(
      c.rows.map((r) => r.path),
      ['conv', 'act', 'relu'],
    );
    assert.strictEqual(c.totals.macs.same, false);
    assert.strictEqual(c.totals.params.same, true);
  });

  it('treats unknown static values as gaps, not disagreements', () => {
    const [conv, relu] = runtime.layers as [ReportLayer, ReportLayer];
    const staticLayers: ReportLayer[] = [{ ...conv, params: null, macs: null, outputShape: [1, 8, null, null] }, relu];
    const c = compareProfiles(withLayers(runtime, staticLayers), runtime);
    assert.deepStrictEqual(
      c.differences.map((d) => [d.kind, d.field]),
      [
        ['staticUnknown', 'params'],
        ['staticUnknown', 'macs'],
        ['staticUnknown', 'outputShape'],
      ],
    );
  });

  it('does not compare MACs across conventions', () => {
    const thop = runtimeReport(parsed(validPayload()), 'thop');
    const c = compareProfiles(thop, runtime);
    assert.strictEqual(c.convention, null);
    assert.ok(!c.differences.some((d) => d.kind === 'macs'));
    assert.strictEqual(c.totals.macs.same, false);
  });
});
