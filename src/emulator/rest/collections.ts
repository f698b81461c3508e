/**
 * sObject Collections (wire reference §2.10): create, update, upsert, delete and retrieve up to 200
 * records per call (retrieve: 2,000 ids), answering HTTP 200 with per-item SaveResults whose
 * errors use `statusCode`. `allOrNone` rolls every write back when any item fails. A malformed
 * request as a whole (bad JSON, unknown field, too many records) is a 400 error array.
 */
import type { Context, Hono } from 'hono';
import { MSG, parseJsonBody } from '../data/validate.js';
import { REST, type EmuEnv } from '../http/env.js';
import { SfHttpError, sfJson } from '../http/respond.js';
import type { Org } from '../org.js';
import { canReadRecord, objectAccess } from '../perms/access.js';
import type { ObjectDef } from '../schema/types.js';
import { createOne, deleteOne, externalIdField, lookupRecord, runBatch, updateOne, upsertOne, type DmlContext, type DmlOutcome } from './dml.js';
import { recordJson } from './record-json.js';
import { dmlContext, fieldList, requireObject } from './sobject-http.js';

/** Records per create/update/upsert/delete call. */
export const MAX_COLLECTION_RECORDS = 200;
/** Ids per retrieve call. */
export const MAX_RETRIEVE_IDS = 2000;

interface CollectionBody {
  allOrNone: boolean;
  records: Record<string, unknown>[];
}

function collectionBody(text: string): CollectionBody {
  const body = parseJsonBody(text, 'SObjectCollectionRequest');
  const records = body.records;
  if (!Array.isArray(records) || records.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw SfHttpError.of(400, 'JSON_PARSER_ERROR', `'records' must be a list of sObjects`);
  }
  if (records.length > MAX_COLLECTION_RECORDS) throw SfHttpError.of(400, 'EXCEEDED_ID_LIMIT', MSG.tooManyRecords(MAX_COLLECTION_RECORDS));
  return { allOrNone: body.allOrNone === true, records: records as Record<string, unknown>[] };
}

/** `attributes.type` of a collections record, resolved for the caller, or the per-item error. */
function recordType(org: Org, ctx: DmlContext, rec: Record<string, unknown>): ObjectDef | DmlOutcome {
  const attrs = rec.attributes as { type?: unknown } | undefined;
  const type = typeof attrs?.type === 'string' ? attrs.type : undefined;
  if (!type) return { ok: false, status: 400, errors: [{ statusCode: 'INVALID_TYPE', message: MSG.noType, fields: [] }] };
  const def = org.schema.get(type);
  if (!def || !objectAccess(ctx.principal, def).read) {
    return { ok: false, status: 400, errors: [{ statusCode: 'INVALID_TYPE', message: `sObject type '${type}' is not supported.`, fields: [] }] };
  }
  return def;
}

/** The record without its `attributes` and without the given keys (case-insensitive). */
function fieldsOf(rec: Record<string, unknown>, ...drop: string[]): Record<string, unknown> {
  const lower = drop.map((d) => d.toLowerCase());
  return Object.fromEntries(Object.entries(rec).filter(([k]) => k !== 'attributes' && !lower.includes(k.toLowerCase())));
}

function idsParam(c: Context<EmuEnv>, max: number): string[] {
  const ids = (c.req.query('ids') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length > max) throw SfHttpError.of(400, 'EXCEEDED_ID_LIMIT', MSG.tooManyRecords(max));
  return ids;
}

/** Records by id for retrieve: `null` where missing, deleted, invisible or of another object. */
function retrieve(c: Context<EmuEnv>, org: Org, def: ObjectDef, ids: string[], fields: string[] | string | undefined): Response {
  if (ids.length > MAX_RETRIEVE_IDS) throw SfHttpError.of(400, 'EXCEEDED_ID_LIMIT', MSG.tooManyRecords(MAX_RETRIEVE_IDS));
  const principal = c.get('principal');
  const cols = fieldList(principal, def, fields, org);
  const out = ids.map((id) => {
    const l = lookupRecord(org, def, id);
    if (l.kind === 'not-an-id' || (l.kind === 'malformed' && !org.schema.byKeyPrefix(id))) {
      throw SfHttpError.of(400, 'MALFORMED_ID', MSG.malformedIdPlain(id));
    }
    if (l.kind !== 'ok' || !canReadRecord(principal, def, l.record, org.data)) return null;
    return recordJson(def, l.record, cols, c.get('apiVersion'));
  });
  return sfJson(c, out);
}

