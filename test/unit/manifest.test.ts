// package.json `contributes` must match the code: every setting the glue reads (settings.ts settingsSchema)
// and every command it registers (commandIds.ts), with the same defaults, enums, titles and category.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONVENTION_NAMES } from '../../extension/core/cost/costTypes';
import { commandCategory, commandTitles, hoverCommands, playgroundCommand } from '../../extension/features/commandIds';
import {
  conventionAfterWrite,
  conventionArgument,
  conventionWriteLevel,
  conventions,
  readSettings,
  settingsSchema,
} from '../../extension/features/settings';

const repoRoot = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: {
    commands?: { command: string; title: string; category?: string }[];
    configuration?: { properties: Record<string, Record<string, unknown>> };
  };
};

function sourceFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

describe('package.json contributes', () => {
  const properties = manifest.contributes.configuration?.properties ?? {};

  it('declares exactly the settings the code reads', () => {
    const declared = Object.keys(properties)
      .filter((k) => k.startsWith('convlens.'))
      .sort();
    assert.deepStrictEqual(declared, Object.keys(settingsSchema).sort());
  });

  for (const [key, schema] of Object.entries(settingsSchema)) {
    it(`declares ${key} with the code's type, default and allowed values`, () => {
      const p = properties[key];
      assert.ok(p, `${key} missing`);
      assert.strictEqual(p['type'], schema.type);
      assert.deepStrictEqual(p['default'], schema.default);
      if ('enum' in schema) assert.deepStrictEqual(p['enum'], [...schema.enum]);
      if ('items' in schema) assert.deepStrictEqual((p['items'] as { enum: unknown }).enum, [...schema.items.enum]);
      if ('minimum' in schema) assert.strictEqual(p['minimum'], schema.minimum);
      if ('maximum' in schema) assert.strictEqual(p['maximum'], schema.maximum);
      // settings.ts reads every key per resource (settingsFor(workspace, uri)); VS Code warns for any other scope.
      assert.strictEqual(p['scope'], 'resource', `${key} is read per resource`);
      if (Array.isArray(p['enum']) && Array.isArray(p['enumDescriptions'])) {
        assert.strictEqual(p['enumDescriptions'].length, p['enum'].length, 'one description per value');
      }
    });
  }

  it('offers the conventions the core implements, in its order', () => {
    assert.deepStrictEqual([...conventions], [...CONVENTION_NAMES]);
  });

  it('gives the declared defaults when nothing is set', () => {
    const defaults = readSettings(() => undefined);
    const fromManifest = readSettings((key) => properties[key]?.['default']);
    assert.deepStrictEqual(fromManifest, defaults);
  });

  it('declares every command of the command table with its title and category', () => {
    const declared = new Map((manifest.contributes.commands ?? []).map((c) => [c.command, c]));
    for (const [id, title] of [...Object.entries(commandTitles), [playgroundCommand.id, playgroundCommand.title]]) {
      const c = declared.get(id);
      assert.ok(c, `${id} missing from contributes.commands`);
      assert.strictEqual(c.title, title);
      assert.strictEqual(c.category, commandCategory);
    }
    for (const id of hoverCommands) assert.ok(declared.has(id), `hover link ${id} is a declared command`);
  });

  it('activates for the webview panels it restores', () => {
    const events = (manifest as unknown as { activationEvents: string[] }).activationEvents;
    for (const view of ['convlens.playground', 'convlens.profileView']) assert.ok(events.includes(`onWebviewPanel:${view}`), view);
  });

  it('declares no command the code does not register', () => {
    const source = sourceFiles(path.join(repoRoot, 'extension'))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    for (const c of manifest.contributes.commands ?? []) {
      assert.ok(c.command.startsWith('convlens.'), `${c.command} has the extension prefix`);
      assert.strictEqual(c.category, commandCategory, `${c.command} category`);
      assert.ok(source.includes(`'${c.command}'`), `${c.command} appears in the extension's source`);
    }
  });
});

describe('settings normalizers', () => {
  it('turns unexpected values into defaults and clamps numbers', () => {
    const s = readSettings(
      (key) =>
        (
          ({
            'convlens.convention': 'flops-o-matic',
            'convlens.defaultResolution': -5,
            'convlens.inlayHints.show': ['macs', 'bogus', 'params'],
            'convlens.analysis.debounceMs': 99999,
          }) as Record<string, unknown>
        )[key],
    );
    assert.strictEqual(s.convention, 'ptflops');
    assert.strictEqual(s.defaultResolution, 1);
    assert.deepStrictEqual(s.hintParts, ['params', 'macs']);
    assert.strictEqual(s.debounceMs, 5000);
  });

  it('reads a convention argument: a name or { convention }, nothing to ask, anything else a message naming the choices', () => {
    assert.deepStrictEqual(conventionArgument('thop'), { convention: 'thop' });
    assert.deepStrictEqual(conventionArgument({ convention: 'fvcore' }), { convention: 'fvcore' });
    assert.deepStrictEqual(conventionArgument(undefined), {});
    assert.deepStrictEqual(conventionArgument(null), {});
    assert.deepStrictEqual(conventionArgument({}), {});
    for (const bad of ['Thop', 'flops-o-matic', 3, ['thop'], { convention: 7 }, 'x'.repeat(500)]) {
      const r = conventionArgument(bad);
      assert.strictEqual(r.convention, undefined, String(bad));
      assert.match(
        r.error ?? '',
        /^".{1,41}" is not a counting convention; use one of ptflops, ptflops-0\.6, torchinfo, fvcore, thop, torchstat, paper$/,
      );
    }
    assert.strictEqual(conventionArgument('Thop').error?.startsWith('"Thop"'), true);
  });

  it('writes a convention switch where the file sees the setting from, and resolves it as VS Code does', () => {
    assert.strictEqual(conventionWriteLevel(undefined), 'user');
    assert.strictEqual(conventionWriteLevel({ globalValue: 'thop' }), 'user');
    assert.strictEqual(conventionWriteLevel({ globalValue: 'thop', workspaceValue: 'paper' }), 'workspace');
    assert.strictEqual(conventionWriteLevel({ workspaceValue: 'paper', workspaceFolderValue: 'fvcore' }), 'workspaceFolder');
    // A user write: seen unless a workspace or folder value hides it.
    assert.strictEqual(conventionAfterWrite({}, { level: 'user', value: 'thop' }, true), 'thop');
    assert.strictEqual(conventionAfterWrite({ workspaceValue: 'paper' }, { level: 'user', value: 'thop' }, true), 'paper');
    // A workspace write hides the user value.
    assert.strictEqual(conventionAfterWrite({ globalValue: 'paper' }, { level: 'workspace', value: 'thop' }, true), 'thop');
    // A folder write: only the folder's files see it; another folder keeps what it had.
    const other = { globalValue: 'torchstat', workspaceValue: 'paper' };
    assert.strictEqual(conventionAfterWrite(other, { level: 'workspaceFolder', value: 'thop' }, true), 'thop');
    assert.strictEqual(conventionAfterWrite(other, { level: 'workspaceFolder', value: 'thop' }, false), 'paper');
    assert.strictEqual(conventionAfterWrite({ globalValue: 'torchstat' }, { level: 'workspaceFolder', value: 'thop' }, false), 'torchstat');
    // A malformed value at the winning level reads as the default, as readSettings reads it.
    assert.strictEqual(conventionAfterWrite({ workspaceFolderValue: 'bogus' }, { level: 'user', value: 'thop' }, true), 'ptflops');
  });
});
