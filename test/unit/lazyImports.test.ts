// Imported files evaluated name by name (core/topLevel.ts, binder.ts): where top-level statements start,
// a def parsed header first (its body when called), which files run whole, and that the results are those of running every file whole (registries filled
// by decorators, rebinding, star imports, `__dict__`).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeEntry, profileEntry, type ProfileResult, type SourceHost } from '../../extension/core';
import { clearParseCache, parseStatements } from '../../extension/core/parse';
import { lazySource, parseTopStatement, splitTopLevel } from '../../extension/core/topLevel';
import { astJson } from './helpers/astJson';
import { fileHost, fixturePath, torchvisionRoot } from './helpers/fixtureFiles';

/** An in-memory package under /r. */
function host(files: Record<string, string>): SourceHost {
  return {
    readFile: (p) => files[p],
    isDirectory: (p) => Object.keys(files).some((f) => f.startsWith(`${p}/`)),
  };
}

const heads = (text: string) => splitTopLevel(text)!.map((s) => text.slice(s.from, s.to).split('\n')[0]);

describe('top-level statements of a file, found without parsing it', () => {
  it('splits at column-0 code, keeping decorators, else/except arms, strings, brackets and continuations with their statement', () => {
    const text = [
      'import os',
      '"""doc',
      'def not_a_def(): pass',
      '"""',
      '@decorator(',
      'x)',
      '@other',
      'class A:',
      '    s = """',
      'class NotAClass:',
      '"""',
      'try:',
      '    import accimage',
      'except ImportError:',
      '    accimage = None',
      'else:',
      '    pass',
      'X = [',
      '1,',
      ']',
      "Y = 'a' \\",
      '    "b"',
      '# a comment',
      'def f(x=")"): # (',
      '    return x',
    ].join('\n');
    assert.deepStrictEqual(
      heads(text),
      ['import os', '"""doc', '@decorator(', 'try:', 'X = [', "Y = 'a' \\", 'def f(x=")"): # ('],
      heads(text).join(' | '),
    );
    const split = splitTopLevel(text)!;
    assert.strictEqual(split[2]!.defines, 'A');
    assert.strictEqual(split[6]!.defines, 'f');
    assert.strictEqual(split[0]!.defines, undefined);
  });

  it('gives up on a file that ends inside a string or brackets', () => {
    assert.strictEqual(splitTopLevel('x = (1,\n'), undefined);
    assert.strictEqual(splitTopLevel('s = """never closed\n'), undefined);
  });

  it('runs a file whole when a top-level statement does more than bind names', () => {
    assert.ok(lazySource('import torch\nX = 1\ndef f(): pass\n'));
    for (const effect of ['f()\n', 'X.y = 1\n', 'D["k"] = 1\n', 'del X\n', 'from m import *\n', 'raise ImportError()\n'])
      assert.strictEqual(lazySource(`X = 1\ndef f(): pass\n${effect}`), undefined, effect);
  });
});

describe('a top-level def parsed header first, its body when first called', () => {
  it('gives the AST a whole parse gives, for headers and bodies of every shape', () => {
    const text = [
      'import os',
      '@register(name="a:b")',
      '@other',
      'def f(x: int = 1, y=lambda: 2, *a: "s:t", **k) -> Dict[str, int]:  # a comment: (',
      '    """doc: (',
      '',
      '    """',
      '    def inner(z):',
      '        return z',
      '',
      '    # a comment',
      '    return {"k": x}  # trailing',
      '',
      '# between',
      '',
      'async def g(',
      '    a,',
      '):',
      '    await a',
      'def one(): return 1',
      'def h(s="):"):',
      '\tif s:',
      '\t\tpass',
      '\treturn s',
      'class C:',
      '    def m(self):',
      '        return 1',
      'def last(x):',
      '    return x',
    ].join('\n');
    const split = splitTopLevel(text)!;
    assert.deepStrictEqual(
      split.map((s) => s.defines),
      [undefined, 'f', 'g', 'one', 'h', 'C', 'last'],
    );
    for (const st of split) {
      const header = parseTopStatement(text, st);
      assert.strictEqual(astJson(header), astJson(parseStatements(text, st.from, st.to)), text.slice(st.from, st.to));
    }
  });

  it('does not parse a body that never runs (a syntax error in it is never reached)', () => {
    const text = 'def f(x):\n    return x +\n';
    const [def] = parseTopStatement(text, splitTopLevel(text)![0]!);
    assert.ok(def?.kind === 'def');
    assert.strictEqual(def.to, text.length);
    const whole = parseStatements(text, 0, text.length)[0];
    assert.ok(whole?.kind === 'def');
    assert.strictEqual(astJson(def.body.get()), astJson(whole.body.get()));
  });
});

