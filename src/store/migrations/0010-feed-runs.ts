/**
 * Change-feed entries stored in runs (sync/feed-runs.ts): a row covers the seqs `seq - n + 1 … seq`
 * of one op, its ids comma-separated in `ids`. Existing rows are runs of one.
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

export const feedRunsMigration: Migration = {
  name: '0010-feed-runs',
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('sync_changes')
      .addColumn('n', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.alterTable('sync_changes').addColumn('ids', 'text').execute();
  },
};
