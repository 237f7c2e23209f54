// Where the CLI keeps what it caches between runs (launcher.ts: V8's code cache; parseCache.ts: parsed files), and
// the key that ties a cache to one build of the bundle. Shared by both bundles (dist/cli.js, dist/cliMain.js).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Beside the bundle first, then the user's cache folder (`$XDG_CACHE_HOME/convlens`, else `~/.cache/convlens`). */
export function cacheFolders(bundleDir: string): string[] {
  return [bundleDir, path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'convlens')];
}

/**
 * Keyed as Python keys a .pyc: the bundle's size and modification time (a rebuild changes them), with Node's version
 * and architecture (hashing the bundle would load node:crypto, which costs more than the rest of the launcher).
 * Undefined when the bundle cannot be read.
 */
export function bundleKey(bundle: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(bundle);
  } catch {
    return undefined;
  }
  return [stat.size, Math.round(stat.mtimeMs), process.version, process.arch]
    .map((x) => x.toString(36).replace(/[^0-9a-z]/g, '_'))
    .join('-');
}

/** Removes a file if it is there; never throws (its folder may be gone, or not a folder). */
export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // nothing to remove
  }
}
