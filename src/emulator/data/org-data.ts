/**
 * Record storage for one emulated org: a table per object (id → record, insertion ordered), the
 * recycle bin (soft deletes) and a deletion log that outlives purges (getDeleted windows).
 *
 * This layer trusts its input: callers (REST, collections, the generator) validate values and
 * check permissions first. Values are in storage form (see schema/types.ts StoredValue).
 */
import type { Clock } from '../clock.js';
import type { IdFactory } from '../ids.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { ObjectDef, StoredRecord, StoredValue } from '../schema/types.js';

export interface DeletionEntry {
  id: string;
  object: string;
  /** Epoch ms of the delete. */
  deletedDate: number;
  /** True once the record left the recycle bin (hard delete / purge). */
  purged: boolean;
}

export class Table {
  readonly rows = new Map<string, StoredRecord>();
  constructor(readonly def: ObjectDef) {}

  /** Live (not soft-deleted) rows. */
  *live(): IterableIterator<StoredRecord> {
    for (const r of this.rows.values()) if (r.IsDeleted !== true) yield r;
  }
}

export class OrgData {
  private readonly tables = new Map<string, Table>();
  /** Deletions by id, including purged ones, newest last. */
  readonly deletions = new Map<string, DeletionEntry>();

  constructor(
    readonly schema: SchemaRegistry,
    readonly ids: IdFactory,
    readonly clock: Clock,
  ) {}

  /** The table for an object (created on first use). Throws for an unknown object. */
  table(objectName: string): Table {
    const def = this.schema.get(objectName);
    if (!def) throw new Error(`no object ${objectName}`);
    const key = def.name.toLowerCase();
    let t = this.tables.get(key);
    if (!t) {
      t = new Table(def);
      this.tables.set(key, t);
    }
    return t;
  }

  /** Finds a record by id (15 or 18 chars) in any table, deleted ones included. */
  find(id: string): { table: Table; record: StoredRecord } | undefined {
    const def = this.schema.byKeyPrefix(id);
    if (!def) return undefined;
    const table = this.table(def.name);
    const id18 = id.length === 15 ? undefined : id;
    const rec = id18 ? table.rows.get(id18) : this.findBy15(table, id);
    return rec ? { table, record: rec } : undefined;
  }

  private findBy15(table: Table, id15: string): StoredRecord | undefined {
    for (const [id, r] of table.rows) if (id.startsWith(id15)) return r;
    return undefined;
  }

  /**
   * Inserts a record: assigns Id, audit fields and defaults for fields not given.
   * `values` must already be validated and in storage form.
   */
  insert(objectName: string, values: StoredRecord, userId: string, at = this.clock.now()): StoredRecord {
    const table = this.table(objectName);
    const def = table.def;
    const rec: StoredRecord = {};
    rec.Id = this.ids.next(def.keyPrefix);
    for (const f of def.fields) {
      if (f.defaultValue !== null && f.defaultValue !== undefined && values[f.name] === undefined) {
        rec[f.name] = f.defaultValue as StoredValue;
      }
    }
    Object.assign(rec, values);
    rec.Id = rec.Id ?? this.ids.next(def.keyPrefix);
    rec.IsDeleted = false;
    if (def.fields.some((f) => f.name === 'OwnerId') && !rec.OwnerId) rec.OwnerId = userId;
    rec.CreatedById = values.CreatedById ?? userId;
    rec.LastModifiedById = values.LastModifiedById ?? userId;
    rec.CreatedDate = values.CreatedDate ?? at;
    rec.LastModifiedDate = values.LastModifiedDate ?? at;
    rec.SystemModstamp = values.SystemModstamp ?? at;
    table.rows.set(rec.Id as string, rec);
    return rec;
  }

  /** Applies validated changes; bumps LastModifiedDate and SystemModstamp. */
  update(rec: StoredRecord, changes: StoredRecord, userId: string, at = this.clock.now()): StoredRecord {
    Object.assign(rec, changes);
    rec.LastModifiedById = userId;
    rec.LastModifiedDate = at;
    rec.SystemModstamp = at;
    return rec;
  }

  /** A system-only change (e.g. automation): bumps SystemModstamp but not LastModifiedDate. */
  touchSystem(rec: StoredRecord, changes: StoredRecord, at = this.clock.now()): void {
    Object.assign(rec, changes);
    rec.SystemModstamp = at;
  }

  /** Soft delete into the recycle bin. */
  softDelete(rec: StoredRecord, userId: string, at = this.clock.now()): void {
    rec.IsDeleted = true;
    rec.LastModifiedById = userId;
    rec.SystemModstamp = at;
    const def = this.schema.byKeyPrefix(rec.Id as string)!;
    this.deletions.set(rec.Id as string, { id: rec.Id as string, object: def.name, deletedDate: at, purged: false });
  }

  /** Restores a soft-deleted record from the recycle bin. */
  undelete(rec: StoredRecord, userId: string, at = this.clock.now()): void {
    rec.IsDeleted = false;
    rec.LastModifiedById = userId;
    rec.LastModifiedDate = at;
    rec.SystemModstamp = at;
    this.deletions.delete(rec.Id as string);
  }

  /**
   * Removes a record for good (emptied recycle bin). When `forgetDeletion` is set the deletion
   * log forgets it too, as happens once getDeleted's window has passed.
   */
  purge(id: string, at = this.clock.now(), forgetDeletion = false): boolean {
    const found = this.find(id);
    if (!found) return false;
    const realId = found.record.Id as string;
    found.table.rows.delete(realId);
    if (forgetDeletion) this.deletions.delete(realId);
    else {
      const prev = this.deletions.get(realId);
      this.deletions.set(realId, { id: realId, object: found.table.def.name, deletedDate: prev?.deletedDate ?? at, purged: true });
    }
    return true;
  }

  /** Every table that has been touched. */
  allTables(): Table[] {
    return [...this.tables.values()];
  }

  /** Drops every record and the deletion log. */
  clear(): void {
    this.tables.clear();
    this.deletions.clear();
  }
}
