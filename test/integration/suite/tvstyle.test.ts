// torchvision-style ResNet-18 (workspace/tvstyle.py): a factory entry found without any comment, helper
// functions returning layers, and block lines executed eight times (aggregated as ×8).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { hintAt, hoverText, lensTitles, lineOf, openPython, positionOf, si, withSettings } from './helpers';

// ResNet-18 stages: (in, out) channels of each BasicBlock, two blocks per stage.
const blocks: [number, number][] = [[64, 64], [64, 64], [64, 128], [128, 128], [128, 256], [256, 256], [256, 512], [512, 512]];
const conv1Params = blocks.reduce((s, [cin, cout]) => s + cout * cin * 3 * 3, 0); // conv3x3(inplanes, planes), no bias
const conv2Params = blocks.reduce((s, [, cout]) => s + cout * cout * 3 * 3, 0);
const stemParams = 64 * 3 * 7 * 7;
const fcParams = 512 * 1000 + 1000;
const layer1Params = 2 * (2 * 64 * 64 * 3 * 3 + 2 * 2 * 64); // two blocks: two convs and two BNs each
const resnet18Params = 11_689_512; // torchvision's documented count for resnet18

describe('tvstyle.py: factory entry, helpers and loops', () => {
  let doc: vscode.TextDocument;
  before(async () => { doc = await openPython('tvstyle.py'); });

  it('finds resnet18() as an entry and puts its totals above it', async () => {
    assert.deepStrictEqual(await lensTitles(doc, lineOf(doc, 'def resnet18(')), [
      `resnet18(): ${si(resnet18Params)} params @ 1×3×224×224`, 'Profile', 'Set input shape',
    ]);
  });

  it('aggregates a block line built eight times', async () => {
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      assert.strictEqual(await hintAt(doc, 'self.conv1 = conv3x3('), `×8 · ${si(conv1Params)} params`);
      assert.strictEqual(await hintAt(doc, 'self.conv2 = conv3x3('), `×8 · ${si(conv2Params)} params`);
      // Every 3×3 conv of the model is built by the helper's return line.
      assert.strictEqual(await hintAt(doc, 'return nn.Conv2d(in_planes, out_planes, kernel_size=3'), `×16 · ${si(conv1Params + conv2Params)} params`);
      assert.strictEqual(await hintAt(doc, 'self.conv1 = nn.Conv2d(3,'), `${si(stemParams)} params`);
      assert.strictEqual(await hintAt(doc, 'self.fc = nn.Linear('), `${si(fcParams)} params`);
      assert.strictEqual(await hintAt(doc, 'self.layer1 = self._make_layer('), `10 layers · ${si(layer1Params)} params`);
    });
  });

  it('hovers an aggregated line with the total and the layers it built', async () => {
    const text = await hoverText(doc, positionOf(doc, 'conv3x3(inplanes'));
    assert.ok(text.includes('**Conv2d ×8**'), text);
    assert.ok(text.includes(`**Params** ${conv1Params.toLocaleString('en-US')}`), text);
    assert.ok(text.includes('`layer1.0.conv1` Conv2d'), text);
    assert.ok(text.includes('`layer4.1.conv1` Conv2d'), text);
  });

  it('uses the input shape set for the file', async () => {
    const line = lineOf(doc, 'def resnet18(');
    await vscode.commands.executeCommand('convlens.setInputShape', doc.uri.toString(), '1x3x64x64');
    try {
      assert.strictEqual((await lensTitles(doc, line))[0], `resnet18(): ${si(resnet18Params)} params @ 1×3×64×64`);
    } finally {
      await vscode.commands.executeCommand('convlens.setInputShape', doc.uri.toString(), '');
    }
    assert.strictEqual((await lensTitles(doc, line))[0], `resnet18(): ${si(resnet18Params)} params @ 1×3×224×224`);
  });

  it('switches the convention through the command', async () => {
    const config = vscode.workspace.getConfiguration('convlens');
    const before = config.inspect('convention')?.globalValue;
    try {
      assert.strictEqual(await vscode.commands.executeCommand('convlens.selectConvention', 'thop'), 'thop');
      assert.strictEqual(vscode.workspace.getConfiguration('convlens').get('convention'), 'thop');
    } finally {
      await config.update('convention', before, vscode.ConfigurationTarget.Global);
    }
  });
});
