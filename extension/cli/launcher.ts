// The `convlens` bin (dist/cli.js, a few lines with a shebang): runs the CLI bundle (dist/cliMain.js) through
// V8's code cache, so a run after the first compiles none of the functions it runs (Node 20 has no
// NODE_COMPILE_CACHE; this is the same idea for one bundle). The cache is what V8 holds after a `profile` run
// (every function that run compiled), kept beside the bundle, or in the user's cache folder when dist/ is
// not writable, under a name keyed by the bundle's size and mtime and Node's version; a cache V8 rejects is rewritten.
// Nothing here can fail a run: an unreadable or unwritable cache only means compiling as Node would.
// CONVLENS_COMPILE_CACHE=0 turns it off (benchmarks measure a cold start with it).
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import * as zlib from 'zlib';
import { bundleKey, cacheFolders, removeQuietly } from './cacheFolders';

const bundle = path.join(__dirname, 'cliMain.js');
const source = fs.readFileSync(bundle, 'utf8');
// V8 trusts a cache it accepts (a flipped byte can crash it), so the file carries a CRC-32 of the cache it holds
// (zlib.crc32: Node 20.15 and later; without it there is no cache).
const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
// Only `profile` runs use it: for `--help` or an argument error, reading the whole cache costs more than compiling the little they run.
const useCache = process.argv[2] === 'profile' && process.env.CONVLENS_COMPILE_CACHE !== '0' && typeof crc32 === 'function';
const cacheName = `cliMain.${bundleKey(bundle)}.v8cache`;
const candidates = cacheFolders(__dirname).map((dir) => path.join(dir, cacheName));

function readCache(): Buffer | undefined {
  for (const p of candidates) {
    let file: Buffer;
    try {
      file = fs.readFileSync(p);
    } catch {
      continue; // absent or unreadable: try the next place
    }
    const data = file.subarray(4);
    // A damaged file is ignored (and replaced after this run).
    return file.length > 4 && file.readUInt32LE(0) === crc32!(data) ? data : undefined;
  }
  return undefined;
}

/** Writes the cache to the first folder that takes it (atomically: a reader never sees half a file) and drops stale ones there. */
function writeCache(data: Buffer): void {
  for (const p of candidates) {
    const dir = path.dirname(p);
    const tmp = `${p}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(dir, { recursive: true });
      const sum = Buffer.alloc(4);
      sum.writeUInt32LE(crc32!(data));
      fs.writeFileSync(tmp, Buffer.concat([sum, data]));
      fs.renameSync(tmp, p);
      for (const f of fs.readdirSync(dir)) {
        if (/^cliMain\.[0-9a-z_-]+\.v8cache$/.test(f) && f !== cacheName) fs.rmSync(path.join(dir, f), { force: true });
      }
      return;
    } catch {
      removeQuietly(tmp);
    }
  }
}

const cached = useCache ? readCache() : undefined;
// Node's own CommonJS wrapper, so the bundle sees what `require('./cliMain.js')` would give it.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  ...(cached ? { cachedData: cached } : {}),
});
const wrapper = script.runInThisContext() as (
  exports: object,
  require: NodeRequire,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;
const mod = { exports: {} };
wrapper.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, __dirname);
// After a profile run V8 holds compiled code for everything the run used; a failed run would cache little.
if (useCache && (!cached || script.cachedDataRejected) && !process.exitCode) {
  writeCache(script.createCachedData());
}
