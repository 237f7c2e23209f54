// Static analysis against real PyTorch on everyday conv-net code it was not written for. Every model
// in test/fixtures/python/zoo/ (UNet, DeepLabv3, FPN, DCGAN, ResNeXt, MobileNetV3, ShuffleNetV2, CBAM,
// SRResNet, non-local attention, DenseNet, Inception, and more) is profiled twice: live, by
// media/python/convlens_runtime.py under Debian's python3-torch 1.13 (/usr/bin/python3), and
// statically, by profileEntry on the same file, entry and input. The two must list the same layers in
// the same order with the same types, params and shapes, and give the same MACs per layer and in total
// under all seven conventions (compareProfiles finds no difference).
// Each file names its entry and input in `# convlens: entry` / `# convlens: input` comments above the
// model class, read here with the editor's own directive scanner. Known disagreements are skipped one
// check at a time, each with what differs (KNOWN_DISAGREEMENTS).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONVENTION_NAMES, type ConventionName } from '../../extension/core/cost';
import type { SourceHost } from '../../extension/core/hostTypes';
import { profileEntry, type ProfileResult } from '../../extension/core/profileEntry';
import { reportFromProfile } from '../../extension/core/report';
import type { CliReport } from '../../extension/core/report';
import { compareProfiles, runtimeReport, type ProfileDifference, type RuntimePayload } from '../../extension/core/runtime';
import { parseRuntimePayload } from '../../extension/protocol/validateRuntime';
import { scanDirectives } from '../../extension/core/directives';
import { REPO_ROOT, runTorchPython } from './torchPython';

const ZOO = path.join(REPO_ROOT, 'test/fixtures/python/zoo');

/** Reads the zoo from disk; the static engine resolves nothing outside the file itself. */
const diskHost: SourceHost = {
  readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined),
  isDirectory: (p) => fs.existsSync(p) && fs.statSync(p).isDirectory(),
};

/** What every model is checked for; a known disagreement skips exactly one of these. */
type Check = 'torch' | 'static' | 'layers' | 'params' | 'shapes' | ConventionName;

interface ZooModel {
  readonly file: string;
  readonly source: string;
  /** The Python expression that builds the model, from `# convlens: entry`. */
  readonly entry: string;
  readonly input: readonly number[];
}

/** `CONVLENS_ZOO_KNOWN=run` runs the known disagreements too, to see which ones a core change fixed. */
const RUN_KNOWN = process.env['CONVLENS_ZOO_KNOWN'] === 'run';

/**
 * Disagreements this suite found, by file and check. Each skips exactly that test and says what
 * differs; remove an entry once the two sides agree. Some are limits of the static engine, some of
 * the runtime helper (media/python/convlens_runtime.py), which is then the side that differs from
 * what the counting tools do.
 */
const KNOWN_DISAGREEMENTS: Readonly<Record<string, Partial<Record<Check, string>>>> = {
  // None at the moment: every model agrees on every check.
};

function loadZoo(): ZooModel[] {
  return fs
    .readdirSync(ZOO)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((file) => {
      const source = fs.readFileSync(path.join(ZOO, file), 'utf8');
      const { entries, inputs, problems } = scanDirectives(source.split('\n'));
      assert.deepStrictEqual(problems, [], `${file}: malformed convlens comments`);
      assert.strictEqual(entries.length, 1, `${file}: expected exactly one '# convlens: entry'`);
      assert.strictEqual(inputs.length, 1, `${file}: expected exactly one '# convlens: input'`);
      return { file, source, entry: entries[0]!.expr, input: inputs[0]!.shape };
    });
}

interface TorchRun {
  readonly exitCode: number;
  readonly stderr: string;
  readonly payload?: RuntimePayload;
  readonly invalid?: string;
}

/** Profiles one zoo model in real torch with the runtime helper's command line (`module:expr 1x3xHxW`). */
function profileInTorch(model: ZooModel): Promise<TorchRun> {
  const target = `${path.basename(model.file, '.py')}:${model.entry}`;
  return runTorchPython(['-m', 'convlens_runtime', target, model.input.join('x')], [ZOO]).then(({ code: exitCode, stdout, stderr }) => {
    const parsed = parseRuntimePayload(stdout);
    return parsed.ok ? { exitCode, stderr, payload: parsed.payload } : { exitCode, stderr, invalid: parsed.error };
  });
}

/** Runs `work` over `items` with at most `limit` at a time (each torch process imports torch, which is slow). */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The static diagnostics worth seeing next to a failure, one per line. */
function diagnosticText(result: ProfileResult): string {
  return result.diagnostics.map((d) => `  ${d.severity} ${d.code ?? ''}: ${d.message}`).join('\n');
}

/** One difference on one line: `layers.0.dilated outputShape: static [null] / torch [1,32,256]`. */
function differenceText(d: ProfileDifference): string {
  const what = d.kind === 'staticUnknown' ? `${d.field} unknown` : d.kind;
  return `${d.path || '<root>'} ${what}: static ${JSON.stringify(d.staticValue)} / torch ${JSON.stringify(d.runtimeValue)}`;
}

/**
 * The functional-op rows (module path, op, MACs) that only one report has: where a difference in the
 * MAC total comes from when every layer agrees.
 */
