/**
 * Record writes shared by sObject rows (`/sobjects`), sObject Collections and composite
 * subrequests: create, update, delete (with cascade) and upsert by external id, each checking
 * object permissions, sharing and field validation, and a journal that makes all-or-none
 * requests roll back. Results are {@link DmlOutcome}s; callers render them as REST error arrays
 * or as Collections SaveResults.
 */
import type { Table } from '../data/org-data.js';
import { MSG, validateRecord, type DmlError } from '../data/validate.js';
import { SfHttpError } from '../http/respond.js';
import { isValidId, to18 } from '../ids.js';
import type { Org } from '../org.js';
import { canEditRecord, canReadRecord, fieldAccess, objectAccess, type Principal } from '../perms/access.js';
import type { FieldDef, ObjectDef, StoredRecord } from '../schema/types.js';
import { applyDerivedValues } from './derived-fields.js';
import { readValue } from './record-json.js';

/**
 * Undo log of record writes, so an all-or-none request (collections, composite) can restore the
 * org exactly. Ids handed out stay consumed, as on Salesforce.
 */
export class Journal {
  private readonly undo: (() => void)[] = [];

  /** Remembers a record's current values before it changes. */
  snapshot(rec: StoredRecord): void {
    const copy = { ...rec };
    this.undo.push(() => {
      for (const k of Object.keys(rec)) delete rec[k];
      Object.assign(rec, copy);
    });
  }

  inserted(table: Table, id: string): void {
    this.undo.push(() => table.rows.delete(id));
  }

  /** Remembers the deletion-log entry of `id` before a delete changes it. */
  deletionLog(org: Org, id: string): void {
    const prev = org.data.deletions.get(id);
    this.undo.push(() => (prev ? org.data.deletions.set(id, prev) : org.data.deletions.delete(id)));
  }

  /** A position to roll back to. */
  mark(): number {
    return this.undo.length;
  }

  /** Undoes everything recorded after `mark` (everything by default), newest first. */
  rollbackTo(mark = 0): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }
}

/** Who is writing, and where undo entries go. */
export interface DmlContext {
  org: Org;
  principal: Principal;
  apiVersion: string;
  journal?: Journal;
}

export type DmlOutcome =
  | { ok: true; id: string; created: boolean }
  | {
      ok: false;
      /** HTTP status for single-record REST (400 validation, 404 missing, 300 several matches). */
      status: number;
      errors: DmlError[];
      id?: string;
      /** Upsert: record URLs of every match when the external id matched more than one. */
      matches?: string[];
    };

const fail = (status: number, errors: DmlError[], id?: string): DmlOutcome => ({ ok: false, status, errors, ...(id ? { id } : {}) });

const insufficientAccess = (id?: string): DmlOutcome =>
  fail(400, [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: MSG.insufficientAccess, fields: [] }], id);

/** Result of resolving an id from a URL or a request body. */
export type RecordLookup =
  | { kind: 'ok'; def: ObjectDef; table: Table; record: StoredRecord }
  /** Not shaped like an id at all. */
  | { kind: 'not-an-id' }
  /** Id-shaped but a bad checksum or another object's key prefix. */
  | { kind: 'malformed' }
  | { kind: 'missing' }
  | { kind: 'deleted'; def: ObjectDef; record: StoredRecord };

/** Finds a record by 15/18-char id, optionally requiring it to belong to `def`. */
export function lookupRecord(org: Org, def: ObjectDef | undefined, id: string): RecordLookup {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)) return { kind: 'not-an-id' };
  if (!isValidId(id)) return { kind: 'malformed' };
  const owner = org.schema.byKeyPrefix(id);
  if (def && owner !== def) return { kind: 'malformed' };
  if (!owner) return { kind: 'missing' };
  const found = org.data.find(to18(id)!);
  if (!found) return { kind: 'missing' };
  if (found.record.IsDeleted === true) return { kind: 'deleted', def: found.table.def, record: found.record };
  return { kind: 'ok', def: found.table.def, table: found.table, record: found.record };
}

/** The DML error for a lookup that did not find a live record (Collections and composite wording). */
export function lookupError(def: ObjectDef | undefined, id: string, l: Exclude<RecordLookup, { kind: 'ok' }>): DmlOutcome {
  switch (l.kind) {
    case 'not-an-id':
    case 'malformed': {
      const label = def?.fields.find((f) => f.name === 'Id')?.label ?? 'Record ID';
      return fail(400, [{ statusCode: 'MALFORMED_ID', message: MSG.idWrongType(label, id), fields: ['Id'] }], id);
    }
    case 'missing':
      return fail(404, [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: MSG.invalidCrossReference, fields: [] }], id);
    case 'deleted':
      return fail(404, [{ statusCode: 'ENTITY_IS_DELETED', message: MSG.entityDeleted, fields: [] }], id);
  }
}

