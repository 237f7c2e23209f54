// The Conv Lens CLI (a contract other tools read; see README "CLI"):
//   convlens profile FILE [--entry EXPR] [--root DIR] [--env NAME=VALUE] [--input 1x3x224x224] [--format table|json|csv|md|jvet]
//                         [--convention NAME|all] [--budget-macs-per-pixel N] [--budget-params N] [--allow-partial]
//                         [--resolution N] [--verbose]
// Exit codes: 0 success, 1 a budget was exceeded (or cannot be checked: some layers are unknown, unless
// --allow-partial), 2 bad arguments or unreadable input (one line on stderr).
// Only argument parsing and file access live here; all analysis is the core's.
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import type { SourceHost } from '../core';
import { CONVENTION_NAMES, type ConventionName } from '../core/cost/costTypes';
import { parseShape, scanDirectives } from '../core/directives';
import { realPathInside } from '../worker/diskFiles';
import { ParseCache } from './parseCache';
import type { CliReport, ReportFormat } from '../core/report';

/**
 * The engine and the report writers, loaded on first use: `--help` and argument errors do not pay for
 * them (decoding @lezer/python's parse tables alone is a third of a bare `--help`).
 */
function engine(): typeof import('../core') & typeof import('../core/report') {
  /* eslint-disable @typescript-eslint/no-require-imports -- a deferred require is what keeps them out of start-up */
  return { ...(require('../core') as typeof import('../core')), ...(require('../core/report') as typeof import('../core/report')) };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

const MAX_FILE_BYTES = 20 * 1024 * 1024;

class UserError extends Error {}

/**
 * File access for the core: real files, size-limited, never throwing. With `inside`, a path whose real
 * location (symlinks resolved) is outside those folders is treated as absent, so a link such as
 * `cfg.py -> ../secret/credentials` is never read. `onRead` hears of each file read, with its text.
 */
export function nodeHost(inside?: readonly string[], onRead?: (file: string, text: string) => void): SourceHost {
  const allowed = (p: string): boolean => !inside || realPathInside(p, inside);
  return {
    readFile(p: string): string | undefined {
      try {
        const st = fs.statSync(p);
        if (!st.isFile() || st.size > MAX_FILE_BYTES || !allowed(p)) return undefined;
        const text = fs.readFileSync(p, 'utf8');
        onRead?.(p, text);
        return text;
      } catch {
        return undefined;
      }
    },
    isDirectory(p: string): boolean {
      try {
        return fs.statSync(p).isDirectory() && allowed(p);
      } catch {
        return false;
      }
    },
  };
}

const toPosix = (p: string) => path.resolve(p).split(path.sep).join('/');

interface ProfileFlags {
  entry?: string;
  root: string[];
  env: string[];
  input?: string;
  format: ReportFormat | 'json';
  convention: ConventionName | 'all';
  budgetMacsPerPixel?: string;
  budgetParams?: string;
  resolution?: string;
  allowPartial?: boolean;
  verbose?: boolean;
}

/** Why a file cannot be read, in a few words (no stack, no errno jargon beyond the code). */
function readError(e: unknown): string {
  const code = (e as { code?: string }).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'not a file'
        : `unreadable (${code ?? String(e)})`;
}

function readSource(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${readError(e)}`);
  }
  if (!st.isFile()) throw new UserError(`cannot read ${file}: not a file`);
  if (st.size > MAX_FILE_BYTES) throw new UserError(`cannot read ${file}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${readError(e)}`);
  }
  // Binary input (NUL bytes) is reported, not parsed as Python.
  if (buf.subarray(0, 8192).includes(0)) throw new UserError(`cannot read ${file}: it is not a text file`);
  return buf.toString('utf8');
}

function pickEntry(source: string, file: string, roots: string[], host: SourceHost): string {
  // `# convlens: entry EXPR` comments name the entry, as they do in the editor.
  const named = scanDirectives(source.split('\n')).entries;
  if (named.length === 1) return named[0]!.expr;
  if (named.length > 1)
    throw new UserError(`several '# convlens: entry' comments; pick one with --entry: ${named.map((d) => d.expr).join(', ')}`);
  const info = engine().analyzeFile(source, file, { host, roots });
  const buildable = info.classes.filter((c) => c.isModule && c.buildableWithoutArgs);
  if (buildable.length === 1) return `${buildable[0]!.name}()`;
  const candidates = [
    ...info.classes.filter((c) => c.isModule).map((c) => `${c.name}(${c.buildableWithoutArgs ? '' : '...'})`),
    ...info.factories.map((f) => `${f.name}()`),
  ];
  if (buildable.length > 1)
    throw new UserError(
      `several nn.Module classes can be built without arguments; pick one with --entry: ${buildable.map((c) => `${c.name}()`).join(', ')}`,
    );
  throw new UserError(
    candidates.length
      ? `no nn.Module class in ${file} can be built without arguments; pass --entry, e.g. one of: ${candidates.join(', ')}`
      : `no nn.Module class or model factory found in ${file}`,
  );
}

/** A decimal count (`1_000_000`, `704.5` when `fraction`); '', hex, exponents and signs are rejected. */
function parseCount(
  flag: string,
  v: string | undefined,
  { fraction = false, min = 0, max = Number.MAX_SAFE_INTEGER } = {},
): number | undefined {
  if (v === undefined) return undefined;
  const pattern = fraction ? /^[0-9]+(_[0-9]+)*(\.[0-9]+)?$/ : /^[0-9]+(_[0-9]+)*$/;
  const n = pattern.test(v.trim()) ? Number(v.trim().replace(/_/g, '')) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UserError(
      `${flag} expects ${fraction ? 'a decimal number' : 'a whole number'} from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got '${v}'`,
    );
  }
  return n;
}

