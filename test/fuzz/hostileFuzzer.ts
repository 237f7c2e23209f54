// The hostile-input fuzzer (issue 13), shared by the unit suite (a bounded seeded run) and
// `npm run bench:fuzz` (more inputs, per-category figures). Inputs: real model files from
// test/fixtures mutated (lines dropped, duplicated or truncated, numbers replaced, pathological
// statements inserted) and generated Sequential models with random hyperparameters. Each goes through
// the core with small budgets; a run is checked for: no exception and no `internal` diagnostic
// (a crash), no more steps than the budget (counted by the core's own cancellation polls), and no
// negative or non-finite number in the totals, per-layer params, MACs or shapes.
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFile, profileEntry, type ProfileResult } from '../../extension/core';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Category = 'mutated' | 'pathological' | 'generated';

export interface FuzzInput {
  readonly category: Category;
  readonly name: string;
  readonly source: string;
  readonly nonNegativeArgs: boolean;
}

export interface FuzzOutcome {
  readonly input: FuzzInput;
  readonly crash?: string;
  readonly pastBudget: boolean;
  readonly budgetStop: boolean;
  /** Paths of numbers that are negative or not finite. */
  readonly badNumbers: string[];
}

export const FUZZ_STEP_BUDGET = 200_000;
export const FUZZ_MEMORY_BUDGET = 32 * 1024 * 1024;
/** The core polls cancellation every this many steps (budget.ts CHECK_EVERY). */
const POLL_STEPS = 4096;

const PATHOLOGICAL = [
  'x = [0]\nfor _i in range(40):\n    x = x + x',
  "s = 'ab'\nfor _i in range(64):\n    s = s + s",
  'y = [list(range(100000)) for _i in range(100000)]',
  'x = list(range(100000))\nfor _i in range(100000):\n    s = sum(x)',
  'x = list(range(100000))\nfor _i in range(100000):\n    s = str(x)',
  'x = [0] * 10**12',
  'def f(n):\n    return f(n + 1)\nf(0)',
  'while True:\n    pass',
  'd = {}\nfor _i in range(100000):\n    d[_i] = [_i] * 1000',
];

function fixtureSources(repoRoot: string): { name: string; text: string }[] {
  const dirs = ['test/fixtures/python', 'test/fixtures/python/zoo', 'test/fixtures/seed'].map((d) => path.join(repoRoot, d));
  return dirs
    .filter((d) => fs.existsSync(d))
    .flatMap((d) =>
      fs
        .readdirSync(d)
        .filter((f) => f.endsWith('.py'))
        .sort()
        .map((f) => ({ name: path.relative(repoRoot, path.join(d, f)), text: fs.readFileSync(path.join(d, f), 'utf8') })),
    );
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function mutate(r: () => number, text: string, nonNegative: boolean): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(r() * 4);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(r() * lines.length);
    switch (Math.floor(r() * 5)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[i] ?? '');
        break;
      case 2: {
        const values = nonNegative ? ['0', '1', '2', '7', '65536', '10**9'] : ['0', '-1', '-16', '3.0', '10**300', '1e308', "'x'", 'None'];
        lines[i] = (lines[i] ?? '').replace(/\b\d+\b/, () => pick(r, values));
        break;
      }
      case 3:
        lines.splice(Math.floor(r() * lines.length));
        break;
      default: {
        const indent = /^\s*/.exec(lines[i] ?? '')![0];
        lines.splice(
          i,
          0,
          ...pick(r, PATHOLOGICAL)
            .split('\n')
            .map((l) => indent + l),
        );
      }
    }
  }
  return lines.join('\n');
}

function generated(r: () => number, nonNegative: boolean): string {
  const layers: string[] = [];
  let c = 1 + Math.floor(r() * 8);
  const inC = c;
  const n = 1 + Math.floor(r() * 12);
  const odd = (): string => pick(r, nonNegative ? ['1', '3', '64'] : ['0', '-1', '-8', '2.5', '10**12']);
  for (let i = 0; i < n; i++) {
    const k = 1 + Math.floor(r() * 5);
    switch (Math.floor(r() * 6)) {
      case 0:
      case 1: {
        const out = 1 + Math.floor(r() * 64);
        const groups = [1, c === out ? c : 1][Math.floor(r() * 2)]!;
        const weird = r() < 0.15;
        layers.push(
          `nn.Conv2d(${c}, ${weird ? odd() : out}, ${k}, stride=${1 + Math.floor(r() * 3)}, padding=${Math.floor(r() * 3)}, groups=${groups})`,
        );
        c = out;
        break;
      }
      case 2:
        layers.push(`nn.BatchNorm2d(${r() < 0.1 ? c + 1 : c})`);
        break;
      case 3:
        layers.push(pick(r, ['nn.ReLU()', 'nn.GELU()', 'nn.Identity()', 'nn.Dropout(0.1)']));
        break;
      case 4:
        layers.push(`nn.MaxPool2d(${k}, ${r() < 0.1 ? odd() : 1 + Math.floor(r() * 2)})`);
        break;
      default:
        layers.push(`nn.AdaptiveAvgPool2d(${1 + Math.floor(r() * 4)})`);
    }
  }
  const res = pick(r, [1, 8, 32, 224]);
  return `import torch.nn as nn\n\n# convlens: input 1x${inC}x${res}x${res}\nclass Gen(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.body = nn.Sequential(\n${layers.map((l) => `            ${l},`).join('\n')}\n        )\n\n    def forward(self, x):\n        return self.body(x)\n`;
}