function recordUrl(ctx: DmlContext, def: ObjectDef, id: string): string {
  return `/services/data/v${ctx.apiVersion}/sobjects/${def.name}/${id}`;
}

/** Inserts one record. Deserialization problems throw SfHttpError 400. */
export function createOne(ctx: DmlContext, def: ObjectDef, body: Record<string, unknown>, raw?: string): DmlOutcome {
  if (!objectAccess(ctx.principal, def).create) return insufficientAccess();
  const v = validateRecord({ data: ctx.org.data, principal: ctx.principal }, def, body, { op: 'create', ...(raw !== undefined ? { raw } : {}) });
  if (v.errors.length) return fail(400, v.errors);
  const now = ctx.org.clock.now();
  applyDerivedValues(def, v.values, undefined, now);
  const rec = ctx.org.data.insert(def.name, v.values, ctx.principal.userId, now);
  ctx.journal?.inserted(ctx.org.data.table(def.name), rec.Id as string);
  return { ok: true, id: rec.Id as string, created: true };
}

/** Whether the caller may change this record at all (object edit, sharing, visibility). */
function editable(ctx: DmlContext, def: ObjectDef, rec: StoredRecord, op: 'edit' | 'delete'): boolean {
  return canReadRecord(ctx.principal, def, rec, ctx.org.data) && canEditRecord(ctx.principal, def, rec, ctx.org.data, op);
}

/** Applies a validated update to a record already looked up. */
export function updateFound(ctx: DmlContext, def: ObjectDef, rec: StoredRecord, body: Record<string, unknown>, raw?: string): DmlOutcome {
  const id = rec.Id as string;
  if (!editable(ctx, def, rec, 'edit')) return insufficientAccess(id);
  const v = validateRecord({ data: ctx.org.data, principal: ctx.principal }, def, body, {
    op: 'update',
    existing: rec,
    ...(raw !== undefined ? { raw } : {}),
  });
  if (v.errors.length) return fail(400, v.errors, id);
  const now = ctx.org.clock.now();
  applyDerivedValues(def, v.values, rec, now);
  ctx.journal?.snapshot(rec);
  ctx.org.data.update(rec, v.values, ctx.principal.userId, now);
  return { ok: true, id, created: false };
}

/** Updates a record by id (Collections / composite); `def` restricts the object when given. */
export function updateOne(ctx: DmlContext, def: ObjectDef | undefined, id: string, body: Record<string, unknown>): DmlOutcome {
  const l = lookupRecord(ctx.org, def, id);
  if (l.kind !== 'ok') return lookupError(def, id, l);
  if (!canReadRecord(ctx.principal, l.def, l.record, ctx.org.data)) return insufficientAccess(l.record.Id as string);
  return updateFound(ctx, l.def, l.record, body);
}

/** Live records to delete along with `rec`: children through cascade-delete lookups, recursively. */
function cascadeChildren(org: Org, def: ObjectDef, id: string, out: { def: ObjectDef; rec: StoredRecord }[], depth = 0): void {
  if (depth > 5) return;
  for (const rel of org.schema.childRelationships(def.name)) {
    if (!rel.cascadeDelete) continue;
    const table = org.data.table(rel.childSObject);
    for (const child of table.live()) {
      if (child[rel.field] !== id || out.some((o) => o.rec === child)) continue;
      out.push({ def: table.def, rec: child });
      cascadeChildren(org, table.def, child.Id as string, out, depth + 1);
    }
  }
}

/** Soft-deletes a record already looked up, with its cascade-delete children. */
export function deleteFound(ctx: DmlContext, def: ObjectDef, rec: StoredRecord): DmlOutcome {
  const id = rec.Id as string;
  if (!editable(ctx, def, rec, 'delete')) return insufficientAccess(id);
  const all: { def: ObjectDef; rec: StoredRecord }[] = [{ def, rec }];
  cascadeChildren(ctx.org, def, id, all);
  const now = ctx.org.clock.now();
  for (const x of all) {
    ctx.journal?.snapshot(x.rec);
    ctx.journal?.deletionLog(ctx.org, x.rec.Id as string);
    ctx.org.data.softDelete(x.rec, ctx.principal.userId, now);
  }
  return { ok: true, id, created: false };
}

/** Deletes by id (Collections / composite). */
export function deleteOne(ctx: DmlContext, def: ObjectDef | undefined, id: string): DmlOutcome {
  const l = lookupRecord(ctx.org, def, id);
  if (l.kind !== 'ok') return lookupError(def, id, l);
  return deleteFound(ctx, l.def, l.record);
}

/** Whether `field` can key an upsert or an external-id read for this caller. */
export function externalIdField(principal: Principal, def: ObjectDef, name: string, org: Org): FieldDef | undefined {
  const f = org.schema.field(def.name, name);
  if (!f || fieldAccess(principal, def, f) === 'hidden') return undefined;
  return f.type === 'id' || f.externalId || f.idLookup ? f : undefined;
}

