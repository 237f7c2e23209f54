// Input shapes and diagnostics in the real workbench (issue 10): the input of a model that starts with
// PixelUnshuffle is inferred from its first conv and every surface says so; a model whose forward checks
// no channels gets no number but a diagnostic with quick fixes; an import outside the roots is one
// diagnostic on the import line whose quick fix (Choose the package root…) makes the helper resolve;
// a syntax error is reported once; an edit shows in the hints at once and its problems after the pause; a line run by a loop (tvstyle.py) asks which instance to visualize. Diagnostics
// and fixes go through the VS Code API; screenshots of each (hover, quick-fix menu, pick) go to test-artifacts/.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { PlaygroundParams } from '../../../extension/protocol/playgroundMessages';
import { canScreenshot, keys, queryFrames, screenshot } from './driver';
import {
  hintAt,
  hoverText,
  lensTitles,
  lineOf,
  nextEvent,
  openPython,
  positionOf,
  showAt,
  si,
  withSettings,
  workspaceUri,
} from './helpers';

/** Conv Lens's diagnostics of a document once `accept` holds (published after the analysis, so waited on as an event). */
async function diagnosticsWhen(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Conv Lens');
  if (accept(ours())) return ours();
  await nextEvent(
    vscode.languages.onDidChangeDiagnostics,
    (e) => e.uris.some((u) => u.toString() === uri.toString()) && accept(ours()),
    what,
  );
  return ours();
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((a): a is vscode.CodeAction => 'kind' in a || 'diagnostics' in a || 'edit' in a);
}

