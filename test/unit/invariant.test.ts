// The never-silently-wrong rule itself (extension/core/invariant.ts): it must be able to fail.
import * as assert from 'assert';
import { invariantViolations } from '../../extension/core';
import type { ConventionProfile } from '../../extension/core';

const profile = (macs: number | null, notes: string[], reason?: string): ConventionProfile =>
  ({
    convention: 'ptflops',
    tool: 'ptflops 0.7.6',
    summary: '',
    layers: [{ path: 'conv', type: 'Conv2d', macs, formula: '', ...(reason ? { reason } : {}) }],
    functionals: [],
    totals: { macs: 0, params: 0, partial: macs === null },
    notes,
  }) as unknown as ConventionProfile;

describe('never silently wrong (invariantViolations)', () => {
  const layer = { path: 'conv', params: 10, status: 'ok' };
  it('holds for a complete profile and for a partial one that says so', () => {
    assert.deepStrictEqual(
      invariantViolations({ status: 'ok', layers: [layer], totals: { params: 10 }, profiles: { ptflops: profile(5, []) } }),
      [],
    );
    const partial = profile(null, ['Partial total: 1 entry is unknown and left out (conv).'], 'its input cannot be known');
    assert.deepStrictEqual(
      invariantViolations({ status: 'ok', layers: [layer], totals: { params: 10 }, profiles: { ptflops: partial } }),
      [],
    );
  });
  it('names a layer unknown without a reason, an unknown total with every layer known, a partial total not marked', () => {
    const v = invariantViolations({
      status: 'ok',
      layers: [{ path: 'a', params: null, status: 'unknown' }, layer],
      totals: { params: null },
      profiles: { ptflops: profile(null, []) },
    });
    assert.deepStrictEqual(v, [
      'a is unknown without a reason',
      'ptflops: conv has unknown MACs without a reason',
      'ptflops: the total leaves out 1 entries without saying so',
    ]);
    assert.deepStrictEqual(invariantViolations({ status: 'ok', layers: [layer], totals: { params: null } }), [
      'the parameter total is unknown with every layer known',
    ]);
  });
});
