// Reads a profile output's text into what the profile view shows: a CLI report as it is, or a runtime payload
// with the report the core's conventions make of it. No DOM: the notebook renderer runs it in a Web Worker
// (renderer/profileWorker.ts), since for the largest payloads it accepts this is seconds of work.
import type { CliReport } from '../../../extension/core/report/reportTypes';
import { RUNTIME_SCHEMA, runtimeReport, type RuntimePayload } from '../../../extension/core/runtime';
import { parseRuntimePayload, runtimeTextTooLarge } from '../../../extension/protocol/validateRuntime';
import { parseProfileReport } from '../../../extension/protocol/validateReport';

export type ProfileInput =
  | { readonly kind: 'static'; readonly report: CliReport }
  | { readonly kind: 'runtime'; readonly report: CliReport; readonly payload: RuntimeHeader };

/** What the view reads of a runtime payload besides its report (the layers are in the report): kept small, as it crosses from the worker. */
export type RuntimeHeader = Pick<RuntimePayload, 'name' | 'input' | 'torch'>;

export type ProfileReadResult = { readonly ok: true; readonly input: ProfileInput } | { readonly ok: false; readonly error: string };

/**
 * Reads a profile payload: `schema: "convlens.runtime/1"` is a runtime payload (core/runtime.ts), no
 * schema is a CLI report (validateReport.ts), any other schema is refused. Never throws.
 */
export function readProfilePayload(json: unknown): ProfileReadResult {
  const schema =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)['schema'] : undefined;
  if (schema === undefined) {
    const r = parseProfileReport(json);
    return r.ok ? { ok: true, input: { kind: 'static', report: r.report } } : r;
  }
  if (schema !== RUNTIME_SCHEMA) {
    return {
      ok: false,
      error: `payload.schema: expected ${JSON.stringify(RUNTIME_SCHEMA)} or no schema (a CLI report), got ${JSON.stringify(String(schema).slice(0, 60))}`,
    };
  }
  const r = parseRuntimePayload(json);
  if (!r.ok) return r;
  try {
    const { name, input, torch } = r.payload;
    return { ok: true, input: { kind: 'runtime', payload: { name, input, torch }, report: runtimeReport(r.payload, 'all') } };
  } catch (e) {
    return { ok: false, error: `runtime payload: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * The output's text (already within the byte cap) as a profile: a runtime profile with more calls than the
 * renderer works through is refused before it is parsed (parsing alone takes seconds at 30 MB). Never throws.
 */
export function readProfileText(text: string): ProfileReadResult {
  const tooLarge = runtimeTextTooLarge(text);
  if (tooLarge) return { ok: false, error: tooLarge };
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    return { ok: false, error: `output: not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  return readProfilePayload(json);
}