describe('editor: input shapes and diagnostics', () => {
  // 6 input planes, 64×64 (the default resolution set below); ptflops counts bias as one MAC per output.
  const hw = 32 * 32; // after PixelUnshuffle(2)
  const headMacs = 32 * hw * 24 * 9 + 32 * hw;

  it('infers the input of a model that starts with PixelUnshuffle, and every surface says where it came from', async () => {
    await withSettings({ 'convlens.defaultResolution': 64 }, async () => {
      const doc = await openPython('unshuffle.py');
      const lens = (await lensTitles(doc, lineOf(doc, 'class LoopFilter')))[0]!;
      assert.match(lens, /@ 1×6×64×64 \(⚠ assumed, ptflops\)$/, lens);
      assert.strictEqual(await hintAt(doc, 'self.head = nn.Conv2d('), `${si(32 * 24 * 9 + 32)} params · ${si(headMacs)} MACs`);
      const hover = await hoverText(doc, positionOf(doc, 'nn.Conv2d(planes * 4'));
      assert.ok(
        hover.includes("1×6×64×64 (⚠ assumed: channels from head (Conv2d) (expects 24 after the forward's reshapes (4·C)); 64×64 assumed)"),
        hover,
      );
      // No shape error anywhere: the old guess (24 input channels) failed at the first conv.
      assert.ok(!hover.includes('not reached'), hover);

      const diagnostics = await diagnosticsWhen(doc.uri, (d) => d.some((x) => x.code === 'input-assumed'), 'the assumed-input hint');
      const assumed = diagnostics.find((d) => d.code === 'input-assumed')!;
      assert.strictEqual(assumed.range.start.line, lineOf(doc, 'class LoopFilter'));
      assert.strictEqual(assumed.severity, vscode.DiagnosticSeverity.Hint);
      const fixes = (await quickFixes(doc.uri, assumed.range)).map((a) => a.title);
      assert.ok(fixes.includes('Set input shape…') && fixes.includes('Add `# convlens: input 1x6x64x64` comment'), fixes.join(', '));
      if (canScreenshot) {
        const editor = await vscode.window.showTextDocument(doc);
        editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
        await screenshot({ name: 'input-inferred-unshuffle', waitForSelector: '.codelens-decoration', waitForText: '⚠ assumed, ptflops' });
        // The hover of the first conv says where its input came from.
        await showAt('unshuffle.py', 'nn.Conv2d(planes * 4', 'class LoopFilter');
        await vscode.commands.executeCommand('editor.action.showHover');
        await screenshot({ name: 'hover-input-inferred', waitForSelector: '.monaco-hover', waitForText: 'channels from head (Conv2d)' });
        await vscode.commands.executeCommand('editor.action.hideHover');
      }
    });
  });

  it('gives no number when nothing can be inferred: an Information diagnostic, and the comment quick fix writes the directive', async () => {
    const doc = await openPython('unshuffle.py');
    const line = lineOf(doc, 'class PoolOnly');
    assert.deepStrictEqual((await lensTitles(doc, line))[0], '0 params · no input shape: cannot be inferred (ptflops)');
    const diagnostics = await diagnosticsWhen(doc.uri, (d) => d.some((x) => x.code === 'input'), 'the no-input diagnostic');
    const none = diagnostics.filter((d) => d.code === 'input');
    assert.strictEqual(none.length, 1);
    assert.strictEqual(none[0]!.range.start.line, line);
    assert.strictEqual(none[0]!.severity, vscode.DiagnosticSeverity.Information);
    assert.match(
      none[0]!.message,
      /PoolOnly\(\): no input shape — cannot infer the input shape: no op of the forward pass checks the input's channels/,
    );
    const fixes = await quickFixes(doc.uri, none[0]!.range);
    const add = fixes.find((a) => a.title === 'Add `# convlens: input …` comment');
    assert.ok(add?.command && fixes.some((a) => a.title === 'Set input shape…'), fixes.map((a) => a.title).join(', '));
    if (canScreenshot) {
      // The quick-fix menu as the user opens it (Ctrl+.) on the class line.
      await showAt('unshuffle.py', 'class PoolOnly', 'class LoopFilter');
      await vscode.commands.executeCommand('editor.action.quickFix');
      await screenshot({ name: 'quick-fix-input', waitForSelector: '.action-widget', waitForText: 'Set input shape' });
      await keys({ press: 'Escape' });
    }
    // The fix asks for the shape; given one, it writes the comment and the lens counts MACs at it.
    const changed = nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === doc, 'the comment edit');
    await vscode.commands.executeCommand(add.command.command, ...(add.command.arguments ?? []).slice(0, 2), '1x8x16x16');
    await changed;
    try {
      assert.strictEqual(doc.lineAt(line).text, '# convlens: input 1x8x16x16');
      const lens = (await lensTitles(doc, line + 1))[0]!;
      // MaxPool2d(2) under ptflops: the input's numel, counted twice (nn.MaxPool2d and its F.max_pool2d).
      const macs = 2 * 8 * 16 * 16;
      assert.strictEqual(lens, `0 params · ${si(macs)} MACs · ${si(macs / (16 * 16))} MAC/px @ 1×8×16×16 (# convlens: input, ptflops)`);
    } finally {
      await vscode.commands.executeCommand('undo');
      await doc.save();
    }
  });

  it('puts an import outside the roots on its line once, and Choose the package root… resolves the helper that mutates kwargs', async () => {
    const doc = await openPython('pkgapp/net.py');
    const importAt = lineOf(doc, 'from blocks.helpers import conv_bn');
    const diagnostics = await diagnosticsWhen(doc.uri, (d) => d.some((x) => x.code === 'no-source'), 'the no-source diagnostic');
    const noSource = diagnostics.filter((d) => d.code === 'no-source');
    assert.strictEqual(noSource.length, 1, JSON.stringify(noSource.map((d) => d.message)));
    assert.strictEqual(noSource[0]!.range.start.line, importAt);
    assert.match(noSource[0]!.message, /^blocks: no source found under the import roots/);
    const fix = (await quickFixes(doc.uri, noSource[0]!.range)).find((a) => a.title === 'Choose the package root…');
    assert.ok(fix?.command);
    assert.match((await hintAt(doc, 'self.stem = conv_bn('))!, /\? params/);
    if (canScreenshot) {
      await showAt('pkgapp/net.py', 'from blocks.helpers import conv_bn', 'from blocks.helpers import conv_bn');
      await vscode.commands.executeCommand('editor.action.showHover');
      await screenshot({
        name: 'diagnostic-no-source',
        waitForSelector: '.monaco-hover',
        waitForText: 'no source found under the import roots',
      });
      await vscode.commands.executeCommand('editor.action.hideHover');
    }
    // The dialog's answer, given as the command's argument.
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []), workspaceUri('vendor').toString());
    try {
      const config = vscode.workspace.getConfiguration('convlens', doc.uri);
      assert.deepStrictEqual(config.get('packageRoots'), ['vendor']);
      // conv_bn set bias=False over the caller's bias=True: 16·3·3·3 weights, no bias, BatchNorm 2·16.
      assert.strictEqual(
        await hintAt(doc, 'self.stem = conv_bn('),
        `2 layers · ${si(16 * 3 * 9 + 2 * 16)} params · ${si(16 * 32 * 32 * 27 + 2 * 16 * 32 * 32)} MACs`,
      );
      await diagnosticsWhen(doc.uri, (d) => !d.some((x) => x.code === 'no-source'), 'the no-source diagnostic to go');
      if (canScreenshot) await screenshot({ name: 'package-root-resolved', waitForSelector: '.view-lines', waitForText: '2 layers · ' });
    } finally {
      await vscode.workspace
        .getConfiguration('convlens', doc.uri)
        .update('packageRoots', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });

  it('reports a syntax error once, not once per entry', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'python',
      content: [
        'from torch import nn',
        '',
        '# convlens: entry A()',
        '# convlens: entry A()',
        '# convlens: input 1x3x8x8',
        'class A(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.c = nn.Conv2d(3, 4, 3)',
        '    def forward(self, x):',
        '        return self.c(x',
        '',
        'x = (',
      ].join('\n'),
    });
    await vscode.window.showTextDocument(doc);
    const diagnostics = await diagnosticsWhen(doc.uri, (d) => d.some((x) => x.code === 'syntax'), 'the syntax diagnostic');
    const syntax = diagnostics.filter((d) => d.code === 'syntax');
    const lines = syntax.map((d) => d.range.start.line);
    assert.deepStrictEqual(lines, [...new Set(lines)], 'one diagnostic per place');
    assert.ok(syntax.every((d) => d.severity === vscode.DiagnosticSeverity.Information));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