describe('an imported package evaluated by the names read from it', () => {
  beforeEach(() => clearParseCache());

  const pkg = {
    '/r/pkg/__init__.py': 'from .layers import *\nfrom .zoo import build\n',
    '/r/pkg/layers.py': [
      'import torch.nn as nn',
      '__all__ = ["Block", "WIDTH"]',
      'WIDTH = 8',
      'class Block(nn.Module):',
      '    def __init__(self, c=WIDTH):',
      '        super().__init__()',
      '        self.conv = nn.Conv2d(c, c, 3)',
      'class Unused(nn.Module):',
      '    pass',
    ].join('\n'),
    '/r/pkg/zoo.py': [
      'import torch.nn as nn',
      'from .layers import Block',
      '_MODELS = {}',
      'def register(fn):',
      '    _MODELS[fn.__name__] = fn',
      '    return fn',
      'def build(name):',
      '    return _MODELS[name]()',
      '@register',
      'def small():',
      '    return nn.Sequential(Block(), Block(4))',
      '@register',
      'def large():',
      '    return nn.Sequential(Block(16))',
      'WIDTH = 3',
      'WIDTH = WIDTH * 2',
      'def width():',
      '    return nn.Conv2d(WIDTH, 1, 1)',
    ].join('\n'),
  };

  it('fills a registry the way running the whole file does (decorators after the function that reads it)', () => {
    const r = analyzeEntry('from pkg import build\n', '/r/main.py', 'build("small")', { host: host(pkg), roots: ['/r'] });
    assert.strictEqual(r.status, 'ok', JSON.stringify(r.diagnostics));
    assert.deepStrictEqual(
      r.layers.map((l) => [l.path, l.params]),
      [
        ['0.conv', 8 * 8 * 9 + 8],
        ['1.conv', 4 * 4 * 9 + 4],
      ],
    );
    // Positions in a statement parsed alone are the file's (here inside a method body converted later).
    const frame = r.layers[0]!.stack.find((f) => f.file === '/r/pkg/layers.py');
    assert.deepStrictEqual([frame?.line, frame?.col, frame?.endCol], [6, 20, 38]);
  });

  it('fills a registry from modules imported only for their decorators, loaded before or after the registry is read', () => {
    const files = {
      '/r/reg/__init__.py': '',
      '/r/reg/registry.py': [
        '_MODELS = {}',
        'def register(fn):',
        '    _MODELS[fn.__name__] = fn',
        '    return fn',
        'def create(name):',
        '    return _MODELS[name]()',
      ].join('\n'),
      '/r/reg/nets.py': [
        'import torch.nn as nn',
        'from .registry import register',
        '@register',
        'def tiny():',
        '    return nn.Conv2d(3, 8, 3)',
      ].join('\n'),
      '/r/reg/more.py': [
        'import torch.nn as nn',
        'from .registry import register',
        '@register',
        'def wide():',
        '    return nn.Conv2d(3, 64, 1)',
      ].join('\n'),
    };
    const main = [
      'import reg.nets',
      'from reg.registry import create',
      'def later():',
      '    import reg.more',
      "    return create('wide')",
      '',
    ].join('\n');
    const before = analyzeEntry(main, '/r/main.py', "create('tiny')", { host: host(files), roots: ['/r'] });
    assert.deepStrictEqual(
      before.layers.map((l) => l.params),
      [3 * 8 * 9 + 8],
      JSON.stringify(before.diagnostics),
    );
    // reg.more is imported after the registry was first read: its decorator still runs on import.
    const after = analyzeEntry(main, '/r/main.py', "(create('tiny'), later())[1]", { host: host(files), roots: ['/r'] });
    assert.deepStrictEqual(
      after.layers.map((l) => l.params),
      [3 * 64 + 64],
      JSON.stringify(after.diagnostics),
    );
    // The analysed file read lazily (the CLI's --entry) runs its own decorators too.
    const local = [
      'import torch.nn as nn',
      'from reg.registry import register, create',
      '@register',
      'def mine():',
      '    return nn.Conv2d(3, 2, 1)',
      '',
    ].join('\n');
    const lazy = profileEntry(local, '/r/main.py', "create('mine')", {
      host: host(files),
      roots: ['/r'],
      input: [1, 3, 8, 8],
      lazyMain: true,
    });
    assert.deepStrictEqual([lazy.status, lazy.totals.params], ['ok', 3 * 2 + 2], JSON.stringify(lazy.diagnostics));
  });

  it('a name bound twice has its last value, computed from the first', () => {
    const r = analyzeEntry('from pkg.zoo import width\n', '/r/main.py', 'width()', { host: host(pkg), roots: ['/r'] });
    assert.deepStrictEqual(
      r.layers.map((l) => l.params),
      [6 + 1],
    );
  });

  it('a star import binds the module’s __all__ without running what is not read', () => {
    const r = analyzeEntry('from pkg import *\nimport torch.nn as nn\n', '/r/main.py', 'nn.Sequential(Block(), Block(WIDTH // 2))', {
      host: host(pkg),
      roots: ['/r'],
    });
    assert.deepStrictEqual(
      r.layers.map((l) => l.params),
      [8 * 8 * 9 + 8, 4 * 4 * 9 + 4],
    );
    const hidden = analyzeEntry('from pkg.layers import *\n', '/r/main.py', 'Unused()', { host: host(pkg), roots: ['/r'] });
    assert.strictEqual(hidden.status, 'error', 'Unused is not in __all__');
  });

  it('module.__dict__ holds every name of a module evaluated lazily', () => {
    const r = analyzeEntry('import pkg.layers as L\n', '/r/main.py', 'L.__dict__["Unused"]()', { host: host(pkg), roots: ['/r'] });
    assert.strictEqual(r.status, 'ok', JSON.stringify(r.diagnostics));
  });

  it("a package's __init__ that imports its own submodules (`from . import m`) runs whole: `from p import m` builds", () => {
    const files = {
      '/r/p/__init__.py': 'from . import m\n',
      '/r/p/m.py': [
        'from torch import nn',
        'class CBR(nn.Sequential):',
        '    def __init__(self, i, o):',
        '        super(CBR, self).__init__(nn.Conv2d(i, o, 3), nn.BatchNorm2d(o))',
        'def net():',
        '    return nn.Sequential(CBR(3, 8), CBR(8, 16))',
        '',
      ].join('\n'),
    };
    const r = analyzeEntry('from p import m\n', '/r/main.py', 'm.net()', { host: host(files), roots: ['/r'] });
    assert.strictEqual(r.status, 'ok', JSON.stringify(r.diagnostics));
    assert.deepStrictEqual(
      r.layers.map((l) => [l.path, l.params]),
      [
        ['0.0', 3 * 8 * 9 + 8],
        ['0.1', 16],
        ['1.0', 8 * 16 * 9 + 16],
        ['1.1', 32],
      ],
    );
  });
});

