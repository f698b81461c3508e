import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryCount, expandRun, FEED_RUN_MAX, feedRunRows } from './feed-runs.js';

const ids = (n: number, p = 'a') => Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(5, '0')}`);

describe('feed runs', () => {
  it('numbers the groups on from the first seq, a row per op and FEED_RUN_MAX ids', () => {
    const inserts = ids(FEED_RUN_MAX + 3);
    const groups = [
      ['insert', inserts],
      ['update', []],
      ['delete', ['d1']],
    ] as const;
    const rows = feedRunRows('c1', 'Account', 7, 101, groups);
    assert.deepEqual(
      rows.map((r) => [r.op, r.seq, r.n, r.record_id, r.ids === null ? null : r.ids.split(',').length]),
      [
        ['insert', 100 + FEED_RUN_MAX, FEED_RUN_MAX, inserts[0], FEED_RUN_MAX],
        ['insert', 103 + FEED_RUN_MAX, 3, inserts[FEED_RUN_MAX], 3],
        ['delete', 104 + FEED_RUN_MAX, 1, 'd1', null],
      ],
    );
    assert.equal(entryCount(groups), FEED_RUN_MAX + 4);
    // Expanded back: every entry once, consecutive seqs, in order.
    const back = rows.flatMap((r) => expandRun(r));
    assert.deepEqual(
      back.map((e) => [e.seq, e.op, e.id, e.at]),
      [...inserts.map((id, i) => [101 + i, 'insert', id, 7]), [104 + FEED_RUN_MAX, 'delete', 'd1', 7]],
    );
  });

  it('a cursor inside a run skips the entries up to it; numbers as text (PostgreSQL bigint) read the same', () => {
    const [run] = feedRunRows('c1', 'Account', 5, 11, [['update', ['x', 'y', 'z']]]);
    assert.deepEqual(
      expandRun({ ...run!, seq: String(run!.seq), at: '5' }, 11).map((e) => [e.seq, e.id]),
      [
        [12, 'y'],
        [13, 'z'],
      ],
    );
    assert.deepEqual(expandRun(run!, 13), []);
    assert.equal(expandRun(run!, 0).length, 3);
  });

  it('refuses a run whose ids do not match its count', () => {
    assert.throws(() => expandRun({ seq: 5, n: 3, op: 'insert', record_id: 'a', ids: 'a,b', at: 1 }), /holds 2 ids, not 3/);
  });
});
