/**
 * The SQLite driver for the running Node, behind one interface (better-sqlite3's, the part we use).
 *
 * - Node 20 and 22: better-sqlite3 12.x, a node-gyp addon on V8's own API.
 * - Node 24 and later: Node's built-in node:sqlite. There better-sqlite3 12.x aborts the process
 *   (its object wraps remove a cleanup hook after the environment is gone, `Assertion failed:
 *   (env) != nullptr`, seen here on 24.21), and 13.x binds every value through several Node-API
 *   calls: 300k wide rows inserted 16 to a statement took 3.0 s of CPU with 13.x against
 *   2.0–2.2 s with node:sqlite (measured here, Node 24.21, same SQLite 3.53).
 *
 * A process opens hub files through one library only: two SQLite copies in one process keep their
 * own POSIX locks, and a close in one drops the other's (sqlite.org/howtocorrupt.html §2.2.1).
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/** The Node major from which node:sqlite is used. */
export const NODE_SQLITE_FROM_NODE = 24;

const major = Number(process.versions.node.split('.')[0]);

/** The library loaded in this process: a module id that `require` takes (a worker loads the same). */
export const sqliteDriverModule: 'node:sqlite' | 'better-sqlite3' = major >= NODE_SQLITE_FROM_NODE ? 'node:sqlite' : 'better-sqlite3';

/** A prepared statement; positional parameters are passed as arguments. */
export interface SqliteStatement {
  /** Whether it returns rows. */
  readonly reader: boolean;
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/** A connection (rows come back as objects keyed by column name). */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  /** `pragma <source>`: its rows, or with `simple` the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /**
   * `fn` wrapped in a transaction: begin, commit on return, roll back on throw; called inside one,
   * a savepoint. `fn` must be synchronous.
   */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
}

/** The part of node:sqlite used here (its types are not in @types/node 20, which this project builds against). */
interface StatementSync {
  columns(): unknown[];
}
interface DatabaseSync {
  readonly isTransaction: boolean;
  prepare(sql: string): StatementSync & Omit<SqliteStatement, 'reader'>;
  exec(sql: string): void;
  close(): void;
}

/** How node:sqlite's experimental-feature warning begins (this module and the checkpointer's thread drop it). */
export const NODE_SQLITE_WARNING = 'SQLite is an experimental feature';

/**
 * node:sqlite, loaded without the one-time "SQLite is an experimental feature" warning that
 * early Node 24 releases print on stderr (seen on 24.0.0; 24.21 prints none): the CLI's
 * output stays clean. Other warnings pass through.
 */
function loadNodeSqlite(): { DatabaseSync: new (file: string) => DatabaseSync } {
  const emit = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.startsWith(NODE_SQLITE_WARNING)) return;
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return require('node:sqlite') as { DatabaseSync: new (file: string) => DatabaseSync };
  } finally {
    process.emitWarning = emit;
  }
}

/** node:sqlite's connection seen through SqliteDatabase. */
class NodeSqlite implements SqliteDatabase {
  readonly #db: DatabaseSync;
  #savepoints = 0;

  constructor(file: string) {
    const { DatabaseSync: Sync } = loadNodeSqlite();
    this.#db = new Sync(file);
  }

  prepare(sql: string): SqliteStatement {
    const st = this.#db.prepare(sql);
    // The statement itself (its methods are native: no wrapper on the hot path), marked as
    // better-sqlite3 marks it.
    Object.defineProperty(st, 'reader', { value: st.columns().length > 0 });
    return st as unknown as SqliteStatement;
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  pragma(source: string, options?: { simple?: boolean }): unknown {
    const rows = this.#db.prepare(`pragma ${source}`).all() as Record<string, unknown>[];
    if (!options?.simple) return rows;
    const first = rows[0];
    return first ? Object.values(first)[0] : undefined;
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      const db = this.#db;
      const nested = db.isTransaction;
      const name = nested ? `fb_tx_${++this.#savepoints}` : '';
      db.exec(nested ? `savepoint ${name}` : 'begin');
      try {
        const r = fn(...args);
        if (r instanceof Promise) throw new TypeError('a transaction function must not return a promise');
        db.exec(nested ? `release ${name}` : 'commit');
        return r;
      } catch (e) {
        if (nested) {
          db.exec(`rollback to ${name}`);
          db.exec(`release ${name}`);
        } else if (db.isTransaction) db.exec('rollback');
        throw e;
      } finally {
        if (nested) this.#savepoints--;
      }
    };
  }

  close(): void {
    this.#db.close();
  }
}

/** Opens a connection with the library this process uses. */
export function openSqliteDatabase(file: string): SqliteDatabase {
  if (sqliteDriverModule === 'node:sqlite') return new NodeSqlite(file);
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  return new Database(file) as unknown as SqliteDatabase;
}
