import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageFeed } from './page-feed.js';

describe('PageFeed', () => {
  it('classifies each written row by what the table held before', () => {
    const f = new PageFeed();
    f.add('new', false, undefined);
    f.add('live', false, null);
    f.add('revived', false, 1_700_000_000_000); // marked deleted before, live again: an update
    f.add('gone', true, null);
    f.add('gone-new', true, undefined); // first seen already deleted: still one delete entry
    f.add('gone-again', true, 1_700_000_000_000); // already marked: no second entry
    assert.deepEqual(f.groups(), [
      ['insert', ['new']],
      ['update', ['live', 'revived']],
      ['delete', ['gone', 'gone-new']],
    ]);
  });
});