describe('editor: hints while typing', () => {
  /** Inserts `text` as a new line after the line holding `after`, runs `check`, then undoes the edit. */
  async function withLine(doc: vscode.TextDocument, after: string, text: string, check: () => Promise<void>): Promise<void> {
    const editor = await vscode.window.showTextDocument(doc);
    const at = lineOf(doc, after) + 1;
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(at, 0), `${text}\n`)));
    try {
      await check();
    } finally {
      await vscode.commands.executeCommand('undo');
      await doc.save();
    }
  }

  it("keeps the other lines' hints (stale) and the last good lens while `nn.Conv2d()` lacks its arguments", async () => {
    const doc = await openPython('unshuffle.py');
    const before = await hintAt(doc, 'self.tail = nn.Conv2d(');
    assert.ok(before && !before.includes('?'), before);
    const lensBefore = (await lensTitles(doc, lineOf(doc, 'class LoopFilter')))[0]!;
    await withLine(doc, 'self.head = nn.Conv2d(', '        self.extra = nn.Conv2d()', async () => {
      assert.strictEqual(await hintAt(doc, 'self.tail = nn.Conv2d('), `${before} (stale)`);
      assert.strictEqual(
        await hintAt(doc, 'self.head = nn.Conv2d('),
        `${(await hintAt(doc, 'self.head = nn.Conv2d('))!.replace(/ \(stale\)$/, '')} (stale)`,
      );
      const lens = (await lensTitles(doc, lineOf(doc, 'class LoopFilter')))[0]!;
      assert.strictEqual(lens, `(last build) ${lensBefore}`);
      assert.ok(!lens.includes('(incomplete)') && !lens.includes('@ ?'), lens);
      if (canScreenshot) await screenshot({ name: 'typing-stale-hints', waitForSelector: '.view-lines', waitForText: '(stale)' });
    });
  });

  it('keeps the hint of the line a half-typed `nn.Conv2d(` swallows', async () => {
    const doc = await openPython('unshuffle.py');
    const before = await hintAt(doc, 'self.tail = nn.Conv2d(');
    await withLine(doc, 'self.act = nn.PReLU()', '        self.extra = nn.Conv2d(', async () => {
      // The unclosed call swallows the next line; the tail conv after it keeps its last figures, not `?`.
      assert.strictEqual(await hintAt(doc, 'self.tail = nn.Conv2d('), `${before} (stale)`);
      // The lines above the edit resolve as before.
      assert.ok((await hintAt(doc, 'self.head = nn.Conv2d('))?.includes('params'));
    });
  });
});

