// Reads a .vsix (a zip) and checks what `npm run package` put in it: the files the manifest points at are
// there, and nothing that should stay out (node_modules, sources, source maps, tests) got in. Used by the
// package benchmark and by the real-VS-Code runner before it installs the package.
import * as fs from 'fs';
import * as path from 'path';
import * as yauzl from 'yauzl';

export interface VsixEntry {
  /** Path inside the extension folder (the zip's `extension/` prefix removed). */
  readonly name: string;
  readonly bytes: number;
  readonly compressedBytes: number;
}

/** The files of the extension folder in a .vsix, with their sizes. */
export function readVsix(file: string): Promise<VsixEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) {
        reject(err ?? new Error(`cannot open ${file}`));
        return;
      }
      const entries: VsixEntry[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.startsWith('extension/') && !e.fileName.endsWith('/')) {
          entries.push({ name: e.fileName.slice('extension/'.length), bytes: e.uncompressedSize, compressedBytes: e.compressedSize });
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

interface Manifest {
  readonly name: string;
  readonly publisher: string;
  readonly version: string;
  readonly main: string;
  readonly browser: string;
  readonly icon: string;
  readonly contributes: { readonly notebookRenderer: readonly { readonly entrypoint: string }[] };
}

/** Reads package.json of the repository: what the package must contain. */
export function readManifest(repoRoot: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
}

/** The default name vsce gives the package of `manifest`. */
export function vsixName(manifest: Manifest): string {
  return `${manifest.name}-${manifest.version}.vsix`;
}

const forbidden: readonly [RegExp, string][] = [
  [/(^|\/)node_modules\//, 'a dependency (the bundles carry their own)'],
  [/\.map$/, 'a source map'],
  [/\.ts$/, 'a TypeScript source'],
  [/^(test|out|extension|webview|\.cache|\.vscode-test)\//, 'a development folder'],
  [/^dist\/cli\.js$/, 'the CLI (not part of the extension)'],
];

/** What is wrong with the package's file list; empty when it is as `npm run package` means it to be. */
export function packageProblems(entries: readonly VsixEntry[], manifest: Manifest): string[] {
  const names = new Set(entries.map((e) => e.name));
  const norm = (p: string): string => path.posix.normalize(p.replace(/^\.\//, ''));
  const required = [
    'package.json',
    'readme.md',
    'changelog.md',
    'LICENSE.txt',
    norm(manifest.main),
    norm(manifest.browser),
    norm(manifest.icon),
    'dist/analysisWorker.js',
    'dist/engine.js',
    'media/python/convlens_runtime.py',
    'media/playground.css',
    'media/profile.css',
    // profile.css imports it: the profile view shows the renderer's profile component.
    'media/renderer.css',
    ...manifest.contributes.notebookRenderer.map((r) => norm(r.entrypoint)),
    // The renderer fetches it from its own folder to read profiles off the notebook's main thread.
    'dist/renderer/profileWorker.js',
  ];
  const problems = required.filter((r) => !names.has(r)).map((r) => `missing ${r}`);
  // The playground and the renderer need both of ORT's wasm builds: CPU (WASM backend) and JSEP (WebGPU).
  for (const wasm of [
    /^dist\/renderer\/ort-wasm-simd-threaded\.[0-9a-f]{8}\.wasm$/,
    /^dist\/renderer\/ort-wasm-simd-threaded\.jsep\.[0-9a-f]{8}\.wasm$/,
  ]) {
    if (entries.filter((e) => wasm.test(e.name)).length !== 1) problems.push(`expected exactly one file matching ${wasm}`);
  }
  if (entries.some((e) => e.name.endsWith('.wasm') && !e.name.startsWith('dist/renderer/')))
    problems.push('a .wasm outside dist/renderer (a second copy)');
  for (const e of entries) {
    const hit = forbidden.find(([re]) => re.test(e.name));
    if (hit) problems.push(`${e.name}: ${hit[1]}`);
  }
  return problems;
}
