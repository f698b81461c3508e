/**
 * sObject rows: `POST /sobjects/{X}` (create), `GET|PATCH|DELETE /sobjects/{X}/{id}`, upsert and
 * read/delete by external id (`/sobjects/{X}/{field}/{value}`) and create through
 * `POST /sobjects/{X}/Id`. Conditional requests per wire reference §2.9 (`If-Modified-Since`,
 * `If-Unmodified-Since`; `If-Match`/`If-None-Match` with ETags on Account only).
 *
 * `GET /sobjects/{X}` and `/sobjects/{X}/describe` belong to rest/describe.ts (registered first);
 * `/sobjects/{X}/updated|deleted` to rest/updated-deleted.ts.
 * See shared/reference/salesforce-wire.md §2.5.
 */
import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { MSG, parseJsonBody } from '../data/validate.js';
import { formatHttpDate, parseHttpDate } from '../format.js';
import { REST, type EmuEnv } from '../http/env.js';
import { SfHttpError, sfJson } from '../http/respond.js';
import type { Org } from '../org.js';
import { canReadRecord } from '../perms/access.js';
import type { ObjectDef, StoredRecord } from '../schema/types.js';
import {
  createOne,
  deleteFound,
  externalIdField,
  lookupRecord,
  matchExternalId,
  restErrors,
  updateFound,
  upsertOne,
  type DmlOutcome,
  type RecordLookup,
} from './dml.js';
import { recordJson } from './record-json.js';
import { dmlContext, fieldList, requireObject } from './sobject-http.js';

/** API version from which an upsert that updates answers 200 with a body instead of 204. */
const UPSERT_BODY_FROM_VERSION = 46;

function recordUrl(c: Context<EmuEnv>, def: ObjectDef, id: string): string {
  return `/services/data/v${c.get('apiVersion')}/sobjects/${def.name}/${id}`;
}

/** ETags are served for Account only, as on Salesforce; they change whenever the record does. */
function etagOf(def: ObjectDef, rec: StoredRecord): string | undefined {
  if (def.name !== 'Account') return undefined;
  const digest = createHash('sha1')
    .update(`${rec.Id as string}:${String(rec.SystemModstamp)}`)
    .digest('base64');
  return `"${digest}"`;
}

/** Entity tags listed in an If-Match / If-None-Match header (`*` matches anything). */
function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || tag.replace(/-gzip"$/, '"') === etag;
  });
}

function lastModified(rec: StoredRecord): number {
  return typeof rec.LastModifiedDate === 'number' ? rec.LastModifiedDate : 0;
}

/** Throws the REST answer for a lookup that found no live record. */
function throwLookup(def: ObjectDef, id: string, l: Exclude<RecordLookup, { kind: 'ok' }>): never {
  switch (l.kind) {
    case 'not-an-id':
      // Two path segments that are not an id read as an external id field name.
      throw SfHttpError.of(404, 'NOT_FOUND', MSG.extIdNotFound(id));
    case 'malformed': {
      const label = def.fields.find((f) => f.name === 'Id')?.label ?? `${def.label} ID`;
      throw SfHttpError.of(400, 'MALFORMED_ID', MSG.idWrongType(label, id), ['Id']);
    }
    case 'missing':
      throw SfHttpError.of(404, 'NOT_FOUND', MSG.notFound);
    case 'deleted':
      throw SfHttpError.of(404, 'ENTITY_IS_DELETED', MSG.entityDeleted, []);
  }
}

/** The live record behind `/sobjects/{X}/{id}`, visible to the caller (else 404). */
function readableRecord(c: Context<EmuEnv>, org: Org, def: ObjectDef, id: string): StoredRecord {
  const l = lookupRecord(org, def, id);
  if (l.kind !== 'ok') throwLookup(def, id, l);
  if (!canReadRecord(c.get('principal'), def, l.record, org.data)) throw SfHttpError.of(404, 'NOT_FOUND', MSG.notFound);
  return l.record;
}

