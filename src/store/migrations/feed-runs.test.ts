import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { feedEntries } from '../../sync/feed.js';
import { migrate } from '../migrate.js';
import { insertBareConnection } from '../test-support/rows.js';
import { backends } from '../test-support/stores.js';

for (const backend of backends) {
  describe(`migration 0010-feed-runs (${backend.name})`, { skip: backend.skip }, () => {
    it('entries written before runs read as runs of one, beside runs written now', async () => {
      const t = await backend.create();
      const db = t.store.db as unknown as Kysely<unknown>;
      try {
        // The feed as 0009 left it, holding entries; then 0010 runs on it alone.
        await sql`alter table sync_changes drop column ids`.execute(db);
        await sql`alter table sync_changes drop column n`.execute(db);
        await sql`delete from forcebridge_migrations where name = '0010-feed-runs'`.execute(db);
        // SQLite's feed keeps its foreign key to the connection.
        await insertBareConnection(db, 'c1');
        for (let i = 1; i <= 3; i++) {
          await sql`insert into sync_changes (connection_id, seq, object, record_id, op, at) values ('c1', ${i}, 'Account', ${`r${i}`}, 'insert', ${i})`.execute(
            db,
          );
        }
        assert.deepEqual(
          (await migrate(t.store)).map((s) => s.name),
          ['0010-feed-runs'],
        );
        // What a writer stores now: a run of three after them.
        await sql`insert into sync_changes (connection_id, seq, object, record_id, op, at, n, ids) values ('c1', 6, 'Account', 'r4', 'update', 9, 3, 'r4,r5,r6')`.execute(
          db,
        );
        assert.deepEqual(
          (await feedEntries(t.store, 'c1', { object: 'Account' })).map((e) => `${e.seq} ${e.op} ${e.id}`),
          ['1 insert r1', '2 insert r2', '3 insert r3', '4 update r4', '5 update r5', '6 update r6'],
        );
        assert.deepEqual(
          (await feedEntries(t.store, 'c1', { after: 4 })).map((e) => e.id),
          ['r5', 'r6'],
        );
      } finally {
        await t.cleanup();
      }
    });
  });
}
