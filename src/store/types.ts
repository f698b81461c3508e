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

export interface Store {
  readonly db: Kysely<HubDatabase>;
  readonly dialect: DialectName;
  readonly caps: StoreCapabilities;
  /** Where the data lives, without credentials (for messages). */
  readonly location: string;
  /**
   * Runs `fn` while holding a named lock across processes. `ttlMs` bounds how long a crashed
   * holder can keep others waiting (lease dialects); `waitMs` bounds the wait.
   */
  withLock<T>(name: string, fn: () => Promise<T>, opts?: { ttlMs?: number; waitMs?: number }): Promise<T>;
  close(): Promise<void>;
}
