// The CLI's JSON report object: what `convlens profile --format json` prints and what every text
// formatter in this folder reads. Shapes only; building the report from an analysis is the CLI's job.
import type { InputSource } from '../profileEntry';
import type { ConventionName } from '../cost/costTypes';

/** A shape as reported; `null` marks an unknown dim. */
export type ReportShape = readonly (number | null)[];

/** A layer's output as reported: its shape, or one entry per item when forward returns a tuple or list (core/model.ts OutputShape). */
export type ReportOutput = ReportShape | readonly (ReportOutput | null)[];

export interface ReportTotals {
  /** Null when unknown. */
  readonly params: number | null;
  /** Null when unknown; see `partial`. */
  readonly macs: number | null;
  readonly macsPerPixel: number | null;
  /** FLOPs = 2·MACs. */
  readonly flops: number | null;
  /** The pixel count behind macsPerPixel (H×W of the input). */
  readonly pixels?: number | null;
  /** True when some layers are unknown and the MAC total leaves them out. */
  readonly partial?: boolean;
}

export interface ReportLayer {
  readonly path: string;
  readonly type: string;
  readonly params: number | null;
  readonly file: string;
  /** 1-based line of the layer's construction. */
  readonly line: number;
  readonly status: 'ok' | 'unknown';
  readonly reason?: string;
  readonly macs: number | null;
  readonly inputShape: ReportShape | null;
  readonly outputShape: ReportOutput | null;
  readonly formula: string;
}

/** A module that is not a layer (a block, a Sequential, the model): the output of its last call, or why there is none. */
export interface ReportModule {
  readonly path: string;
  readonly outputShape: ReportOutput | null;
  readonly calls: number;
  readonly reason?: string;
}

export interface ReportFunctional {
  readonly path: string;
  readonly type: string;
  readonly macs: number | null;
  readonly formula: string;
  readonly doubleCount?: boolean;
  readonly message?: string;
}

export interface ReportDiagnostic {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly code?: string;
  readonly file?: string;
  readonly line?: number;
}

/** One convention's figures in a `--convention all` report. */
export interface ConventionSummary {
  readonly totals: ReportTotals;
  readonly layers: readonly { readonly path: string; readonly macs: number | null; readonly formula?: string }[];
}

/** The whole report. With `--convention all`, `convention` is the one the main table uses and `conventions` holds every one. */
export interface CliReport {
  readonly entry: string;
  readonly file: string;
  readonly input: readonly number[];
  /** Where the input shape came from (see core/profileEntry.ts InputSource; `default` in reports saved before 0.2). */
  readonly inputSource?: InputSource | null;
  /** The detail: the comment's line, the layer the channels were inferred from, or why there is no input. */
  readonly inputNote?: string;
  /** The model output shape (first output when forward returns several). */
  readonly outputShape?: ReportShape | null;
  readonly convention: ConventionName;
  readonly totals: ReportTotals;
  readonly layers: readonly ReportLayer[];
  /** The modules that are not layers, with their outputs (absent when the forward pass did not run, and in older reports). */
  readonly modules?: readonly ReportModule[];
  readonly functionals: readonly ReportFunctional[];
  readonly diagnostics: readonly ReportDiagnostic[];
  readonly conventions?: Readonly<Partial<Record<ConventionName, ConventionSummary>>>;
}
