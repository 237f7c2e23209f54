// The notebook renderer in the real workbench: workspace/renderer.ipynb (made by
// scripts/makeRendererNotebook.py) opens with VS Code's built-in .ipynb serializer, no kernel, and its
// pre-filled Conv Lens outputs render in the notebook's webview: the static profile's table rows and
// totals, the runtime profile beside the static profile of the same code, the convolution playground
// (trusted: running ORT; Restricted Mode: static text), and errors or plain text for hostile outputs.
// "Profile this cell" adds a profile output that the saved notebook keeps. The rendered DOM is read
// through the runner (driver.ts queryFrames), screenshots go to test-artifacts/.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { canScreenshot, queryFrames, queryOne, screenshot } from './driver';
import { activate, si, workspaceUri, withSettings } from './helpers';

const PROFILE_MIME = 'application/vnd.convlens.profile+json';
const trusted = (process.env['CONVLENS_IT_MODE'] ?? 'trusted') === 'trusted';

// TinyNet: Conv2d(3, 8, 3, padding=1), BatchNorm2d(8), ReLU, AdaptiveAvgPool2d(1), Linear(8, 10).
const TINYNET_PARAMS = 8 * 3 * 3 * 3 + 8 + 2 * 8 + (8 * 10 + 10);
// Wide: Conv2d(3, 32, 5, padding=2), Linear(32, 4), at 1x3x64x64.
const WIDE_PARAMS = 32 * 3 * 5 * 5 + 32 + (32 * 4 + 4);
const WIDE_CONV_MACS_NO_BIAS = 32 * 64 * 64 * 3 * 5 * 5;

const staticOut = '.profile.static[data-entry="TinyNet()"]';
const runtimeOut = '.profile.runtime[data-entry="TinyNet"]';

/** Cells of renderer.ipynb in order (scripts/makeRendererNotebook.py writes them). */
const CELLS = ['intro', 'tinynet', 'runtime', 'conv', 'hostile', 'wide'] as const;

function cellById(nb: vscode.NotebookDocument, id: (typeof CELLS)[number]): vscode.NotebookCell {
  return nb.cellAt(CELLS.indexOf(id));
}

async function reveal(editor: vscode.NotebookEditor, cell: vscode.NotebookCell): Promise<void> {
  editor.revealRange(new vscode.NotebookRange(cell.index, cell.index + 1), vscode.NotebookEditorRevealType.AtTop);
}

