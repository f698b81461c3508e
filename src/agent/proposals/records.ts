/**
 * Reading the record a proposal touches, as the connection's Salesforce user, and comparing
 * values the way Salesforce stores them (numbers numerically, datetimes as instants).
 * sObject Rows: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve.htm
 */
import { ForcebridgeError, remoteProtocol } from '../../errors.js';
import { salesforceError } from '../../salesforce/errors.js';
import type { AgentContext } from '../context.js';
import type { FieldValue } from './repo.js';

export interface CurrentRecord {
  id: string;
  lastModifiedDate: string;
  /** Field API name → value (primitive values only; compound address/location values are skipped). */
  values: Record<string, FieldValue>;
}

/** Checks a record answer: an object with string `Id` and `LastModifiedDate`. */
export function parseRecord(what: string, body: unknown): CurrentRecord {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw remoteProtocol('agent.record_unexpected', `${what}: the answer is not a record object`);
  const rec = body as Record<string, unknown>;
  if (typeof rec.Id !== 'string') throw remoteProtocol('agent.record_unexpected', `${what}: the record has no string "Id"`);
  if (typeof rec.LastModifiedDate !== 'string') throw remoteProtocol('agent.record_unexpected', `${what}: the record has no string "LastModifiedDate"`);
  const values: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'attributes') continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[k] = v;
  }
  return { id: rec.Id, lastModifiedDate: rec.LastModifiedDate, values };
}

function recordMissing(object: string, ref: string, e: ForcebridgeError): ForcebridgeError {
  const deleted = e.salesforce?.errorCode === 'ENTITY_IS_DELETED';
  return new ForcebridgeError(
    'agent.record_not_found',
    'not_found',
    `${object} ${ref} ${deleted ? 'is deleted (in the Recycle Bin)' : 'does not exist or the connection’s Salesforce user cannot see it'}`,
    {
      field: 'recordId',
      hint: deleted ? 'a deleted record can only be restored (undo of its delete proposal)' : 'check the id with get_record or query',
      ...(e.salesforce ? { salesforce: e.salesforce } : {}),
    },
  );
}

const isMissing = (e: unknown): e is ForcebridgeError =>
  e instanceof ForcebridgeError && ['NOT_FOUND', 'ENTITY_IS_DELETED', 'MALFORMED_ID'].includes(e.salesforce?.errorCode ?? '');

/** `fields` to select: the given ones plus Id and LastModifiedDate; undefined reads all. */
function fieldsQuery(fields: string[] | undefined): Record<string, string> {
  if (!fields) return {};
  return { fields: [...new Set(['Id', 'LastModifiedDate', ...fields])].join(',') };
}

/** The live record by id, or `agent.record_not_found`. */
export async function readRecord(ctx: AgentContext, object: string, id: string, fields?: string[]): Promise<CurrentRecord> {
  try {
    const res = await ctx.client.request<unknown>({ method: 'GET', path: `/sobjects/${object}/${id}`, query: fieldsQuery(fields) });
    return parseRecord(`GET ${object}/${id}`, res.json);
  } catch (e) {
    if (isMissing(e)) throw recordMissing(object, id, e);
    throw e;
  }
}

/**
 * The record an upsert would update: undefined when the external id matches none; several
 * matches are refused (Salesforce would answer 300 and write nothing).
 */
export async function readByExternalId(ctx: AgentContext, object: string, field: string, value: string, fields?: string[]): Promise<CurrentRecord | undefined> {
  const path = `/sobjects/${object}/${field}/${encodeURIComponent(value)}`;
  const res = await ctx.client.send({ method: 'GET', path, query: fieldsQuery(fields) });
  if (res.status === 404) return undefined;
  if (res.status === 300) {
    throw new ForcebridgeError(
      'agent.external_id_ambiguous',
      'conflict',
      `${field} = "${value}" matches several ${object} records; an upsert would write nothing`,
      {
        field: 'externalIdValue',
        hint: 'update one of them by id with prepare_update instead',
      },
    );
  }
  if (res.status !== 200) throw salesforceError(res, `GET ${path}`);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    throw remoteProtocol('agent.record_unexpected', `GET ${path}: the answer is not JSON`);
  }
  return parseRecord(`GET ${path}`, body);
}

/** Whether a record is in the Recycle Bin (queryAll sees deleted rows); undefined when it is gone entirely. */
export async function isDeleted(ctx: AgentContext, object: string, id: string): Promise<boolean | undefined> {
  const q = `SELECT Id, IsDeleted FROM ${object} WHERE Id = '${id}'`;
  const res = await ctx.client.request<{ records?: unknown }>({ method: 'GET', path: '/queryAll', query: { q } });
  const records = res.json?.records;
  if (!Array.isArray(records)) throw remoteProtocol('agent.query_unexpected', `queryAll of ${object} ${id}: the answer has no "records" list`);
  const first = records[0] as { IsDeleted?: unknown } | undefined;
  if (!first) return undefined;
  if (typeof first.IsDeleted !== 'boolean') throw remoteProtocol('agent.query_unexpected', `queryAll of ${object} ${id}: "IsDeleted" is not a boolean`);
  return first.IsDeleted;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Value equality as Salesforce stores values (numbers numerically, datetimes as instants). */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y || x === '' || y === '';
  if (typeof x === 'number' || typeof y === 'number') return Number(x) === Number(y);
  if (typeof x === 'string' && typeof y === 'string' && DATETIME.test(x) && DATETIME.test(y)) return Date.parse(x) === Date.parse(y);
  return x === y;
}

/** RFC 7231 HTTP-date of a Salesforce timestamp, for `If-Unmodified-Since`. */
export function httpDate(salesforceTimestamp: string): string {
  const ms = Date.parse(salesforceTimestamp);
  if (Number.isNaN(ms)) throw remoteProtocol('agent.record_unexpected', `LastModifiedDate "${salesforceTimestamp}" is not a timestamp`);
  return new Date(ms).toUTCString();
}
