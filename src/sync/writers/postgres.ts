/**
 * PostgreSQL writer: one transaction per page on a pooled client — the upsert, feed entries and
 * the cursor. Small pages (REST increments) use a multi-row `insert … on conflict`; big pages
 * (Bulk loads) are COPYed straight into the table when none of their rows exist yet, else into a
 * temporary staging table, then upserted with one `insert … select … on conflict do update`.
 * Bulk pages arrive as binary COPY tuples (copy-binary.ts); other big pages are COPYed as text.
 * Feed entries go in as runs (feed-runs.ts): a few rows per page.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER } from '../copy-binary.js';
import type { Store } from '../../store/types.js';
import type { ChangeOp } from '../feed.js';
import { entryCount, feedRunRows } from '../feed-runs.js';
import { quoteIdent as q, type SyncField } from '../fields.js';
import { jsonText, type ColumnValue } from '../values.js';
import { PageFeed } from './page-feed.js';
import type { PageInput, PageResult, SyncWriter } from './types.js';

function encode(f: SyncField, v: ColumnValue): unknown {
  if (v === null) return null;
  if (f.kind === 'json') return jsonText(v);
  return v;
}

async function nextSeq(c: pg.PoolClient, connectionId: string, n: number): Promise<number> {
  const r = await c.query<{ last_seq: number }>(
    'insert into sync_feed_seq (connection_id, last_seq) values ($1, $2) on conflict (connection_id) do update set last_seq = sync_feed_seq.last_seq + $2 returning last_seq',
    [connectionId, n],
  );
  return Number(r.rows[0]!.last_seq) - n + 1;
}

/** Feed entries, grouped by op, numbered on from the connection's sequence and stored in runs (feed-runs.ts). */
async function recordFeed(c: pg.PoolClient, connectionId: string, object: string, at: number, groups: [ChangeOp, string[]][]): Promise<void> {
  const total = entryCount(groups);
  if (!total) return;
  const rows = feedRunRows(connectionId, object, at, await nextSeq(c, connectionId, total), groups);
  for (let s = 0; s < rows.length; s += 1000) {
    const part = rows.slice(s, s + 1000);
    const params = part.flatMap((r) => [r.connection_id, r.seq, r.object, r.record_id, r.op, r.at, r.n, r.ids]);
    const tuples = part.map((_, i) => `(${Array.from({ length: 8 }, (_, k) => `$${i * 8 + k + 1}`).join(', ')})`);
    await c.query(`insert into sync_changes (connection_id, seq, object, record_id, op, at, n, ids) values ${tuples.join(', ')}`, params);
  }
}

/**
 * One sync transaction. `synchronous_commit = off` lets the commit return before its WAL reaches
 * disk: a PostgreSQL crash can lose the last few commits, but each loses its rows, feed entries
 * and cursor together (the transaction stays atomic), so the next run re-reads them — nothing is
 * skipped, and a load no longer waits for a disk flush per batch.
 */
