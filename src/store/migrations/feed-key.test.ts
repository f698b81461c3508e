import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS, migrate } from '../migrate.js';
import { insertBareConnection } from '../test-support/rows.js';
import { backends } from '../test-support/stores.js';
import { openStoreRaw } from '../open.js';

const BEFORE = MIGRATIONS.findIndex((m) => m.name === '0009-feed-one-index');

for (const backend of backends) {
  describe(`migration 0009-feed-one-index (${backend.name})`, { skip: backend.skip }, () => {
    it('keeps every feed entry, keys the feed by (connection, object, seq) and leaves it one index', async () => {
      const t = await backend.create();
      // The fresh store is put back to the feed 0003–0008 left (key (connection_id, seq) plus an
      // index on (connection_id, object, seq)), holding entries; then 0009 runs on it alone.
      const db = t.store.db as unknown as Kysely<unknown>;
      try {
        assert.ok(BEFORE > 0);
        await sql`drop table sync_changes`.execute(db);
        await sql`create table sync_changes (connection_id text not null, seq bigint not null, object text not null, record_id text not null, op text not null, at bigint not null, constraint sync_changes_pk primary key (connection_id, seq))`.execute(
          db,
        );
        await sql`create index sync_changes_object on sync_changes (connection_id, object, seq)`.execute(db);
        await sql`delete from forcebridge_migrations where name = '0009-feed-one-index'`.execute(db);
        await insertBareConnection(db, 'c1');
        for (let i = 1; i <= 50; i++) {
          await sql`insert into sync_changes (connection_id, seq, object, record_id, op, at) values ('c1', ${i}, ${i % 2 ? 'Account' : 'Contact'}, ${`r${i}`}, 'insert', ${i})`.execute(
            db,
          );
        }
        const steps = await migrate(t.store);
        assert.deepEqual(
          steps.map((s) => s.name),
          ['0009-feed-one-index'],
        );
        const rows = await sql<{ seq: number; object: string; record_id: string }>`select seq, object, record_id from sync_changes order by seq`.execute(db);
        assert.equal(rows.rows.length, 50);
        assert.deepEqual(
          rows.rows.map((r) => [Number(r.seq), r.object, r.record_id]),
          Array.from({ length: 50 }, (_, k) => [k + 1, (k + 1) % 2 ? 'Account' : 'Contact', `r${k + 1}`]),
        );
        await assert.rejects(
          sql`insert into sync_changes (connection_id, seq, object, record_id, op, at) values ('c1', 1, 'Account', 'dup', 'insert', 0)`.execute(db),
          /unique|duplicate/i,
          'the key is (connection, object, seq)',
        );
        if (backend.name === 'postgres') {
          const indexes = await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where tablename = 'sync_changes' and schemaname = current_schema()`.execute(db);
          assert.deepEqual(
            indexes.rows.map((r) => r.name),
            ['sync_changes_pk'],
            'the key is the only index',
          );
        } else {
          // WITHOUT ROWID: the key is the table itself, no index beside it.
          const objects = await sql<{
            type: string;
            name: string;
            sql: string | null;
          }>`select type, name, sql from sqlite_master where tbl_name = 'sync_changes'`.execute(db);
          assert.deepEqual(
            objects.rows.map((r) => `${r.type}:${r.name}`),
            ['table:sync_changes'],
          );
          assert.match(objects.rows[0]!.sql ?? '', /without rowid/i);
        }
        // A second store on the same database sees the migration as done.
        const other = openStoreRaw(t.url);
        try {
          assert.deepEqual(await migrate(other), []);
        } finally {
          await other.close();
        }
      } finally {
        await t.cleanup();
      }
    });
  });
}
