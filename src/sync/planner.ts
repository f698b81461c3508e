/**
 * Chooses how an object is read. Increments always use the REST keyset (few rows, exact cursor).
 * An initial load (no cursor yet, or `--full`) counts the rows in scope with `SELECT COUNT()` and
 * uses a Bulk API 2.0 query job above a threshold (default 10,000 rows), REST keyset otherwise.
 * Bulk may still refuse the job (objects it does not serve): the caller then falls back to REST
 * and notes it (isBulkRefusal).
 */
import { ForcebridgeError } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import { soqlDateTime } from './keyset.js';

export const DEFAULT_BULK_THRESHOLD = 10_000;

export type ReadPlan = { method: 'rest'; reason: string; count?: number } | { method: 'bulk'; reason: string; count: number };

export interface PlanInput {
  object: string;
  /** Catalog filter ANDed to every query. */
  where?: string;
  /** Count through queryAll (soft-deleted rows are part of the load). */
  all: boolean;
  /** No cursor is stored, or the run is `--full`. */
  initialLoad: boolean;
  /** Rows above which Bulk is used; `undefined` = DEFAULT_BULK_THRESHOLD. */
  threshold?: number;
}

/** Rows in scope of an object, by `SELECT COUNT()` (one API call). */
export async function countRows(client: SalesforceClient, object: string, where: string | undefined, all: boolean): Promise<number> {
  const soql = `SELECT COUNT() FROM ${object}${where ? ` WHERE ${where}` : ''}`;
  const res = await client.request<{ totalSize?: unknown }>({ method: 'GET', path: all ? '/queryAll' : '/query', query: { q: soql } });
  const n = res.json?.totalSize;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new ForcebridgeError('salesforce.query_response_invalid', 'remote_protocol', `${soql}: the answer has no numeric totalSize`);
  }
  return n;
}

export async function planRead(client: SalesforceClient, p: PlanInput): Promise<ReadPlan> {
  if (!p.initialLoad) return { method: 'rest', reason: 'increment' };
  const threshold = p.threshold ?? DEFAULT_BULK_THRESHOLD;
  const count = await countRows(client, p.object, p.where, p.all);
  if (count > threshold) return { method: 'bulk', count, reason: `initial load of ${count} rows (> ${threshold})` };
  return { method: 'rest', count, reason: `initial load of ${count} rows (≤ ${threshold})` };
}

/**
 * The SOQL of a Bulk load: the same fields, `before` bound and filter as the keyset read, without
 * ORDER BY (Bulk serves the rows unordered; the cursor is the maximum read).
 */
export function bulkSoql(q: { object: string; fields: string[]; cursorField?: string; before?: string; where?: string }): string {
  const conds: string[] = [];
  if (q.before && q.cursorField) conds.push(`${q.cursorField} < ${soqlDateTime(q.before)}`);
  if (q.where) conds.push(`(${q.where})`);
  const fields = [...new Set(['Id', ...(q.cursorField ? [q.cursorField] : []), ...q.fields])];
  return `SELECT ${fields.join(', ')} FROM ${q.object}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}`;
}

/** Salesforce error codes with which Bulk refuses a query that REST can still serve. */
const REFUSAL_CODES = new Set(['INVALIDENTITY', 'FEATURENOTENABLED', 'API_ERROR', 'INVALIDJOB']);

/**
 * Whether creating a Bulk query job failed because Bulk cannot serve this query (the object, a
 * field or the feature), so the same read over REST may work. Auth, quota and network failures
 * are not refusals.
 */
export function isBulkRefusal(e: unknown): boolean {
  if (!(e instanceof ForcebridgeError) || !e.salesforce) return false;
  const { errorCode, message, status } = e.salesforce;
  if (REFUSAL_CODES.has(errorCode)) return true;
  return status === 400 && /not supported|bulk/i.test(message ?? '');
}
