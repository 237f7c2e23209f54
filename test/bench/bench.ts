// `npm run bench:engine`: speed and memory of the static engine on the real model files.
// For each corpus file: the bare @lezer/python parse time, the analysis time (module tree + params,
// analyzeEntry) and the profile time (plus the abstract forward pass and all seven conventions),
// each the median of repeated in-process runs, and their ratios to the bare parse (target for the
// analysis: ≤ 3×). Then the end-to-end CLI time for resnet50 from source, next to what a runtime
// counter pays: importing torch + torchvision, building the model and running one forward pass.
// Figures only; nothing here is asserted. Machines are noisy: read medians and ratios side by side.
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { analyzeEntry, profileEntry } from '../../extension/core';
import { bareParse, clearParseCache } from '../../extension/core/parse';
import { runAnalysisJob, type AnalysisJob, type FileSnapshot } from '../../extension/worker/analysisJob';
import { readFromDisk } from '../../extension/worker/diskFiles';
import { fileHost, fixturePath, repoRoot, torchvisionRoot } from '../unit/helpers/fixtureFiles';

interface Corpus {
  name: string;
  file: string;
  entry: string;
  input: number[];
}

const corpus: Corpus[] = [
  { name: 'seed DSC', file: fixturePath('seed', 'seed_models_fixed.py'), entry: 'DSC(16, 32)', input: [1, 16, 128, 128] },
  {
    name: 'seed ACBlock',
    file: fixturePath('seed', 'seed_models_fixed.py'),
    entry: 'ACBlock(16, 32, kernel_size=3, stride=1, padding=1, deploy=False)',
    input: [1, 16, 128, 128],
  },
  {
    name: 'resnet18',
    file: path.join(torchvisionRoot, 'torchvision/models/resnet.py'),
    entry: 'resnet18(weights=None)',
    input: [1, 3, 224, 224],
  },
  {
    name: 'resnet50',
    file: path.join(torchvisionRoot, 'torchvision/models/resnet.py'),
    entry: 'resnet50(weights=None)',
    input: [1, 3, 224, 224],
  },
  {
    name: 'mobilenet_v2',
    file: path.join(torchvisionRoot, 'torchvision/models/mobilenetv2.py'),
    entry: 'mobilenet_v2(weights=None)',
    input: [1, 3, 224, 224],
  },
  { name: 'vgg11', file: path.join(torchvisionRoot, 'torchvision/models/vgg.py'), entry: 'vgg11(weights=None)', input: [1, 3, 224, 224] },
  {
    name: 'alexnet',
    file: path.join(torchvisionRoot, 'torchvision/models/alexnet.py'),
    entry: 'alexnet(weights=None)',
    input: [1, 3, 224, 224],
  },
  {
    name: 'convnext_tiny',
    file: path.join(torchvisionRoot, 'torchvision/models/convnext.py'),
    entry: 'convnext_tiny(weights=None)',
    input: [1, 3, 224, 224],
  },
  {
    name: 'vit_b_16',
    file: path.join(torchvisionRoot, 'torchvision/models/vision_transformer.py'),
    entry: 'vit_b_16(weights=None)',
    input: [1, 3, 224, 224],
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Times several functions interleaved (a, b, c, a, b, c, ...) so machine noise hits them alike;
 * returns each one's median in ms.
 */
function timeInterleaved(fns: (() => void)[], runs: number): number[] {
  const t: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, k) => {
      const t0 = process.hrtime.bigint();
      fn();
      t[k]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  return t.map(median);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function engine(): void {
  const runs = Number(process.env['BENCH_RUNS'] ?? 15);
  console.log(`Static engine, in-process, median of ${runs} runs (ms).`);
  console.log(
    '  parse: bare @lezer/python parse of the file; analyze: module tree + params (analyzeEntry); profile: + forward pass + 7 conventions.',
  );
  console.log(
    "  cold: the file and every file it imports are parsed again; warm: parses come from the core's recent-parse cache (as when the editor re-profiles).",
  );
  console.log('  parse all: bare parse of the file and of every file the analysis reads (its imports), the fair base for a cold analysis.');
  console.log(
    `${'model'.padEnd(14)} ${pad('lines', 6)} ${pad('parse', 7)} ${pad('analyze', 8)} ${pad('cold/parse', 11)} ${pad('parse all', 10)} ${pad('cold/all', 9)} ${pad('warm', 7)} ${pad('warm/parse', 11)} ${pad('profile', 8)} ${pad('prof/parse', 11)} ${pad('imports', 8)}`,
  );
  const host = fileHost();
  for (const c of corpus) {
    const src = fs.readFileSync(c.file, 'utf8');
    const read = new Map<string, string>();
    const recording = {
      readFile: (p: string) => {
        const t = host.readFile(p);
        if (t !== undefined) read.set(p, t);
        return t;
      },
      isDirectory: host.isDirectory,
    };
    clearParseCache();
    analyzeEntry(src, c.file, c.entry, { host: recording, roots: [torchvisionRoot] });
    const imported = [...read.entries()].filter(([p]) => p !== c.file).map(([, t]) => t);
    // Warm up the JIT on this file before measuring.
    for (let i = 0; i < 3; i++) profileEntry(src, c.file, c.entry, { host, roots: [torchvisionRoot], input: c.input });
    const [parse, parseAll, analyze, warm, profile] = timeInterleaved(
      [
        () => bareParse(src),
        () => {
          bareParse(src);
          for (const t of imported) bareParse(t);
        },
        () => {
          clearParseCache();
          analyzeEntry(src, c.file, c.entry, { host, roots: [torchvisionRoot] });
        },
        () => analyzeEntry(src, c.file, c.entry, { host, roots: [torchvisionRoot] }),
        () => profileEntry(src, c.file, c.entry, { host, roots: [torchvisionRoot], input: c.input }),
      ],
      runs,
    ) as [number, number, number, number, number];
    const x = (a: number, base = parse, width = 11) => pad(`${(a / base).toFixed(2)}×`, width);
    console.log(
      `${c.name.padEnd(14)} ${pad(src.split('\n').length, 6)} ${pad(parse.toFixed(2), 7)} ${pad(analyze.toFixed(2), 8)} ${x(analyze)} ${pad(parseAll.toFixed(2), 10)} ${x(analyze, parseAll, 9)} ${pad(warm.toFixed(2), 7)} ${x(warm)} ${pad(profile.toFixed(2), 8)} ${x(profile)} ${pad(imported.length, 8)}`,
    );
  }
  // Memory: heap growth over many analyses of the largest model (leaks would show here).
  const r50 = corpus.find((c) => c.name === 'resnet50')!;
  const src = fs.readFileSync(r50.file, 'utf8');
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 30; i++) profileEntry(src, r50.file, r50.entry, { host, roots: [torchvisionRoot], input: r50.input });
  gc?.();
  const after = process.memoryUsage().heapUsed;
  console.log(
    `\nHeap after 30 resnet50 profiles: ${((after - before) / 1024 / 1024).toFixed(1)} MB growth${gc ? '' : ' (run node with --expose-gc for a clean figure)'}; heap in use ${(after / 1024 / 1024).toFixed(1)} MB`,
  );
}

function endToEnd(): void {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const file = path.join(torchvisionRoot, 'torchvision/models/resnet.py');
  const runs = 5;
  const cliTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'profile',
        file,
        '--entry',
        'resnet50(weights=None)',
        '--root',
        torchvisionRoot,
        '--input',
        '1x3x224x224',
        '--format',
        'json',
        '--convention',
        'all',
      ],
      { encoding: 'utf8' },
    );
    cliTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  console.log(
    `\nEnd to end, resnet50 from source: convlens CLI (node dist/cli.js, all 7 conventions) median of ${runs}: ${median(cliTimes).toFixed(0)} ms`,
  );
  const py = '/usr/bin/python3';
  const script =
    'import time;t=time.time();import torch,torchvision;m=torchvision.models.resnet50(weights=None).eval();torch.no_grad().__enter__();m(torch.zeros(1,3,224,224));print(time.time()-t)';
  const probe = spawnSync(py, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log("Runtime baseline: /usr/bin/python3 has no torch/torchvision here (npm run test:python installs Debian's); skipped.");
    return;
  }
  const pyTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(py, ['-c', script], { encoding: 'utf8' });
    pyTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const m = median(pyTimes);
  console.log(
    `Runtime baseline (what any runtime counter pays before counting): python3 import torch + torchvision, build resnet50, one forward, median of ${runs}: ${m.toFixed(0)} ms (${(m / median(cliTimes)).toFixed(1)}× the CLI)`,
  );
}

