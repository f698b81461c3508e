/**
 * The change feed without a foreign key to `connections` on PostgreSQL. The key's check is a
 * trigger per inserted row (a lookup and a row lock on the connection): measured here it made a
 * 300,000-entry feed COPY 1.65× slower, and an initial load writes one entry per record. The feed
 * is removed with its connection by ConnectionsRepo.remove instead of by cascade. SQLite's check is
 * a plain index probe, and dropping a constraint there means rebuilding the table, so it stays.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

export const feedWithoutForeignKeyMigration: Migration = {
  name: '0008-feed-without-fk',
  async up(db: Kysely<unknown>, { dialect }) {
    if (dialect !== 'postgres') return;
    const fks = await sql<{ name: string }>`
      select conname as name from pg_constraint
      where contype = 'f' and conrelid = 'sync_changes'::regclass`.execute(db);
    for (const fk of fks.rows) await sql`alter table sync_changes drop constraint ${sql.id(fk.name)}`.execute(db);
  },
};