/** The inputs of one seeded run: `perCategory` of each category. */
export function fuzzInputs(repoRoot: string, seed: number, perCategory: number, nonNegativeArgs: boolean): FuzzInput[] {
  const r = rng(seed);
  const fixtures = fixtureSources(repoRoot);
  const out: FuzzInput[] = [];
  for (let i = 0; i < perCategory; i++) {
    const f = pick(r, fixtures);
    out.push({ category: 'mutated', name: `${f.name}#${i}`, source: mutate(r, f.text, nonNegativeArgs), nonNegativeArgs });
  }
  for (let i = 0; i < perCategory; i++) {
    const f = pick(r, fixtures);
    const lines = f.text.split('\n');
    lines.splice(Math.floor(r() * lines.length), 0, ...pick(r, PATHOLOGICAL).split('\n'));
    out.push({ category: 'pathological', name: `${f.name}+pathological#${i}`, source: lines.join('\n'), nonNegativeArgs: true });
  }
  for (let i = 0; i < perCategory; i++)
    out.push({ category: 'generated', name: `gen#${i}`, source: generated(r, nonNegativeArgs), nonNegativeArgs });
  return out;
}

function numbersOf(p: ProfileResult): [string, unknown][] {
  const out: [string, unknown][] = [['totals.params', p.totals.params]];
  for (const l of p.layers) {
    out.push([`${l.path}.params`, l.params]);
    for (const [k, s] of [
      ['in', l.inputShape],
      ['out', l.outputShape],
    ] as const)
      (s ?? []).forEach((d, i) => out.push([`${l.path}.${k}[${i}]`, d]));
  }
  for (const [name, prof] of Object.entries(p.profiles ?? {})) {
    for (const [k, v] of Object.entries(prof.totals)) if (typeof v === 'number') out.push([`${name}.totals.${k}`, v]);
    for (const l of prof.layers) out.push([`${name}.${l.path}.macs`, l.macs]);
  }
  return out;
}

/** Runs one input through the core: every entry the file can build without arguments, with the fuzz budgets. */
export function runOne(input: FuzzInput): FuzzOutcome {
  let polls = 0;
  let sessions = 0;
  const options = () => {
    sessions++;
    return {
      stepBudget: FUZZ_STEP_BUDGET,
      memoryBudget: FUZZ_MEMORY_BUDGET,
      maxSequenceLength: 100_000,
      isCancelled: () => (polls++, false),
      defaultResolution: 32,
    };
  };
  const file = `/fuzz/${input.name.replace(/[^A-Za-z0-9_.]/g, '_')}.py`;
  let budgetStop = false;
  const badNumbers: string[] = [];
  try {
    const info = analyzeFile(input.source, file, options());
    budgetStop ||= info.diagnostics.some((d) => d.code === 'budget');
    const crash = info.diagnostics.find((d) => d.code === 'internal');
    if (crash) return { input, crash: crash.message, pastBudget: false, budgetStop, badNumbers };
    for (const c of info.classes.filter((x) => x.isModule && x.buildableWithoutArgs).slice(0, 3)) {
      const p = profileEntry(input.source, file, `${c.name}()`, options());
      budgetStop ||= p.diagnostics.some((d) => d.code === 'budget');
      const internal = p.diagnostics.find((d) => d.code === 'internal');
      if (internal) return { input, crash: internal.message, pastBudget: false, budgetStop, badNumbers };
      for (const [where, v] of numbersOf(p)) {
        if (v === null || typeof v === 'string') continue;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) badNumbers.push(`${c.name}: ${where} = ${String(v)}`);
      }
    }
  } catch (e) {
    return { input, crash: e instanceof Error ? (e.stack ?? e.message) : String(e), pastBudget: false, budgetStop, badNumbers };
  }
  // Each session polls once per POLL_STEPS steps: more polls than the budget allows means it ran past it.
  const pastBudget = polls > sessions * (Math.ceil(FUZZ_STEP_BUDGET / POLL_STEPS) + 1);
  return { input, pastBudget, budgetStop, badNumbers };
}
