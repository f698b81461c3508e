/**
 * Sync scope bookkeeping: the filter an object's cursor was built under (`filter_key`: the
 * catalog `where` plus the company filter for User). When it changes, the cursor no longer
 * describes what the table holds, so the engine re-reads the object whole and reconciles ids.
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

export const syncScopeMigration: Migration = {
  name: '0005-sync-scope',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sync_objects').addColumn('filter_key', 'text').execute();
  },
};
