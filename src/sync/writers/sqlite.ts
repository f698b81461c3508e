/**
 * SQLite writer: prepared statements on the better-sqlite3 handle inside one synchronous
 * transaction per page (~100k rows/s here), which is also atomic with the cursor and the feed.
 */
import type Database from 'better-sqlite3';
import type { Store } from '../../store/types.js';
import type { SyncField } from '../fields.js';
import { jsonText, type ColumnValue } from '../values.js';
import type { ColumnsInput, PageInput, PageResult, SyncWriter } from './types.js';

function encode(f: SyncField, v: ColumnValue): unknown {
  if (v === null) return null;
  if (f.kind === 'boolean') return v ? 1 : 0;
  if (f.kind === 'json') return jsonText(v);
  return v;
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Rows per insert statement when a page's rows are known to be new (measured ~15% faster than one per statement). */
const MULTI_ROWS = 16;

export function sqliteWriter(store: Store): SyncWriter {
  const db = store.native as Database.Database;
  const cache = new Map<string, Database.Statement>();
  const prep = (text: string) => {
    let s = cache.get(text);
    if (!s) {
      s = db.prepare(text);
      cache.set(text, s);
    }
    return s;
  };

  const nextSeq = (connectionId: string, n: number): number => {
    const row = prep('select last_seq from sync_feed_seq where connection_id = ?').get(connectionId) as { last_seq: number } | undefined;
    const first = (row?.last_seq ?? 0) + 1;
    prep('insert into sync_feed_seq (connection_id, last_seq) values (?, ?) on conflict (connection_id) do update set last_seq = excluded.last_seq').run(
      connectionId,
      first + n - 1,
    );
    return first;
  };

  const apply = db.transaction((p: PageInput): PageResult => {
    const cols = p.fields.map((f) => q(f.column));
    const idIdx = p.fields.findIndex((f) => f.field === 'Id');
    const delIdx = p.fields.findIndex((f) => f.field === 'IsDeleted');
    // Every insert names the row's columns, the deleted mark and the synced time; one tuple per row.
    const target = `${q(p.table)} (${cols.join(', ')}, _fb_deleted_at, _fb_synced_at)`;
    const tuple = `(${new Array(cols.length + 2).fill('?').join(', ')})`;
    const upsert = prep(
      `insert into ${target} values ${tuple} ` +
        `on conflict (id) do update set ${cols
          .filter((c) => c !== '"id"')
          .map((c) => `${c} = excluded.${c}`)
          .join(', ')}, _fb_synced_at = excluded._fb_synced_at, ` +
        `_fb_deleted_at = case when excluded._fb_deleted_at is null then null else coalesce(${q(p.table)}._fb_deleted_at, excluded._fb_deleted_at) end`,
    );
    // New rows (every row of an initial load) take one statement: the insert; only rows already
    // present are looked up and upserted.
    const insertNew = prep(`insert into ${target} values ${tuple} on conflict (id) do nothing`);
    const insertAll = prep(`insert into ${target} values ${tuple}`);
    const exists = prep(`select _fb_deleted_at as d from ${q(p.table)} where id = ?`);
    const changes: [string, string][] = [];
    let inserted = 0;
    let updated = 0;
    let deleted = 0;
    const n = p.fields.length;
    const width = n + 2;
    // Only booleans and JSON need encoding; every other value binds as it is.
    const encoded = p.fields.flatMap((f, i) => (f.kind === 'boolean' || f.kind === 'json' ? [i] : []));
    const isDeleted = (row: ColumnValue[]) => delIdx >= 0 && row[delIdx] === true;
    /** The row's values, the deleted mark and the synced time into `into` from `at`. */
    const fill = (row: ColumnValue[], into: unknown[], at: number) => {
      for (let i = 0; i < n; i++) into[at + i] = row[i];
      for (const i of encoded) into[at + i] = encode(p.fields[i]!, row[i]!);
      into[at + n] = isDeleted(row) ? p.now : null;
      into[at + n + 1] = p.now;
    };
    const values: unknown[] = new Array(width);
    let r = 0;
    if (p.allNew && p.rows.length >= MULTI_ROWS) {
      // Rows known to be new go MULTI_ROWS to a statement: fewer statement steps per row.
      const many = prep(`insert into ${target} values ${new Array(MULTI_ROWS).fill(tuple).join(', ')}`);
      const bind: unknown[] = new Array(width * MULTI_ROWS);
      for (; r + MULTI_ROWS <= p.rows.length; r += MULTI_ROWS) {
        for (let m = 0; m < MULTI_ROWS; m++) fill(p.rows[r + m]!, bind, m * width);
        many.run(bind);
      }
    }
    for (let k = 0; k < p.rows.length; k++) {
      const row = p.rows[k]!;
      const id = row[idIdx] as string;
      let prev: { d: number | null } | undefined;
      if (k >= r) {
        fill(row, values, 0);
        if (p.allNew) insertAll.run(values);
        else if (insertNew.run(values).changes === 0) {
          prev = exists.get(id) as { d: number | null };
          upsert.run(values);
        }
      }
      if (isDeleted(row)) {
        if (!prev || prev.d === null) {
          deleted++;
          changes.push([id, 'delete']);
        }
      } else if (prev) {
        updated++;
        changes.push([id, 'update']);
      } else {
        inserted++;
        changes.push([id, 'insert']);
      }
    }
    if (changes.length) {
      // One statement for the page's feed entries (SQLite expands the JSON list), not one per row.
      const seq = nextSeq(p.connectionId, changes.length);
      prep(
        "insert into sync_changes (connection_id, seq, object, record_id, op, at) select ?, ? + key, ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), ? from json_each(?)",
      ).run(p.connectionId, seq, p.object, p.now, JSON.stringify(changes));
    }
    if (p.cursor) {
      prep('update sync_objects set cursor_at = ?, cursor_id = ?, rows = rows + ?, updated_at = ? where connection_id = ? and object = ?').run(
        p.cursor.at,
        p.cursor.id,
        inserted,
        p.now,
        p.connectionId,
        p.object,
      );
    } else if (inserted) {
      prep('update sync_objects set rows = rows + ?, updated_at = ? where connection_id = ? and object = ?').run(inserted, p.now, p.connectionId, p.object);
    }
    return { inserted, updated, deleted };
  });

  const mark = db.transaction((p: { connectionId: string; object: string; table: string; ids: string[]; at: number }): number => {
    const upd = prep(`update ${q(p.table)} set _fb_deleted_at = ? where id = ? and _fb_deleted_at is null`);
    const hit: string[] = [];
    for (const id of p.ids) if (upd.run(p.at, id).changes === 1) hit.push(id);
    if (hit.length) {
      let seq = nextSeq(p.connectionId, hit.length);
      const feed = prep('insert into sync_changes (connection_id, seq, object, record_id, op, at) values (?, ?, ?, ?, ?, ?)');
      for (const id of hit) feed.run(p.connectionId, seq++, p.object, id, 'delete', p.at);
    }
    return hit.length;
  });

  const updateCols = db.transaction((p: ColumnsInput): number => {
    const idIdx = p.fields.findIndex((f) => f.field === 'Id');
    const cols = p.fields.map((f, i) => ({ f, i })).filter(({ i }) => i !== idIdx);
    if (!cols.length) return 0;
    // `is` is SQLite's null-safe equality: unchanged rows are not written and get no feed entry.
    const upd = prep(
      `update ${q(p.table)} set ${cols.map(({ f }) => `${q(f.column)} = ?`).join(', ')}, _fb_synced_at = ? ` +
        `where id = ? and _fb_deleted_at is null and not (${cols.map(({ f }) => `${q(f.column)} is ?`).join(' and ')})`,
    );
    const hit: string[] = [];
    for (const row of p.rows) {
      const id = row[idIdx] as string;
      const values = cols.map(({ f, i }) => encode(f, row[i]!));
      if (upd.run(...values, p.now, id, ...values).changes === 1) hit.push(id);
    }
    if (hit.length) {
      let seq = nextSeq(p.connectionId, hit.length);
      const feed = prep('insert into sync_changes (connection_id, seq, object, record_id, op, at) values (?, ?, ?, ?, ?, ?)');
      for (const id of hit) feed.run(p.connectionId, seq++, p.object, id, 'update', p.now);
    }
    return hit.length;
  });

  return {
    applyPage: async (p) => apply(p),
    markDeleted: async (p) => mark(p),
    updateColumns: async (p) => updateCols(p),
  };
}
