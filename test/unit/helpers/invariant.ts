// The never-silently-wrong rule (extension/core/invariant.ts) as a test assertion, for every suite that profiles
// models: the fixtures, the torchvision zoo and ground truth, our zoo against the real counters.
import * as assert from 'assert';
import { invariantViolations, type ProfileResult } from '../../../extension/core';

/** Fails when the profile breaks the rule, or when an entry that did not build says nothing about why. */
export function checkInvariant(r: ProfileResult, where: string): void {
  if (r.status === 'error') {
    assert.ok(
      r.diagnostics.some((d) => d.severity === 'error' && d.message.length > 0),
      `${where}: failed without an error message`,
    );
    return;
  }
  assert.deepStrictEqual(invariantViolations(r), [], `${where}: silently wrong`);
  assert.deepStrictEqual(
    r.diagnostics.filter((d) => d.code === 'invariant').map((d) => d.message),
    [],
    where,
  );
}
