// The one `# convlens:` grammar (core/directives.ts) and input inference (core/inferInput.ts): every
// surface (editor job, Profile this cell's job, CLI) picks the same input for the same source, says where
// it came from, and infers channels from the op that checks them, through PixelUnshuffle and cat.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../extension/cli/main';
import { inputDirectiveFor, parseShape, profileEntry, scanDirectives } from '../../extension/core';
import { inputSourceText } from '../../extension/core/inputSource';
import { runAnalysisJob, type AnalysisJob } from '../../extension/worker/analysisJob';
import { entryTotalsText } from '../../extension/features/displayText';
import { readSettings } from '../../extension/features/settings';
import { repoRoot } from './helpers/fixtureFiles';

const fixture = path.join(repoRoot, 'test/fixtures/python/input/unshuffle.py');
const source = fs.readFileSync(fixture, 'utf8');
const loopFilterFile = path.join(repoRoot, 'test/integration/workspace/unshuffle.py');
const loopFilter = fs.readFileSync(loopFilterFile, 'utf8');

function cliJson(
  file: string,
  ...args: string[]
): { input: number[]; inputSource: string; inputNote?: string; totals: { macs: number | null } } {
  let text = '';
  assert.strictEqual(
    main(['profile', file, '--format', 'json', ...args], (s) => {
      text += s;
    }),
    0,
  );
  return JSON.parse(text);
}

function job(text: string, file: string, over: Partial<AnalysisJob> = {}): AnalysisJob {
  return { id: 1, text, file, roots: [], canReadFiles: false, files: {}, defaultResolution: 224, priorityLines: [], ...over };
}

describe('input shape: one directive grammar', () => {
  it('reads every spelling the editor accepts', () => {
    for (const text of ['1x3x64x64', '1×3×64×64', '1, 3, 64, 64', '(1, 3, 64, 64)', '[1,3,64,64]', '(1, 3, 64, 64,)']) {
      assert.deepStrictEqual(parseShape(text), [1, 3, 64, 64], text);
    }
    for (const bad of ['', '1x3x', '1x0x4x4', 'ax3', '1.5x3']) assert.strictEqual(parseShape(bad), undefined, bad);
  });

  it('attaches a comment to the definition below it, else to the file', () => {
    const d = scanDirectives(
      ['# convlens: input 1x1x8x8', '', '# convlens: input (2, 3, 4, 4)', 'class A:', '    pass', 'def f():', '    pass'].map(String),
    );
    assert.deepStrictEqual(inputDirectiveFor(d, 'A')?.shape, [2, 3, 4, 4]);
    assert.deepStrictEqual(inputDirectiveFor(d, 'f')?.shape, [1, 1, 8, 8]);
    assert.deepStrictEqual(d.problems, []);
  });

  it('the CLI honours `# convlens: input (1, 3, 64, 64)` as the editor does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-input-'));
    const file = path.join(dir, 'net.py');
    const text =
      'from torch import nn\n\n# convlens: input (1, 3, 64, 64)\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(3, 8, 3, padding=1)\n    def forward(self, x):\n        return self.c(x)\n';
    fs.writeFileSync(file, text);
    const report = cliJson(file);
    assert.deepStrictEqual(report.input, [1, 3, 64, 64]);
    assert.strictEqual(report.inputSource, 'comment');
    assert.strictEqual(report.inputNote, '# convlens: input, line 3');
    const editor = runAnalysisJob(job(text, file))!.entries[0]!.analysis!;
    assert.deepStrictEqual([editor.input, editor.inputSource], [report.input, report.inputSource]);
    // ptflops: conv 8·64·64·3·9 + bias 8·64·64.
    assert.strictEqual(report.totals.macs, 8 * 64 * 64 * 3 * 9 + 8 * 64 * 64);
  });

  it('Profile this cell (a profile job) takes the same input as the CodeLens: the comment below earlier definitions', () => {
    const cells = [
      'from torch import nn',
      'class Tiny(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.c = nn.Conv2d(1, 4, 3)',
      '    def forward(self, x):',
      '        return self.c(x)',
      '# convlens: input 1x1x49x40',
      'm = Tiny()',
    ].join('\n');
    const lens = runAnalysisJob(job(cells, '/nb/cells.ipynb'))!.entries[0]!.analysis!;
    const cell = runAnalysisJob(job(cells, '/nb/cells.ipynb', { mode: { kind: 'profile', expr: 'Tiny()' } }))!.entries[0]!.analysis!;
    assert.deepStrictEqual(lens.input, [1, 1, 49, 40]);
    assert.deepStrictEqual(cell.input, lens.input);
    assert.strictEqual(cell.inputSource, 'comment');
  });
});

