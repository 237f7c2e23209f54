// Node only: reads a path of the local disk for an analysis job with `readDisk` (see analysisJob.ts). The Node
// runners (the analysis worker, the inline runner of the Node extension) pass it; the web extension has no disk.
// Reading is all it does: nothing is executed.
import * as fs from 'fs';
import * as nodePath from 'path';
import type { FileSnapshot } from './analysisJob';

/** Largest file read from the disk; a bigger one is treated as absent (model sources are far smaller). */
const MAX_DISK_FILE_BYTES = 8 * 1024 * 1024;

/**
 * True when the real location of `file` (symlinks resolved) is inside one of `roots`. The native realpath
 * (one libc call): the JS one lstat()s every component of the path and of each root, for every file a job
 * reads, which was a tenth of a torchvision file's cold analysis.
 */
export function realPathInside(file: string, roots: readonly string[]): boolean {
  try {
    const real = fs.realpathSync.native(file);
    return roots.some((r) => {
      try {
        const root = fs.realpathSync.native(r);
        return real === root || real.startsWith(root.endsWith(nodePath.sep) ? root : root + nodePath.sep);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

export function readFromDisk(path: string, inside: readonly string[]): FileSnapshot {
  try {
    // An import resolves only to a real file inside the job's roots: `cfg.py -> ../secret/credentials` is absent.
    if (!realPathInside(path, inside)) return { kind: 'absent' };
    const stat = fs.statSync(path);
    if (stat.isDirectory()) return { kind: 'dir' };
    return stat.isFile() && stat.size <= MAX_DISK_FILE_BYTES ? { kind: 'file', text: fs.readFileSync(path, 'utf8') } : { kind: 'absent' };
  } catch {
    return { kind: 'absent' };
  }
}