/**
 * Runs `each` over a collection's records as one batch (allOrNone honoured), after resolving each
 * record's `attributes.type`; a record whose type cannot be used fails on its own.
 */
function eachRecord(
  c: Context<EmuEnv>,
  org: Org,
  body: CollectionBody,
  withCreated: boolean,
  each: (rec: Record<string, unknown>, def: ObjectDef, inner: DmlContext) => DmlOutcome,
) {
  return runBatch(
    dmlContext(c, org),
    body.allOrNone,
    body.records.length,
    (i, inner) => {
      const rec = body.records[i]!;
      const def = recordType(org, inner, rec);
      return 'ok' in def ? def : each(rec, def, inner);
    },
    withCreated,
  );
}

export function registerCollections(app: Hono<EmuEnv>, org: Org): void {
  app.post(`${REST}/composite/sobjects`, async (c) => {
    const body = collectionBody(await c.req.text());
    return sfJson(
      c,
      eachRecord(c, org, body, false, (rec, def, inner) => createOne(inner, def, fieldsOf(rec))),
    );
  });

  app.patch(`${REST}/composite/sobjects`, async (c) => {
    const body = collectionBody(await c.req.text());
    return sfJson(
      c,
      eachRecord(c, org, body, false, (rec, def, inner) => {
        const id = rec.id ?? rec.Id;
        if (typeof id !== 'string' || id === '') {
          return { ok: false, status: 400, errors: [{ statusCode: 'MISSING_ARGUMENT', message: MSG.missingId, fields: [] }] };
        }
        return updateOne(inner, def, id, fieldsOf(rec, 'id'));
      }),
    );
  });

  app.patch(`${REST}/composite/sobjects/:object/:field`, async (c) => {
    const def = requireObject(org, c.get('principal'), c.req.param('object'));
    const fieldName = c.req.param('field');
    const f = externalIdField(c.get('principal'), def, fieldName, org);
    if (!f || f.type === 'id') throw SfHttpError.of(404, 'NOT_FOUND', MSG.extIdNotFound(fieldName));
    const body = collectionBody(await c.req.text());
    return sfJson(
      c,
      eachRecord(c, org, body, true, (rec, type, inner) => {
        if (type !== def)
          return {
            ok: false,
            status: 400,
            errors: [{ statusCode: 'INVALID_TYPE', message: `sObject type '${type.name}' does not match '${def.name}'`, fields: [] }],
          };
        const key = Object.keys(rec).find((k) => k.toLowerCase() === f.name.toLowerCase());
        const value = key === undefined ? undefined : rec[key];
        if (value === undefined || value === null || value === '') {
          return { ok: false, status: 400, errors: [{ statusCode: 'MISSING_ARGUMENT', message: `${f.name} not specified`, fields: [f.name] }] };
        }
        return upsertOne(inner, def, f, String(value), fieldsOf(rec, f.name), { collections: true });
      }),
    );
  });

  app.delete(`${REST}/composite/sobjects`, (c) => {
    const ids = idsParam(c, MAX_COLLECTION_RECORDS);
    const allOrNone = c.req.query('allOrNone') === 'true';
    const results = runBatch(dmlContext(c, org), allOrNone, ids.length, (i, inner) => deleteOne(inner, undefined, ids[i]!), false);
    return sfJson(c, results);
  });

  app.get(`${REST}/composite/sobjects/:object`, (c) => {
    const def = requireObject(org, c.get('principal'), c.req.param('object'));
    return retrieve(c, org, def, idsParam(c, MAX_RETRIEVE_IDS), c.req.query('fields'));
  });

  app.post(`${REST}/composite/sobjects/:object`, async (c) => {
    const def = requireObject(org, c.get('principal'), c.req.param('object'));
    const body = parseJsonBody(await c.req.text(), 'SObjectCollectionRetrieveRequest');
    const ids = body.ids;
    const fields = body.fields;
    if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw SfHttpError.of(400, 'JSON_PARSER_ERROR', `'ids' must be a list of record ids`);
    if (fields !== undefined && (!Array.isArray(fields) || fields.some((x) => typeof x !== 'string'))) {
      throw SfHttpError.of(400, 'JSON_PARSER_ERROR', `'fields' must be a list of field names`);
    }
    return retrieve(c, org, def, ids as string[], fields as string[] | undefined);
  });
}
