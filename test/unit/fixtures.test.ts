// Runs every fixture in test/fixtures/python: builds each `# convlens-test: entry`, profiles it, and
// checks the expectations written next to the lines (see test/fixtures/python/README.md).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { profileEntry, type ProfileResult, type ProfiledLayer } from '../../extension/core';
import { arith, fileHost, fixturePath, outputOf, tupleOf } from './helpers/fixtureFiles';
import { checkInvariant } from './helpers/invariant';

interface Expectation {
  line: number;
  kind: string;
  text: string;
}
interface Section {
  entry: string;
  line: number;
  expectations: Expectation[];
}

const EXPECT = /#\s*(expect(?:-[a-z]+)?):\s*(.+)$/;

function sections(source: string): Section[] {
  const out: Section[] = [];
  source.split('\n').forEach((l, line) => {
    const entry = /#\s*convlens-test:\s*entry\s+(.+)$/.exec(l);
    if (entry) {
      out.push({ entry: entry[1]!.trim(), line, expectations: [] });
      return;
    }
    const m = EXPECT.exec(l);
    if (m && out.length) out[out.length - 1]!.expectations.push({ line, kind: m[1]!, text: m[2]!.trim() });
  });
  return out;
}

function pyFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? pyFiles(p) : d.name.endsWith('.py') ? [p] : [];
  });
}

/** The layers whose construction stack passes through `line` of `file`. */
function layersOfLine(r: ProfileResult, file: string, line: number): ProfiledLayer[] {
  return r.layers.filter((l) => l.stack.some((f) => f.file === file && f.line === line));
}

function check(r: ProfileResult, file: string, e: Expectation): void {
  const where = `${path.basename(file)}:${e.line + 1} (${e.kind}: ${e.text})`;
  const layers = layersOfLine(r, file, e.line);
  switch (e.kind) {
    case 'expect': {
      const m = /^params\s*=\s*(.+)$/.exec(e.text);
      assert.ok(m, `${where}: unknown expectation`);
      assert.ok(layers.length > 0, `${where}: no layer is constructed through this line`);
      const unknown = layers.filter((l) => l.params === null);
      assert.deepStrictEqual(
        unknown.map((l) => `${l.path}: ${l.reason}`),
        [],
        `${where}: unknown layers`,
      );
      assert.strictEqual(
        layers.reduce((a, l) => a + (l.params ?? 0), 0),
        arith(m[1]!),
        `${where}: ${layers.map((l) => `${l.path}=${l.params}`).join(', ')}`,
      );
      return;
    }
    case 'expect-shape':
      assert.ok(layers.length > 0, `${where}: no layer`);
      for (const l of layers) assert.deepStrictEqual(l.output ?? l.outputShape, outputOf(e.text), `${where}: ${l.path}`);
      return;
    case 'expect-unknown':
      assert.ok(layers.length > 0, `${where}: no layer`);
      for (const l of layers) {
        assert.strictEqual(l.status, 'unknown', `${where}: ${l.path} is ${l.status}`);
        assert.ok((l.reason ?? '').includes(e.text), `${where}: ${l.path}: reason '${l.reason}'`);
        assert.ok(l.reason && l.reason.length > e.text.length, `${where}: reason too terse`);
      }
      return;
    case 'expect-count':
      assert.strictEqual(layers.length, Number(e.text), `${where}: ${layers.map((l) => l.path).join(', ')}`);
      return;
    case 'expect-paths':
      assert.deepStrictEqual(
        layers.map((l) => l.path),
        e.text.split(',').map((s) => s.trim()),
        where,
      );
      return;
    case 'expect-output':
      assert.deepStrictEqual(r.outputShape, tupleOf(e.text), where);
      return;
    case 'expect-total': {
      if (e.text === 'unknown') {
        assert.strictEqual(r.totals.params, null, where);
        return;
      }
      const p = /^params\s*=\s*(.+)$/.exec(e.text);
      if (p) {
        assert.strictEqual(r.totals.params, arith(p[1]!), where);
        return;
      }
      const m = /^macs\(([a-z0-9.-]+)\)\s*=\s*(.+)$/.exec(e.text);
      assert.ok(m, `${where}: unknown expectation`);
      const prof = r.profiles?.[m[1] as keyof NonNullable<ProfileResult['profiles']>];
      assert.ok(prof, `${where}: no profile`);
      assert.strictEqual(prof.totals.macs, arith(m[2]!), where);
      return;
    }
    case 'expect-diagnostic':
      assert.ok(
        r.diagnostics.some((d) => d.message.includes(e.text)),
        `${where}: diagnostics were ${JSON.stringify(r.diagnostics.map((d) => d.message))}`,
      );
      return;
    case 'expect-error':
      assert.strictEqual(r.status, 'error', `${where}: the entry was built`);
      assert.ok(
        r.diagnostics.some((d) => d.severity === 'error' && d.message.includes(e.text)),
        `${where}: errors were ${JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message))}`,
      );
      return;
    default:
      assert.fail(`${where}: unknown expectation kind`);
  }
}

describe('engine fixtures (test/fixtures/python)', () => {
  const root = fixturePath('python');
  for (const file of pyFiles(root)) {
    const source = fs.readFileSync(file, 'utf8');
    const secs = sections(source);
    for (const sec of secs) {
      it(`${path.relative(root, file)}: ${sec.entry}`, () => {
        const r = profileEntry(source, file, sec.entry, { host: fileHost(), roots: [root] });
        if (!sec.expectations.some((e) => e.kind === 'expect-error')) {
          assert.strictEqual(r.status, 'ok', `entry failed: ${JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))}`);
        }
        assert.ok(sec.expectations.length > 0, 'a fixture section without expectations checks nothing');
        for (const e of sec.expectations) check(r, file, e);
        checkInvariant(r, `${path.basename(file)} ${sec.entry}`);
      });
    }
  }
});