describe('input shape: inferred from what the forward pass needs', () => {
  it('through PixelUnshuffle(2): 24 channels at the first conv are 6 at the input', () => {
    const r = profileEntry(loopFilter, loopFilterFile, 'LoopFilter()', { defaultResolution: 64 });
    assert.deepStrictEqual(r.input, [1, 6, 64, 64]);
    assert.strictEqual(r.inputSource, 'assumed');
    assert.strictEqual(r.inputNote, "channels from head (Conv2d) (expects 24 after the forward's reshapes (4·C)); 64×64 assumed");
    assert.deepStrictEqual(r.outputShape, [1, 6, 64, 64]);
    // Every MAC is known: the old guess (24 input channels) failed at the first conv.
    assert.strictEqual(r.profiles!.ptflops.totals.partial, false);
  });

  it('through cat: the conv sees C + 1 channels', () => {
    const r = profileEntry(source, fixture, 'WithSide()', { defaultResolution: 16 });
    assert.deepStrictEqual(r.input, [1, 3, 16, 16]);
  });

  it('a Linear-first model is fully inferred, nothing assumed', () => {
    const r = profileEntry(source, fixture, 'Flat()');
    assert.deepStrictEqual([r.input, r.inputSource], [[1, 784], 'inferred']);
    assert.strictEqual(inputSourceText(r.inputSource, r.inputNote), 'inferred: channels from fc (Linear) (expects 784)');
    assert.strictEqual(inputSourceText('comment', '# convlens: input, line 7'), '# convlens: input, line 7');
    assert.strictEqual(inputSourceText('comment', 'file-wide, line 3'), '# convlens: input: file-wide, line 3');
  });

  it('says so when nothing checks the channels, and the lens offers no number', () => {
    const r = profileEntry(loopFilter, loopFilterFile, 'PoolOnly()');
    assert.strictEqual(r.input, null);
    assert.strictEqual(r.inputNote, "cannot infer the input shape: no op of the forward pass checks the input's channels");
    assert.ok(r.diagnostics.some((d) => d.code === 'input' && d.message.includes('no op of the forward pass checks')));
    const entry = runAnalysisJob(job(loopFilter, loopFilterFile))!.entries.find((e) => e.spec.expr === 'PoolOnly()')!;
    assert.strictEqual(
      entryTotalsText(
        entry,
        readSettings(() => undefined),
      ),
      '0 params · no input shape: cannot be inferred (ptflops)',
    );
  });

  it('the CLI says where the input came from in its table', () => {
    let text = '';
    assert.strictEqual(
      main(['profile', loopFilterFile, '--entry', 'LoopFilter()', '--resolution', '32'], (s) => {
        text += s;
      }),
      0,
    );
    assert.match(text, /Input \[1, 6, 32, 32\] \(⚠ assumed: channels from head \(Conv2d\)/);
    text = '';
    assert.strictEqual(
      main(['profile', loopFilterFile, '--entry', 'LoopFilter()', '--input', '1x6x8x8'], (s) => {
        text += s;
      }),
      0,
    );
    assert.match(text, /Input \[1, 6, 8, 8\] \(given\)/);
  });
});
