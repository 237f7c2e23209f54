// Parse conformance: the engine's parser against CPython's own (`ast.parse` of Debian's python3) on
// real files — torchvision 0.14.1's sources and Python's standard library. Wherever CPython accepts a
// file, the engine must report no syntax error, the same top-level statements, and the same counts of
// statements, int and float literals, calls, attributes, subscripts, defs, classes, lambdas and
// comprehensions (so a misparse such as `0. else` read as attribute access fails even without an
// error node). One python3 process answers for every file (helpers/astFacts.py). It runs in the
// torchvision suite (npm run test:torchvision), which fetches the sources first.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Expr, Stmt } from '../../../extension/core/ast';
import { parseModule, parseStatements } from '../../../extension/core/parse';
import { parseTopStatement, splitTopLevel } from '../../../extension/core/topLevel';
import { astJson } from '../helpers/astJson';
import { repoRoot, torchvisionRoot } from '../helpers/fixtureFiles';

const STDLIB = '/usr/lib/python3.11';
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

type Counts = Record<'stmt' | 'int' | 'float' | 'call' | 'attr' | 'subscript' | 'def' | 'class' | 'lambda' | 'comp', number>;
type Facts = { path: string; ok: false; error: string } | { path: string; ok: true; top: string[]; counts: Counts };

function pyFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) return d.name === 'site-packages' || d.name === 'dist-packages' ? [] : pyFiles(p);
      return d.isFile() && d.name.endsWith('.py') ? [p] : [];
    })
    .sort();
}

