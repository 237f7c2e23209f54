// torchvision-style ResNet-18 (workspace/tvstyle.py): a factory entry found without any comment, helper
// functions returning layers, and block lines executed eight times (aggregated as ×8).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { cliJson, cliMacs, hintAt, hoverText, lensTitles, lineOf, openPython, positionOf, si, withSettings } from './helpers';

// ResNet-18 stages: (in, out) channels of each BasicBlock, two blocks per stage.
const blocks: [number, number][] = [
  [64, 64],
  [64, 64],
  [64, 128],
  [128, 128],
  [128, 256],
  [256, 256],
  [256, 512],
  [512, 512],
];
const conv1Params = blocks.reduce((s, [cin, cout]) => s + cout * cin * 3 * 3, 0); // conv3x3(inplanes, planes), no bias
const conv2Params = blocks.reduce((s, [, cout]) => s + cout * cout * 3 * 3, 0);
const stemParams = 64 * 3 * 7 * 7;
const fcParams = 512 * 1000 + 1000;
const layer1Params = 2 * (2 * 64 * 64 * 3 * 3 + 2 * 2 * 64); // two blocks: two convs and two BNs each
const resnet18Params = 11_689_512; // torchvision's documented count for resnet18

describe('tvstyle.py: factory entry, helpers and loops', () => {
  let doc: vscode.TextDocument;
  before(async () => {
    doc = await openPython('tvstyle.py');
  });

  it("finds resnet18() as an entry and puts the CLI's totals above it", async () => {
    const t = cliJson(doc, 'resnet18()', 'ptflops').totals;
    assert.strictEqual(t.params, resnet18Params);
    assert.deepStrictEqual(await lensTitles(doc, lineOf(doc, 'def resnet18(')), [
      `${si(resnet18Params)} params · ${si(t.macs!)} MACs · ${si(t.macsPerPixel!)} MAC/px @ 1×3×224×224 (⚠ assumed, ptflops)`,
      'Profile',
      'Set input shape',
    ]);
  });

  for (const convention of ['ptflops', 'torchinfo']) {
    it(`hints params and MACs equal to the CLI's under ${convention}`, async () => {
      const report = cliJson(doc, 'resnet18()', convention);
      const blockConv =
        (name: string) =>
        (p: string): boolean =>
          new RegExp(`^layer\\d\\.\\d\\.${name}$`).test(p);
      await withSettings({ 'convlens.convention': convention }, async () => {
        assert.strictEqual(
          await hintAt(doc, 'self.conv1 = conv3x3('),
          `×8 · ${si(conv1Params)} params · ${si(cliMacs(report, blockConv('conv1')))} MACs`,
        );
        assert.strictEqual(
          await hintAt(doc, 'self.conv2 = conv3x3('),
          `×8 · ${si(conv2Params)} params · ${si(cliMacs(report, blockConv('conv2')))} MACs`,
        );
        assert.strictEqual(
          await hintAt(doc, 'self.conv1 = nn.Conv2d(3,'),
          `${si(stemParams)} params · ${si(cliMacs(report, (p) => p === 'conv1'))} MACs`,
        );
        assert.strictEqual(
          await hintAt(doc, 'self.fc = nn.Linear('),
          `${si(fcParams)} params · ${si(cliMacs(report, (p) => p === 'fc'))} MACs`,
        );
        const lens = (await lensTitles(doc, lineOf(doc, 'def resnet18(')))[0];
        assert.strictEqual(
          lens,
          `${si(resnet18Params)} params · ${si(report.totals.macs!)} MACs · ${si(report.totals.macsPerPixel!)} MAC/px @ 1×3×224×224 (⚠ assumed, ${convention})`,
        );
      });
    });
  }

  it("hovers the stem conv with ptflops' MACs and the input's 224×224 as the per-pixel denominator", async () => {
    const report = cliJson(doc, 'resnet18()', 'ptflops');
    const stem = report.layers.find((l) => l.path === 'conv1')!;
    // N·Cout·Hout·Wout·(Cin/g)·kh·kw, no bias: 1·64·112·112·3·7·7.
    assert.strictEqual(stem.macs, 1 * 64 * 112 * 112 * 3 * 7 * 7);
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(3,'));
    assert.ok(text.includes(`**MACs** (ptflops) ${stem.macs.toLocaleString('en-US')}`), text);
    assert.ok(text.includes(`**MACs/pixel** ${(stem.macs / (224 * 224)).toLocaleString('en-US')} (H×W = 224×224 of the input)`), text);
    assert.ok(text.includes('1×3×224×224 → 1×64×112×112'), text);
  });

  it('aggregates a block line built eight times', async () => {
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      assert.strictEqual(await hintAt(doc, 'self.conv1 = conv3x3('), `×8 · ${si(conv1Params)} params`);
      assert.strictEqual(await hintAt(doc, 'self.conv2 = conv3x3('), `×8 · ${si(conv2Params)} params`);
      // Every 3×3 conv of the model is built by the helper's return line.
      assert.strictEqual(
        await hintAt(doc, 'return nn.Conv2d(in_planes, out_planes, kernel_size=3'),
        `×16 · ${si(conv1Params + conv2Params)} params`,
      );
      assert.strictEqual(await hintAt(doc, 'self.conv1 = nn.Conv2d(3,'), `${si(stemParams)} params`);
      assert.strictEqual(await hintAt(doc, 'self.fc = nn.Linear('), `${si(fcParams)} params`);
      assert.strictEqual(await hintAt(doc, 'self.layer1 = self._make_layer('), `10 layers · ${si(layer1Params)} params`);
    });
  });

  it('hovers an aggregated line with the total and the layers it built', async () => {
    const text = await hoverText(doc, positionOf(doc, 'conv3x3(inplanes'));
    assert.ok(text.includes('**Conv2d ×8**'), text);
    assert.ok(text.includes(`**Params** ${conv1Params.toLocaleString('en-US')}`), text);
    // Each instance with its output shape, params and MACs, and the playground for that instance.
    assert.ok(text.includes(`\`layer1.0.conv1\` Conv2d → 1×64×56×56 · ${si(64 * 64 * 9)} params`), text);
    assert.ok(text.includes('`layer4.1.conv1` Conv2d → 1×512×7×7'), text);
    const visualize = [...text.matchAll(/\[Visualize\]\(command:convlens\.visualizeLayer\?(\S*?)\)(?=$|\n)/gm)];
    assert.strictEqual(visualize.length, 8, 'one Visualize link per instance');
    assert.deepStrictEqual(JSON.parse(decodeURIComponent(visualize[7]![1]!)).slice(1), ['resnet18()', 'layer4.1.conv1']);
  });

  it('uses the input shape set for the file', async () => {
    const line = lineOf(doc, 'def resnet18(');
    await vscode.commands.executeCommand('convlens.setInputShape', doc.uri.toString(), '1x3x64x64');
    try {
      assert.match((await lensTitles(doc, line))[0]!, /@ 1×3×64×64 \(set for this file, ptflops\)$/);
    } finally {
      await vscode.commands.executeCommand('convlens.setInputShape', doc.uri.toString(), '');
    }
    assert.match((await lensTitles(doc, line))[0]!, /@ 1×3×224×224 \(⚠ assumed, ptflops\)$/);
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
