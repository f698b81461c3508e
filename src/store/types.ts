/**
 * One interface over SQLite (embedded default) and PostgreSQL (scale). Differences live in
 * sqlite/ and postgres/ behind capability flags; code above never branches on the dialect name.
 */
import type { Kysely } from 'kysely';
import type { HubDatabase } from './schema.js';

export interface StoreCapabilities {
  /** Native `COPY` bulk load (PostgreSQL). */
  copy: boolean;
  /** Session-level advisory locks held without a row (PostgreSQL); otherwise a lease row. */
  advisoryLocks: boolean;
  /** Several processes may write at once without blocking each other for long (PostgreSQL). */
  concurrentWriters: boolean;
}

export type DialectName = 'sqlite' | 'postgres';

/** Logical column kinds of synced tables (see src/sync/column-types.ts). */
export type ColumnKind = 'text' | 'boolean' | 'integer' | 'bigint' | 'double' | 'date' | 'datetime' | 'time' | 'json';

export interface Store {
  readonly db: Kysely<HubDatabase>;
  readonly dialect: DialectName;
  readonly caps: StoreCapabilities;
  /** Where the data lives, without credentials (for messages). */
  readonly location: string;
  /**
   * The driver handle under Kysely (better-sqlite3 Database or pg Pool), for the few hot paths
   * that need prepared statements or COPY; only dialect-specific writer files touch it.
   */
  readonly native: unknown;
  /**
   * Runs `fn` while holding a named lock across processes. `ttlMs` bounds how long a crashed
   * holder can keep others waiting (lease dialects); `waitMs` bounds the wait.
   */
  withLock<T>(name: string, fn: () => Promise<T>, opts?: { ttlMs?: number; waitMs?: number }): Promise<T>;
  /**
   * The schema our tables live in, where the database has schemas (PostgreSQL's current_schema()),
   * so bookkeeping such as the migrations table is looked up there and not in a namesake elsewhere.
   */
  currentSchema(): Promise<string | undefined>;
  /** The SQL type this dialect uses for a column kind. */
  columnType(kind: ColumnKind): string;
  close(): Promise<void>;
}
