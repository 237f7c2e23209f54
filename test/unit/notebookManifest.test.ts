// package.json's notebook contributions must match the code: the renderer's id, MIME types and
// entrypoint (the webpack renderer target's output), the Python helper's MIME type, and the
// "Profile this cell" command with its cell-toolbar button and the activation event for messaging.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RUNTIME_PROFILE_MIME } from '../../extension/core/runtime';
import { NOTEBOOK_RENDERER_ID, PROFILE_MIME, RENDERER_MIME_TYPES } from '../../extension/protocol/rendererMessages';

const repoRoot = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus?: Record<string, { command: string; when?: string; group?: string }[]>;
    notebookRenderer?: { id: string; displayName: string; entrypoint: string; mimeTypes: string[]; requiresMessaging?: string }[];
  };
};

describe('package.json notebook contributions', () => {
  const renderers = manifest.contributes.notebookRenderer ?? [];

  it('declares the renderer with the protocol id and MIME types and optional messaging', () => {
    assert.strictEqual(renderers.length, 1);
    const r = renderers[0]!;
    assert.strictEqual(r.id, NOTEBOOK_RENDERER_ID);
    assert.deepStrictEqual(r.mimeTypes, [...RENDERER_MIME_TYPES]);
    assert.strictEqual(r.requiresMessaging, 'optional');
    assert.ok(manifest.activationEvents.includes(`onRenderer:${NOTEBOOK_RENDERER_ID}`), 'the extension wakes up for renderer messages');
  });

  it('points the entrypoint at what the webpack renderer target emits, as an ES module', () => {
    type WebpackConfig = {
      name: string;
      output: { path: string; filename: string; library?: { type: string } };
      entry: Record<string, string>;
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- webpack.config.js is CommonJS
    const makeConfigs = require(path.join(repoRoot, 'webpack.config.js')) as (env: unknown, argv: unknown) => WebpackConfig[];
    const configs = makeConfigs({}, { mode: 'production' });
    const renderer = configs.find((c) => c.name === 'renderer');
    assert.ok(renderer, 'webpack.config.js has a renderer target');
    const [entryName] = Object.keys(renderer.entry);
    const emitted = path.join(renderer.output.path, renderer.output.filename.replace('[name]', entryName!));
    assert.strictEqual(path.resolve(repoRoot, renderers[0]!.entrypoint), emitted);
    assert.strictEqual(renderer.output.library?.type, 'module');
  });

  it('reads the MIME type the runtime helper and the core use', () => {
    assert.strictEqual(PROFILE_MIME, RUNTIME_PROFILE_MIME);
    const helper = fs.readFileSync(path.join(repoRoot, 'media/python/convlens_runtime.py'), 'utf8');
    assert.match(helper, new RegExp(`^MIME = "${PROFILE_MIME.replace(/[.+]/g, '\\$&')}"$`, 'm'));
  });

  it('offers Profile this cell in the palette category and on the code cell toolbar', () => {
    const cmd = manifest.contributes.commands.find((c) => c.command === 'convlens.profileCell');
    assert.ok(cmd);
    assert.strictEqual(cmd.category, 'Conv Lens');
    assert.ok(cmd.icon, 'a toolbar button needs an icon');
    const toolbar = manifest.contributes.menus?.['notebook/cell/title'] ?? [];
    const item = toolbar.find((m) => m.command === 'convlens.profileCell');
    assert.ok(item, 'on the cell toolbar');
    assert.match(item.when ?? '', /notebookCellType == code/);
  });
});