/** The single record matching an external id; 404 when none, 300 with record URLs when several. */
function byExternalId(c: Context<EmuEnv>, org: Org, def: ObjectDef, field: string, value: string): StoredRecord | Response {
  const f = externalIdField(c.get('principal'), def, field, org);
  if (!f) throw SfHttpError.of(404, 'NOT_FOUND', MSG.extIdNotFound(field));
  const matches = matchExternalId(org, def, f, value).filter((r) => canReadRecord(c.get('principal'), def, r, org.data));
  if (matches.length === 0) throw SfHttpError.of(404, 'NOT_FOUND', MSG.notFound);
  if (matches.length > 1)
    return sfJson(
      c,
      matches.map((m) => recordUrl(c, def, m.Id as string)),
      300,
    );
  return matches[0]!;
}

/** Renders a GET of one record, honouring `fields=` and the conditional headers. */
function recordResponse(c: Context<EmuEnv>, org: Org, def: ObjectDef, rec: StoredRecord): Response {
  const principal = c.get('principal');
  const fields = fieldList(principal, def, c.req.query('fields'), org);
  const headers: Record<string, string> = { 'Last-Modified': formatHttpDate(lastModified(rec)) };
  const etag = etagOf(def, rec);
  if (etag) headers.ETag = etag;
  const ims = c.req.header('if-modified-since');
  const imsMs = ims ? parseHttpDate(ims) : undefined;
  const inm = c.req.header('if-none-match');
  // HTTP dates have whole seconds, as do Salesforce timestamps.
  if ((imsMs !== undefined && lastModified(rec) <= imsMs) || (etag && inm && etagMatches(inm, etag))) {
    return c.body(null, 304, headers);
  }
  return sfJson(c, recordJson(def, rec, fields, c.get('apiVersion')), 200, headers);
}

/**
 * Conditional PATCH: `If-Unmodified-Since` (412 when modified later), `If-Match` / `If-None-Match`
 * (Account only). A header that is not a valid date is 400.
 */
function checkPreconditions(c: Context<EmuEnv>, def: ObjectDef, rec: StoredRecord): void {
  const ius = c.req.header('if-unmodified-since');
  if (ius !== undefined) {
    const ms = parseHttpDate(ius);
    if (ms === undefined) throw SfHttpError.of(400, 'INVALID_HEADER_VALUE', MSG.badConditionalHeader('If-Unmodified-Since', ius));
    if (lastModified(rec) > ms) throw SfHttpError.of(412, 'PRECONDITION_FAILED', MSG.preconditionFailed);
  }
  const etag = etagOf(def, rec);
  if (!etag) return;
  const im = c.req.header('if-match');
  if (im !== undefined && !etagMatches(im, etag)) throw SfHttpError.of(412, 'PRECONDITION_FAILED', MSG.preconditionFailed);
  const inm = c.req.header('if-none-match');
  if (inm !== undefined && etagMatches(inm, etag)) throw SfHttpError.of(412, 'PRECONDITION_FAILED', MSG.preconditionFailed);
}

/** Throws a failed outcome as its REST error array. */
function throwOutcome(o: Exclude<DmlOutcome, { ok: true }>): never {
  throw new SfHttpError(o.status, restErrors(o.errors));
}

/** 201 for a created record, with its Location. */
function created(c: Context<EmuEnv>, def: ObjectDef, id: string, withCreatedFlag: boolean): Response {
  return sfJson(c, { id, success: true, errors: [], ...(withCreatedFlag ? { created: true } : {}) }, 201, { Location: recordUrl(c, def, id) });
}

/** Answers an upsert outcome: 201 created, 200/204 updated (by version), 300 several matches. */
function upsertResponse(c: Context<EmuEnv>, def: ObjectDef, o: DmlOutcome): Response {
  if (!o.ok) {
    if (o.matches) return sfJson(c, o.matches, 300);
    throwOutcome(o);
  }
  if (o.created) return created(c, def, o.id, true);
  if (Number(c.get('apiVersion').split('.')[0]) >= UPSERT_BODY_FROM_VERSION) {
    return sfJson(c, { id: o.id, success: true, errors: [], created: false }, 200);
  }
  return c.body(null, 204);
}

