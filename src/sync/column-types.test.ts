import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backends } from '../store/test-support/stores.js';
import { columnKind } from './column-types.js';

describe('columnKind', () => {
  it('maps describe types to kinds and keeps unknown types as text', () => {
    assert.equal(columnKind('reference'), 'text');
    assert.equal(columnKind('boolean'), 'boolean');
    assert.equal(columnKind('currency'), 'double');
    assert.equal(columnKind('datetime'), 'datetime');
    assert.equal(columnKind('address'), 'json');
    assert.equal(columnKind('somethingNew'), 'text');
  });
});

for (const backend of backends) {
  describe(`Store.columnType (${backend.name})`, { skip: backend.skip }, () => {
    it('creates a table with every kind and round-trips values', async () => {
      const t = await backend.create();
      try {
        const kinds = ['text', 'boolean', 'integer', 'bigint', 'double', 'date', 'datetime', 'time', 'json'] as const;
        const cols = kinds.map((k) => `c_${k} ${t.store.columnType(k)}`).join(', ');
        const { sql } = await import('kysely');
        await sql.raw(`create table kinds_probe (${cols})`).execute(t.store.db);
        const bool = t.store.columnType('boolean') === 'boolean' ? 'true' : '1';
        await sql
          .raw(`insert into kinds_probe values ('x', ${bool}, 1, 9007199254740991, 1.5, '2024-02-29', '2024-01-02T03:04:05.000Z', '10:11:12', '{"a":1}')`)
          .execute(t.store.db);
        const rows = await sql.raw<Record<string, unknown>>('select * from kinds_probe').execute(t.store.db);
        assert.equal(rows.rows.length, 1);
        assert.equal(rows.rows[0]!.c_text, 'x');
        assert.equal(Number(rows.rows[0]!.c_double), 1.5);
      } finally {
        await t.cleanup();
      }
    });
  });
}
