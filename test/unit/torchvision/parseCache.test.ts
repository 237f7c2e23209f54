// The CLI's parse cache (extension/cli/parseCache.ts, core/topLevel.ts restoreLazySource) is exact: a run that reads
// the parses an earlier run stored gives byte for byte the report a run without the cache gives, on every torchvision
// classification builder (in process, through the cache's own file format), and through dist/cli.js on resnet50 and
// efficientnet_b0. A damaged, truncated or unwritable cache, or a file edited after it was cached, falls back to parsing.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lazySourceToStore, profileEntry, restoreLazySource, type SourceHost } from '../../../extension/core';
import { clearParseCache } from '../../../extension/core/parse';
import { reportFromProfile } from '../../../extension/core/report';
import { decode, encode } from '../../../extension/cli/parseCache';
import { fileHost, repoRoot, torchvisionRoot } from '../helpers/fixtureFiles';

const models = path.join(torchvisionRoot, 'torchvision', 'models');

/** Every `def name(*, weights...` builder of torchvision's models folder, by file. */
function builders(): { file: string; fns: string[] }[] {
  return fs
    .readdirSync(models)
    .filter((f) => f.endsWith('.py') && !f.startsWith('_'))
    .map((f) => {
      const src = fs.readFileSync(path.join(models, f), 'utf8');
      return { file: path.join(models, f), fns: [...src.matchAll(/def ([a-z0-9_]+)\(\s*\*,\s*weights/g)].map((m) => m[1]!) };
    })
    .filter((b) => b.fns.length > 0);
}

/** The CLI's JSON report (every convention) of `entry`, read as the CLI's --entry reads it; `texts` collects the files read. */
function report(file: string, entry: string, texts: Set<string>): string {
  const base = fileHost();
  const host: SourceHost = {
    readFile: (p) => {
      const t = base.readFile(p);
      if (t !== undefined) texts.add(t);
      return t;
    },
    isDirectory: base.isDirectory,
  };
  const source = fs.readFileSync(file, 'utf8');
  texts.add(source);
  const input = entry.startsWith('inception') ? [1, 3, 299, 299] : [1, 3, 224, 224];
  const r = profileEntry(source, file, entry, { host, roots: [torchvisionRoot], input, lazyMain: true });
  return JSON.stringify(reportFromProfile(r, 'all'), null, 1);
}

describe('parse cache: exact', () => {
  before(function () {
    if (!fs.existsSync(models)) this.skip();
  });
  after(() => clearParseCache());

  it('every torchvision builder: the report from stored parses equals the one parsed from source, byte for byte', function () {
    this.timeout(1_200_000);
    let n = 0;
    for (const { file, fns } of builders()) {
      for (const fn of fns) {
        const entry = fn === 'googlenet' ? 'googlenet(weights=None, aux_logits=False)' : `${fn}(weights=None)`;
        clearParseCache();
        const texts = new Set<string>();
        const fresh = report(file, entry, texts);
        // Stored through the cache's file format, then read back into a cleared core.
        const files = [...texts].map((t) => lazySourceToStore(t)).filter((s) => s !== undefined);
        assert.ok(files.length > 0);
        clearParseCache();
        for (const f of files) assert.ok(restoreLazySource(f.text, decode(encode(f))!), `${fn}: a stored parse is refused`);
        const cached = report(file, entry, new Set());
        assert.strictEqual(cached, fresh, `${fn} (${path.basename(file)})`);
        assert.ok(JSON.parse(cached).totals.params > 0, fn);
        n++;
      }
    }
    assert.ok(n >= 80, `${n} builders`);
  });

  it('a stored parse is used only for its own text', () => {
    clearParseCache();
    const file = path.join(models, 'resnet.py');
    const texts = new Set<string>();
    report(file, 'resnet18(weights=None)', texts);
    const stored = lazySourceToStore(fs.readFileSync(file, 'utf8'))!;
    clearParseCache();
    const edited = stored.text.replace('inplanes = 64', 'inplanes = 32');
    assert.notStrictEqual(edited, stored.text);
    assert.strictEqual(restoreLazySource(edited, stored), false);
    assert.strictEqual(restoreLazySource(stored.text, { ...stored, format: stored.format + 1 }), false);
    assert.strictEqual(restoreLazySource(stored.text, { ...stored, binds: stored.binds.slice(1) }), false);
    assert.strictEqual(decode(encode(stored).subarray(0, 1000)), undefined, 'a truncated file');
  });
});

describe('parse cache: dist/cli.js', () => {
  const cliDist = path.join(repoRoot, 'dist', 'cli.js');
  let dir: string;
  let bin: string;
  before(function () {
    if (!fs.existsSync(cliDist) || !fs.existsSync(models)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-parse-cache-'));
    // A copy of the bundle in a folder of its own: the caches it writes beside itself are this test's.
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const f of ['cli.js', 'cliMain.js']) fs.copyFileSync(path.join(repoRoot, 'dist', f), path.join(bin, f));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const cli = (file: string, entry: string, root: string, env: Record<string, string> = {}) => {
    const r = spawnSync(
      process.execPath,
      [
        path.join(bin, 'cli.js'),
        'profile',
        file,
        '--entry',
        entry,
        '--root',
        root,
        '--input',
        '1x3x224x224',
        '--format',
        'json',
        '--convention',
        'all',
      ],
      { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'xdg'), ...env } },
    );
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stderr, '');
    return r.stdout;
  };
  const cacheFiles = () =>
    fs
      .readdirSync(bin)
      .filter((f) => f.startsWith('parse-'))
      .flatMap((d) => fs.readdirSync(path.join(bin, d)).map((f) => path.join(bin, d, f)));

  it('resnet50 and efficientnet_b0: uncached, first (writing) and later (reading) runs print the same bytes', () => {
    for (const [name, entry] of [
      ['resnet.py', 'resnet50(weights=None)'],
      ['efficientnet.py', 'efficientnet_b0(weights=None)'],
    ] as const) {
      const file = path.join(models, name);
      const plain = cli(file, entry, torchvisionRoot, { CONVLENS_PARSE_CACHE: '0' });
      const writing = cli(file, entry, torchvisionRoot);
      const reading = cli(file, entry, torchvisionRoot);
      assert.strictEqual(writing, plain, name);
      assert.strictEqual(reading, plain, name);
    }
    assert.ok(cacheFiles().length >= 5, cacheFiles().join('\n'));
  });

  it('damaged and truncated cache files are ignored and replaced', () => {
    const file = path.join(models, 'resnet.py');
    const plain = cli(file, 'resnet50(weights=None)', torchvisionRoot, { CONVLENS_PARSE_CACHE: '0' });
    // Only the files this run reads.
    for (const d of fs.readdirSync(bin).filter((f) => f.startsWith('parse-'))) fs.rmSync(path.join(bin, d), { recursive: true });
    cli(file, 'resnet50(weights=None)', torchvisionRoot);
    const files = cacheFiles();
    assert.ok(files.length > 0);
    for (const [i, f] of files.entries()) {
      const data = fs.readFileSync(f);
      if (i % 2) fs.writeFileSync(f, data.subarray(0, data.length >> 1));
      else {
        for (let j = data.length >> 2; j < Math.min(data.length, (data.length >> 2) + 64); j++) data[j] = (data[j]! * 31 + 7) & 0xff;
        fs.writeFileSync(f, data);
      }
    }
    const damaged = new Map(files.map((f) => [f, fs.readFileSync(f)]));
    assert.strictEqual(cli(file, 'resnet50(weights=None)', torchvisionRoot), plain);
    for (const [f, d] of damaged) assert.ok(!fs.readFileSync(f).equals(d), `${path.basename(f)} is replaced`);
    assert.strictEqual(cli(file, 'resnet50(weights=None)', torchvisionRoot), plain);
  });

  it('an imported file edited after it was cached (same size, same mtime) is parsed again', () => {
    // A package of our own: model.py imports its width from cfg.py.
    const pkg = path.join(dir, 'pkg');
    fs.mkdirSync(path.join(pkg, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'lib', '__init__.py'), '');
    const cfg = path.join(pkg, 'lib', 'cfg.py');
    fs.writeFileSync(cfg, 'WIDTH = 16\n\ndef width():\n    return WIDTH\n');
    const model = path.join(pkg, 'model.py');
    fs.writeFileSync(
      model,
      'import torch.nn as nn\nfrom lib.cfg import width\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n' +
        '        self.c = nn.Conv2d(3, width(), 3)\n\n    def forward(self, x):\n        return self.c(x)\n',
    );
    const params = () => JSON.parse(cli(model, 'M()', pkg)).totals.params as number;
    assert.strictEqual(params(), 16 * 3 * 9 + 16);
    assert.strictEqual(params(), 16 * 3 * 9 + 16, 'read from the cache');
    const st = fs.statSync(cfg);
    fs.writeFileSync(cfg, 'WIDTH = 32\n\ndef width():\n    return WIDTH\n');
    fs.utimesSync(cfg, st.atime, st.mtime);
    assert.strictEqual(params(), 32 * 3 * 9 + 32);
  });

  it('an unwritable cache folder: the run is the same and nothing is written', () => {
    const other = path.join(dir, 'ro');
    fs.mkdirSync(other);
    for (const f of ['cli.js', 'cliMain.js']) {
      fs.copyFileSync(path.join(bin, f), path.join(other, f));
      const st = fs.statSync(path.join(bin, f));
      fs.utimesSync(path.join(other, f), st.atime, st.mtime); // the same build: the same cache key
    }
    // Files where the cache folders would go (root ignores permissions, so a file stands in for a read-only folder).
    const key = fs.readdirSync(bin).find((f) => f.startsWith('parse-'))!;
    fs.writeFileSync(path.join(other, key), 'not a folder');
    fs.writeFileSync(path.join(dir, 'xdg-file'), 'not a folder');
    const file = path.join(models, 'resnet.py');
    const r = spawnSync(
      process.execPath,
      [path.join(other, 'cli.js'), 'profile', file, '--entry', 'resnet18(weights=None)', '--root', torchvisionRoot, '--format', 'json'],
      { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'xdg-file'), CONVLENS_COMPILE_CACHE: '0' } },
    );
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stderr, '');
    const plain = spawnSync(
      process.execPath,
      [path.join(bin, 'cli.js'), 'profile', file, '--entry', 'resnet18(weights=None)', '--root', torchvisionRoot, '--format', 'json'],
      { encoding: 'utf8', env: { ...process.env, CONVLENS_PARSE_CACHE: '0' } },
    );
    assert.strictEqual(r.stdout, plain.stdout);
    assert.deepStrictEqual(fs.readdirSync(other).sort(), ['cli.js', 'cliMain.js', key].sort());
  });
});
