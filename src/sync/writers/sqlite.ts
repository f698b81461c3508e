/**
 * SQLite writes: prepared statements on the store's connection (driver.ts) inside one synchronous
 * transaction per page, which is also atomic with the cursor and the feed. A Bulk results page is
 * parsed inside that transaction a batch at a time: one commit per page (10,000 rows), and no
 * parsed row lives past its batch.
 */
import { WalCheckpointer } from '../../store/sqlite/checkpointer.js';
import type { SqliteDatabase, SqliteStatement } from '../../store/sqlite/driver.js';
import type { Store } from '../../store/types.js';
import { csvPageRows, type CsvPageSpec, type PageRead } from '../bulk-rows.js';
import type { ChangeOp } from '../feed.js';
import { entryCount, feedRunRows } from '../feed-runs.js';
import { quoteIdent as q, type SyncField } from '../fields.js';
import { jsonText, type ColumnValue } from '../values.js';
import { PageFeed } from './page-feed.js';
import type { ColumnsInput, PageInput, PageResult, SyncWriter } from './types.js';

function encode(f: SyncField, v: ColumnValue): unknown {
  if (v === null) return null;
  if (f.kind === 'boolean') return v ? 1 : 0;
  if (f.kind === 'json') return jsonText(v);
  return v;
}

/**
 * Rows per insert statement when a page's rows are known to be new (measured ~15% faster than one
 * per statement). Values are bound as arguments, not as one array: better-sqlite3 reads an array
 * element by element through V8's generic property lookup, which made inserts ~20% slower.
 */
const MULTI_ROWS = 16;

/** Prepared statements a writer keeps. */
const STATEMENTS = 256;

/** The writes on one connection, each one synchronous transaction. */
interface SqliteWrites {
  /** A page's rows, then (a Bulk page parsed as it is taken) the batches of `chunks`. */
  apply(p: PageInput, chunks?: Iterable<ColumnValue[][]>): PageResult;
  mark(p: { connectionId: string; object: string; table: string; ids: string[]; at: number }): number;
  updateCols(p: ColumnsInput): number;
}

function sqliteWrites(db: SqliteDatabase): SqliteWrites {
  // Statements by SQL text; inserts of new rows vary with the columns a batch fills, so the cache
  // is bounded (oldest first out).
  const cache = new Map<string, SqliteStatement>();
  const prep = (text: string) => {
    let s = cache.get(text);
    if (!s) {
      s = db.prepare(text);
      if (cache.size >= STATEMENTS) cache.delete(cache.keys().next().value!);
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

  /** Feed entries, grouped by op, numbered on from the connection's sequence and stored in runs (feed-runs.ts). */
  const recordFeed = (connectionId: string, object: string, at: number, groups: [ChangeOp, string[]][]): void => {
    const total = entryCount(groups);
    if (!total) return;
    const ins = prep('insert into sync_changes (connection_id, seq, object, record_id, op, at, n, ids) values (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of feedRunRows(connectionId, object, at, nextSeq(connectionId, total), groups)) {
      ins.run(r.connection_id, r.seq, r.object, r.record_id, r.op, r.at, r.n, r.ids);
    }
  };

  const apply = db.transaction((p: PageInput, chunks?: Iterable<ColumnValue[][]>): PageResult => {
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
    const exists = prep(`select _fb_deleted_at as d from ${q(p.table)} where id = ?`);
    const n = p.fields.length;
    // Only booleans and JSON need encoding; every other value binds as it is.
    const encodes = p.fields.map((f) => f.kind === 'boolean' || f.kind === 'json');
    const isDeleted = (row: ColumnValue[]) => delIdx >= 0 && row[delIdx] === true;
    const every = p.fields.map((_, i) => i);
    /** The row's values of `used`, its deleted mark (with `marks`) and the synced time into `into` from `at`. */
    const fill = (row: ColumnValue[], into: unknown[], at: number, used: number[], marks: boolean) => {
      for (const i of used) into[at++] = encodes[i] ? encode(p.fields[i]!, row[i]!) : row[i];
      if (marks) into[at++] = isDeleted(row) ? p.now : null;
      into[at] = p.now;
    };
    /**
     * Inserts `rows` (all new) naming only the columns some row of them fills: an unused field
     * (most objects have many) costs no binding. Returns how many rows it wrote (all of them).
     */
    const insertNewRows = (rows: ColumnValue[][]): number => {
      const used: number[] = [];
      for (let i = 0; i < n; i++) if (rows.some((row) => row[i] !== null)) used.push(i);
      const marks = rows.some(isDeleted);
      const names = [...used.map((i) => cols[i]!), ...(marks ? ['_fb_deleted_at'] : []), '_fb_synced_at'];
      const w = names.length;
      const one = `(${new Array(w).fill('?').join(', ')})`;
      const head = `insert into ${q(p.table)} (${names.join(', ')}) values `;
      const many = rows.length >= MULTI_ROWS ? prep(head + new Array(MULTI_ROWS).fill(one).join(', ')) : undefined;
      const single = prep(head + one);
      const bind: unknown[] = new Array(w * (many ? MULTI_ROWS : 1));
      let r = 0;
      if (many) {
        for (; r + MULTI_ROWS <= rows.length; r += MULTI_ROWS) {
          for (let m = 0; m < MULTI_ROWS; m++) fill(rows[r + m]!, bind, m * w, used, marks);
          many.run(...bind);
        }
        bind.length = w;
      }
      for (; r < rows.length; r++) {
        fill(rows[r]!, bind, 0, used, marks);
        single.run(...bind);
      }
      return r;
    };
    const values: unknown[] = new Array(n + 2);
    // The page's feed entries, recorded once at its end (per batch, the sequence and feed
    // statements took ~2% of a Bulk load's CPU).
    const feed = new PageFeed();
    /** One batch of the page's rows. */
    const write = (rows: ColumnValue[][]) => {
      // Rows known to be new are inserted with only the columns this batch fills, MULTI_ROWS to a
      // statement; the rest default to null (others are upserted below, every column named).
      const r = p.allNew ? insertNewRows(rows) : 0;
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k]!;
        const id = row[idIdx] as string;
        let prev: { d: number | null } | undefined;
        if (k >= r) {
          fill(row, values, 0, every, true);
          if (insertNew.run(...values).changes === 0) {
            prev = exists.get(id) as { d: number | null };
            upsert.run(...values);
          }
        }
        feed.add(id, isDeleted(row), prev?.d);
      }
    };
    write(p.rows);
    // Chunks are parsed as they are taken: no batch outlives this transaction.
    if (chunks) for (const rows of chunks) write(rows);
    recordFeed(p.connectionId, p.object, p.now, feed.groups());
    const inserted = feed.insert.length;
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
    return { inserted, updated: feed.update.length, deleted: feed.delete.length };
  });

  const mark = db.transaction((p: { connectionId: string; object: string; table: string; ids: string[]; at: number }): number => {
    const upd = prep(`update ${q(p.table)} set _fb_deleted_at = ? where id = ? and _fb_deleted_at is null`);
    const hit: string[] = [];
    for (const id of p.ids) if (upd.run(p.at, id).changes === 1) hit.push(id);
    recordFeed(p.connectionId, p.object, p.at, [['delete', hit]]);
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
    recordFeed(p.connectionId, p.object, p.now, [['update', hit]]);
    return hit.length;
  });

  return { apply, mark, updateCols };
}

