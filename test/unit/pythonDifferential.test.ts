// CPython differential test: every `# %%` section of test/fixtures/differential/*.py runs in CPython
// (one python3 process for all of them, helpers/runSnippets.py) and in the engine's interpreter, and
// the printed lines must be equal. Where the engine cannot know a value it must print nothing rather
// than a different value: it reports "unknown: REASON", which passes only in sections marked
// `# unknown-ok: WHAT` (hash(), id(), set iteration order: values Python itself does not fix).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Session } from '../../extension/core/analyzer';
import { pyStr } from '../../extension/core/interpreter/pyFormat';
import { NONE, type Value } from '../../extension/core/interpreter/values';
import { fixturePath, repoRoot } from './helpers/fixtureFiles';

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

interface Snippet {
  file: string;
  name: string;
  line: number;
  source: string;
  unknownOk?: string;
}

function snippets(): Snippet[] {
  const dir = fixturePath('differential');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .flatMap((f) => {
      const out: Snippet[] = [];
      fs.readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .forEach((l, i) => {
          const head = /^# %% (.+)$/.exec(l);
          if (head) out.push({ file: f, name: head[1]!, line: i + 1, source: '' });
          else if (out.length) {
            const ok = /^# unknown-ok: (.+)$/.exec(l);
            if (ok) out[out.length - 1]!.unknownOk = ok[1]!;
            out[out.length - 1]!.source += `${l}\n`;
          }
        });
      return out;
    });
}

class UnknownValue extends Error {}

/** What print() writes for a value (str() of it); an unknown value anywhere inside throws its reason. */
function display(v: Value, seen = new Set<Value>()): string {
  const walk = (x: Value): void => {
    if (x.kind === 'unknown') throw new UnknownValue(x.reason);
    if (seen.has(x)) return;
    seen.add(x);
    if (x.kind === 'list' || x.kind === 'tuple' || x.kind === 'set') x.items.forEach(walk);
    else if (x.kind === 'dict')
      for (const [k, y] of x.map.values()) {
        walk(k);
        walk(y);
      }
  };
  walk(v);
  if (v.kind === 'set' && v.items.length > 1) throw new UnknownValue('set iteration order (the engine does not model hashing)');
  const s = pyStr(v);
  if (s === undefined) throw new UnknownValue(`no printed form for this ${v.kind}${v.kind === 'str' ? ' (its text is not known)' : ''}`);
  return s;
}

/** Runs one snippet in the engine; print() lines, or `unknown: REASON` for a line it cannot know. */
function engineOutput(s: Snippet): string {
  const session = new Session(s.source, path.join(repoRoot, 'test', 'fixtures', 'differential', `${s.name}.py`), {});
  const lines: string[] = [];
  session.interp.domain!.builtins.vars.set('print', {
    kind: 'builtin',
    name: 'print',
    fn: (c) => {
      try {
        lines.push(c.args.map((a) => display(session.interp.force(a))).join(' '));
      } catch (e) {
        if (!(e instanceof UnknownValue)) throw e;
        lines.push(`unknown: ${e.message}`);
      }
      return NONE;
    },
  });
  session.execute();
  // A statement that raised at module level is skipped with a diagnostic: it shows as a line, so the
  // comparison fails rather than quietly missing what the statement printed.
  const errors = session.diagnostics
    .filter((d) => d.severity === 'error' || /^module-level /.test(d.message))
    .map((d) => `error: ${d.message}`);
  return [...lines, ...errors].map((l) => `${l}\n`).join('');
}

describe('CPython differential (test/fixtures/differential)', function () {
  this.timeout(120_000);
  const all = snippets();
  let expected: { out: string; error?: string }[] = [];

  before(function () {
    const r = spawnSync(PYTHON, [path.join(repoRoot, 'test', 'unit', 'helpers', 'runSnippets.py')], {
      input: JSON.stringify(all.map((s) => s.source)),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.strictEqual(r.status, 0, `python3 failed: ${r.error?.message ?? r.stderr}`);
    expected = JSON.parse(r.stdout) as typeof expected;
  });

  it('has at least 150 snippets, all valid in CPython', function () {
    assert.ok(all.length >= 150, `only ${all.length} snippets`);
    const raised = all
      .filter((_s, i) => expected[i]!.error && !/No module named '(torch|numpy)'/.test(expected[i]!.error!))
      .map((s) => `${s.file}:${s.line} ${s.name}: ${expected[all.indexOf(s)]!.error}`);
    assert.deepStrictEqual(raised, []);
  });

  for (const [i, s] of all.entries()) {
    it(`${s.file}:${s.line} ${s.name}`, function () {
      // A snippet about torch modules needs Debian's python3-torch (numpy comes with it); without it there is nothing to compare.
      if (/No module named '(torch|numpy)'/.test(expected[i]!.error ?? '')) this.skip();
      const want = expected[i]!.out.split('\n');
      const got = engineOutput(s).split('\n');
      const diffs: string[] = [];
      for (let k = 0; k < Math.max(want.length, got.length); k++) {
        const g = got[k] ?? '<nothing>',
          w = want[k] ?? '<nothing>';
        if (g === w) continue;
        if (s.unknownOk && /^unknown: .{8,}/.test(g)) continue;
        diffs.push(`line ${k + 1}: engine ${JSON.stringify(g)}, CPython ${JSON.stringify(w)}`);
      }
      assert.deepStrictEqual(diffs, []);
    });
  }
});
