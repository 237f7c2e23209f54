// The web extension (package.json `browser`, dist/web/extension.js) in the real workbench's web worker
// extension host: it activates there, and serves inlay hints, hovers and CodeLens, reading imported files
// through vscode.workspace.fs. Expected values are torch's formulas (Conv2d = Cout·(Cin/g)·kh·kw + Cout·[bias]).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { extensionId, hintAt, hoverText, lensTitles, lineOf, openPython, positionOf, si } from '../suite/helpers';

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
    assert.ok(text.includes(`\`stem.0\` Conv2d ${8 * 3 * 3 * 3} params`), text);
  });

  it('reads an imported file through the workbench file system (CodeLens totals)', async () => {
    const doc = await openPython('imports/net.py');
    const [lens] = await lensTitles(doc, lineOf(doc, 'class Net('));
    assert.ok(lens?.startsWith(`${netParams} params · `), lens);
  });
});