async function tx<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('begin; set local synchronous_commit = off');
    const out = await fn(c);
    await c.query('commit');
    return out;
  } catch (e) {
    await c.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/** Pages of at least this many rows are COPYed through a staging table. */
export const COPY_MIN_ROWS = 1000;

export interface PostgresWriterOptions {
  /** Rows from which a page is COPYed (default COPY_MIN_ROWS); Infinity = never. */
  copyMinRows?: number;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const NEEDS_ESCAPE = /[\\\n\r\t]/;

/** One value in COPY text format (`\N` = null; backslash, tab and line breaks escaped). */
function copyCell(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return NEEDS_ESCAPE.test(s) ? s.replace(/[\\\n\r\t]/g, (ch) => COPY_ESCAPES[ch]!) : s;
}

/** COPYs binary COPY tuples (a Bulk batch converted by copy-binary.ts). */
async function copyBinary(c: pg.PoolClient, target: string, tuples: Buffer): Promise<void> {
  await pipeline(Readable.from([COPY_BINARY_HEADER, tuples, COPY_BINARY_TRAILER]), c.query(copyFrom(`copy ${target} from stdin with (format binary)`)));
}

/** COPYs text-format lines into `target (columns)` on the transaction's client. */
async function copyLines(c: pg.PoolClient, target: string, lines: Iterable<string>): Promise<void> {
  function* chunks(): Generator<string> {
    let buf = '';
    let n = 0;
    for (const line of lines) {
      buf += line;
      if (++n === 500) {
        yield buf;
        buf = '';
        n = 0;
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), c.query(copyFrom(`copy ${target} from stdin`)));
}

interface Upsert {
  p: PageInput;
  cols: string[];
  set: string[];
  delIdx: number;
}

/** The deleted mark and synced time appended to each row's values. */
const rowValues = (u: Upsert, row: ColumnValue[]): unknown[] => {
  const isDeleted = u.delIdx >= 0 && u.delIdx < row.length && row[u.delIdx] === true;
  return [...row.map((v, i) => encode(u.p.fields[i]!, v)), isDeleted ? u.p.now : null, u.p.now];
};

/** Small pages: existing ids, then multi-row upserts. Returns the previous deleted mark of each existing id. */
async function upsertMultiRow(c: pg.PoolClient, u: Upsert, ids: string[]): Promise<Map<string, number | null>> {
  const { p, cols, set } = u;
  const prev = new Map<string, number | null>();
  if (ids.length) {
    const r = await c.query<{ id: string; d: number | null }>(`select id, _fb_deleted_at as d from ${q(p.table)} where id = any($1)`, [ids]);
    for (const row of r.rows) prev.set(row.id, row.d);
  }
  const per = Math.max(1, Math.floor(60_000 / cols.length));
  for (let start = 0; start < p.rows.length; start += per) {
    const params: unknown[] = [];
    const tuples = p.rows.slice(start, start + per).map((row) => {
      const ph = rowValues(u, row).map((v) => {
        params.push(v);
        return `$${params.length}`;
      });
      return `(${ph.join(', ')})`;
    });
    await c.query(`insert into ${q(p.table)} (${cols.join(', ')}) values ${tuples.join(', ')} on conflict (id) do update set ${set.join(', ')}`, params);
  }
  return prev;
}

/** One row as a COPY text line: the row's values, the deleted mark and the synced time. */
function copyLine(u: Upsert, row: ColumnValue[]): string {
  const { fields, now } = u.p;
  let line = '';
  for (let i = 0; i < row.length; i++) line += `${copyCell(encode(fields[i]!, row[i]!))}\t`;
  const isDeleted = u.delIdx >= 0 && row[u.delIdx] === true;
  return `${line}${isDeleted ? now : '\\N'}\t${now}\n`;
}

/**
 * Big pages: rows none of which exist yet (an initial load) are COPYed straight into the table;
 * otherwise COPY into a staging table (dropped at commit), then one upsert from it. The page is
 * either rows (converted to COPY text lines while COPY streams them, so PostgreSQL parses one
 * chunk while the next is built) or the binary tuples a Bulk batch was converted to.
 */
async function upsertViaCopy(c: pg.PoolClient, u: Upsert, ids: string[]): Promise<Map<string, number | null>> {
  const { p, set } = u;
  const table = q(p.table);
  const prev = new Map<string, number | null>();
  if (!p.allNew) {
    const r = await c.query<{ id: string; d: number | null }>(`select id, _fb_deleted_at as d from ${table} where id = any($1)`, [ids]);
    for (const row of r.rows) prev.set(row.id, row.d);
  }
  const cols = p.copy ? p.copy.columns : u.cols;
  const lines = {
    *[Symbol.iterator]() {
      for (const row of p.rows) yield copyLine(u, row);
    },
  };
  const copyInto = (target: string) => {
    const into = `${target} (${cols.join(', ')})`;
    return p.copy ? copyBinary(c, into, p.copy.data) : copyLines(c, into, lines);
  };
  if (prev.size === 0) {
    await copyInto(table);
    return prev;
  }
  await c.query(`create temp table _fb_stage (like ${table}) on commit drop`);
  await copyInto('_fb_stage');
  await c.query(`insert into ${table} (${u.cols.join(', ')}) select ${u.cols.join(', ')} from _fb_stage on conflict (id) do update set ${set.join(', ')}`);
  await c.query('drop table _fb_stage');
  return prev;
}

export function postgresWriter(store: Store, o: PostgresWriterOptions = {}): SyncWriter {
  const pool = store.native as pg.Pool;
  const copyMinRows = o.copyMinRows ?? COPY_MIN_ROWS;
  return {
    takesBinaryCopy: true,
    applyPage: (p) =>
      tx(pool, async (c): Promise<PageResult> => {
        const idIdx = p.fields.findIndex((f) => f.field === 'Id');
        const delIdx = p.fields.findIndex((f) => f.field === 'IsDeleted');
        // Each row's id and deleted flag, from the rows or from what the COPY conversion kept.
        const ids = p.copy ? p.copy.ids : p.rows.map((r) => r[idIdx] as string);
        const isDeleted = p.copy ? (i: number) => p.copy!.deleted[i] === 1 : (i: number) => delIdx >= 0 && p.rows[i]![delIdx] === true;
        const cols = [...p.fields.map((f) => q(f.column)), '_fb_deleted_at', '_fb_synced_at'];
        const set = cols
          .filter((col) => col !== '"id"' && col !== '_fb_deleted_at')
          .map((col) => `${col} = excluded.${col}`)
          .concat(
            `_fb_deleted_at = case when excluded._fb_deleted_at is null then null else coalesce(${q(p.table)}._fb_deleted_at, excluded._fb_deleted_at) end`,
          );
        const u: Upsert = { p, cols, set, delIdx };
        const prev = p.copy || p.rows.length >= copyMinRows ? await upsertViaCopy(c, u, ids) : await upsertMultiRow(c, u, ids);
        const feed = new PageFeed();
        for (let i = 0; i < ids.length; i++) feed.add(ids[i]!, isDeleted(i), prev.get(ids[i]!));
        const inserted = feed.insert.length;
        const updated = feed.update.length;
        const deleted = feed.delete.length;
        await recordFeed(c, p.connectionId, p.object, p.now, feed.groups());
        if (p.cursor) {
          await c.query('update sync_objects set cursor_at = $1, cursor_id = $2, rows = rows + $3, updated_at = $4 where connection_id = $5 and object = $6', [
            p.cursor.at,
            p.cursor.id,
            inserted,
            p.now,
            p.connectionId,
            p.object,
          ]);
        } else if (inserted) {
          await c.query('update sync_objects set rows = rows + $1, updated_at = $2 where connection_id = $3 and object = $4', [
            inserted,
            p.now,
            p.connectionId,
            p.object,
          ]);
        }
        return { inserted, updated, deleted };
      }),
    markDeleted: (p) =>
      tx(pool, async (c) => {
        const r = await c.query<{ id: string }>(`update ${q(p.table)} set _fb_deleted_at = $1 where id = any($2) and _fb_deleted_at is null returning id`, [
          p.at,
          p.ids,
        ]);
        const hit = r.rows.map((x) => x.id);
        await recordFeed(c, p.connectionId, p.object, p.at, [['delete', hit]]);
        return hit.length;
      }),
    updateColumns: (p) =>
      tx(pool, async (c) => {
        const idIdx = p.fields.findIndex((f) => f.field === 'Id');
        const cols = p.fields.map((f, i) => ({ f, i })).filter(({ i }) => i !== idIdx);
        if (!cols.length || !p.rows.length) return 0;
        const hit: string[] = [];
        const per = Math.max(1, Math.floor(30_000 / (cols.length + 1)));
        for (let start = 0; start < p.rows.length; start += per) {
          const params: unknown[] = [p.now];
          // Casts give the VALUES list the columns' types, so `is distinct from` compares like with like.
          const tuples = p.rows.slice(start, start + per).map((row) => {
            params.push(row[idIdx]);
            const ph = [`$${params.length}::text`];
            for (const { f, i } of cols) {
              params.push(encode(f, row[i]!));
              ph.push(`$${params.length}::${store.columnType(f.kind)}`);
            }
            return `(${ph.join(', ')})`;
          });
          const r = await c.query<{ id: string }>(
            `update ${q(p.table)} as t set ${cols.map(({ f }) => `${q(f.column)} = v.${q(f.column)}`).join(', ')}, _fb_synced_at = $1 ` +
              `from (values ${tuples.join(', ')}) as v(id, ${cols.map(({ f }) => q(f.column)).join(', ')}) ` +
              `where t.id = v.id and t._fb_deleted_at is null and (${cols.map(({ f }) => `t.${q(f.column)} is distinct from v.${q(f.column)}`).join(' or ')}) returning t.id`,
            params,
          );
          for (const row of r.rows) hit.push(row.id);
        }
        await recordFeed(c, p.connectionId, p.object, p.now, [['update', hit]]);
        return hit.length;
      }),
  };
}
