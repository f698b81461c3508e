/**
 * SQLite (better-sqlite3 or node:sqlite, by Node version: driver.ts): WAL so readers never wait
 * for the writer, a busy timeout so writers from other processes queue instead of failing, and
 * lease-row locks.
 */
import { openSqliteDatabase, type SqliteDatabase, type SqliteStatement } from './driver.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { withLeaseLock } from '../lease-lock.js';
import type { HubDatabase } from '../schema.js';
import type { ColumnKind, Store } from '../types.js';

/** SQLite has type affinity only: datetimes as ISO text, booleans as 0/1, JSON as text. */
const SQLITE_TYPES: Record<ColumnKind, string> = {
  text: 'text',
  boolean: 'integer',
  integer: 'integer',
  bigint: 'integer',
  double: 'real',
  date: 'text',
  datetime: 'text',
  time: 'text',
  json: 'text',
};

/** Prepared statements kept per SQL text (the least recently used go first). */
const STATEMENT_CACHE_SIZE = 512;

/** A statement as Kysely's SQLite driver calls it: parameters as one array. */
interface KyselyStatement {
  readonly reader: boolean;
  all(params: readonly unknown[]): unknown[];
  run(params: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(params: readonly unknown[]): IterableIterator<unknown>;
}

/** Kysely's parameters for a statement: undefined binds as null (as better-sqlite3 does; node:sqlite refuses it). */
const bindable = (params: readonly unknown[]): unknown[] => params.map((v) => (v === undefined ? null : v));

/** A row as a plain object (node:sqlite returns objects without a prototype). */
const plain = (row: unknown): unknown => (row && Object.getPrototypeOf(row) === null ? { ...(row as object) } : row);

function forKysely(st: SqliteStatement): KyselyStatement {
  return {
    reader: st.reader,
    all: (params) => st.all(...bindable(params)).map(plain),
    run: (params) => st.run(...bindable(params)),
    iterate: function* (params) {
      for (const row of st.iterate(...bindable(params))) yield plain(row);
    },
  };
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing was about a sixth of an agent tool
 * call's time through the HTTP API (bench/agent.bench.ts). Statements are reused by SQL text —
 * safe because the driver runs one query at a time (all()/run(), never a live iterate()), and
 * SQLite re-prepares a statement by itself when the schema changed under it.
 */
function withStatementCache(database: SqliteDatabase): { prepare(source: string): KyselyStatement; close(): void } {
  const cache = new Map<string, KyselyStatement>();
  return {
    prepare(source: string) {
      let st = cache.get(source);
      if (st) {
        cache.delete(source);
      } else {
        st = forKysely(database.prepare(source));
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(source, st);
      return st;
    },
    close: () => database.close(),
  };
}

export function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const database = openSqliteDatabase(file);
  // 16 KiB pages for a new file (a no-op on an existing one): synced rows are wide (50+ columns);
  // measured here, a 1M-row Bulk load took 22.3 s instead of 26.7 s with the default 4 KiB.
  database.pragma('page_size = 16384');
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  // With WAL + NORMAL a commit does not fsync; a checkpoint does (WAL and database). The default
  // checkpoint every 1,000 pages (4 MB) made a 300k-row load spend about as long in fsync as in
  // inserting; every 10,000 pages (a WAL of up to 160 MB with 16 KiB pages) checkpoints a tenth as often.
  database.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<HubDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(database) as unknown as ConstructorParameters<typeof SqliteDialect>[0]['database'] }),
  });
  return {
    db,
    dialect: 'sqlite',
    caps: { copy: false, advisoryLocks: false, concurrentWriters: false },
    location: file,
    native: database,
    withLock: (name, fn, opts) => withLeaseLock(db, name, fn, opts?.ttlMs, opts?.waitMs),
    currentSchema: async () => undefined,
    columnType: (kind) => SQLITE_TYPES[kind],
    close: () => db.destroy(),
  };
}
