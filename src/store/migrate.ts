/**
 * Migrations are named code objects, applied in order under a lock; running them returns a
 * per-step result the CLI can print.
 */
import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import { connectionsMigration } from './migrations/0001-connections.js';
import { apiSessionsMigration } from './migrations/0002-api-sessions.js';
import { syncMigration } from './migrations/0003-sync.js';
import type { Store } from './types.js';

export interface Migration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Every migration, oldest first. */
export const MIGRATIONS: Migration[] = [connectionsMigration, apiSessionsMigration, syncMigration];

export interface MigrationStep {
  name: string;
  status: 'applied' | 'failed' | 'not_executed';
}

/** Applies pending migrations; returns what each step did. Throws when a step fails. */
export async function migrate(store: Store, migrations: Migration[] = MIGRATIONS): Promise<MigrationStep[]> {
  // Kysely finds its bookkeeping tables by name across all schemas unless told which one; with
  // several schemas in one database (tests, multi-tenant installs) it would find another's.
  const schema = await store.currentSchema();
  const migrator = new Migrator({
    db: store.db as unknown as Kysely<unknown>,
    provider: { getMigrations: async () => Object.fromEntries(migrations.map((m) => [m.name, { up: (db: Kysely<unknown>) => m.up(db) }])) },
    migrationTableName: 'forcebridge_migrations',
    migrationLockTableName: 'forcebridge_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const steps = (results ?? []).map(
    (r: MigrationResult) =>
      ({ name: r.migrationName, status: r.status === 'Success' ? 'applied' : r.status === 'Error' ? 'failed' : 'not_executed' }) as MigrationStep,
  );
  if (error) {
    throw new ForcebridgeError(
      'store.migration_failed',
      'internal',
      `database migration failed at ${steps.find((s) => s.status === 'failed')?.name ?? '?'}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return steps;
}
