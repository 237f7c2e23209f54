// Messages between the extension host and the profile view (a webview panel showing one entry's profile:
// the CLI report with every convention, the module summary, chart and totals), with their guards. Imported as-is by both bundles; never copy these types.
// Every guard checks every field of `unknown` input with check.ts's kit and returns a type predicate: no casts of inbound data.
// Strings in the model come from user files (layer paths, entry expressions): the webview shows them as text only.
import { CONVENTION_NAMES, type ConventionName } from '../core/cost/costTypes';
import type { CliReport } from '../core/report/reportTypes';
import { parseProfileReport } from './validateReport';
import { hasOnlyKeys, isArrayOf, isFiniteNumber, isInt, isOneOf, isRecord, isString } from './check';

export type ProfileExportFormat = 'md' | 'csv' | 'json' | 'jvet';
export const PROFILE_EXPORT_FORMATS: readonly ProfileExportFormat[] = ['md', 'csv', 'json', 'jvet'];

/** Limits both sides enforce so a hostile or broken file cannot make a message unbounded. */
export const PROFILE_LIMITS = {
  maxString: 10_000,
  maxLayers: 20_000,
  maxEntries: 2_000,
} as const;

/** A module or layer of the entry's tree: its class and the 0-based document line that built it (-1 when built elsewhere). */
export interface ProfileSite {
  readonly path: string;
  readonly type: string;
  readonly line: number;
}

/** A convention the view can switch to, with one line on what it is and when to use it. */
export interface ProfileConvention {
  readonly name: ConventionName;
  readonly note: string;
}

/** Everything the view shows for one entry of one document. */
export interface ProfileViewModel {
  readonly uri: string;
  readonly fileName: string;
  readonly entries: readonly string[];
  readonly entry: string;
  /** The convention shown first: the one picked in this view, else the `convlens.convention` setting. */
  readonly convention: ConventionName;
  readonly conventions: readonly ProfileConvention[];
  /** The CLI's report with every convention's figures (`--convention all`); null when the entry was not analysed. */
  readonly report: CliReport | null;
  readonly sites: readonly ProfileSite[];
  /** `1×3×224×224`, or `?` when no input shape could be found. */
  readonly input: string;
  readonly inputSource: string;
  /** How MACs/pixel was divided, e.g. `H×W of the input = 224×224`. */
  readonly perPixelNote: string;
  readonly units: 'si' | 'exact';
  /** Errors and warnings from the analysis, one line each. */
  readonly messages: readonly string[];
}

/** What the webview persists (and the serializer gets back after a reload). */
export interface ProfileViewState {
  readonly uri: string;
  readonly entry: string | null;
  /** The convention picked in the view (it never changes the `convlens.convention` setting). */
  readonly convention?: ConventionName;
}

/** Host → webview. */
export namespace ProfileToWebview {
  export interface Show {
    readonly type: 'show';
    readonly model: ProfileViewModel;
  }
  /** The document is being analysed again (an edit); the table stays until `show`. */
  export interface Busy {
    readonly type: 'busy';
  }
  export type Message = Show | Busy;
}

/** Webview → host. */
export namespace ProfileFromWebview {
  export interface Ready {
    readonly type: 'ready';
  }
  export interface RevealLine {
    readonly type: 'revealLine';
    readonly line: number;
    readonly path: string;
  }
  export interface SelectEntry {
    readonly type: 'selectEntry';
    readonly entry: string;
  }
  export interface SetConvention {
    readonly type: 'setConvention';
    readonly convention: ConventionName;
  }
  export interface SetInputShape {
    readonly type: 'setInputShape';
    readonly text: string;
  }
  export interface ExportReport {
    readonly type: 'exportReport';
    readonly format: ProfileExportFormat;
  }
  /** Sent after each render: what the table shows (tests read it; the host logs nothing). */
  export interface Rendered {
    readonly type: 'rendered';
    readonly entry: string;
    readonly rows: number;
    readonly firstPaths: readonly string[];
    /** How long building this render's DOM took in the webview, ms (the benchmark reads it). */
    readonly renderMs: number;
    /** When it was sent, ms since the webview's document started loading (the benchmark splits the open with it). */
    readonly atMs: number;
  }
  export type Message = Ready | RevealLine | SelectEntry | SetConvention | SetInputShape | ExportReport | Rendered;
}