describe('the analysed file itself read by the names its entry uses (lazyMain, the CLI with --entry)', () => {
  const sorted = (r: ProfileResult) => ({
    ...r,
    diagnostics: [...r.diagnostics].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  });
  const cases: [string, string, number[]][] = [
    [fixturePath('seed', 'seed_models_fixed.py'), 'DSC(16, 32)', [1, 16, 64, 64]],
    [fixturePath('seed', 'seed_models_fixed.py'), 'ACBlock(16, 32, kernel_size=3, padding=1)', [1, 16, 64, 64]],
    [path.join(torchvisionRoot, 'torchvision/models/resnet.py'), 'resnet50(weights=None)', [1, 3, 224, 224]],
    [path.join(torchvisionRoot, 'torchvision/models/mobilenetv2.py'), 'mobilenet_v2(weights=None)', [1, 3, 224, 224]],
  ];
  for (const [file, entry, input] of cases) {
    it(`profiles ${entry} exactly as running ${path.basename(file)} whole does (diagnostics in any order)`, function () {
      if (!fs.existsSync(file)) this.skip();
      const text = fs.readFileSync(file, 'utf8');
      const options = { host: fileHost(), roots: [torchvisionRoot], input };
      const whole = profileEntry(text, file, entry, options);
      const lazy = profileEntry(text, file, entry, { ...options, lazyMain: true });
      assert.strictEqual(whole.status, 'ok');
      assert.deepStrictEqual(sorted(lazy), sorted(whole));
    });
  }

  it('runs only what the entry reads: a definition it never uses is not even evaluated', () => {
    const text = [
      'import torch.nn as nn',
      'class Unused(nn.Module):',
      '    size = 1 // 0',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.c = nn.Conv2d(3, 8, 3)',
      '    def forward(self, x):',
      '        return self.c(x)',
      '',
    ].join('\n');
    const whole = profileEntry(text, '/r/m.py', 'Net()', { input: [1, 3, 8, 8] });
    const lazy = profileEntry(text, '/r/m.py', 'Net()', { input: [1, 3, 8, 8], lazyMain: true });
    assert.deepStrictEqual(
      whole.diagnostics.map((d) => [d.code, d.range?.line]),
      [['raise', 2]],
      "a whole run evaluates Unused's body",
    );
    assert.deepStrictEqual(lazy.diagnostics, []);
    assert.deepStrictEqual([lazy.totals.params, lazy.outputShape], [whole.totals.params, whole.outputShape]);
  });
});
