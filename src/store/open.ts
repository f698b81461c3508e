/**
 * Opens the hub database: PostgreSQL for `postgres://` URLs, SQLite otherwise (the embedded
 * default `./forcebridge-data/forcebridge.db`), and applies migrations.
 */
import { resolve } from 'node:path';
import { invalidInput } from '../errors.js';
import { migrate, type MigrationStep } from './migrate.js';
import { openPostgres } from './postgres/open.js';
import { openSqlite } from './sqlite/open.js';
import type { Store } from './types.js';

export const DEFAULT_DATA_DIR = 'forcebridge-data';

/** `postgres://…`/`postgresql://…` → PostgreSQL; `sqlite:path`, a path or nothing → SQLite. */
export function openStoreRaw(url?: string, dataDir = DEFAULT_DATA_DIR): Store {
  if (!url) return openSqlite(resolve(dataDir, 'forcebridge.db'));
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url);
  if (url === ':memory:' || url === 'sqlite::memory:') return openSqlite(':memory:');
  if (url.startsWith('sqlite:')) return openSqlite(resolve(url.slice('sqlite:'.length)));
  if (/^[a-z]+:\/\//i.test(url)) {
    throw invalidInput(
      'store.url_unsupported',
      'FORCEBRIDGE_DATABASE_URL',
      `database URL scheme "${url.split(':')[0]}" is not supported`,
      'use postgres://user@host:5432/db or sqlite:./path/to/file.db',
    );
  }
  return openSqlite(resolve(url));
}

/** Opens and migrates. */
export async function openStore(url?: string, dataDir?: string): Promise<{ store: Store; migrations: MigrationStep[] }> {
  const store = openStoreRaw(url, dataDir);
  try {
    const migrations = await migrate(store);
    return { store, migrations };
  } catch (e) {
    await store.close();
    throw e;
  }
}