/** A string within the profile limit (or `max`). */
function isStr(x: unknown, max: number = PROFILE_LIMITS.maxString): x is string {
  return isString(x, max);
}

export function isConventionName(x: unknown): x is ConventionName {
  return isOneOf(x, CONVENTION_NAMES);
}

export function isExportFormat(x: unknown): x is ProfileExportFormat {
  return isOneOf(x, PROFILE_EXPORT_FORMATS);
}

function isSite(x: unknown): x is ProfileSite {
  return isRecord(x) && hasOnlyKeys(x, ['path', 'type', 'line']) && isStr(x['path']) && isStr(x['type']) && isInt(x['line'], -1);
}

function isConvention(x: unknown): x is ProfileConvention {
  return isRecord(x) && hasOnlyKeys(x, ['name', 'note']) && isConventionName(x['name']) && isStr(x['note'], 400);
}

export function isProfileViewModel(x: unknown): x is ProfileViewModel {
  return (
    isRecord(x) &&
    hasOnlyKeys(x, [
      'uri',
      'fileName',
      'entries',
      'entry',
      'convention',
      'conventions',
      'report',
      'sites',
      'input',
      'inputSource',
      'perPixelNote',
      'units',
      'messages',
    ]) &&
    isStr(x['uri']) &&
    isStr(x['fileName']) &&
    isArrayOf(x['entries'], PROFILE_LIMITS.maxEntries, isStr) &&
    isStr(x['entry']) &&
    isConventionName(x['convention']) &&
    isArrayOf(x['conventions'], CONVENTION_NAMES.length, isConvention) &&
    (x['report'] === null || parseProfileReport(x['report']).ok) &&
    isArrayOf(x['sites'], PROFILE_LIMITS.maxLayers, isSite) &&
    isStr(x['input'], 200) &&
    isStr(x['inputSource'], 400) &&
    isStr(x['perPixelNote'], 400) &&
    (x['units'] === 'si' || x['units'] === 'exact') &&
    isArrayOf(x['messages'], 100, isStr)
  );
}

export function isProfileViewState(x: unknown): x is ProfileViewState {
  if (!isRecord(x)) return false;
  const withConvention = x['convention'] !== undefined;
  return (
    hasOnlyKeys(x, withConvention ? ['uri', 'entry', 'convention'] : ['uri', 'entry']) &&
    isStr(x['uri']) &&
    (x['entry'] === null || isStr(x['entry'])) &&
    (!withConvention || isConventionName(x['convention']))
  );
}

/** Guards every message the webview accepts from the host. */
export function isProfileHostToWebview(x: unknown): x is ProfileToWebview.Message {
  if (!isRecord(x)) return false;
  switch (x['type']) {
    case 'show':
      return hasOnlyKeys(x, ['type', 'model']) && isProfileViewModel(x['model']);
    case 'busy':
      return hasOnlyKeys(x, ['type']);
    default:
      return false;
  }
}

/** Guards every message the host accepts from the webview. */
export function isProfileWebviewToHost(x: unknown): x is ProfileFromWebview.Message {
  if (!isRecord(x)) return false;
  switch (x['type']) {
    case 'ready':
      return hasOnlyKeys(x, ['type']);
    case 'revealLine':
      return hasOnlyKeys(x, ['type', 'line', 'path']) && isInt(x['line'], 0) && isStr(x['path']);
    case 'selectEntry':
      return hasOnlyKeys(x, ['type', 'entry']) && isStr(x['entry']);
    case 'setConvention':
      return hasOnlyKeys(x, ['type', 'convention']) && isConventionName(x['convention']);
    case 'setInputShape':
      return hasOnlyKeys(x, ['type', 'text']) && isStr(x['text'], 200);
    case 'exportReport':
      return hasOnlyKeys(x, ['type', 'format']) && isExportFormat(x['format']);
    case 'rendered':
      return (
        hasOnlyKeys(x, ['type', 'entry', 'rows', 'firstPaths', 'renderMs', 'atMs']) &&
        isStr(x['entry']) &&
        isInt(x['rows']) &&
        isArrayOf(x['firstPaths'], 50, isStr) &&
        isFiniteNumber(x['renderMs']) &&
        x['renderMs'] >= 0 &&
        isFiniteNumber(x['atMs']) &&
        x['atMs'] >= 0
      );
    default:
      return false;
  }
}
