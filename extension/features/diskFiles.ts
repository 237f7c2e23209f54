// Node only: reads a path of the local disk for an analysis job with `readDisk` (see analysisJob.ts). The Node
// runners (the analysis worker, the inline runner of the Node extension) pass it; the web extension has no disk.
// Reading is all it does: nothing is executed.
import * as fs from 'fs';
import type { FileSnapshot } from './analysisJob';

/** Largest file read from the disk; a bigger one is treated as absent (model sources are far smaller). */
const MAX_DISK_FILE_BYTES = 8 * 1024 * 1024;

export function readFromDisk(path: string): FileSnapshot {
  try {
    const stat = fs.statSync(path);
    if (stat.isDirectory()) return { kind: 'dir' };
    return stat.isFile() && stat.size <= MAX_DISK_FILE_BYTES ? { kind: 'file', text: fs.readFileSync(path, 'utf8') } : { kind: 'absent' };
  } catch {
    return { kind: 'absent' };
  }
}
