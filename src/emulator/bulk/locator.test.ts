import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLocator, encodeLocator } from './locator.js';

describe('encodeLocator', () => {
  it('encodeLocator gives unpadded base64 of the offset from v49', () => {
    assert.equal(encodeLocator(10000, '60.0'), 'MTAwMDA');
  });

  it('encodeLocator gives the plain number up to v48', () => {
    assert.equal(encodeLocator(10000, '48.0'), '10000');
  });
});

describe('decodeLocator', () => {
  it('decodeLocator round-trips offsets within the result', () => {
    for (const n of [0, 1, 499, 50000]) assert.equal(decodeLocator(encodeLocator(n, '60.0'), '60.0', 50000), n);
    assert.equal(decodeLocator('MTAwMDA=', '60.0', 20000), 10000, 'padded base64 is accepted too');
  });

  it('decodeLocator refuses garbage, non-numbers and offsets past the end', () => {
    assert.equal(decodeLocator('!!', '60.0', 10), undefined);
    assert.equal(decodeLocator(Buffer.from('abc').toString('base64'), '60.0', 10), undefined);
    assert.equal(decodeLocator(encodeLocator(11, '60.0'), '60.0', 10), undefined);
    assert.equal(decodeLocator('MTAwMDA', '48.0', 20000), undefined, 'v48 locators are numbers');
  });
});
