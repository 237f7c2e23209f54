// `npm run test:desktop`: the same mocha suite (suite/index.ts) in a desktop VS Code downloaded by
// @vscode/test-electron. Needs access to the VS Code download service, which this project's CI machines
// do not have; CI uses runInCodeServer.ts instead. No screenshot endpoint here, so screenshot tests skip.
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { cacheDir, fixtureWorkspace, repoRoot, suiteDir } from './runner/paths';

async function main(): Promise<void> {
  const workspace = path.join(cacheDir, 'runs', `desktop-${process.pid}`, 'workspace');
  fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  fs.cpSync(fixtureWorkspace, workspace, { recursive: true });
  await runTests({
    version: process.env['CONVLENS_VSCODE_VERSION'] ?? 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteDir,
    extensionTestsEnv: { CONVLENS_IT_MODE: 'trusted', CONVLENS_IT_EXTENSION_DIR: repoRoot },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
