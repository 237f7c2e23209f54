// A notebook (workspace/cells.ipynb) is analysed as one program: `Block`, defined in one cell, is built by
// `Net` in the next. Opened with VS Code's built-in .ipynb serializer; no kernel runs.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { canScreenshot, queryFrames } from './driver';
import { activate, hintsByLine, lensTitles, lineOf, si, withSettings, workspaceUri } from './helpers';

const blockConv = (c: number): number => c * c * 3 * 3 + c; // nn.Conv2d(c, c, 3, padding=1)
const blockBn = (c: number): number => 2 * c;
const headParams = 4 * 2 + 2; // nn.Linear(4, 2)

describe('cells.ipynb: a class from one cell used in the next', () => {
  let nb: vscode.NotebookDocument;
  let blockCell: vscode.TextDocument;
  let netCell: vscode.TextDocument;
  before(async () => {
    nb = await vscode.workspace.openNotebookDocument(workspaceUri('cells.ipynb'));
    await vscode.window.showNotebookDocument(nb);
    await activate();
    const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    blockCell = code[0]!.document;
    netCell = code[1]!.document;
  });

  it('hints the cell that uses the class with numbers from the other cell', async () => {
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      const hints = await hintsByLine(netCell);
      assert.strictEqual(hints.get(lineOf(netCell, 'self.stem = Block(4)')), `2 layers · ${blockConv(4) + blockBn(4)} params`);
      assert.strictEqual(hints.get(lineOf(netCell, 'self.head = nn.Linear(4, 2)')), `${headParams} params`);
    });
  });

  it('updates the hint the editor shows in the using cell when only the defining cell is edited', async function () {
    if (!canScreenshot) this.skip(); // the editor's text is read through the runner
    // VS Code asks again for the edited cell's hints only: the other cell's displayed hint must follow all the same.
    const shown = (params: number) => queryFrames('.view-lines', `2 layers · ${params} params`, 60_000);
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      await shown(blockConv(4) + blockBn(4));
      const line = lineOf(blockCell, 'self.conv = nn.Conv2d(');
      const original = blockCell.lineAt(line).text;
      const edit = (text: string) => {
        const e = new vscode.WorkspaceEdit();
        e.replace(blockCell.uri, blockCell.lineAt(line).range, text);
        return vscode.workspace.applyEdit(e);
      };
      assert.ok(await edit(original.replace('padding=1)', 'padding=1, bias=False)')));
      try {
        await shown(blockConv(4) - 4 + blockBn(4));
      } finally {
        assert.ok(await edit(original));
        await nb.save();
      }
      await shown(blockConv(4) + blockBn(4));
    });
  });

  it('hints the defining cell under its own entry, Block()', async () => {
    await withSettings({ 'convlens.inlayHints.show': ['params'] }, async () => {
      const hints = await hintsByLine(blockCell);
      assert.strictEqual(hints.get(lineOf(blockCell, 'self.conv = nn.Conv2d(')), `${blockConv(8)} params`);
    });
  });

  it('puts each class lens in its own cell, at an input whose channels are inferred from the first layer (H×W assumed)', async () => {
    // Block(): Conv2d(8, 8, 3) first, so the default input is 1×8×224×224. ptflops: conv 8·H·W·8·9 plus a
    // bias MAC per output, BatchNorm 2 per output.
    const hw = 224 * 224;
    const blockMacs = 8 * hw * 8 * 3 * 3 + 8 * hw + 2 * 8 * hw;
    assert.strictEqual(
      (await lensTitles(blockCell, lineOf(blockCell, 'class Block(')))[0],
      `${blockConv(8) + blockBn(8)} params · ${si(blockMacs)} MACs · ${si(blockMacs / hw)} MAC/px @ 1×8×224×224 (⚠ assumed, ptflops)`,
    );
    const net = (await lensTitles(netCell, lineOf(netCell, 'class Net(')))[0]!;
    assert.ok(net.startsWith(`${blockConv(4) + blockBn(4) + headParams} params · `), net);
    assert.ok(net.endsWith('@ 1×4×224×224 (⚠ assumed, ptflops)'), net);
  });
});
