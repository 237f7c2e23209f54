// The `convlens.*` settings, read in one place into a typed, immutable snapshot. Every value goes through
// a `from()` normalizer that turns anything unexpected into the default, so the rest of the glue never
// sees a malformed setting. `settingsSchema` is the list test/unit/manifest.test.ts checks package.json
// against. This file imports vscode only for types; the core never sees a WorkspaceConfiguration.
import type * as vscode from 'vscode';
import { CONVENTION_NAMES, type ConventionName } from '../core/cost/costTypes';

/** Counting conventions, named after the tool whose numbers they reproduce: the core's list (core/cost). */
export const conventions = CONVENTION_NAMES;
export type Convention = ConventionName;

/** What each convention is and when to use it, one line each (the convention picker shows them). */
export const conventionNotes: Readonly<Record<Convention, string>> = {
  ptflops: 'ptflops 0.7.6 — conv/linear with bias, BN, activations and pools; the figure JVET NNVC kMAC/pixel tables use',
  'ptflops-0.6': 'ptflops 0.6.9 — module hooks only, no functional double counts; to match older pipelines and papers',
  torchinfo: 'torchinfo 1.8.0 — from parameter counts only, nothing for parameter-free layers; to match a torchinfo summary',
  fvcore: 'fvcore 0.1.6 — traced ops, no bias, activations ignored; to match detectron2 / fvcore FLOP tables',
  thop: "thop 0.1.1 — no bias, BN 4·numel, avg pools and upsampling; to match thop's profile()",
  torchstat: 'torchstat 0.0.7 MAdd — multiplies and adds apart (≈ 2× MACs); to match a torchstat report',
  paper: 'paper — conv, linear, matmul and attention multiply-accumulates only; the clean count of model-zoo tables',
};

/** What MACs/pixel divides by: the model input's H·W, or the layer output's H·W. */
export const macsPerPixelDenominators = ['input', 'output'] as const;
export type MacsPerPixelDenominator = (typeof macsPerPixelDenominators)[number];

/** `si`: 37.0K, 116M. `exact`: 37,024 and 115,867,648. */
export const unitStyles = ['si', 'exact'] as const;
export type UnitStyle = (typeof unitStyles)[number];

/** The parts an inlay hint may show. */
export const hintParts = ['params', 'macs', 'shape'] as const;
export type HintPart = (typeof hintParts)[number];

/** `compact`: numbers only. `full`: also the layer type and, for aggregated lines, the per-instance values. */
export const hintVerbosities = ['compact', 'full'] as const;
export type HintVerbosity = (typeof hintVerbosities)[number];

/** The JSON-schema facts package.json must declare for each key (checked by the manifest test). */
export const settingsSchema = {
  'convlens.convention': { type: 'string', default: 'ptflops', enum: conventions },
  'convlens.defaultResolution': { type: 'number', default: 224, minimum: 1, maximum: 8192 },
  'convlens.macsPerPixel.denominator': { type: 'string', default: 'input', enum: macsPerPixelDenominators },
  'convlens.units': { type: 'string', default: 'si', enum: unitStyles },
  'convlens.inlayHints.show': { type: 'array', default: ['params', 'macs'], items: { enum: hintParts } },
  'convlens.inlayHints.verbosity': { type: 'string', default: 'compact', enum: hintVerbosities },
  'convlens.analysis.debounceMs': { type: 'number', default: 300, minimum: 0, maximum: 5000 },
  'convlens.packageRoots': { type: 'array', default: [] as readonly string[] },
  'convlens.environment': { type: 'object', default: {} },
} as const;
export type SettingKey = keyof typeof settingsSchema;

/** Keys whose change needs a window reload. None yet: every setting is re-read on change. */
export const requiresReload: readonly SettingKey[] = [];

/** The one shape grammar (`1x3x224x224`, `(1, 3, 224, 224)`, …), shared with `# convlens: input` and the CLI. */
export { parseShape } from '../core/directives';

