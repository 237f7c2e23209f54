// The seed's DSC and ACBlock (workspace/models.py) with `# convlens: entry` / `# convlens: input` comments.
// Expected params are written as the formulas torch uses (Conv2d = Cout·(Cin/g)·kh·kw + Cout·[bias],
// BatchNorm2d = 2·C), expected MACs as ptflops' formulas and, for every convention, as what the CLI prints
// for the same file (`convlens profile --format json`): the editor and the CLI must agree.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { cli, cliJson, cliMacs, hintAt, hoverText, lensTitles, lineOf, openPython, positionOf, si, withSettings } from './helpers';

const depthConvParams = 16 * (16 / 16) * 3 * 3 + 16; // DSC(16, 32).depth_conv: groups=16, bias
const pointConvParams = 32 * (16 / 1) * 1 * 1 + 32; // DSC(16, 32).point_conv
const acSquare = 32 * 16 * 3 * 3; // ACBlock(16, 32, 3, padding=1).square_conv, bias=False
const acVer = 32 * 16 * 3 * 1;
const acHor = 32 * 16 * 1 * 3;
const acBn = 2 * 32;
const acFused = 32 * 16 * 3 * 3 + 32; // deploy=True: one fused conv with bias
// ptflops counts a conv as N·Cout·H·W·(Cin/g)·kh·kw plus one MAC per output for the bias.
const hw = 128 * 128;
const depthMacs = 1 * 16 * hw * (16 / 16) * 3 * 3 + 1 * 16 * hw;
const pointMacs = 1 * 32 * hw * (16 / 1) * 1 * 1 + 1 * 32 * hw;
const dsc = 'DSC(16, 32)';
const acTrain = 'ACBlock(16, 32, kernel_size=3, padding=1)';
const acDeploy = 'ACBlock(16, 32, kernel_size=3, padding=1, deploy=True)';