export function registerSObjects(app: Hono<EmuEnv>, org: Org): void {
  const object = (c: Context<EmuEnv>) => requireObject(org, c.get('principal'), c.req.param('object') ?? '');

  app.post(`${REST}/sobjects/:object`, async (c) => {
    const def = object(c);
    const raw = await c.req.text();
    const o = createOne(dmlContext(c, org), def, parseJsonBody(raw, def.name), raw);
    if (!o.ok) throwOutcome(o);
    return created(c, def, o.id, false);
  });

  // `POST /sobjects/{X}/Id` creates through upsert-by-Id (v37+); a POST to a record is 405.
  app.post(`${REST}/sobjects/:object/:id`, async (c) => {
    const def = object(c);
    if (c.req.param('id').toLowerCase() !== 'id') throw SfHttpError.of(405, 'METHOD_NOT_ALLOWED', MSG.methodNotAllowed('POST', 'GET,HEAD,PATCH,DELETE'));
    const raw = await c.req.text();
    const o = createOne(dmlContext(c, org), def, parseJsonBody(raw, def.name), raw);
    if (!o.ok) throwOutcome(o);
    return created(c, def, o.id, true);
  });

  app.get(`${REST}/sobjects/:object/:id`, (c) => {
    const def = object(c);
    return recordResponse(c, org, def, readableRecord(c, org, def, c.req.param('id')));
  });

  app.patch(`${REST}/sobjects/:object/:id`, async (c) => {
    const def = object(c);
    const id = c.req.param('id');
    const raw = await c.req.text();
    const body = parseJsonBody(raw, def.name);
    const l = lookupRecord(org, def, id);
    if (l.kind !== 'ok') throwLookup(def, id, l);
    // Records the caller cannot see answer INSUFFICIENT_ACCESS below, never a precondition result.
    if (canReadRecord(c.get('principal'), def, l.record, org.data)) checkPreconditions(c, def, l.record);
    const o = updateFound(dmlContext(c, org), def, l.record, body, raw);
    if (!o.ok) throwOutcome(o);
    return c.body(null, 204);
  });

  app.delete(`${REST}/sobjects/:object/:id`, (c) => {
    const def = object(c);
    const id = c.req.param('id');
    const l = lookupRecord(org, def, id);
    if (l.kind !== 'ok') throwLookup(def, id, l);
    const o = deleteFound(dmlContext(c, org), def, l.record);
    if (!o.ok) throwOutcome(o);
    return c.body(null, 204);
  });

  app.get(`${REST}/sobjects/:object/:field/:value`, (c) => {
    const def = object(c);
    const found = byExternalId(c, org, def, c.req.param('field'), c.req.param('value'));
    return found instanceof Response ? found : recordResponse(c, org, def, found);
  });

  app.patch(`${REST}/sobjects/:object/:field/:value`, async (c) => {
    const def = object(c);
    const field = c.req.param('field');
    const f = externalIdField(c.get('principal'), def, field, org);
    if (!f) throw SfHttpError.of(404, 'NOT_FOUND', MSG.extIdNotFound(field));
    const raw = await c.req.text();
    const body = parseJsonBody(raw, def.name);
    const updateOnly = c.req.query('updateOnly') === 'true';
    const o = upsertOne(dmlContext(c, org), def, f, c.req.param('value'), body, { updateOnly, raw });
    return upsertResponse(c, def, o);
  });

  app.delete(`${REST}/sobjects/:object/:field/:value`, (c) => {
    const def = object(c);
    const found = byExternalId(c, org, def, c.req.param('field'), c.req.param('value'));
    if (found instanceof Response) return found;
    const o = deleteFound(dmlContext(c, org), def, found);
    if (!o.ok) throwOutcome(o);
    return c.body(null, 204);
  });
}
