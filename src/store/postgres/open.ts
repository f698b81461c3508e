/**
 * PostgreSQL through pg: a pool, int8 read as JS numbers (our epoch-ms timestamps fit), and
 * advisory locks held on a dedicated client for the length of the work.
 */
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { ForcebridgeError } from '../../errors.js';
import type { HubDatabase } from '../schema.js';
import type { ColumnKind, Store } from '../types.js';

pg.types.setTypeParser(20, (v) => Number(v));

/** A stable signed 64-bit key for a lock name. */
function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

const POSTGRES_TYPES: Record<ColumnKind, string> = {
  text: 'text',
  boolean: 'boolean',
  integer: 'integer',
  bigint: 'bigint',
  double: 'double precision',
  date: 'date',
  datetime: 'timestamptz',
  time: 'time',
  json: 'jsonb',
};

export function openPostgres(url: string, opts: { max?: number } = {}): Store {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  pool.on('error', () => {
    // Idle client errors (server restart) surface on the next query; do not crash the process.
  });
  const db = new Kysely<HubDatabase>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    caps: { copy: true, advisoryLocks: true, concurrentWriters: true },
    location: redactUrl(url),
    native: pool,
    async withLock(name, fn, o) {
      const client = await pool.connect();
      const key = lockKey(name);
      try {
        await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(o?.waitMs ?? 60_000))}`);
        try {
          await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
        } catch (e) {
          throw new ForcebridgeError('store.lock_timeout', 'unavailable', `timed out waiting for lock "${name}"`, { cause: e });
        }
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
        }
      } finally {
        await client.query('RESET lock_timeout').catch(() => undefined);
        client.release();
      }
    },
    columnType: (kind) => POSTGRES_TYPES[kind],
    async currentSchema() {
      const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
      return r.rows[0]?.schema;
    },
    close: () => db.destroy(),
  };
}