/** What CPython's parser says about each file (one python3 process for all of them). */
function cpythonFacts(files: string[]): Facts[] {
  const r = spawnSync(PYTHON, [path.join(repoRoot, 'test', 'unit', 'helpers', 'astFacts.py')], {
    input: JSON.stringify(files),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.strictEqual(r.status, 0, `python3 failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as Facts[];
}

const EXPR_COUNTED: Partial<Record<Expr['kind'], keyof Counts>> = {
  call: 'call',
  attr: 'attr',
  subscript: 'subscript',
  lambda: 'lambda',
  comp: 'comp',
};
const STMT_LISTS = new Set(['body', 'orelse', 'finalbody']);

/** The same counts over the engine's AST (function bodies are lazy: each is converted here). */
function engineCounts(body: Stmt[]): Counts {
  const c: Counts = { stmt: 0, int: 0, float: 0, call: 0, attr: 0, subscript: 0, def: 0, class: 0, lambda: 0, comp: 0 };
  const stmts = (list: Stmt[]) => {
    for (const s of list) {
      c.stmt++;
      visit(s);
    }
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.kind === 'num') c[(n as Extract<Expr, { kind: 'num' }>).isFloat ? 'float' : 'int']++;
    else if (n.kind === 'def' || n.kind === 'class') c[n.kind]++;
    else if (typeof n.kind === 'string' && EXPR_COUNTED[n.kind as Expr['kind']]) c[EXPR_COUNTED[n.kind as Expr['kind']]!]++;
    for (const [key, value] of Object.entries(n)) {
      if (!STMT_LISTS.has(key)) visit(value);
      else if (Array.isArray(value)) stmts(value as Stmt[]);
      else if (value && typeof (value as { get?: unknown }).get === 'function') stmts((value as { get(): Stmt[] }).get());
      else visit(value);
    }
  };
  stmts(body);
  return c;
}

/** How the engine's parse of one file differs from CPython's, or undefined. */
function mismatch(f: Extract<Facts, { ok: true }>): string | undefined {
  const text = fs.readFileSync(f.path, 'utf8');
  const m = parseModule(text);
  if (m.errors.length) {
    const e = m.errors[0]!;
    const line = text.slice(0, e.from).split('\n').length;
    return `${m.errors.length} syntax error(s), first at line ${line}: ${JSON.stringify(text.slice(e.from, e.to + 20))}`;
  }
  const top = m.body.map((s) => s.kind);
  if (top.join() !== f.top.join()) {
    const i = top.findIndex((k, j) => k !== f.top[j]);
    return `top-level statements differ at #${i}: engine ${top[i]}, CPython ${f.top[i]} (${top.length} vs ${f.top.length})`;
  }
  const counts = engineCounts(m.body);
  const diff = (Object.keys(f.counts) as (keyof Counts)[]).filter((k) => counts[k] !== f.counts[k]);
  if (diff.length) return diff.map((k) => `${k}: engine ${counts[k]}, CPython ${f.counts[k]}`).join('; ');
  return undefined;
}

/**
 * Files CPython accepts that the engine cannot parse, each for a gap in @lezer/python 1.1's grammar that
 * a same-length rewrite of the source (lezerText.ts) cannot bridge. The test fails when one of them
 * parses (then it leaves this list) and for any file not listed.
 */
const KNOWN_GAPS: Record<string, string> = {
  'python3.11/traceback.py': 'a class pattern with no arguments (`case ast.BinOp():`); match statements are not interpreted anyway',
  'python3.11/unittest/mock.py': 'a tuple after `as` in a with statement (`with f() as (a, b):`)',
  'python3.11/xml/etree/ElementTree.py': 'a tuple after `as` in a with statement (`with f() as (a, b):`)',
};

/** Small sources for what real files rarely show: each token-level difference lezerText.ts rewrites. */
const SNIPPETS = [
  'x = p if p > 0. else 1\ny = 1. if a else 2\nz = (0.) + 1.*x\nv = x if y else 0.\n',
  'u = [1., 2.]\nt = 1.e-3 + 1.E+3 + 1_0. + 09.\nr = 1..real\nq = a[1.:2.]\n',
  "x = 1 if 1.else 2\ns = f\"{1.:>{w}} {x!r} {d['k']:.2f}\" + '1. # 2.'  # 3. comment\n",
  '\ufeffimport os\nx = 2.\n',
  'def g():\n    yield\n    x = (yield)\n    y = yield  # c\n    yield x\n\f\nyield_ = 1.\n',
  'class A:\n    \n\f\n    def f(self, x=1.):\n        return x\n',
];

describe('parse conformance with CPython (torchvision 0.14.1, python3.11 standard library)', function () {
  this.timeout(300_000);
  const snippetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-parse-'));
  const snippets = SNIPPETS.map((text, i) => {
    const p = path.join(snippetDir, `snippet${i}.py`);
    fs.writeFileSync(p, text);
    return p;
  });
  const files = [...snippets, ...pyFiles(path.join(torchvisionRoot, 'torchvision')), ...pyFiles(STDLIB)];
  let facts: Facts[] = [];

  after(function () {
    fs.rmSync(snippetDir, { recursive: true, force: true });
  });

  before(function () {
    facts = cpythonFacts(files);
  });

  it('reads the corpus (CPython accepts most of it)', function () {
    const accepted = facts.filter((f) => f.ok).length;
    assert.ok(
      files.some((f) => f.startsWith(torchvisionRoot)),
      `no torchvision sources under ${torchvisionRoot} (test/scripts/fetchTorchvision.sh)`,
    );
    assert.ok(
      files.some((f) => f.startsWith(STDLIB)),
      `no standard library at ${STDLIB}`,
    );
    assert.strictEqual(facts.length, files.length);
    assert.ok(accepted > 700, `CPython accepted only ${accepted} of ${files.length} files`);
    assert.deepStrictEqual(
      facts.slice(0, snippets.length).filter((f) => !f.ok),
      [],
      'every snippet is valid Python',
    );
  });

  it('parses every file CPython accepts with no error and the same statements and literals', function () {
    const bad: string[] = [];
    const gapsSeen = new Set<string>();
    for (const f of facts) {
      if (!f.ok) continue;
      const name = path.relative(
        path.dirname(f.path.startsWith(STDLIB) ? STDLIB : f.path.startsWith(snippetDir) ? snippetDir : torchvisionRoot),
        f.path,
      );
      const why = mismatch(f);
      if (why && KNOWN_GAPS[name]) gapsSeen.add(name);
      else if (why) bad.push(`${name}: ${why}`);
    }
    assert.deepStrictEqual(bad, [], `${bad.length} of ${facts.filter((f) => f.ok).length} files differ:\n${bad.join('\n')}`);
    assert.deepStrictEqual(
      Object.keys(KNOWN_GAPS).filter((g) => !gapsSeen.has(g)),
      [],
      'known gaps that now parse (remove them from KNOWN_GAPS)',
    );
  });

  it('parses every top-level def header first (its body when called) to the AST a whole parse gives', function () {
    const bad: string[] = [];
    let defs = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const st of splitTopLevel(text) ?? []) {
        if (st.defines === undefined) continue;
        defs++;
        if (astJson(parseTopStatement(text, st)) !== astJson(parseStatements(text, st.from, st.to))) bad.push(`${file}: ${st.defines}`);
      }
    }
    assert.ok(defs > 5000, `only ${defs} top-level defs and classes`);
    assert.deepStrictEqual(bad, []);
  });
});
