/**
 * Syncs one object of one connection: describe → columns (drift applied) → keyset read through
 * queryAll (so soft deletes arrive as IsDeleted rows) → each page upserted with its cursor in one
 * transaction. Objects in `full` mode are re-read whole and ids not seen are marked deleted.
 */
import { sql } from 'kysely';
import { ForcebridgeError, remoteProtocol } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import { header } from '../salesforce/transport.js';
import type { Store } from '../store/types.js';
import type { CatalogEntry } from './catalog.js';
import { selectList, syncFields, type DescribeField, type SyncField } from './fields.js';
import { keysetSoql, type Cursor } from './keyset.js';
import { queryPages } from './rest-reader.js';
import { ensureSyncTable } from './tables.js';
import { isoDateTime, rowFromRest } from './values.js';
import type { SyncWriter } from './writers/types.js';

export interface ObjectProgress {
  object: string;
  done: number;
  total: number | undefined;
}

export interface ObjectResult {
  object: string;
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  pages: number;
  columnsAdded: string[];
  columnsRemoved: string[];
}

export interface ObjectSyncContext {
  store: Store;
  writer: SyncWriter;
  client: SalesforceClient;
  connectionId: string;
  now: () => number;
  onProgress?: (p: ObjectProgress) => void;
  batchSize?: number;
}

interface Describe {
  fields: DescribeField[];
  queryable: boolean;
  serverTime: number | undefined;
}

async function describe(client: SalesforceClient, object: string): Promise<Describe> {
  const res = await client.request<{ fields?: unknown; queryable?: unknown }>({ method: 'GET', path: `/sobjects/${encodeURIComponent(object)}/describe` });
  const fields = res.json?.fields;
  if (!Array.isArray(fields) || !fields.every((f) => f && typeof f.name === 'string' && typeof f.type === 'string')) {
    throw remoteProtocol('salesforce.describe_invalid', `describe of ${object}: "fields" must be a list of {name, type}`);
  }
  const date = header({ status: res.status, headers: res.headers, body: '' }, 'date');
  return { fields: fields as DescribeField[], queryable: res.json.queryable !== false, serverTime: date ? Date.parse(date) : undefined };
}

async function readState(store: Store, connectionId: string, object: string): Promise<Cursor | undefined> {
  const row = await store.db
    .selectFrom('sync_objects')
    .select(['cursor_at', 'cursor_id'])
    .where('connection_id', '=', connectionId)
    .where('object', '=', object)
    .executeTakeFirst();
  return row?.cursor_at && row.cursor_id ? { at: row.cursor_at, id: row.cursor_id } : undefined;
}

export async function syncObject(ctx: ObjectSyncContext, entry: CatalogEntry, o: { full?: boolean } = {}): Promise<ObjectResult> {
  const d = await describe(ctx.client, entry.object);
  if (!d.queryable)
    throw new ForcebridgeError('sync.not_queryable', 'invalid_input', `${entry.object} cannot be queried by the connected user`, { field: 'objects' });
  const fields = syncFields(d.fields, entry.fields === '*' ? undefined : entry.fields, entry.cursorField);
  if (!fields.some((f) => f.field === entry.cursorField) && entry.mode === 'incremental') {
    throw new ForcebridgeError('sync.no_cursor_field', 'invalid_input', `${entry.object} has no ${entry.cursorField} field`, {
      field: 'cursorField',
      hint: 'sync it with mode "full"',
    });
  }
  const tableState = await ensureSyncTable(ctx.store, ctx.connectionId, entry.object, fields, ctx.now());
  const byName = new Map(fields.map((f) => [f.field.toLowerCase(), f] as [string, SyncField]));
  const incremental = entry.mode === 'incremental';
  const cursor = incremental && !o.full ? await readState(ctx.store, ctx.connectionId, entry.object) : undefined;
  const serverNow = d.serverTime ?? ctx.now();
  const before = incremental ? new Date(serverNow - (serverNow % 1000)).toISOString() : undefined;
  const soql = incremental
    ? keysetSoql({
        object: entry.object,
        fields: selectList(fields),
        cursorField: entry.cursorField,
        cursor,
        ...(entry.where ? { where: entry.where } : {}),
        ...(before ? { before } : {}),
      })
    : `SELECT ${selectList(fields).join(', ')} FROM ${entry.object}${entry.where ? ` WHERE ${entry.where}` : ''}`;
  const hasIsDeleted = fields.some((f) => f.field === 'IsDeleted');
  const result: ObjectResult = {
    object: entry.object,
    table: tableState.table,
    inserted: 0,
    updated: 0,
    deleted: 0,
    pages: 0,
    columnsAdded: tableState.added,
    columnsRemoved: tableState.removed,
  };
  const seen = incremental ? undefined : new Set<string>();
  let done = 0;
  for await (const page of queryPages(ctx.client, soql, { all: hasIsDeleted && entry.deletes === 'replication', batchSize: ctx.batchSize ?? 2000 })) {
    const rows = page.records.map((r) => rowFromRest(fields, r, byName));
    const last = page.records.at(-1);
    const next: Cursor | undefined = incremental && last ? { at: isoDateTime(String(last[entry.cursorField])), id: String(last.Id) } : undefined;
    const r = await ctx.writer.applyPage({
      connectionId: ctx.connectionId,
      object: entry.object,
      table: tableState.table,
      fields,
      rows,
      ...(next ? { cursor: next } : {}),
      now: ctx.now(),
    });
    result.inserted += r.inserted;
    result.updated += r.updated;
    result.deleted += r.deleted;
    result.pages++;
    if (seen) for (const rec of page.records) seen.add(String(rec.Id));
    done += page.records.length;
    ctx.onProgress?.({ object: entry.object, done, total: page.totalSize });
  }
  if (seen) {
    const ids = await missingIds(ctx.store, tableState.table, seen);
    if (ids.length)
      result.deleted += await ctx.writer.markDeleted({ connectionId: ctx.connectionId, object: entry.object, table: tableState.table, ids, at: ctx.now() });
  }
  return result;
}

async function missingIds(store: Store, table: string, seen: Set<string>): Promise<string[]> {
  const rows = await sql<{ id: string }>`select id from ${sql.id(table)} where _fb_deleted_at is null`.execute(store.db);
  return rows.rows.map((r) => r.id).filter((id) => !seen.has(id));
}
