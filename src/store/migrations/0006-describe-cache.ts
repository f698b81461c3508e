/**
 * Remembers when each synced object was last described, and describe's `replicateable` flag
 * (whether getDeleted serves it), so a cycle with no changes can skip describe (one API call per
 * object instead of two) until the next scheduled schema check.
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

export const describeCacheMigration: Migration = {
  name: '0006-describe-cache',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sync_objects').addColumn('described_at', 'bigint').execute();
    await db.schema.alterTable('sync_objects').addColumn('replicateable', 'integer').execute();
  },
};
