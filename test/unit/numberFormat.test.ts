// The one number formatter (extension/core/numberFormat.ts) with literal expectations: three significant
// digits, the step up at the rounding edge (999,950 is `1.00M`, never `1000K`), unknown and non-finite
// values, negatives, fractions, and the exact and fixed forms the reports use.
import * as assert from 'assert';
import { formatCount, formatCountBoth, formatExact, formatFixed, formatPercent } from '../../extension/core/numberFormat';

describe('numberFormat: one formatter for every surface', () => {
  it('writes SI counts with three significant digits', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [7, '7'],
      [544, '544'],
      [999, '999'],
      [1000, '1.00K'],
      [1234, '1.23K'],
      [37_024, '37.0K'],
      [99_949, '99.9K'],
      [99_950, '100K'],
      [115_867_648, '116M'],
      [1_822_177_768, '1.82G'],
      [2.5e12, '2.50T'],
      [3e15, '3.00P'],
      [1.5e18, '1500P'],
    ];
    for (const [n, text] of cases) assert.strictEqual(formatCount(n, 'si'), text, String(n));
  });

  it('steps up instead of writing 1000 of a unit', () => {
    assert.strictEqual(formatCount(999_499, 'si'), '999K');
    assert.strictEqual(formatCount(999_500, 'si'), '1.00M');
    assert.strictEqual(formatCount(999_950, 'si'), '1.00M');
    assert.strictEqual(formatCount(999_999_999, 'si'), '1.00G');
    assert.strictEqual(formatCount(999.7, 'si'), '1.00K', 'a fraction just under 1000');
  });

  it('writes fractions (MACs per pixel) with three significant digits and negatives with their sign', () => {
    assert.strictEqual(formatCount(12.46, 'si'), '12.5');
    assert.strictEqual(formatCount(0.25, 'si'), '0.250');
    assert.strictEqual(formatCount(36_316.4, 'si'), '36.3K');
    assert.strictEqual(formatCount(-1234, 'si'), '-1.23K');
    assert.strictEqual(formatCount(-999_950, 'si'), '-1.00M');
  });

  it('says `?` for unknown and `—` for NaN and infinities, in both styles', () => {
    for (const style of ['si', 'exact'] as const) {
      assert.strictEqual(formatCount(null, style), '?');
      assert.strictEqual(formatCount(undefined, style), '?');
      assert.strictEqual(formatCount(Number.NaN, style), '—');
      assert.strictEqual(formatCount(Number.POSITIVE_INFINITY, style), '—');
      assert.strictEqual(formatCount(Number.NEGATIVE_INFINITY, style), '—');
    }
    assert.strictEqual(formatCountBoth(null), '?');
  });

  it('writes exact counts with separators, fractions to two decimals at most', () => {
    assert.strictEqual(formatCount(37_024, 'exact'), '37,024');
    assert.strictEqual(formatCount(1_822_177_768, 'exact'), '1,822,177,768');
    assert.strictEqual(formatCount(-1_000, 'exact'), '-1,000');
    assert.strictEqual(formatExact(2352), '2,352');
    assert.strictEqual(formatExact(704.5), '704.5');
    assert.strictEqual(formatExact(1234.567), '1,234.57');
    assert.strictEqual(formatExact(10.001), '10');
    assert.strictEqual(formatExact(-0.001), '0');
  });

  it('writes both forms for hovers and totals, and fixed decimals for report columns', () => {
    assert.strictEqual(formatCountBoth(544), '544');
    assert.strictEqual(formatCountBoth(2_621_440), '2,621,440 (2.62M)');
    assert.strictEqual(formatFixed(704, 2), '704.00');
    assert.strictEqual(formatFixed(1_234_567.891, 2), '1,234,567.89');
    assert.strictEqual(formatFixed(-0.001, 2), '0.00');
    assert.strictEqual(formatFixed(Number.NaN), '—');
  });

  it('writes percentages for a column, with the tiny ones visible', () => {
    assert.strictEqual(formatPercent(1, 4), '25.0%');
    assert.strictEqual(formatPercent(0, 4), '0%');
    assert.strictEqual(formatPercent(1, 10_000), '<0.1%');
    assert.strictEqual(formatPercent(null, 4), '');
    assert.strictEqual(formatPercent(1, 0), '');
  });
});
