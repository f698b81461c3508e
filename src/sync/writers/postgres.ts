/**
 * PostgreSQL writer: one transaction per page on a pooled client — existing ids, a multi-row
 * upsert, feed entries and the cursor. (COPY into a staging table for big pages comes with the
 * Bulk loader.)
 */
import type pg from 'pg';
import type { Store } from '../../store/types.js';
import type { SyncField } from '../fields.js';
import type { ColumnValue } from '../values.js';
import type { PageResult, SyncWriter } from './types.js';

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

function encode(f: SyncField, v: ColumnValue): unknown {
  if (v === null) return null;
  if (f.kind === 'json') return JSON.stringify(v);
  return v;
}

async function nextSeq(c: pg.PoolClient, connectionId: string, n: number): Promise<number> {
  const r = await c.query<{ last_seq: number }>(
    'insert into sync_feed_seq (connection_id, last_seq) values ($1, $2) on conflict (connection_id) do update set last_seq = sync_feed_seq.last_seq + $2 returning last_seq',
    [connectionId, n],
  );
  return Number(r.rows[0]!.last_seq) - n + 1;
}

async function tx<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('begin');
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

export function postgresWriter(store: Store): SyncWriter {
  const pool = store.native as pg.Pool;
  return {
    applyPage: (p) =>
      tx(pool, async (c): Promise<PageResult> => {
        const idIdx = p.fields.findIndex((f) => f.field === 'Id');
        const delIdx = p.fields.findIndex((f) => f.field === 'IsDeleted');
        const ids = p.rows.map((r) => r[idIdx] as string);
        const prev = new Map<string, number | null>();
        if (ids.length) {
          const r = await c.query<{ id: string; d: number | null }>(`select id, _fb_deleted_at as d from ${q(p.table)} where id = any($1)`, [ids]);
          for (const row of r.rows) prev.set(row.id, row.d);
        }
        const cols = [...p.fields.map((f) => q(f.column)), '_fb_deleted_at', '_fb_synced_at'];
        const per = Math.max(1, Math.floor(60_000 / cols.length));
        for (let start = 0; start < p.rows.length; start += per) {
          const chunk = p.rows.slice(start, start + per);
          const params: unknown[] = [];
          const tuples = chunk.map((row) => {
            const isDeleted = delIdx >= 0 && row[delIdx] === true;
            const vals = [...row.map((v, i) => encode(p.fields[i]!, v)), isDeleted ? p.now : null, p.now];
            const ph = vals.map((v) => {
              params.push(v);
              return `$${params.length}`;
            });
            return `(${ph.join(', ')})`;
          });
          const set = cols
            .filter((col) => col !== '"id"' && col !== '_fb_deleted_at')
            .map((col) => `${col} = excluded.${col}`)
            .concat(
              `_fb_deleted_at = case when excluded._fb_deleted_at is null then null else coalesce(${q(p.table)}._fb_deleted_at, excluded._fb_deleted_at) end`,
            );
          await c.query(`insert into ${q(p.table)} (${cols.join(', ')}) values ${tuples.join(', ')} on conflict (id) do update set ${set.join(', ')}`, params);
        }
        const changes: [string, string][] = [];
        let inserted = 0;
        let updated = 0;
        let deleted = 0;
        for (const row of p.rows) {
          const id = row[idIdx] as string;
          const isDeleted = delIdx >= 0 && row[delIdx] === true;
          if (isDeleted) {
            if (!prev.has(id) || prev.get(id) === null) {
              deleted++;
              changes.push([id, 'delete']);
            }
          } else if (prev.has(id)) {
            updated++;
            changes.push([id, 'update']);
          } else {
            inserted++;
            changes.push([id, 'insert']);
          }
        }
        if (changes.length) {
          const first = await nextSeq(c, p.connectionId, changes.length);
          for (let s = 0; s < changes.length; s += 5000) {
            const part = changes.slice(s, s + 5000);
            const params = part.flatMap(([id, op], i) => [p.connectionId, first + s + i, p.object, id, op, p.now]);
            const tuples = part.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`);
            await c.query(`insert into sync_changes (connection_id, seq, object, record_id, op, at) values ${tuples.join(', ')}`, params);
          }
        }
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
        if (hit.length) {
          const first = await nextSeq(c, p.connectionId, hit.length);
          for (let i = 0; i < hit.length; i++) {
            await c.query('insert into sync_changes (connection_id, seq, object, record_id, op, at) values ($1, $2, $3, $4, $5, $6)', [
              p.connectionId,
              first + i,
              p.object,
              hit[i],
              'delete',
              p.at,
            ]);
          }
        }
        return hit.length;
      }),
  };
}