function runProfile(file: string, flags: ProfileFlags, out: (s: string) => void): number {
  const abs = toPosix(file);
  const roots = flags.root.map(toPosix);
  for (const r of roots) if (!fs.existsSync(r) || !fs.statSync(r).isDirectory()) throw new UserError(`--root ${r} is not a directory`);
  const input = flags.input === undefined ? undefined : parseShape(flags.input);
  if (flags.input !== undefined && !input) throw new UserError(`--input expects a shape like 1x3x224x224, got '${flags.input}'`);
  // The same range as the convlens.defaultResolution setting.
  const resolution = parseCount('--resolution', flags.resolution, { min: 1, max: 8192 });
  const budgetMpp = parseCount('--budget-macs-per-pixel', flags.budgetMacsPerPixel, { fraction: true });
  const budgetParams = parseCount('--budget-params', flags.budgetParams);
  const environment: Record<string, string> = {};
  for (const kv of flags.env) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UserError(`--env expects NAME=VALUE, got '${kv}'`);
    environment[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const source = readSource(file);
  if (flags.verbose) process.stderr.write(`convlens: read ${path.relative(process.cwd(), file) || file}\n`);
  const core = engine();
  // Parses kept from earlier runs (parseCache.ts), for the file and each file it imports as they are read.
  const cache = ParseCache.open(path.join(__dirname, 'cliMain.js'), core);
  cache?.restore(source);
  // Imports resolve only to real files inside the roots and the file's own folder.
  const host = nodeHost([...roots, path.dirname(abs)], (p, text) => {
    if (flags.verbose) process.stderr.write(`convlens: read ${path.relative(process.cwd(), p)}\n`);
    cache?.restore(text);
  });
  const entry = flags.entry ?? pickEntry(source, abs, roots, host);
  const { profileEntry, reportFromProfile, formatReport } = core;
  const result = profileEntry(source, abs, entry, {
    host,
    roots,
    environment,
    // With --entry nothing needs the file's other definitions: it is read as an import is, by the names used.
    lazyMain: flags.entry !== undefined,
    ...(input ? { input } : {}),
    ...(resolution ? { defaultResolution: resolution } : {}),
  });
  if (result.status === 'error') {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new UserError(
      first
        ? `${first.message}${first.range && first.range.file !== '<entry>' ? ` (${path.relative(process.cwd(), first.range.file)}:${first.range.line + 1})` : ''}`
        : `cannot build '${entry}'`,
    );
  }
  const report: CliReport = reportFromProfile(result, flags.convention);
  out(flags.format === 'json' ? JSON.stringify(report, null, 1) : formatReport(flags.format, report));
  cache?.save();

  let code = 0;
  // A budget checked on a partial total would pass a model whose unknown layers could be most of its cost.
  const unknown = report.layers.filter((l) => l.status !== 'ok' || l.macs === null);
  const forwardFailed = result.diagnostics.some(
    (d) => d.severity === 'error' && (d.code === 'forward' || d.code === 'budget' || d.code === 'raise'),
  );
  if (
    (budgetMpp !== undefined || budgetParams !== undefined) &&
    (report.totals.partial || unknown.length > 0 || forwardFailed) &&
    !flags.allowPartial
  ) {
    const names =
      unknown
        .slice(0, 5)
        .map((l) => l.path)
        .join(', ') + (unknown.length > 5 ? `, … (${unknown.length} in all)` : '');
    const why = unknown.length
      ? `${unknown.length} layer${unknown.length === 1 ? ' is' : 's are'} unknown (${names})`
      : 'the forward pass did not complete';
    process.stderr.write(`convlens: budget cannot be checked: ${why}; pass --allow-partial to check the known part only\n`);
    return 1;
  }
  if (budgetMpp !== undefined && (report.totals.macsPerPixel === null || report.totals.macsPerPixel > budgetMpp)) {
    process.stderr.write(
      `convlens: budget exceeded: ${report.totals.macsPerPixel === null ? 'MACs/pixel unknown' : `${report.totals.macsPerPixel.toFixed(2)} MACs/pixel`} > ${budgetMpp} (${report.convention})\n`,
    );
    code = 1;
  }
  if (budgetParams !== undefined && (report.totals.params === null || report.totals.params > budgetParams)) {
    process.stderr.write(
      `convlens: budget exceeded: ${report.totals.params === null ? 'params unknown' : `${report.totals.params} params`} > ${budgetParams}\n`,
    );
    code = 1;
  }
  return code;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): number {
  const program = new Command();
  let code = 0;
  program
    .name('convlens')
    .description('Params, MACs and shapes of PyTorch models, statically from source (no Python needed).')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: () => undefined });
  program
    .command('profile')
    .description('profile one nn.Module built by an entry expression')
    .argument('<file>', 'Python file that defines the model')
    .option('--entry <expr>', 'expression evaluated in the file, e.g. "resnet18(weights=None)"')
    .option(
      '--root <dir>',
      'package root for imports (repeatable), e.g. the folder that holds torchvision/',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--env <NAME=VALUE>',
      'an environment variable the code sees in os.environ (repeatable; default: none set)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--input <shape>', 'input shape, e.g. 1x3x224x224')
    .option('--resolution <n>', 'H = W used when no input shape is given (default 224)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv', 'md', 'jvet']).default('table'))
    .addOption(new Option('--convention <name>', 'counting convention').choices([...CONVENTION_NAMES, 'all']).default('ptflops'))
    .option('--budget-macs-per-pixel <n>', 'exit 1 when MACs/pixel exceeds n')
    .option('--budget-params <n>', 'exit 1 when params exceed n')
    .option('--allow-partial', 'check budgets on the known part when some layers are unknown (else exit 1)')
    .option('--verbose', 'list the files read on stderr')
    .action((file: string, flags: ProfileFlags) => {
      code = runProfile(file, flags, out);
    });
  if (argv.length === 0) {
    process.stderr.write(program.helpInformation());
    return 2;
  }
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      process.stderr.write(`convlens: ${e.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`convlens: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`convlens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 3;
  }
  return code;
}