function fromEnum<T extends string>(values: readonly T[], fallback: T, value: unknown): T {
  return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

export const Convention = {
  from: (value: unknown): Convention => fromEnum(conventions, settingsSchema['convlens.convention'].default, value),
};
/**
 * A convention given to Switch Counting Convention (by a keybinding's `args`, a link, a test): its name, or
 * `{ "convention": name }`. Undefined when none is given (the command asks); a message when it names none.
 */
export function conventionArgument(arg: unknown): { readonly convention?: Convention; readonly error?: string } {
  const name = arg !== null && typeof arg === 'object' && !Array.isArray(arg) ? (arg as { convention?: unknown }).convention : arg;
  if (name === undefined || name === null) return {};
  if (typeof name === 'string' && (conventions as readonly string[]).includes(name)) return { convention: name as Convention };
  const text = typeof name === 'string' ? name : (JSON.stringify(name) ?? typeof name);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return { error: `"${shown}" is not a counting convention; use one of ${conventions.join(', ')}` };
}

export const MacsPerPixelDenominator = {
  from: (value: unknown): MacsPerPixelDenominator =>
    fromEnum(macsPerPixelDenominators, settingsSchema['convlens.macsPerPixel.denominator'].default, value),
};
export const UnitStyle = {
  from: (value: unknown): UnitStyle => fromEnum(unitStyles, settingsSchema['convlens.units'].default, value),
};
export const HintVerbosity = {
  from: (value: unknown): HintVerbosity => fromEnum(hintVerbosities, settingsSchema['convlens.inlayHints.verbosity'].default, value),
};
export const HintParts = {
  /** Keeps known parts in their canonical order; a non-array becomes the default, an empty array means no hints. */
  from: (value: unknown): readonly HintPart[] => {
    if (!Array.isArray(value)) return settingsSchema['convlens.inlayHints.show'].default;
    return hintParts.filter((p) => value.includes(p));
  },
};
function clampedInt(s: { readonly default: number; readonly minimum: number; readonly maximum: number }, value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(s.maximum, Math.max(s.minimum, Math.round(value))) : s.default;
}
export const DefaultResolution = {
  from: (value: unknown): number => clampedInt(settingsSchema['convlens.defaultResolution'], value),
};
export const PackageRoots = {
  /** Non-empty strings only; anything else is dropped. */
  from: (value: unknown): readonly string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [],
};
/** Environment variables the analysed code sees in `os.environ`: string values only, anything else dropped. */
export const Environment = {
  from: (value: unknown): Readonly<Record<string, string>> => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return Object.freeze({});
    return Object.freeze(Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')));
  },
};
export const DebounceMs = {
  from: (value: unknown): number => clampedInt(settingsSchema['convlens.analysis.debounceMs'], value),
};

/** An immutable snapshot of every `convlens.*` setting for one resource. */
export interface ConvLensSettings {
  readonly convention: Convention;
  /** H = W of the input when no comment or Set Input Shape gives one (channels come from the first layer). */
  readonly defaultResolution: number;
  readonly macsPerPixelDenominator: MacsPerPixelDenominator;
  readonly units: UnitStyle;
  readonly hintParts: readonly HintPart[];
  readonly hintVerbosity: HintVerbosity;
  readonly debounceMs: number;
  /** Extra folders imports resolve from (absolute, or relative to the workspace folder), as `--root` in the CLI. */
  readonly packageRoots: readonly string[];
  /** What `os.environ` holds for the analysis (empty: every variable unset). */
  readonly environment: Readonly<Record<string, string>>;
}

/** The only reader of `convlens.*`: `get` is usually `vscode.workspace.getConfiguration(undefined, uri).get`. */
export function readSettings(get: (key: SettingKey) => unknown): ConvLensSettings {
  return Object.freeze({
    convention: Convention.from(get('convlens.convention')),
    defaultResolution: DefaultResolution.from(get('convlens.defaultResolution')),
    macsPerPixelDenominator: MacsPerPixelDenominator.from(get('convlens.macsPerPixel.denominator')),
    units: UnitStyle.from(get('convlens.units')),
    hintParts: Object.freeze(HintParts.from(get('convlens.inlayHints.show'))),
    hintVerbosity: HintVerbosity.from(get('convlens.inlayHints.verbosity')),
    debounceMs: DebounceMs.from(get('convlens.analysis.debounceMs')),
    packageRoots: Object.freeze(PackageRoots.from(get('convlens.packageRoots'))),
    environment: Environment.from(get('convlens.environment')),
  });
}

/** Settings for a resource, from VS Code's configuration (the glue's single call site). */
export function settingsFor(workspace: typeof vscode.workspace, resource?: vscode.Uri): ConvLensSettings {
  // The `convlens` section only: VS Code builds the object it returns, and the whole configuration costs far more.
  const config = workspace.getConfiguration('convlens', resource);
  return readSettings((key) => config.get(key.slice('convlens.'.length)));
}

/** The levels of VS Code's configuration a `convlens.convention` value can sit at, most specific first. */
export type SettingLevel = 'workspaceFolder' | 'workspace' | 'user';
/** What `WorkspaceConfiguration.inspect` says about one key (the levels Conv Lens writes; the setting is resource-scoped). */
export interface SettingLevels {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}
const levelKeys: Readonly<Record<SettingLevel, keyof SettingLevels>> = {
  workspaceFolder: 'workspaceFolderValue',
  workspace: 'workspaceValue',
  user: 'globalValue',
};

/** A level's own value (undefined when the level does not set it). */
export function valueAt(levels: SettingLevels | undefined, level: SettingLevel): unknown {
  return levels?.[levelKeys[level]];
}

/**
 * Where Switch Counting Convention writes for a file: the most specific level that sets the convention the file
 * sees (a folder's or the workspace's value would hide a user one), else the user settings.
 */
export function conventionWriteLevel(levels: SettingLevels | undefined): SettingLevel {
  if (levels?.workspaceFolderValue !== undefined) return 'workspaceFolder';
  if (levels?.workspaceValue !== undefined) return 'workspace';
  return 'user';
}

/**
 * The convention a file sees once `value` is written at `level`, as VS Code resolves it: the most specific level
 * that sets it. `shared` says whether the file sees that level at all (a folder's value applies to the files in
 * that folder only; the workspace and user levels to every file).
 */
export function conventionAfterWrite(
  levels: SettingLevels | undefined,
  write: { readonly level: SettingLevel; readonly value: Convention },
  shared: boolean,
): Convention {
  const at = (level: SettingLevel): unknown => (shared && write.level === level ? write.value : valueAt(levels, level));
  return Convention.from(at('workspaceFolder') ?? at('workspace') ?? at('user'));
}

export function settingsEqual(a: ConvLensSettings, b: ConvLensSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when a configuration change touches our settings. */
export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('convlens');
}