/** Live records whose external id equals `value` (text compares case-insensitively unless the field is case sensitive). */
export function matchExternalId(org: Org, def: ObjectDef, f: FieldDef, value: string): StoredRecord[] {
  if (f.type === 'id') {
    const l = lookupRecord(org, def, value);
    return l.kind === 'ok' ? [l.record] : [];
  }
  const numeric = ['int', 'long', 'double', 'currency', 'percent'].includes(f.type);
  const want = numeric ? Number(value) : f.caseSensitive ? value : value.toLowerCase();
  const out: StoredRecord[] = [];
  for (const rec of org.data.table(def.name).live()) {
    const v = readValue(f, rec);
    if (v === null) continue;
    const have = numeric ? Number(v) : f.caseSensitive ? String(v) : String(v).toLowerCase();
    if (have === want) out.push(rec);
  }
  return out;
}

export interface UpsertOptions {
  updateOnly?: boolean;
  raw?: string;
  /** Collections report several matches as a per-record error instead of HTTP 300. */
  collections?: boolean;
}

/**
 * Upsert by external id: no match → insert with the external id set; one match → update;
 * several → 300 (REST) or `DUPLICATE_EXTERNAL_ID` (Collections).
 */
export function upsertOne(ctx: DmlContext, def: ObjectDef, f: FieldDef, value: string, body: Record<string, unknown>, opts: UpsertOptions = {}): DmlOutcome {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.toLowerCase() !== f.name.toLowerCase()) {
      rest[k] = v;
      continue;
    }
    if (v !== null && String(v).toLowerCase() !== value.toLowerCase()) {
      throw SfHttpError.of(400, 'INVALID_FIELD', MSG.extIdMismatch(f.name));
    }
  }
  const matches = value === '' ? [] : matchExternalId(ctx.org, def, f, value);
  if (matches.length > 1) {
    const ids = matches.map((m) => m.Id as string);
    if (opts.collections) return fail(300, [{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: MSG.duplicateExternalId(f.name, ids), fields: [f.name] }]);
    return { ok: false, status: 300, errors: [], matches: ids.map((id) => recordUrl(ctx, def, id)) };
  }
  if (matches.length === 1) {
    const rec = matches[0]!;
    if (!canReadRecord(ctx.principal, def, rec, ctx.org.data)) return insufficientAccess(rec.Id as string);
    return updateFound(ctx, def, rec, rest, opts.raw);
  }
  if (opts.updateOnly || (f.type === 'id' && value !== '')) {
    return fail(404, [{ statusCode: 'NOT_FOUND', message: MSG.notFound }]);
  }
  return createOne(ctx, def, f.type === 'id' ? rest : { ...rest, [f.name]: value }, opts.raw);
}

/** `{message, errorCode[, fields]}` errors of single-record REST. */
export function restErrors(errors: DmlError[]): { message: string; errorCode: string; fields?: string[] }[] {
  return errors.map((e) => ({ message: e.message, errorCode: e.statusCode, ...(e.fields ? { fields: e.fields } : {}) }));
}

/** A Collections SaveResult / UpsertResult. */
export interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
}

/** Renders an outcome as a Collections SaveResult (`created` only for upserts). */
export function saveResult(o: DmlOutcome, withCreated: boolean): SaveResult {
  if (o.ok) return { id: o.id, success: true, errors: [], ...(withCreated ? { created: o.created } : {}) };
  return {
    ...(o.id ? { id: o.id } : {}),
    success: false,
    errors: o.errors.map((e) => ({ statusCode: e.statusCode, message: e.message, fields: e.fields ?? [] })),
  };
}

/**
 * Runs `n` record operations; with `allOrNone`, any failure rolls every write back and turns the
 * successes into `ALL_OR_NONE_OPERATION_ROLLED_BACK` results (failures keep their own errors).
 */
export function runBatch(ctx: DmlContext, allOrNone: boolean, n: number, op: (i: number, ctx: DmlContext) => DmlOutcome, withCreated: boolean): SaveResult[] {
  const journal = ctx.journal ?? new Journal();
  const mark = journal.mark();
  const inner = { ...ctx, journal };
  const outcomes: DmlOutcome[] = [];
  for (let i = 0; i < n; i++) {
    try {
      outcomes.push(op(i, inner));
    } catch (e) {
      // A request-level error inside one item (e.g. an unknown field) fails the whole call.
      journal.rollbackTo(mark);
      throw e;
    }
  }
  const failed = outcomes.some((o) => !o.ok);
  if (allOrNone && failed) {
    journal.rollbackTo(mark);
    return outcomes.map((o) =>
      o.ok
        ? { id: o.id, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: MSG.rolledBack, fields: [] }] }
        : saveResult(o, false),
    );
  }
  return outcomes.map((o) => saveResult(o, withCreated));
}