/**
 * A Bulk results page written by `apply`: parsed from its bytes (csv-bytes.ts: one-byte cells,
 * which bind to SQLite faster) and converted a batch at a time inside the page's transaction,
 * reporting what it read.
 */
function applyCsvPage(apply: SqliteWrites['apply'], p: Omit<PageInput, 'csvPage'>, page: CsvPageSpec, bytes: Uint8Array): PageResult {
  const read: PageRead = { rows: 0, ...(page.wantIds ? { ids: [] } : {}) };
  const r = apply({ ...p, rows: [] }, csvPageRows(bytes, page, read));
  return { ...r, read };
}

/**
 * Log frames (16 KiB pages) past which a Bulk load lets the checkpointer finish before its next
 * page, so the write-ahead log restarts (~128 MB; below the hub connection's own automatic
 * checkpoint at 10,000).
 */
const WAL_RESTART_FRAMES = 8192;

/**
 * The SQLite writer, on the caller's thread. A Bulk results page comes whole (CSV bytes) and is
 * parsed inside its transaction; after each, a helper thread checkpoints the write-ahead log
 * (store/sqlite/checkpointer.ts). Measured and dropped: writing pages in a worker thread with its
 * own connection — on two cores shared with the download the worker alone needed about as much
 * CPU as this whole thread (19.4 s against 17.5–18.4 s per 1M Accounts), so nothing overlapped.
 */
export function sqliteWriter(store: Store): SyncWriter {
  const w = sqliteWrites(store.native as SqliteDatabase);
  const checkpoints = store.location && store.location !== ':memory:' ? new WalCheckpointer(store.location) : undefined;
  return {
    takesCsvPages: true,
    applyPage: async (p) => {
      if (!p.csvPage) return w.apply(p);
      const { csvPage, ...rest } = p;
      const { bytes, ...spec } = csvPage;
      await checkpoints?.settle(WAL_RESTART_FRAMES);
      const r = applyCsvPage(w.apply, rest, spec, bytes);
      void checkpoints?.nudge();
      return r;
    },
    markDeleted: async (p) => w.mark(p),
    updateColumns: async (p) => w.updateCols(p),
    close: async () => checkpoints?.close(),
  };
}
