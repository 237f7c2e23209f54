// The core's last line of defence: its public entry points never throw. Whatever escapes the
// analysis's own error handling (a JS stack overflow on pathological input, an interpreter defect)
// becomes one error diagnostic in an otherwise empty result.
import type { CoreDiagnostic } from './resultTypes';

/**
 * The public entry points never throw: a failure the analysis did not catch itself (a JS stack
 * overflow on pathological input, an interpreter defect) becomes one error diagnostic.
 */
export function guard<T>(run: () => T, failed: (diagnostics: CoreDiagnostic[]) => T): T {
  try {
    return run();
  } catch (e) {
    const message =
      e instanceof RangeError
        ? `analysis stopped: the input is nested too deeply (${e.message})`
        : `internal error in the analyzer: ${e instanceof Error ? e.message : String(e)}`;
    return failed([{ severity: 'error', code: e instanceof RangeError ? 'budget' : 'internal', message }]);
  }
}
