// `npm run bench:package`: the size of the .vsix `npm run package` built, and its largest files with why each
// is there. Fails when the package holds what it should not (see test/package/vsix.ts).
import * as fs from 'fs';
import * as path from 'path';
import { packageProblems, readManifest, readVsix, vsixName } from '../package/vsix';

const repoRoot = path.resolve(__dirname, '../../..');

/** Why a large file is in the package, by name. */
const reasons: readonly [RegExp, string][] = [
  [/ort-wasm-simd-threaded\.jsep\.\w+\.wasm$/, 'onnxruntime-web JSEP build: the playground and renderer on WebGPU'],
  [/ort-wasm-simd-threaded\.\w+\.wasm$/, 'onnxruntime-web CPU build: the playground and renderer on WASM (no GPU)'],
  [/ort-webgpu\.chunk\.js$/, 'ORT JS for the WebGPU build, loaded on demand'],
  [/ort-wasm\.chunk\.js$/, 'ORT JS for the WASM build, loaded on demand'],
  [/ort\.(wasm\.)?bundle\.min\.\w+\.mjs$/, "ORT's own module, emitted by webpack from ORT's new URL(import.meta.url)"],
  [/^dist\/extension\.js$/, 'the Node extension (glue + core)'],
  [/^dist\/web\/extension\.js$/, 'the web extension (glue + core, for vscode.dev)'],
  [/^dist\/analysisWorker\.js$/, 'the analysis worker thread (core)'],
  [/^dist\/renderer\/index\.js$/, 'the notebook renderer'],
  [/^dist\/webview\/(playground|profile)\.js$/, 'the playground / profile webview'],
  [/convlens_runtime\.py$/, 'the Python runtime helper'],
];

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;
const kb = (n: number): string => (n >= 1024 * 1024 ? mb(n) : `${(n / 1024).toFixed(1)} KB`);

async function main(): Promise<number> {
  const manifest = readManifest(repoRoot);
  const file = path.join(repoRoot, vsixName(manifest));
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run package first`);
  const entries = await readVsix(file);
  const bytes = entries.reduce((s, e) => s + e.bytes, 0);
  console.log(`package ${path.basename(file)}: ${mb(fs.statSync(file).size)} on disk, ${entries.length} files, ${mb(bytes)} unpacked`);
  console.log('largest files (unpacked / in the zip):');
  for (const e of [...entries].sort((a, b) => b.bytes - a.bytes).slice(0, 10)) {
    const why = reasons.find(([re]) => re.test(e.name))?.[1] ?? '';
    console.log(`  ${kb(e.bytes).padStart(9)} / ${kb(e.compressedBytes).padStart(9)}  ${e.name}${why ? `  (${why})` : ''}`);
  }
  const problems = packageProblems(entries, manifest);
  for (const p of problems) console.error(`package problem: ${p}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
