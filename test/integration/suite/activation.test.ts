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

  it('knows whether the workspace is trusted', () => {
    const mode = process.env['CONVLENS_IT_MODE'] ?? 'trusted';
    assert.strictEqual(vscode.workspace.isTrusted, mode === 'trusted');
  });
});
