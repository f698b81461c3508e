/**
 * Ground truth for sync tests: a synced table compared with the emulator org it came from — live
 * ids exactly, soft-deleted and purged rows marked (never live), no duplicate ids, typed values
 * equal to the emulator's stored records, and the incremental cursor consistent with the rows.
 * Shared by the engine tests and the acceptance suites (crash, ties, faults).
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { RunningEmulator } from '../../emulator/server.js';
import { readValue } from '../../emulator/rest/record-json.js';
import type { FieldDef, StoredValue } from '../../emulator/schema/types.js';
import { control } from '../../emulator/test-support/harness.js';
import type { Store } from '../../store/types.js';
import { feedEntries } from '../feed.js';
import { compareCursor, type Cursor } from '../keyset.js';
import { syncTableName } from '../fields.js';

interface TruthEntry {
  ids: string[];
  deletedIds: string[];
  purgedIds?: string[];
}

/**
 * The value categories compared, by emulator describe type. Formula fields are left out (they do
 * not move SystemModstamp and refresh on their own schedule); derived fields such as Contact.Name
 * are compared as the org computes them.
 */
const CATEGORY: Record<string, Category> = {
  id: 'text',
  string: 'text',
  textarea: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  combobox: 'text',
  picklist: 'picklist',
  multipicklist: 'picklist',
  int: 'number',
  long: 'number',
  double: 'number',
  currency: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  reference: 'reference',
};
export type Category = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'picklist' | 'reference';

export interface TruthReport {
  object: string;
  live: number;
  deleted: number;
  /** Values compared per category (over every row). */
  compared: Record<Category, number>;
}

/** Every row of a synced table, keyed by id. */
export async function tableRows(store: Store, connectionId: string, object: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = await sql<Record<string, unknown>>`select * from ${sql.id(syncTableName(connectionId, object))}`.execute(store.db);
  return new Map(rows.rows.map((r) => [r.id as string, r]));
}