/**
 * The editor's first analysis of a package file (every entry of the file, as the worker runs it): with a
 * snapshot only, each round reports the imports it lacks and runs again once they are loaded; reading the
 * disk inside the job needs one round. Core time only (the snapshot rounds also wait on file reads).
 */
function firstOpen(): void {
  const runs = 5;
  console.log(
    `\nEditor, first analysis of a package file (all its entries), median of ${runs} (ms, core time; the parse cache is cleared each run):`,
  );
  for (const name of ['resnet', 'mobilenetv2', 'convnext', 'efficientnet']) {
    const file = path.join(torchvisionRoot, `torchvision/models/${name}.py`);
    const text = fs.readFileSync(file, 'utf8');
    const base: AnalysisJob = {
      id: 1,
      text,
      file,
      roots: [torchvisionRoot],
      canReadFiles: true,
      files: {},
      defaultResolution: 224,
      priorityLines: [],
    };
    const rounds: number[] = [];
    const [snapshot, disk] = timeInterleaved(
      [
        () => {
          clearParseCache();
          const files: Record<string, FileSnapshot> = {};
          let n = 0;
          for (let r = runAnalysisJob(base)!; r.misses.length > 0 && n < 20; r = runAnalysisJob({ ...base, files: { ...files } })!) {
            for (const p of r.misses) {
              const st = fs.existsSync(p) ? fs.statSync(p) : undefined;
              files[p] = !st ? { kind: 'absent' } : st.isDirectory() ? { kind: 'dir' } : { kind: 'file', text: fs.readFileSync(p, 'utf8') };
            }
            n++;
          }
          rounds.push(n + 1);
        },
        () => {
          clearParseCache();
          runAnalysisJob({ ...base, readDisk: true }, { readDisk: readFromDisk });
        },
      ],
      runs,
    );
    console.log(
      `  ${name.padEnd(13)} snapshot rounds: ${rounds[0]} rounds ${snapshot!.toFixed(0).padStart(6)}   disk in the job: 1 round ${disk!.toFixed(0).padStart(6)}   (${(snapshot! / disk!).toFixed(1)}×)`,
    );
  }
}

engine();
firstOpen();
endToEnd();