function functionalDifferences(staticReport: CliReport, torchReport: CliReport): string[] {
  const counts = new Map<string, number>();
  const key = (f: CliReport['functionals'][number]) => `${f.path || '<root>'} ${f.type} ${f.macs}`;
  for (const f of staticReport.functionals) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  for (const f of torchReport.functionals) counts.set(key(f), (counts.get(key(f)) ?? 0) - 1);
  return [...counts].filter(([, n]) => n !== 0).map(([k, n]) => `${n > 0 ? 'static only' : 'torch only'} ×${Math.abs(n)}: ${k}`);
}

const zoo = loadZoo();

describe('static analysis agrees with PyTorch on the model zoo', function () {
  // A guard, not a target: before() imports torch once per zoo model (three at a time), 10+ minutes on a loaded
  // 2-core machine, where the former 10-minute guard failed runs that were only slow.
  this.timeout(45 * 60_000);
  const torchRuns = new Map<string, TorchRun>();
  const staticRuns = new Map<string, ProfileResult>();

  before(async () => {
    for (const m of zoo) {
      const file = path.join(ZOO, m.file);
      staticRuns.set(m.file, profileEntry(m.source, file, m.entry, { input: m.input, host: diskHost, roots: [ZOO] }));
    }
    await inPool(zoo, 3, async (m) => {
      torchRuns.set(m.file, await profileInTorch(m));
    });
  });

  it('holds at least a dozen models, each with one entry and one input', () => {
    assert.ok(zoo.length >= 12, `only ${zoo.length} zoo models`);
  });

  for (const m of zoo) {
    describe(`${m.file}: ${m.entry} on ${m.input.join('x')}`, () => {
      const known = KNOWN_DISAGREEMENTS[m.file] ?? {};
      const check = (name: Check, title: string, body: () => void) => {
        const reason = known[name];
        if (reason !== undefined && !RUN_KNOWN) it.skip(`${title} [known disagreement: ${reason}]`, body);
        else it(title, body);
      };
      const payload = (): RuntimePayload => {
        const run = torchRuns.get(m.file)!;
        if (!run.payload) assert.fail(`no runtime payload (${run.invalid}); exit ${run.exitCode}\n${run.stderr}`);
        return run.payload;
      };
      const staticResult = (): ProfileResult => staticRuns.get(m.file)!;
      const staticReport = (convention: ConventionName) => reportFromProfile(staticResult(), convention);

      check('torch', 'runs in torch 1.13 and the helper records it without errors', () => {
        const run = torchRuns.get(m.file)!;
        assert.strictEqual(run.exitCode, 0, run.stderr);
        assert.deepStrictEqual(payload().errors, []);
      });

      check('static', 'the static forward pass runs with every layer known and no warnings', () => {
        const r = staticResult();
        assert.strictEqual(r.status, 'ok', diagnosticText(r));
        const unknownLayers = r.layers.filter((l) => l.status === 'unknown').map((l) => `${l.path}: ${l.reason}`);
        assert.deepStrictEqual(unknownLayers, [], diagnosticText(r));
        const problems = r.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.severity} ${d.code}: ${d.message}`);
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(r.outputShape, payload().outputShape, 'model output shape');
      });

      check('layers', 'lists the same layers as torch, in the same order, with the same types', () => {
        const report = staticReport('ptflops');
        assert.deepStrictEqual(
          report.layers.map((l) => `${l.path} ${l.type}`),
          payload().layers.map((l) => `${l.path} ${l.type}`),
          diagnosticText(staticResult()),
        );
      });

      check('params', 'has the same params per layer and in total', () => {
        const report = staticReport('ptflops');
        const runtimeParams = new Map(payload().layers.map((l) => [l.path, l.params]));
        const mismatches = report.layers
          .filter((l) => runtimeParams.has(l.path) && runtimeParams.get(l.path) !== l.params)
          .map((l) => ({ path: l.path, static: l.params, runtime: runtimeParams.get(l.path) }));
        assert.deepStrictEqual(mismatches, []);
        assert.strictEqual(staticResult().totals.params, payload().totalParams, 'total params');
      });

      check('shapes', 'has the same input and output shapes per layer (first call)', () => {
        const comparison = compareProfiles(staticReport('ptflops'), runtimeReport(payload(), 'ptflops'));
        const isShape = (d: ProfileDifference) =>
          d.kind === 'inputShape' || d.kind === 'outputShape' || d.field === 'inputShape' || d.field === 'outputShape';
        assert.deepStrictEqual(comparison.differences.filter(isShape).map(differenceText), [], diagnosticText(staticResult()));
      });

      for (const convention of CONVENTION_NAMES) {
        check(convention, `${convention}: the same MACs per layer and in total`, () => {
          const ours = staticReport(convention),
            torchs = runtimeReport(payload(), convention);
          const comparison = compareProfiles(ours, torchs);
          assert.deepStrictEqual(comparison.differences.map(differenceText), [], diagnosticText(staticResult()));
          const { params, macs } = comparison.totals;
          assert.ok(params.same, `total params: static ${params.static} / torch ${params.runtime}`);
          assert.ok(
            macs.same,
            `total MACs: static ${macs.static} / torch ${macs.runtime}\n${functionalDifferences(ours, torchs).join('\n')}`,
          );
        });
      }
    });
  }
});