describe('editor: the debounce', () => {
  it('shows an edit in the hints at once, and its problems only after the pause (`convlens.analysis.debounceMs`)', async () => {
    const ours = (doc: vscode.TextDocument): vscode.Diagnostic[] =>
      vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Conv Lens');
    await withSettings({ 'convlens.analysis.debounceMs': 5000 }, async () => {
      const doc = await vscode.workspace.openTextDocument({
        language: 'python',
        content: [
          'from torch import nn',
          '',
          '# convlens: input 1x3x8x8',
          'class A(nn.Module):',
          '    def __init__(self):',
          '        super().__init__()',
          '        self.c = nn.Conv2d(3, 4, 3)',
          '    def forward(self, x):',
          '        return self.c(x)',
          '',
        ].join('\n'),
      });
      const editor = await vscode.window.showTextDocument(doc);
      try {
        assert.match((await hintAt(doc, 'self.c = nn.Conv2d('))!, /\b112 params/);
        // One edit: the conv gets wider, and a syntax error at the end (a problem, shown after the pause).
        const conv = lineOf(doc, 'self.c = nn.Conv2d(');
        assert.ok(
          await editor.edit((b) => {
            b.replace(new vscode.Range(conv, 0, conv + 1, 0), '        self.c = nn.Conv2d(3, 8, 3)\n');
            b.insert(new vscode.Position(doc.lineCount, 0), 'x = (\n');
          }),
        );
        // The hint asks, VS Code having debounced the request already: the job runs now, not 5 s later.
        assert.match((await hintAt(doc, 'self.c = nn.Conv2d('))!, /\b224 params/);
        assert.deepStrictEqual(
          ours(doc).map((d) => d.code),
          [],
          'the problem waits for the pause in typing',
        );
        const after = await diagnosticsWhen(doc.uri, (d) => d.some((x) => x.code === 'syntax'), 'the syntax diagnostic after the pause');
        assert.strictEqual(after.filter((d) => d.code === 'syntax').length, 1);
      } finally {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });
  });
});

describe('editor: a layer built in a loop', function () {
  before(function () {
    if (!canScreenshot) this.skip(); // the quick pick is answered with real keys through the runner
  });

  it('Visualize Layer at Cursor asks which instance, and the playground shows the one picked', async () => {
    // tvstyle.py's BasicBlock line is run by _make_layer's loop: eight instances (tvstyle.test.ts checks its hover).
    await showAt('tvstyle.py', 'conv3x3(inplanes', 'class BasicBlock(');
    const done = vscode.commands.executeCommand<PlaygroundParams | undefined>('convlens.visualizeLayer');
    await screenshot({
      name: 'visualize-pick-instance',
      waitForSelector: '.quick-input-widget',
      waitForText: 'layer1.0.conv1', // the first row: the question is the input's placeholder (an attribute, not text)
    });
    await keys({ type: 'layer4.1.conv1' }, { press: 'Enter' });
    const preset = await done;
    assert.ok(preset, 'an instance was picked');
    // layer4.1.conv1: 512 → 512 channels on the 7×7 map of a 224² input.
    assert.deepStrictEqual([preset.inChannels, preset.outChannels, ...preset.inputSize], [512, 512, 7, 7]);
    await queryFrames('.playground-label', 'layer4.1.conv1');
    await screenshot({ name: 'playground-from-instance', waitForSelector: '.status', waitForText: 'GMAC/s', inFrames: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
