// Runs Debian's Python with torch (python3-torch 1.13, installed by test/scripts/ensurePytorch.sh) for the
// suites in this folder. The default `python3` may be a pyenv interpreter without Debian's dist-packages,
// hence the fixed path. The runtime helper (media/python) is always importable.
import { execFile } from 'child_process';
import * as path from 'path';

export const TORCH_PYTHON = '/usr/bin/python3';
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const HELPER_DIR = path.join(REPO_ROOT, 'media/python');

export interface PythonRun {
  /** The exit code; -1 when the process could not run or was killed. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs TORCH_PYTHON with `args`, the helper and `extraPath` on PYTHONPATH. Never rejects. */
export function runTorchPython(args: readonly string[], extraPath: readonly string[] = []): Promise<PythonRun> {
  const env = { ...process.env, PYTHONPATH: [HELPER_DIR, ...extraPath].join(path.delimiter), PYTHONDONTWRITEBYTECODE: '1' };
  return new Promise((resolve) => {
    // timeout: a guard against a hung interpreter, generous because one torch import takes minutes on a loaded machine.
    execFile(TORCH_PYTHON, [...args], { env, maxBuffer: 256 * 1024 * 1024, timeout: 15 * 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