/** The stored incremental cursor of one object, if any. */
export async function storedCursor(store: Store, connectionId: string, object: string): Promise<Cursor | undefined> {
  const row = await store.db
    .selectFrom('sync_objects')
    .select(['cursor_at', 'cursor_id'])
    .where('connection_id', '=', connectionId)
    .where('object', '=', object)
    .executeTakeFirst();
  return row?.cursor_at && row.cursor_id ? { at: row.cursor_at, id: row.cursor_id } : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A column value as the emulator stores it (datetimes epoch ms, dates `YYYY-MM-DD`, booleans). */
function normalize(category: Category, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (category) {
    case 'datetime':
      return v instanceof Date ? v.getTime() : Date.parse(String(v));
    case 'date':
      // node-postgres turns a `date` into local midnight.
      return v instanceof Date ? `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}` : String(v).slice(0, 10);
    case 'boolean':
      return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
    case 'number':
      return typeof v === 'number' ? v : Number(v);
    default:
      return String(v);
  }
}

function truthValue(category: Category, v: StoredValue | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (category === 'number') return typeof v === 'number' ? v : Number(v);
  if (category === 'datetime' && typeof v === 'string') return Date.parse(v);
  return v;
}

/**
 * Asserts that one object's synced table equals the emulator's ground truth and returns what was
 * compared. Call after a run that started at least one emulator second after the last write
 * (rows stamped in the server's current second are read on the next run).
 */
export async function assertMatchesTruth(
  em: RunningEmulator,
  store: Store,
  connectionId: string,
  object: string,
  o: { values?: boolean; cursor?: boolean } = {},
): Promise<TruthReport> {
  const truth = (await control<Record<string, TruthEntry>>(em, 'GET', `truth?object=${object}`))[object];
  assert.ok(truth, `emulator has no object ${object}`);
  const table = syncTableName(connectionId, object);
  const dup = await sql<{ id: string; n: number }>`select id, count(*) as n from ${sql.id(table)} group by id having count(*) > 1`.execute(store.db);
  assert.deepEqual(dup.rows, [], `${object}: duplicate ids`);
  const rows = await tableRows(store, connectionId, object);
  const live = new Set<string>();
  const deleted = new Set<string>();
  for (const [id, r] of rows) (r._fb_deleted_at === null ? live : deleted).add(id);

  const truthLive = new Set(truth.ids);
  const missing = truth.ids.filter((id) => !live.has(id));
  const extra = [...live].filter((id) => !truthLive.has(id));
  assert.deepEqual(
    { missing: missing.slice(0, 10), missingCount: missing.length, extra: extra.slice(0, 10), extraCount: extra.length },
    { missing: [], missingCount: 0, extra: [], extraCount: 0 },
    `${object}: live ids differ from the org (${rows.size} rows, ${truth.ids.length} live in the org)`,
  );
  const unmarked = truth.deletedIds.filter((id) => !deleted.has(id));
  assert.deepEqual(unmarked.slice(0, 10), [], `${object}: ${unmarked.length} soft-deleted records not marked deleted`);

  const compared: Record<Category, number> = { text: 0, number: 0, boolean: 0, date: 0, datetime: 0, picklist: 0, reference: 0 };
  if (o.values !== false) {
    const def = em.org.schema.get(object);
    assert.ok(def, `emulator schema has no ${object}`);
    const fields = def.fields.filter((f: FieldDef) => !f.calculated && CATEGORY[f.type]);
    const mismatches: string[] = [];
    for (const [id, row] of rows) {
      const found = em.org.data.find(id);
      if (!found) continue; // purged: only its deletion mark is checked
      for (const f of fields) {
        const column = f.name.toLowerCase();
        if (!(column in row)) continue;
        const category = CATEGORY[f.type]!;
        const want = truthValue(category, readValue(f, found.record));
        const got = normalize(category, row[column]);
        compared[category]++;
        if (!Object.is(want, got) && !(typeof want === 'number' && typeof got === 'number' && Math.abs(want - got) < 1e-9)) {
          mismatches.push(`${id}.${f.name} (${f.type}): table ${JSON.stringify(got)}, org ${JSON.stringify(want)}`);
        }
      }
    }
    assert.deepEqual(mismatches.slice(0, 10), [], `${object}: ${mismatches.length} values differ from the org`);
  }

  if (o.cursor !== false) {
    const cursor = await storedCursor(store, connectionId, object);
    if (cursor) {
      // Each page and its cursor commit together: no row was read past the cursor, and after a
      // complete run the cursor is the greatest (SystemModstamp, Id) in the table.
      let max: Cursor | undefined;
      for (const [id, r] of rows) {
        if (r.systemmodstamp === null || r.systemmodstamp === undefined) continue;
        const c = { at: new Date(normalize('datetime', r.systemmodstamp) as number).toISOString(), id };
        if (!max || compareCursor(c, max) > 0) max = c;
      }
      assert.ok(max, `${object}: a cursor but no rows`);
      assert.deepEqual(
        { at: new Date(Date.parse(cursor.at)).toISOString(), id: cursor.id },
        max,
        `${object}: the cursor is not the last (SystemModstamp, Id) row`,
      );
    }
  }
  return { object, live: live.size, deleted: deleted.size, compared };
}

/** Asserts every record got at most one `insert` in the change feed (no row inserted twice after a resume). */
export async function assertFeedInsertsOnce(store: Store, connectionId: string, object: string): Promise<void> {
  const inserts = new Map<string, number>();
  for (const e of await feedEntries(store, connectionId, { object })) if (e.op === 'insert') inserts.set(e.id, (inserts.get(e.id) ?? 0) + 1);
  assert.deepEqual(
    [...inserts].filter(([, n]) => n > 1),
    [],
    `${object}: records inserted twice in the change feed`,
  );
}
