// The seed's DSC and ACBlock (workspace/models.py) with `# convlens: entry` / `# convlens: input` comments.
// Expected numbers are written as the formulas torch uses: Conv2d params = Cout·(Cin/g)·kh·kw + Cout·[bias],
// BatchNorm2d params = 2·C.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { hintAt, hoverText, lensTitles, lineOf, openPython, positionOf, si, withSettings } from './helpers';

const depthConvParams = 16 * (16 / 16) * 3 * 3 + 16; // DSC(16, 32).depth_conv: groups=16, bias
const pointConvParams = 32 * (16 / 1) * 1 * 1 + 32; // DSC(16, 32).point_conv
const acSquare = 32 * 16 * 3 * 3; // ACBlock(16, 32, 3, padding=1).square_conv, bias=False
const acVer = 32 * 16 * 3 * 1;
const acHor = 32 * 16 * 1 * 3;
const acBn = 2 * 32;
const acFused = 32 * 16 * 3 * 3 + 32; // deploy=True: one fused conv with bias

describe('models.py: entries from # convlens comments', () => {
  let doc: vscode.TextDocument;
  before(async () => { doc = await openPython('models.py'); });

  it('hints each DSC conv with its params', async () => {
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(depthConvParams)} params`);
      assert.strictEqual(await hintAt(doc, 'self.point_conv = nn.Conv2d('), `${si(pointConvParams)} params`);
    });
  });

  it('hints each ACBlock layer under the entry that builds it', async () => {
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      assert.strictEqual(await hintAt(doc, 'self.square_conv = nn.Conv2d('), `${si(acSquare)} params`);
      assert.strictEqual(await hintAt(doc, 'self.ver_conv = nn.Conv2d('), `${si(acVer)} params`);
      assert.strictEqual(await hintAt(doc, 'self.hor_conv = nn.Conv2d('), `${si(acHor)} params`);
      assert.strictEqual(await hintAt(doc, 'self.square_bn = nn.BatchNorm2d('), `${si(acBn)} params`);
      // Only the deploy=True entry reaches the fused conv.
      assert.strictEqual(await hintAt(doc, 'self.fused_conv = nn.Conv2d('), `${si(acFused)} params`);
    });
  });

  it('puts totals at the input shape, Profile and Set input shape above each entry', async () => {
    assert.deepStrictEqual(await lensTitles(doc, lineOf(doc, 'class DSC(')), [
      `DSC(16, 32): ${si(depthConvParams + pointConvParams)} params @ 1×16×128×128`, 'Profile', 'Set input shape',
    ]);
    const ac = await lensTitles(doc, lineOf(doc, 'class ACBlock('));
    assert.deepStrictEqual(ac, [
      `ACBlock(16, 32, kernel_size=3, padding=1): ${si(acSquare + acVer + acHor + 3 * acBn)} params @ 1×16×128×128`, 'Profile', 'Set input shape',
      `ACBlock(16, 32, kernel_size=3, padding=1, deploy=True): ${si(acFused)} params @ 1×16×128×128`, 'Profile', 'Set input shape',
    ]);
  });

  it('hovers a conv with its type, hyperparameters and params formula', async () => {
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(', 0));
    assert.match(text, /\*\*Conv2d\*\* `depth_conv` in `DSC\(16, 32\)` @ 1×16×128×128/);
    assert.match(text, /in_channels=16, out_channels=16, kernel_size=\[3,3\]/);
    assert.match(text, /groups=16/);
    assert.ok(text.includes(`**Params** ${depthConvParams}`), text);
    assert.ok(text.includes('16·(16/16)·3·3 + 16'), 'the params formula with its terms filled in');
    // Links run only our own commands.
    for (const m of text.matchAll(/\(command:([\w.]+)/g)) assert.ok(m[1]!.startsWith('convlens.'), m[1]);
  });

  it('profiles an entry through the command', async () => {
    const summary = await vscode.commands.executeCommand<{ entry: string; layers: { path: string; params: number }[] }>(
      'convlens.profile', doc.uri.toString(), 'DSC(16, 32)');
    assert.deepStrictEqual(summary.layers.map((l) => [l.path, l.params]), [['depth_conv', depthConvParams], ['point_conv', pointConvParams]]);
  });

  it.skip('hints and hovers MACs under the active convention (pending: the core does not export a profile function yet)', async () => {
    // ptflops counts the bias as one MAC per output: depth_conv = N·Cout·H·W·(Cin/g)·k + N·Cout·H·W.
    const hw = 128 * 128;
    const depthMacs = 1 * 16 * hw * (16 / 16) * 9 + 16 * hw;
    await withSettings({ 'convlens.inlayHints.show': ['params', 'macs'] }, async () => {
      assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(depthConvParams)} params · ${si(depthMacs)} MACs`);
    });
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(', 0));
    assert.ok(text.includes('1×16×128×128 → 1×16×128×128'));
    assert.ok(text.includes(`FLOPs** = 2·MACs = ${(2 * depthMacs).toLocaleString('en-US')}`));
  });
});
