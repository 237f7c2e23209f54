// The web extension (package.json `browser`, dist/web/extension.js) in the real workbench's web worker
// extension host: it activates there, and serves inlay hints, hovers and CodeLens, reading imported files
// through vscode.workspace.fs; the profile view renders, the playground runs a conv on WASM, and Profile this
// cell adds an output that the notebook renderer draws (the rendered DOM is read through the runner, driver.ts).
// Expected values are torch's formulas (Conv2d = Cout·(Cin/g)·kh·kw + Cout·[bias]).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { extensionId, hintAt, hoverText, lensTitles, lineOf, openPython, positionOf, si, workspaceUri } from '../suite/helpers';
import { queryOne } from './driver';
import { formatCountBoth } from '../../../extension/core/numberFormat';

/** What `convlens.profile` returns (commands registered in the same host return objects as they are). */
interface ProfileSummary {
  readonly view?: { rendered(entry: string): Promise<{ readonly rows: number; readonly firstPaths: readonly string[] }> };
}

const depthConvParams = 16 * (16 / 16) * 3 * 3 + 16; // models.py DSC(16, 32).depth_conv
const depthConvMacs = 1 * 16 * 128 * 128 * (16 / 16) * 3 * 3 + 1 * 16 * 128 * 128; // ptflops: bias as one MAC per output
const stemParams = 8 * 3 * 3 * 3 + 2 * 8; // imports/net.py: conv_bn(3, 8) from layers.py (Conv2d without bias, BatchNorm2d)
const stemMacs = 8 * 32 * 32 * (3 * 3 * 3) + 2 * 8 * 32 * 32; // ptflops: the conv, then BN as 2·numel of its output
const netParams = 8 * 3 * 3 * 3 + 2 * 8 + (4 * 8 * 1 * 1 + 4); // imports/net.py: conv_bn(3, 8) from layers.py, then a 1×1 conv

describe('web extension (web worker extension host)', () => {
  it('activates from the browser entry, in the web worker extension host', async () => {
    await openPython('models.py');
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is loaded`);
    assert.strictEqual(ext.isActive, true);
    // A web worker host is the local (UI) host of a browser workbench; the Node host of code-server is the remote one.
    assert.strictEqual(ext.extensionKind, vscode.ExtensionKind.UI);
    assert.strictEqual(typeof (ext.packageJSON as { browser?: unknown }).browser, 'string');
  });

  it('runs in a dedicated web worker, not in Node', () => {
    // This suite runs in the host that runs the extension (its bundle is inside the extension's folder). Read through
    // globalThis: the bundle's `process` identifier is webpack's polyfill, the global is what the host has.
    const scope = globalThis as { process?: { versions?: { node?: string } }; importScripts?: unknown; WorkerGlobalScope?: unknown };
    assert.strictEqual(scope.process?.versions?.node, undefined, 'no Node process object');
    assert.strictEqual(
      typeof scope.importScripts,
      'function',
      'importScripts, which only workers have (the host blocks it, as a function)',
    );
    assert.strictEqual(typeof scope.WorkerGlobalScope, 'function', 'WorkerGlobalScope, which only workers have');
    assert.ok(globalThis instanceof (scope.WorkerGlobalScope as new () => unknown), 'the global object is a worker scope');
  });

  it('hints a conv with its params and ptflops MACs', async () => {
    const doc = await openPython('models.py');
    assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(depthConvParams)} params · ${si(depthConvMacs)} MACs`);
  });

  it('hovers a conv with its shapes and params', async () => {
    const doc = await openPython('models.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(', 0));
    assert.ok(text.includes('1×16×128×128 → 1×16×128×128'), text);
    assert.ok(text.includes(`**Params** ${depthConvParams}`), text);
    assert.ok(text.includes(`**MACs** (ptflops) ${depthConvMacs.toLocaleString('en-US')}`), text);
  });

  it('hints and hovers a layer built by a function of an imported file', async () => {
    const doc = await openPython('imports/net.py');
    assert.strictEqual(await hintAt(doc, 'self.stem = conv_bn('), `2 layers · ${si(stemParams)} params · ${si(stemMacs)} MACs`);
    const text = await hoverText(doc, positionOf(doc, 'conv_bn(3, 8)'));
    assert.ok(text.includes(`**Params** ${stemParams} · **MACs** (ptflops) ${stemMacs.toLocaleString('en-US')}`), text);
    assert.match(text, new RegExp(`\`stem\\.0\` Conv2d → 1×8×32×32 · ${8 * 3 * 3 * 3} params`), text);
  });

  it('reads an imported file through the workbench file system (CodeLens totals)', async () => {
    const doc = await openPython('imports/net.py');
    const [lens] = await lensTitles(doc, lineOf(doc, 'class Net('));
    assert.ok(lens?.startsWith(`${netParams} params · `), lens);
  });

  it('opens the profile view, whose webview renders the layers of DSC(16, 32)', async () => {
    const doc = await openPython('models.py');
    const summary = await vscode.commands.executeCommand<ProfileSummary>('convlens.profile', doc.uri.toString(), 'DSC(16, 32)');
    assert.ok(summary?.view, 'the command returns the view it opened');
    const rendered = await summary.view.rendered('DSC(16, 32)');
    assert.strictEqual(rendered.rows, 2);
    assert.deepStrictEqual(rendered.firstPaths, ['depth_conv', 'point_conv']);
  });

  it("runs the playground's default conv on WASM", async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('convlens.openPlayground');
    // The result line of a run (headless Chromium has no WebGPU adapter, so WASM).
    const status = await queryOne('#app .status', 'GMAC/s');
    assert.match(
      status,
      /^WASM — .*Output \[1, 8, 16, 16\], median [\d.]+ ms per run \(\d+ runs in \d+ timed batch(es)?, [\d.]+ ms measured\), [\d.]+ GMAC\/s\.$/,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Profile this cell adds a profile output, drawn by the notebook renderer', async () => {
    // renderer.ipynb's last cell: Wide = Conv2d(3, 32, 5, padding=2), Linear(32, 4), at 1x3x64x64.
    const wideParams = 32 * 3 * 5 * 5 + 32 + (32 * 4 + 4);
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('renderer.ipynb'));
    const editor = await vscode.window.showNotebookDocument(nb);
    const index = nb.cellCount - 1;
    const report = await vscode.commands.executeCommand<{ entry: string; totals: { params: number } }>(
      'convlens.profileCell',
      nb.cellAt(index),
    );
    assert.strictEqual(report?.entry, 'Wide()');
    assert.strictEqual(report.totals.params, wideParams);
    editor.revealRange(new vscode.NotebookRange(index, index + 1), vscode.NotebookEditorRevealType.AtTop);
    const params = await queryOne('.profile.static[data-entry="Wide()"] [data-total="params"] dd', wideParams.toLocaleString('en-US'));
    assert.strictEqual(params, formatCountBoth(wideParams));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
