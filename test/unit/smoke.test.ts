import * as assert from 'assert';
import { isKnownShape } from '../../extension/core/resultTypes';

describe('core model', () => {
  it('tells known shapes from partly unknown ones', () => {
    assert.strictEqual(isKnownShape([1, 3, 224, 224]), true);
    assert.strictEqual(isKnownShape([1, null, 224, 224]), false);
  });
});
