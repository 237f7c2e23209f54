// Messages between the extension host and the profile view (a webview panel showing one entry's per-layer
// table, MACs chart and totals), with their guards. Imported as-is by both bundles; never copy these types.
// Every guard checks every field of `unknown` input and returns a type predicate: no casts of inbound data.
// Strings in the model come from user files (layer paths, entry expressions): the webview shows them as text only.
import { CONVENTION_NAMES, type ConventionName } from '../core/cost/costTypes';
import { hasOnlyKeys, isArrayOf, isFiniteNumber, isInt, isNumberIn, isOneOf, isRecord, isString } from './check';

export type ProfileExportFormat = 'md' | 'csv' | 'json' | 'jvet';
export const PROFILE_EXPORT_FORMATS: readonly ProfileExportFormat[] = ['md', 'csv', 'json', 'jvet'];

/** Limits both sides enforce so a hostile or broken file cannot make a message unbounded. */
export const PROFILE_LIMITS = {
  maxString: 10_000,
  maxLayers: 20_000,
  maxEntries: 2_000,
} as const;

/** One leaf layer row. `line` is the 0-based line in the document, or -1 when the layer was built elsewhere. */
export interface ProfileRow {
  readonly path: string;
  readonly type: string;
  readonly line: number;
  readonly params: number | null;
  readonly macs: number | null;
  readonly inputShape: readonly (number | null)[] | null;
  readonly outputShape: readonly (number | null)[] | null;
  readonly formula: string;
  /** Why params or MACs are unknown, when they are. */
  readonly reason: string | null;
}

export interface ProfileTotalsView {
  readonly params: number | null;
  readonly macs: number | null;
  readonly flops: number | null;
  readonly macsPerPixel: number | null;
  /** How MACs/pixel was divided, e.g. `H×W of the input = 224×224`. */
  readonly perPixelNote: string;
  /** MACs of functional ops (F.relu, torch.add...) counted outside the layers. */
  readonly functionalMacs: number;
  readonly partial: boolean;
}

/** Everything the view shows for one entry of one document. */
export interface ProfileViewModel {
  readonly uri: string;
  readonly fileName: string;
  readonly entries: readonly string[];
  readonly entry: string;
  readonly convention: ConventionName;
  readonly conventions: readonly ConventionName[];
  /** The tool and version the convention reproduces, and its one-line summary. */
  readonly tool: string;
  readonly summary: string;
  /** `1×3×224×224`, or `?` when no input shape could be found. */
  readonly input: string;
  readonly inputSource: string;
  readonly outputShape: readonly (number | null)[] | null;
  readonly totals: ProfileTotalsView;
  readonly rows: readonly ProfileRow[];
  readonly units: 'si' | 'exact';
  /** Errors and warnings from the analysis, one line each. */
  readonly messages: readonly string[];
}

/** What the webview persists (and the serializer gets back after a reload). */
export interface ProfileViewState {
  readonly uri: string;
  readonly entry: string | null;
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
  }
  export type Message = Ready | RevealLine | SelectEntry | SetConvention | SetInputShape | ExportReport | Rendered;
}

function isStr(x: unknown, max: number = PROFILE_LIMITS.maxString): x is string {
  return isString(x, max);
}

/** A count shown in the view: unknown (null), or finite and not negative. */
function isCount(x: unknown): x is number | null {
  return x === null || isNumberIn(x, 0, Number.MAX_VALUE);
}

function isShape(x: unknown): x is readonly (number | null)[] | null {
  return x === null || isArrayOf(x, 16, (d): d is number | null => d === null || isInt(d));
}

export function isConventionName(x: unknown): x is ConventionName {
  return isOneOf(x, CONVENTION_NAMES);
}

export function isExportFormat(x: unknown): x is ProfileExportFormat {
  return isOneOf(x, PROFILE_EXPORT_FORMATS);
}

function isRow(x: unknown): x is ProfileRow {
  return (
    isRecord(x) &&
    hasOnlyKeys(x, ['path', 'type', 'line', 'params', 'macs', 'inputShape', 'outputShape', 'formula', 'reason']) &&
    isStr(x['path']) &&
    isStr(x['type']) &&
    isInt(x['line'], -1) &&
    isCount(x['params']) &&
    isCount(x['macs']) &&
    isShape(x['inputShape']) &&
    isShape(x['outputShape']) &&
    isStr(x['formula']) &&
    (x['reason'] === null || isStr(x['reason']))
  );
}

function isTotals(x: unknown): x is ProfileTotalsView {
  return (
    isRecord(x) &&
    hasOnlyKeys(x, ['params', 'macs', 'flops', 'macsPerPixel', 'perPixelNote', 'functionalMacs', 'partial']) &&
    isCount(x['params']) &&
    isCount(x['macs']) &&
    isCount(x['flops']) &&
    isCount(x['macsPerPixel']) &&
    isStr(x['perPixelNote']) &&
    isFiniteNumber(x['functionalMacs']) &&
    typeof x['partial'] === 'boolean'
  );
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
      'tool',
      'summary',
      'input',
      'inputSource',
      'outputShape',
      'totals',
      'rows',
      'units',
      'messages',
    ]) &&
    isStr(x['uri']) &&
    isStr(x['fileName']) &&
    Array.isArray(x['entries']) &&
    x['entries'].length <= PROFILE_LIMITS.maxEntries &&
    x['entries'].every((e) => isStr(e)) &&
    isStr(x['entry']) &&
    isConventionName(x['convention']) &&
    Array.isArray(x['conventions']) &&
    x['conventions'].every(isConventionName) &&
    isStr(x['tool']) &&
    isStr(x['summary']) &&
    isStr(x['input'], 200) &&
    isStr(x['inputSource'], 400) &&
    isShape(x['outputShape']) &&
    isTotals(x['totals']) &&
    Array.isArray(x['rows']) &&
    x['rows'].length <= PROFILE_LIMITS.maxLayers &&
    x['rows'].every(isRow) &&
    (x['units'] === 'si' || x['units'] === 'exact') &&
    Array.isArray(x['messages']) &&
    x['messages'].length <= 100 &&
    x['messages'].every((m) => isStr(m))
  );
}

export function isProfileViewState(x: unknown): x is ProfileViewState {
  return isRecord(x) && hasOnlyKeys(x, ['uri', 'entry']) && isStr(x['uri']) && (x['entry'] === null || isStr(x['entry']));
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
        hasOnlyKeys(x, ['type', 'entry', 'rows', 'firstPaths']) &&
        isStr(x['entry']) &&
        isInt(x['rows'], 0) &&
        Array.isArray(x['firstPaths']) &&
        x['firstPaths'].length <= 50 &&
        x['firstPaths'].every((p) => isStr(p))
      );
    default:
      return false;
  }
}