describe('notebook renderer (renderer.ipynb)', function () {
  let nb: vscode.NotebookDocument;
  let editor: vscode.NotebookEditor;

  before(async function () {
    if (!canScreenshot) this.skip(); // reading the rendered DOM needs the code-server runner
    nb = await vscode.workspace.openNotebookDocument(workspaceUri('renderer.ipynb'));
    editor = await vscode.window.showNotebookDocument(nb);
    await activate();
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('renders the pre-filled static profile: one summary row per layer and the totals', async function () {
    await reveal(editor, cellById(nb, 'tinynet'));
    // Texts are matched within one cell's text: a row's cells are not separated in textContent.
    await queryFrames(`${staticOut} table.module-tree tbody tr[data-path="fc"]`);
    const rows = await queryFrames(`${staticOut} table.module-tree tbody tr.layer`);
    assert.deepStrictEqual(
      rows.map((r) => r.split(' ')[0]),
      ['conv', 'bn', 'relu', 'pool', 'fc'],
    );
    // Name, type, output shape, params (TinyNet's conv: 8·3·3·3 + 8), MACs and their share.
    assert.match(rows[0]!, /^conv Conv2d 1×8×32×32 224 /);
    const params = await queryOne(`${staticOut} [data-total="params"] dd`, String(TINYNET_PARAMS));
    assert.strictEqual(params, String(TINYNET_PARAMS));
    const input = await queryOne(`${staticOut} [data-total="input"] dd`);
    assert.strictEqual(input, '1×3×32×32');
    assert.match(await queryOne(`${staticOut} .convention`), /Counting convention/);
  });

  it('renders the runtime profile beside the static profile of the same code, agreeing', async function () {
    await reveal(editor, cellById(nb, 'runtime'));
    const verdict = await queryOne(`${runtimeOut} .comparison .verdict`, 'agree on every layer');
    assert.match(verdict, /Static and runtime profiles agree on every layer/);
    const source = await queryOne(`${runtimeOut} .comparison .source`);
    assert.match(source, /TinyNet\(\) analysed from renderer\.ipynb, cells 1–3/);
    const params = await queryOne(`${runtimeOut} .compare-totals tr[data-total="params"]`);
    assert.strictEqual(params, `params ${TINYNET_PARAMS} ${TINYNET_PARAMS} ✓ same`);
  });

  it(
    trusted ? 'runs the convolution playground in its output' : 'shows the convolution as static text in Restricted Mode',
    async function () {
      await reveal(editor, cellById(nb, 'conv'));
      if (trusted) {
        const status = await queryOne('.convlens-output .playground > .status', 'WASM');
        assert.match(status, /Output \[1, 16, 12, 12\]/);
      } else {
        const status = await queryOne('.convlens-output .playground.static > .status', 'Output');
        assert.match(status, /Output 1×16×12×12/);
        assert.deepStrictEqual(await queryFrames('.convlens-output .playground.static > .hint'), [
          'The interactive playground runs ONNX Runtime in this output; trust the workspace to use it.',
        ]);
      }
    },
  );

  it('shows errors and plain text for broken and hostile outputs', async function () {
    await reveal(editor, cellById(nb, 'hostile'));
    const errors = await queryFrames('.convlens-output > .error', 'kernal_size');
    assert.ok(
      errors.some((e) => /payload\.schema: expected "convlens\.runtime\/1"/.test(e)),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => /unknown key "kernal_size"/.test(e)),
      errors.join('\n'),
    );
    const hostileEntry = '<img src=x onerror="document.title=1">';
    // The output exists and holds no element made from the payload's markup.
    const clean = `.profile[data-entry='${hostileEntry}']:not(:has(img, script, b))`;
    // The summary splits the path at its dots (`document.title`): the layer's row is the last segment, with its type.
    const rows = await queryFrames(`${clean} table.module-tree tbody tr.layer`, '<script>');
    // The module table's cells carry the name and the type as plain text (cells are read without separators).
    const name = hostileEntry.slice(hostileEntry.lastIndexOf('.') + 1);
    assert.ok(rows[0]!.replace(/\s+/g, '').startsWith(`${name}<script>document.title=2</script>`.replace(/\s+/g, '')), rows[0]);
    const diagnostics = await queryOne(`${clean} .diagnostics`);
    assert.match(diagnostics, /<b>bold\?<\/b> & <i>no<\/i>/);
  });

  it('Profile this cell appends a static profile output that the saved notebook keeps', async function () {
    const wide = cellById(nb, 'wide');
    // The command replaces the cell (outputs change only that way without a kernel): keep its index, not the object.
    const index = wide.index;
    const report = await vscode.commands.executeCommand<{ entry: string; totals: { params: number; macs: number }; input: number[] }>(
      'convlens.profileCell',
      wide,
    );
    assert.ok(report, 'the command returns the report');
    assert.strictEqual(report.entry, 'Wide()', 'the class defined in this cell wins over TinyNet from cell 1');
    assert.deepStrictEqual(report.input, [1, 3, 64, 64]);
    assert.strictEqual(report.totals.params, WIDE_PARAMS);
    const cell = nb.cellAt(index);
    const items = cell.outputs.flatMap((o) => o.items).filter((i) => i.mime === PROFILE_MIME);
    assert.strictEqual(
      items.length,
      1,
      JSON.stringify(cell.outputs.map((o) => ({ metadata: o.metadata, mimes: o.items.map((i) => i.mime) }))),
    );
    const stored = JSON.parse(new TextDecoder().decode(items[0]!.data)) as {
      entry: string;
      conventions: Record<string, unknown>;
      layers: { path: string; macs: number }[];
    };
    assert.strictEqual(stored.entry, 'Wide()');
    assert.strictEqual(Object.keys(stored.conventions).length, 7, 'every convention is in the output');
    assert.ok(stored.layers.find((l) => l.path === 'conv')!.macs >= WIDE_CONV_MACS_NO_BIAS);

    // Again: the earlier Conv Lens output is replaced, not duplicated.
    await vscode.commands.executeCommand('convlens.profileCell', nb.cellAt(index));
    assert.strictEqual(nb.cellAt(index).outputs.length, 1);

    await reveal(editor, nb.cellAt(index));
    const params = await queryOne('.profile.static[data-entry="Wide()"] [data-total="params"] dd', WIDE_PARAMS.toLocaleString('en-US'));
    assert.strictEqual(params, `${WIDE_PARAMS.toLocaleString('en-US')} (${si(WIDE_PARAMS)})`);

    // save() is false when the working copy is still dirty afterwards (an edit during the save, or a failed write):
    // say which, so a failure here can be told apart from a missing output.
    const dirtyBefore = nb.isDirty;
    const savedOk = await nb.save();
    assert.ok(savedOk, `the notebook saves (dirty before: ${dirtyBefore}, after: ${nb.isDirty}, version ${nb.version})`);
    const saved = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(nb.uri))) as {
      cells: { outputs?: { data?: Record<string, { entry?: string }> }[] }[];
    };
    const savedOutputs = saved.cells[index]!.outputs ?? [];
    assert.strictEqual(savedOutputs.length, 1);
    assert.strictEqual(savedOutputs[0]!.data?.[PROFILE_MIME]?.entry, 'Wide()');
  });

  for (const theme of [
    { name: 'Default Dark Modern', kind: 'dark' },
    { name: 'Default Light Modern', kind: 'light' },
  ] as const) {
    it(`screenshots of the outputs in ${theme.name}`, async function () {
      if (!trusted) this.skip();
      // Editors other suites left beside the notebook would squeeze it: one group, the notebook in front.
      await vscode.commands.executeCommand('workbench.action.joinAllGroups');
      editor = await vscode.window.showNotebookDocument(nb);
      // The wide cell's profile output comes from Profile this cell; run it here too (it replaces its own output), so
      // these shots do not depend on the test above having run first (mocha --grep, or that test failing).
      await vscode.commands.executeCommand('convlens.profileCell', cellById(nb, 'wide'));
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await withSettings({ 'workbench.colorTheme': theme.name }, async () => {
        for (const [cellId, name, selector, text] of [
          ['tinynet', 'renderer-static', `${staticOut} [data-total="params"] dd`, String(TINYNET_PARAMS)],
          ['runtime', 'renderer-runtime', `${runtimeOut} .comparison .verdict`, 'agree'],
          ['conv', 'renderer-conv', '.convlens-output .playground .status', 'WASM'],
          ['hostile', 'renderer-hostile', '.convlens-output > .error', 'kernal_size'],
          // The output Profile this cell added (above).
          [
            'wide',
            'renderer-profile-cell',
            '.profile.static[data-entry="Wide()"] [data-total="params"] dd',
            WIDE_PARAMS.toLocaleString('en-US'),
          ],
        ] as const) {
          await reveal(editor, cellById(nb, cellId));
          await queryFrames(selector, text);
          await screenshot({
            name: `${name}-${theme.kind}`,
            waitForSelector: `.monaco-workbench.${theme.kind === 'dark' ? 'vs-dark' : 'vs'}`,
          });
        }
      });
      await vscode.commands.executeCommand('workbench.view.explorer');
    });
  }
});
