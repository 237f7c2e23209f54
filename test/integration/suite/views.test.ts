// The webview panels as a user meets them: the profile view (table rendered from the same analysis as the
// CLI, a row click revealing the layer's line) and the convolution playground opened from the command
// palette showing a result. Clicks and keys go through the runner (real Chromium input); waits are on
// messages, events or text in the webview, never on time. Screenshots in the trusted pass only.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { canScreenshot, click, keys, screenshot } from './driver';
import { cliJson, lineOf, nextEvent, openPython } from './helpers';

interface RenderedMessage {
  readonly entry: string;
  readonly rows: number;
  readonly firstPaths: readonly string[];
}
interface ViewHandle {
  readonly panel: vscode.WebviewPanel;
  rendered(entry: string): Promise<RenderedMessage>;
}
interface Summary {
  readonly entry: string;
  readonly view?: ViewHandle;
}

const trusted = (process.env['CONVLENS_IT_MODE'] ?? 'trusted') === 'trusted';

describe('profile view and playground', function () {
  before(function () {
    if (!canScreenshot) this.skip(); // clicks and frame waits need the code-server runner
  });

  it("renders the module summary of resnet18() and reveals a module's line on a row click", async () => {
    const doc = await openPython('tvstyle.py');
    const summary = await vscode.commands.executeCommand<Summary>('convlens.profile', doc.uri.toString(), 'resnet18()');
    assert.ok(summary.view, 'the command returns the view it opened');
    const rendered = await summary.view.rendered('resnet18()');
    const report = cliJson(doc, 'resnet18()');
    assert.strictEqual(rendered.rows, report.layers.length);
    assert.deepStrictEqual(
      rendered.firstPaths,
      report.layers.slice(0, 50).map((l) => l.path),
    );

    const fcLine = lineOf(doc, 'self.fc = nn.Linear(');
    const revealed = nextEvent(
      vscode.window.onDidChangeTextEditorSelection,
      (e) => e.textEditor.document.uri.toString() === doc.uri.toString() && e.selections[0]!.active.line === fcLine,
      'the fc line to be revealed',
    );
    await click('table.module-tree tr[data-path="fc"]');
    await revealed;
    // A container row reveals the line that built it: layer1 is the Sequential `_make_layer` returns.
    const layer1Line = lineOf(doc, 'return nn.Sequential(*layers)');
    const revealedBlock = nextEvent(
      vscode.window.onDidChangeTextEditorSelection,
      (e) => e.textEditor.document.uri.toString() === doc.uri.toString() && e.selections[0]!.active.line === layer1Line,
      'the layer1 line to be revealed',
    );
    await click('table.module-tree tr[data-path="layer1"]');
    await revealedBlock;
  });

  it("profiles an entry of another file in the panel already open, with that file's table", async () => {
    const first = await openPython('tvstyle.py');
    const a = await vscode.commands.executeCommand<Summary>('convlens.profile', first.uri.toString(), 'resnet18()');
    await a.view!.rendered('resnet18()');
    const second = await openPython('models.py');
    const b = await vscode.commands.executeCommand<Summary>('convlens.profile', second.uri.toString(), 'DSC(16, 32)');
    assert.strictEqual(b.view!.panel, a.view!.panel, 'the same panel, not a new webview');
    const rendered = await b.view!.rendered('DSC(16, 32)');
    assert.deepStrictEqual(
      rendered.firstPaths,
      cliJson(second, 'DSC(16, 32)').layers.map((l) => l.path),
    );
    assert.strictEqual(b.view!.panel.title, 'Profile: DSC(16, 32)');
  });

  it('opens the playground from the command palette and shows a result', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await keys({ press: 'F1' });
    await keys({ type: 'Conv Lens: Open Convolution Playground' }, { press: 'Enter' });
    // The result line of a run: "Output [1, 8, 16, 16], median … GMAC/s."
    const name = trusted ? 'playground-from-palette' : 'playground-from-palette-restricted';
    await screenshot({ name, waitForSelector: '.status', waitForText: 'GMAC/s', inFrames: true });
  });

  for (const theme of [
    { name: 'Default Dark Modern', kind: 'dark' },
    { name: 'Default Light Modern', kind: 'light' },
  ]) {
    it(`screenshot of the profile view in ${theme.name}`, async function () {
      if (!trusted) this.skip();
      const config = vscode.workspace.getConfiguration();
      const before = config.inspect('workbench.colorTheme')?.globalValue;
      await config.update('workbench.colorTheme', theme.name, vscode.ConfigurationTarget.Global);
      try {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        const doc = await openPython('tvstyle.py');
        const summary = await vscode.commands.executeCommand<Summary>('convlens.profile', doc.uri.toString(), 'resnet18()');
        await summary.view!.rendered('resnet18()');
        // The webview's body carries the theme kind once the theme change has reached it (VS Code sets vscode-dark /
        // vscode-light there): wait for that too, or the shot may show the table still in the previous theme.
        await screenshot({
          name: `profile-view-${theme.kind}`,
          waitForSelector: `body.vscode-${theme.kind} table.module-tree`,
          waitForText: 'layer4',
          inFrames: true,
        });
      } finally {
        await config.update('workbench.colorTheme', before, vscode.ConfigurationTarget.Global);
      }
    });
  }
});