describe('models.py: entries from # convlens comments', () => {
  let doc: vscode.TextDocument;
  before(async () => {
    doc = await openPython('models.py');
  });

  it('hints each DSC conv with its params', async () => {
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(depthConvParams)} params`);
      assert.strictEqual(await hintAt(doc, 'self.point_conv = nn.Conv2d('), `${si(pointConvParams)} params`);
    });
  });

  it('hints params and MACs under ptflops, equal to the formulas and to the CLI', async () => {
    const report = cliJson(doc, dsc, 'ptflops');
    assert.strictEqual(
      cliMacs(report, (p) => p === 'depth_conv'),
      depthMacs,
    );
    assert.strictEqual(
      cliMacs(report, (p) => p === 'point_conv'),
      pointMacs,
    );
    assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(depthConvParams)} params · ${si(depthMacs)} MACs`);
    assert.strictEqual(await hintAt(doc, 'self.point_conv = nn.Conv2d('), `${si(pointConvParams)} params · ${si(pointMacs)} MACs`);
  });

  it("hints every ACBlock layer with the CLI's MACs, under ptflops and after switching to thop", async () => {
    for (const convention of ['ptflops', 'thop']) {
      await withSettings({ 'convlens.convention': convention }, async () => {
        const train = cliJson(doc, acTrain, convention);
        const deploy = cliJson(doc, acDeploy, convention);
        const expect = (params: number, macs: number): string => `${si(params)} params · ${si(macs)} MACs`;
        assert.strictEqual(
          await hintAt(doc, 'self.square_conv = nn.Conv2d('),
          expect(
            acSquare,
            cliMacs(train, (p) => p === 'square_conv'),
          ),
        );
        assert.strictEqual(
          await hintAt(doc, 'self.ver_conv = nn.Conv2d('),
          expect(
            acVer,
            cliMacs(train, (p) => p === 'ver_conv'),
          ),
        );
        assert.strictEqual(
          await hintAt(doc, 'self.hor_conv = nn.Conv2d('),
          expect(
            acHor,
            cliMacs(train, (p) => p === 'hor_conv'),
          ),
        );
        assert.strictEqual(
          await hintAt(doc, 'self.square_bn = nn.BatchNorm2d('),
          expect(
            acBn,
            cliMacs(train, (p) => p === 'square_bn'),
          ),
        );
        // Only the deploy=True entry reaches the fused conv.
        assert.strictEqual(
          await hintAt(doc, 'self.fused_conv = nn.Conv2d('),
          expect(
            acFused,
            cliMacs(deploy, (p) => p === 'fused_conv'),
          ),
        );
      });
    }
    // thop counts no bias: the fused conv is N·Cout·H·W·Cin·k² exactly.
    assert.strictEqual(
      cliMacs(cliJson(doc, acDeploy, 'thop'), (p) => p === 'fused_conv'),
      1 * 32 * hw * 16 * 3 * 3,
    );
  });

  it('hints DSC under fvcore after switching the convention (bias not counted), writes the setting, and follows a later change of it', async () => {
    await vscode.commands.executeCommand('convlens.selectConvention', 'fvcore');
    try {
      const report = cliJson(doc, dsc, 'fvcore');
      const depth = 1 * 16 * hw * (16 / 16) * 3 * 3;
      assert.strictEqual(
        cliMacs(report, (p) => p === 'depth_conv'),
        depth,
      );
      assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(depthConvParams)} params · ${si(depth)} MACs`);
      const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(', 0));
      assert.ok(text.includes(`**MACs** (fvcore) ${depth.toLocaleString('en-US')}`), text);
      // The switch was written where the file sees the setting from (no workspace value: the user's).
      const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('convlens', doc.uri);
      assert.strictEqual(config().inspect('convention')?.globalValue, 'fvcore');
      // A change made elsewhere (settings.json, another window) wins over the switch: the hint follows it.
      await config().update('convention', 'ptflops', vscode.ConfigurationTarget.Global);
      assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(depthConvParams)} params · ${si(depthMacs)} MACs`);
      // An unknown convention as the command's argument changes nothing.
      await vscode.commands.executeCommand('convlens.selectConvention', 'flopcount');
      assert.strictEqual(config().inspect('convention')?.globalValue, 'ptflops');
      assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), `${si(depthConvParams)} params · ${si(depthMacs)} MACs`);
    } finally {
      await vscode.workspace.getConfiguration('convlens').update('convention', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('puts totals, MACs/pixel and the input shape above each entry, then Profile and Set input shape', async () => {
    const d = cliJson(doc, dsc).totals;
    assert.strictEqual(d.macs, depthMacs + pointMacs);
    assert.deepStrictEqual(await lensTitles(doc, lineOf(doc, 'class DSC(')), [
      `${dsc}: ${si(depthConvParams + pointConvParams)} params · ${si(d.macs)} MACs · ${si(d.macs / hw)} MAC/px @ 1×16×128×128 (# convlens: input, ptflops)`,
      'Profile',
      'Set input shape',
    ]);
    const t = cliJson(doc, acTrain).totals;
    const f = cliJson(doc, acDeploy).totals;
    assert.deepStrictEqual(await lensTitles(doc, lineOf(doc, 'class ACBlock(')), [
      `${acTrain}: ${si(acSquare + acVer + acHor + 3 * acBn)} params · ${si(t.macs!)} MACs · ${si(t.macsPerPixel!)} MAC/px @ 1×16×128×128 (# convlens: input, ptflops)`,
      'Profile',
      'Set input shape',
      `${acDeploy}: ${si(acFused)} params · ${si(f.macs!)} MACs · ${si(f.macsPerPixel!)} MAC/px @ 1×16×128×128 (# convlens: input, ptflops)`,
      'Profile',
      'Set input shape',
    ]);
  });

  it('hovers a conv with hyperparameters, shapes, both formulas, MACs/pixel, FLOPs and the other conventions', async () => {
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(', 0));
    assert.match(text, /\*\*Conv2d\*\* `depth_conv` in `DSC\(16, 32\)` @ 1×16×128×128/);
    assert.match(text, /in_channels=16, out_channels=16, kernel_size=\[3,3\]/);
    assert.match(text, /groups=16/);
    assert.ok(text.includes('1×16×128×128 → 1×16×128×128'), text);
    assert.ok(text.includes(`**Params** ${depthConvParams}`), text);
    assert.ok(text.includes('16·(16/16)·3·3 + 16'), 'the params formula with its terms filled in');
    assert.ok(text.includes(`**MACs** (ptflops) ${depthMacs.toLocaleString('en-US')}`), text);
    assert.ok(text.includes('1·16·128·128·(16/16)·3·3 + 1·16·128·128'), 'the MACs formula with its terms filled in');
    assert.ok(text.includes(`**MACs/pixel** ${depthMacs / hw} (H×W = 128×128 of the input)`), text);
    assert.ok(text.includes(`**FLOPs** = 2·MACs = ${(2 * depthMacs).toLocaleString('en-US')}`), text);
    for (const c of ['ptflops-0.6', 'torchinfo', 'fvcore', 'thop', 'torchstat', 'paper']) {
      const macs = cliMacs(cliJson(doc, dsc, c), (p) => p === 'depth_conv');
      assert.ok(text.includes(`| ${c} | ${macs >= 1000 ? `${macs.toLocaleString('en-US')} (${si(macs)})` : macs} |`), `${c} row: ${text}`);
    }
    // The seed's comparison: depthwise-separable vs a plain conv, 1/Cout + 1/k².
    // Layer paths come from the user's file, so markdown characters in them are escaped.
    assert.ok(text.includes('depthwise-separable (depth\\_conv + point\\_conv)'), text);
    assert.ok(text.includes(`1/Cout + 1/k² = 1/32 + 1/9 = ${(1 / 32 + 1 / 9).toFixed(3)}`), text);
    assert.ok(text.includes('[Visualize this layer](command:convlens.visualizeLayer'), text);
    assert.ok(text.includes('[Profile module](command:convlens.profile'), text);
    // Links run only our own commands.
    for (const m of text.matchAll(/\(command:([\w.]+)/g)) assert.ok(m[1]!.startsWith('convlens.'), m[1]);
  });

  it('hovers an ACBlock branch with the training cost against the fused deploy conv', async () => {
    const text = await hoverText(
      doc,
      positionOf(doc, 'nn.Conv2d(in_channels=in_channels, out_channels=out_channels, kernel_size=(kernel_size, 1)'),
    );
    // convMath, batch 1, bias not counted: three convs + three BN (one MAC per output each) vs one 3×3 conv.
    const trainMacs = 32 * hw * 16 * (9 + 3 + 3) + 3 * 32 * hw;
    const deployMacs = 32 * hw * 16 * 9;
    assert.ok(
      text.includes(
        `ACBlock: training form (3 convs + 3 BN) ${si(acSquare + acVer + acHor + 3 * acBn)} params / ${si(trainMacs)} MACs vs fused deploy conv ${si(acFused)} params / ${si(deployMacs)} MACs`,
      ),
      text,
    );
  });

  it('follows the units, hint parts, verbosity, MACs/pixel denominator and hint toggle settings', async () => {
    await withSettings(
      { 'convlens.units': 'exact', 'convlens.inlayHints.show': ['macs', 'shape'], 'convlens.inlayHints.verbosity': 'full' },
      async () => {
        assert.strictEqual(
          await hintAt(doc, 'self.depth_conv = nn.Conv2d('),
          `Conv2d · ${depthMacs.toLocaleString('en-US')} MACs · → 1×16×128×128`,
        );
        assert.ok(
          (await lensTitles(doc, lineOf(doc, 'class DSC(')))[0]!.startsWith(
            `${dsc}: 704 params · ${(depthMacs + pointMacs).toLocaleString('en-US')} MACs`,
          ),
        );
      },
    );
    await withSettings({ 'convlens.macsPerPixel.denominator': 'output' }, async () => {
      const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(', 1));
      assert.ok(text.includes(`**MACs/pixel** ${(pointMacs / hw).toLocaleString('en-US')} (H×W = 128×128 of this layer's output)`), text);
    });
    assert.strictEqual(await vscode.commands.executeCommand('convlens.toggleInlayHints'), false);
    try {
      assert.strictEqual(await hintAt(doc, 'self.depth_conv = nn.Conv2d('), undefined);
    } finally {
      assert.strictEqual(await vscode.commands.executeCommand('convlens.toggleInlayHints'), true);
    }
    assert.ok(await hintAt(doc, 'self.depth_conv = nn.Conv2d('));
  });

  it('profiles an entry through the command', async () => {
    const summary = await vscode.commands.executeCommand<{ entry: string; layers: { path: string; params: number; macs: number }[] }>(
      'convlens.profile',
      doc.uri.toString(),
      dsc,
    );
    assert.deepStrictEqual(
      summary.layers.map((l) => [l.path, l.params, l.macs]),
      [
        ['depth_conv', depthConvParams, depthMacs],
        ['point_conv', pointConvParams, pointMacs],
      ],
    );
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
  });

  for (const format of ['md', 'csv', 'json', 'jvet'] as const) {
    it(`exports ${format} exactly as the CLI prints it`, async () => {
      for (const [entry, convention] of [
        [dsc, 'ptflops'],
        [acTrain, 'torchinfo'],
      ] as const) {
        await withSettings({ 'convlens.convention': convention }, async () => {
          const text = await vscode.commands.executeCommand<string>('convlens.exportReport', doc.uri.toString(), entry, format, 'none');
          assert.strictEqual(text, cli(doc, entry, format, convention));
        });
      }
    });
  }

  it('opens an export as an untitled document', async () => {
    const opened = new Promise<vscode.TextDocument>((resolve) => {
      const sub = vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.isUntitled && d.languageId === 'markdown') {
          sub.dispose();
          resolve(d);
        }
      });
    });
    await vscode.commands.executeCommand('convlens.exportReport', doc.uri.toString(), dsc, 'md', 'untitled');
    const exported = await opened;
    assert.strictEqual(exported.getText(), `${cli(doc, dsc, 'md')}\n`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
