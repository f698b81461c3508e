/**
 * Creates and evolves the typed table of one (connection, object): a column per field from
 * describe, `id` as key, plus `_fb_deleted_at` (when forcebridge saw the delete, epoch ms) and
 * `_fb_synced_at`. Drift: a field added in Salesforce becomes a column on the next run; a field
 * that disappeared keeps its column and is marked removed in sync_fields.
 */
import { sql, type Kysely } from 'kysely';
import type { HubDatabase } from '../store/schema.js';
import type { ColumnKind, Store } from '../store/types.js';
import { syncTableName, type SyncField } from './fields.js';

export interface TableState {
  table: string;
  /** Fields added by this call (new columns). */
  added: string[];
  /** Fields that disappeared from describe (columns kept, marked). */
  removed: string[];
  /**
   * The kind each field's column was created with, by column: a field whose type changed in
   * Salesforce keeps its column (and SQL type), so writers that encode by type must use this.
   */
  columnKinds: Map<string, ColumnKind>;
}

const ident = (s: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`unsafe identifier ${s}`);
  return sql.id(s);
};

/**
 * Creates or evolves the table in one transaction (both stores have transactional DDL), so a
 * process killed half-way leaves either no trace or the whole change — never a table whose
 * columns are only partly recorded in sync_fields (the next run would re-add a column that exists).
 */
export async function ensureSyncTable(store: Store, connectionId: string, object: string, fields: SyncField[], now = Date.now()): Promise<TableState> {
  return store.db.transaction().execute((trx) => ensureIn(trx, store, connectionId, object, fields, now));
}

async function ensureIn(db: Kysely<HubDatabase>, store: Store, connectionId: string, object: string, fields: SyncField[], now: number): Promise<TableState> {
  const table = syncTableName(connectionId, object);
  const known = await db.selectFrom('sync_fields').selectAll().where('connection_id', '=', connectionId).where('object', '=', object).execute();
  const existing = await db
    .selectFrom('sync_objects')
    .select('table_name')
    .where('connection_id', '=', connectionId)
    .where('object', '=', object)
    .executeTakeFirst();
  const added: string[] = [];
  if (!existing) {
    const cols = fields.filter((f) => f.column !== 'id').map((f) => sql`${ident(f.column)} ${sql.raw(store.columnType(f.kind))}`);
    await sql`create table if not exists ${ident(table)} (id text primary key, ${sql.join(cols)}, _fb_deleted_at bigint, _fb_synced_at bigint not null)`.execute(
      db,
    );
    await db
      .insertInto('sync_objects')
      .values({
        connection_id: connectionId,
        object,
        table_name: table,
        cursor_at: null,
        cursor_id: null,
        state: 'idle',
        last_error: null,
        rows: 0,
        full_synced_at: null,
        deletes_checked_at: null,
        reconciled_at: null,
        formulas_refreshed_at: null,
        updated_at: now,
      })
      .execute();
  }
  const byName = new Map(known.map((k) => [k.field.toLowerCase(), k]));
  // Columns the table already has but sync_fields does not record (a table written before these
  // steps were one transaction): recorded, not added twice. Only looked up when fields are new.
  const unknown = existing ? fields.filter((f) => !byName.has(f.field.toLowerCase())) : [];
  const present = new Set<string>();
  if (unknown.length) {
    const schema = await store.currentSchema();
    const tables = await db.introspection.getTables();
    for (const c of tables.find((x) => x.name === table && (!schema || x.schema === schema))?.columns ?? []) present.add(c.name.toLowerCase());
  }
  for (const f of fields) {
    const k = byName.get(f.field.toLowerCase());
    if (!k) {
      if (existing && f.column !== 'id' && !present.has(f.column))
        await sql`alter table ${ident(table)} add column ${ident(f.column)} ${sql.raw(store.columnType(f.kind))}`.execute(db);
      await db
        .insertInto('sync_fields')
        .values({
          connection_id: connectionId,
          object,
          field: f.field,
          column_name: f.column,
          sf_type: f.sfType,
          kind: f.kind,
          calculated: f.calculated ? 1 : 0,
          added_at: now,
          removed_at: null,
        })
        .execute();
      if (existing && !present.has(f.column)) added.push(f.field);
    } else if (k.removed_at !== null) {
      await db
        .updateTable('sync_fields')
        .set({ removed_at: null })
        .where('connection_id', '=', connectionId)
        .where('object', '=', object)
        .where('field', '=', k.field)
        .execute();
    }
  }
  const described = new Set(fields.map((f) => f.field.toLowerCase()));
  const removed = known.filter((k) => !described.has(k.field.toLowerCase()) && k.removed_at === null).map((k) => k.field);
  if (removed.length) {
    await db
      .updateTable('sync_fields')
      .set({ removed_at: now })
      .where('connection_id', '=', connectionId)
      .where('object', '=', object)
      .where('field', 'in', removed)
      .execute();
  }
  const columnKinds = new Map(fields.map((f) => [f.column, (byName.get(f.field.toLowerCase())?.kind as ColumnKind | undefined) ?? f.kind]));
  return { table, added, removed, columnKinds };
}
