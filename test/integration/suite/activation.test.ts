import * as assert from 'assert';
import * as vscode from 'vscode';

const extensionId = 'convlens.conv-lens';

describe('activation', () => {
  it('activates on a Python file', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'models.py'));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is loaded`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('is the extension the runner put under test (the repository, or the installed .vsix)', () => {
    const expected = process.env['CONVLENS_IT_EXTENSION_DIR'];
    assert.ok(expected, 'the runner says which extension is under test');
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    assert.strictEqual(ext.extensionUri.path, vscode.Uri.file(expected).path);
  });

  it('knows whether the workspace is trusted', () => {
    const mode = process.env['CONVLENS_IT_MODE'] ?? 'trusted';
    assert.strictEqual(vscode.workspace.isTrusted, mode === 'trusted');
  });
});
