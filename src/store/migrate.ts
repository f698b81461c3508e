/**
 * Migrations are named code objects, applied in order under a lock; running them returns a
 * per-step result the CLI can print.
 */
import { sql, type Kysely } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import { connectionsMigration } from './migrations/0001-connections.js';
import { apiSessionsMigration } from './migrations/0002-api-sessions.js';
import { syncMigration } from './migrations/0003-sync.js';
import { webhooksMigration } from './migrations/0004-webhooks.js';
import { syncScopeMigration } from './migrations/0005-sync-scope.js';
import { describeCacheMigration } from './migrations/0006-describe-cache.js';
import { agentMigration } from './migrations/0007-agent.js';
import { feedWithoutForeignKeyMigration } from './migrations/0008-feed-without-fk.js';
import { feedOneIndexMigration } from './migrations/0009-feed-one-index.js';
import { feedRunsMigration } from './migrations/0010-feed-runs.js';
import type { DialectName, Store } from './types.js';

export interface Migration {
  name: string;
  /** `dialect` is for the rare step only one dialect needs (e.g. dropping a PostgreSQL constraint). */
  up(db: Kysely<unknown>, ctx: { dialect: DialectName }): Promise<void>;
}

/** Every migration, oldest first. */
export const MIGRATIONS: Migration[] = [
  connectionsMigration,
  apiSessionsMigration,
  syncMigration,
  webhooksMigration,
  syncScopeMigration,
  describeCacheMigration,
  agentMigration,
  feedWithoutForeignKeyMigration,
  feedOneIndexMigration,
  feedRunsMigration,
];

export interface MigrationStep {
  name: string;
  status: 'applied' | 'failed';
}

/**
 * Applies pending migrations in order, each in its own transaction, under a cross-process lock;
 * returns what each step did and throws (naming the step) when one fails. The bookkeeping table
 * keeps Kysely's Migrator layout (name, timestamp) so databases created by earlier versions read
 * the same. No schema introspection: with several schemas in one database (tests, multi-tenant
 * installs) introspection races with schemas being dropped elsewhere.
 */
export async function migrate(store: Store, migrations: Migration[] = MIGRATIONS): Promise<MigrationStep[]> {
  const db = store.db as unknown as Kysely<unknown>;
  // The lease lock of stores without advisory locks lives in `locks`, so it must exist first.
  await sql`create table if not exists locks (name text primary key, owner text, expires_at bigint not null)`.execute(db);
  await sql`create table if not exists forcebridge_migrations (name varchar(255) primary key, timestamp varchar(255) not null)`.execute(db);
  return store.withLock(
    'forcebridge:migrations',
    async () => {
      const done = new Set((await sql<{ name: string }>`select name from forcebridge_migrations`.execute(db)).rows.map((r) => r.name));
      const steps: MigrationStep[] = [];
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        try {
          await db.transaction().execute(async (trx) => {
            await m.up(trx, { dialect: store.dialect });
            await sql`insert into forcebridge_migrations (name, timestamp) values (${m.name}, ${new Date().toISOString()})`.execute(trx);
          });
          steps.push({ name: m.name, status: 'applied' });
        } catch (e) {
          steps.push({ name: m.name, status: 'failed' });
          throw new ForcebridgeError('store.migration_failed', 'internal', `database migration failed at ${m.name}: ${(e as Error).message}`, {
            cause: e,
            details: { steps },
          });
        }
      }
      return steps;
    },
    { waitMs: 120_000, ttlMs: 600_000 },
  );
}
