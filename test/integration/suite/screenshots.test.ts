// Pictures of what users see, saved under test-artifacts/ by the runner (code-server only; the desktop
// runner has no screenshot endpoint). Each shot waits for its own condition in the page, never for time.
import * as vscode from 'vscode';
import { canScreenshot, screenshot } from './driver';
import { cliJson, cliMacs, openPython, showAt, si, withSettings } from './helpers';

const themes = [
  { name: 'Default Dark Modern', kind: 'dark', css: 'vs-dark' },
  { name: 'Default Light Modern', kind: 'light', css: 'vs' },
] as const;

describe('screenshots', function () {
  before(function () {
    if (!canScreenshot) this.skip();
  });

  for (const theme of themes) {
    it(`hover, inlay hints and CodeLens in ${theme.name}`, async () => {
      await withSettings({ 'workbench.colorTheme': theme.name }, async () => {
        await showAt('models.py', 'nn.Conv2d(', '# convlens: entry DSC');
        await vscode.commands.executeCommand('editor.action.hideHover');
        const workbench = `.monaco-workbench.${theme.css}`;
        // The hint and lens texts with MACs, as models.test.ts checks them.
        await screenshot({
          name: `inlay-hints-${theme.kind}`,
          waitForSelector: `${workbench} .view-lines`,
          waitForText: '544 params · 8.91M MACs',
        });
        await screenshot({
          name: `codelens-${theme.kind}`,
          waitForSelector: `${workbench} .codelens-decoration`,
          waitForText: 'M MACs · 704 MAC/px',
        });
        await vscode.commands.executeCommand('editor.action.showHover');
        await screenshot({ name: `hover-${theme.kind}`, waitForSelector: `${workbench} .monaco-hover`, waitForText: 'MACs (ptflops)' });
        await vscode.commands.executeCommand('editor.action.hideHover');

        await showAt('tvstyle.py', 'conv3x3(inplanes', 'class BasicBlock(');
        // The whole hint of the block line built eight times, as tvstyle.test.ts checks it against the CLI.
        const tv = await openPython('tvstyle.py');
        const conv1Macs = cliMacs(cliJson(tv, 'resnet18()'), (p) => /^layer\d\.\d\.conv1$/.test(p));
        await screenshot({
          name: `inlay-hints-aggregated-${theme.kind}`,
          waitForSelector: `${workbench} .view-lines`,
          waitForText: `×8 · 4.72M params · ${si(conv1Macs)} MACs`,
        });
        // Its hover lists the eight instances, each with its output, cost and a Visualize link (tvstyle.test.ts checks the text).
        await vscode.commands.executeCommand('editor.action.showHover');
        await screenshot({
          name: `hover-instances-${theme.kind}`,
          waitForSelector: `${workbench} .monaco-hover`,
          waitForText: 'layer4.1.conv1',
        });
        await vscode.commands.executeCommand('editor.action.hideHover');
      });
    });
  }
});
