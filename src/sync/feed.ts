/**
 * Reading the change feed: the `sync_changes` entries of one (connection, object) after an opaque
 * cursor, in sequence order, each insert/update with the row as it is now in the synced table and
 * each delete with its id. The cursor is the feed sequence, which the writers assign under the
 * connection's sync lock inside the page transaction, so a reader paging with `nextCursor` sees
 * every committed change exactly once.
 */
import { sql } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import type { Store } from '../store/types.js';
import type { ColumnKind } from './column-types.js';
import { expandRun, type FeedEntry } from './feed-runs.js';

export type ChangeOp = 'insert' | 'update' | 'delete';

export interface FeedChange {
  op: ChangeOp;
  /** The Salesforce record id. */
  id: string;
  /** When forcebridge recorded the change (epoch ms). */
  at: number;
  /** The record as stored now, keyed by field API name (insert/update only; absent when the row is gone). */
  record?: Record<string, unknown>;
}

export interface FeedPage {
  changes: FeedChange[];
  /** Pass back as `cursor` to read on; when `done`, poll with it later for newer changes. */
  nextCursor: string;
  /** No more changes after `nextCursor` right now. */
  done: boolean;
}

export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 1000;

/** Parses an opaque cursor (the feed sequence as decimal text); empty means "from the start". */
export function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,15}$/.test(cursor))
    throw new ForcebridgeError('feed.cursor_invalid', 'invalid_input', `cursor "${cursor.slice(0, 40)}" is not a cursor this feed handed out`, {
      field: 'cursor',
      hint: 'pass the nextCursor of a previous page, or leave it out to start from the beginning',
    });
  return Number(cursor);
}

/** The cursor after everything recorded so far for a connection (what a webhook hands out). */
export async function latestCursor(store: Store, connectionId: string): Promise<string> {
  const row = await store.db.selectFrom('sync_feed_seq').select('last_seq').where('connection_id', '=', connectionId).executeTakeFirst();
  return String(Number(row?.last_seq ?? 0));
}

interface SyncedObject {
  object: string;
  table: string;
}

/** The synced object by API name, case-insensitively (as the catalog names objects). */
async function syncedObject(store: Store, connectionId: string, object: string): Promise<SyncedObject> {
  const rows = await store.db.selectFrom('sync_objects').select(['object', 'table_name']).where('connection_id', '=', connectionId).execute();
  const hit = rows.find((r) => r.object.toLowerCase() === object.toLowerCase());
  if (!hit)
    throw new ForcebridgeError('feed.object_not_synced', 'not_found', `${object} has not been synced on this connection`, {
      field: 'object',
      hint: `sync it first, e.g. forcebridge sync <connection> --objects ${object}`,
    });
  if (!/^[a-z_][a-z0-9_]*$/.test(hit.table_name)) throw new Error(`unsafe table name ${hit.table_name}`);
  return { object: hit.object, table: hit.table_name };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A stored value back in Salesforce's JSON form. Drivers differ in what they hand back (SQLite:
 * 0/1 and text; PostgreSQL: booleans, Date objects, parsed jsonb), so this looks at the value's
 * runtime type for the column kind, never at the dialect.
 */
export function jsonValue(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'boolean':
      return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
    case 'datetime':
      return v instanceof Date ? v.toISOString() : new Date(Date.parse(String(v))).toISOString();
    case 'date':
      // pg parses `date` as local midnight; its local calendar fields are the stored date.
      return v instanceof Date ? `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}` : String(v);
    case 'json':
      return typeof v === 'string' ? JSON.parse(v) : v;
    case 'integer':
    case 'bigint':
    case 'double':
      return typeof v === 'number' ? v : Number(v);
    default:
      return v;
  }
}

async function currentRows(store: Store, connectionId: string, o: SyncedObject, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (!ids.length) return out;
  const fields = await store.db
    .selectFrom('sync_fields')
    .select(['field', 'column_name', 'kind'])
    .where('connection_id', '=', connectionId)
    .where('object', '=', o.object)
    .execute();
  const byColumn = new Map(fields.map((f) => [f.column_name, f]));
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await sql<Record<string, unknown>>`select * from ${sql.id(o.table)} where id in (${sql.join(part)})`.execute(store.db);
    for (const row of rows.rows) {
      const rec: Record<string, unknown> = {};
      for (const [col, v] of Object.entries(row)) {
        const f = byColumn.get(col);
        if (f) rec[f.field] = jsonValue(f.kind as ColumnKind, v);
      }
      out.set(row.id as string, rec);
    }
  }
  return out;
}

/** The feed runs of a connection (one object, or all) that end after `after`. */
function runsAfter(store: Store, connectionId: string, after: number, object?: string) {
  const q = store.db.selectFrom('sync_changes').where('connection_id', '=', connectionId).where('seq', '>', after);
  return object === undefined ? q : q.where('object', '=', object);
}

/** One page of changes of `object` on `connectionId` after `cursor`. */
export async function readChanges(store: Store, connectionId: string, object: string, q: { cursor?: string; limit?: number } = {}): Promise<FeedPage> {
  const after = parseCursor(q.cursor);
  const limit = q.limit ?? FEED_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > FEED_MAX_LIMIT)
    throw new ForcebridgeError('feed.limit_invalid', 'invalid_input', `limit must be a whole number from 1 to ${FEED_MAX_LIMIT}`, { field: 'limit' });
  const o = await syncedObject(store, connectionId, object);
  const ofObject = runsAfter(store, connectionId, after, o.object);
  // Which runs hold the next limit + 1 entries (sizes only; a run holds up to 1,000 ids), then
  // just those runs' ids. Each run ends after the cursor, so limit + 1 runs are always enough.
  const sizes = await ofObject
    .select(['seq', 'n'])
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  let take = 0;
  // A run's entries after the cursor: all n, or those past it when the cursor falls inside.
  for (let count = 0; take < sizes.length && count <= limit; take++) count += Math.min(Number(sizes[take]!.n), Number(sizes[take]!.seq) - after);
  const runs = take
    ? await ofObject
        .select(['seq', 'n', 'op', 'record_id', 'ids', 'at'])
        .where('seq', '<=', Number(sizes[take - 1]!.seq))
        .orderBy('seq')
        .execute()
    : [];
  const entries = runs.flatMap((r) => expandRun(r, after));
  const done = entries.length <= limit;
  const page = entries.slice(0, limit);
  const rows = await currentRows(store, connectionId, o, [...new Set(page.filter((e) => e.op !== 'delete').map((e) => e.id))]);
  const changes = page.map((e): FeedChange => {
    const change: FeedChange = { op: e.op, id: e.id, at: e.at };
    const rec = e.op === 'delete' ? undefined : rows.get(e.id);
    if (rec) change.record = rec;
    return change;
  });
  return { changes, nextCursor: String(page.length ? page.at(-1)!.seq : after), done };
}

/** Every feed entry of a connection (one object, or all) after `after`, in seq order — for checks and tools, not for paging. */
export async function feedEntries(
  store: Store,
  connectionId: string,
  o: { object?: string; after?: number } = {},
): Promise<(FeedEntry & { object: string })[]> {
  const runs = await runsAfter(store, connectionId, o.after ?? 0, o.object)
    .select(['object', 'seq', 'n', 'op', 'record_id', 'ids', 'at'])
    .orderBy('seq')
    .execute();
  return runs.flatMap((r) => expandRun(r, o.after ?? 0).map((e) => ({ ...e, object: r.object })));
}
