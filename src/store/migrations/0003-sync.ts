/**
 * Sync bookkeeping: per (connection, object) state and cursor, the known fields of each synced
 * table (for drift), the change feed (per-connection monotonic sequence, assigned under the
 * connection's sync lock) and run history. Synced rows live in one table per (connection, object),
 * created at run time from describe.
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

export const syncMigration: Migration = {
  name: '0003-sync',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sync_objects')
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('object', 'text', (c) => c.notNull())
      .addColumn('table_name', 'text', (c) => c.notNull().unique())
      .addColumn('cursor_at', 'text')
      .addColumn('cursor_id', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('rows', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('full_synced_at', 'bigint')
      .addColumn('deletes_checked_at', 'bigint')
      .addColumn('reconciled_at', 'bigint')
      .addColumn('formulas_refreshed_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_objects_pk', ['connection_id', 'object'])
      .execute();
    await db.schema
      .createTable('sync_fields')
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('object', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('column_name', 'text', (c) => c.notNull())
      .addColumn('sf_type', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('calculated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addColumn('removed_at', 'bigint')
      .addPrimaryKeyConstraint('sync_fields_pk', ['connection_id', 'object', 'field'])
      .execute();
    await db.schema
      .createTable('sync_changes')
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('object', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_changes_pk', ['connection_id', 'seq'])
      .execute();
    await db.schema.createIndex('sync_changes_object').on('sync_changes').columns(['connection_id', 'object', 'seq']).execute();
    await db.schema
      .createTable('sync_feed_seq')
      .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sync_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('summary_json', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
  },
};
