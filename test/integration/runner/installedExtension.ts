// The extension as a user gets it: checks the .vsix `npm run package` built, installs it into a run's
// extensions folder with code-server's own `--install-extension`, and makes the stub development extension
// the workbench needs to run a test suite at all (VS Code only runs extensionTestsPath in extension-development
// mode). The stub has no code; the extension under test is the installed one, loaded like any installed extension.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { packageProblems, readManifest, readVsix, vsixName } from '../../package/vsix';
import { serverDirs, serverEnv } from './codeServer';
import { codeServerEntry, node24, repoRoot } from './paths';

/** The package `npm run package` writes (conv-lens-X.Y.Z.vsix at the repository root). */
export function defaultVsix(): string {
  return path.join(repoRoot, vsixName(readManifest(repoRoot)));
}

/** Fails with every problem found when the package is missing or holds the wrong files. */
export async function checkVsix(vsix: string): Promise<void> {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);
  const problems = packageProblems(await readVsix(vsix), readManifest(repoRoot));
  if (problems.length > 0) throw new Error(`${path.basename(vsix)} is not right:\n  ${problems.join('\n  ')}`);
}

/** Installs `vsix` for the run in `runDir`; resolves with the installed extension's folder. */
export async function installVsix(runDir: string, vsix: string, logFile: string): Promise<string> {
  const dirs = serverDirs(runDir);
  const args = [codeServerEntry, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--install-extension', vsix];
  const output = await new Promise<string>((resolve, reject) => {
    execFile(node24, args, { cwd: runDir, env: serverEnv(dirs) }, (err, stdout, stderr) => {
      fs.appendFileSync(logFile, `$ code-server --install-extension ${vsix}\n${stdout}${stderr}`);
      if (err) reject(new Error(`code-server --install-extension failed (see ${logFile}): ${err.message}`, { cause: err }));
      else resolve(stdout + stderr);
    });
  });
  const manifest = readManifest(repoRoot);
  const folder = path.join(dirs.extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  if (!fs.existsSync(path.join(folder, 'package.json'))) throw new Error(`no installed extension at ${folder} after: ${output.trim()}`);
  return folder;
}

/** A development extension with no code, so the workbench runs the suite while the installed extension is under test. */
export function makeTestHost(runDir: string): string {
  const dir = path.join(runDir, 'test-host');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'conv-lens-test-host',
        publisher: 'convlens-tests',
        version: '0.0.0',
        engines: { vscode: '*' },
        description: 'Runs the integration suite against the installed Conv Lens.',
      },
      null,
      2,
    ),
  );
  return dir;
}
