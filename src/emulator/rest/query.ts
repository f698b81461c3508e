/**
 * REST `/query` and `/queryAll` (shared/reference/salesforce-wire.md §2.2): runs SOQL once, answers
 * the first page, and keeps the result behind a query locator for `GET /query/{locator}-{offset}`.
 *
 * Page size: `Sforce-Query-Options: batchSize=N` (default 2000, clamped to 200–2000). Child
 * subquery rows count toward it as on Salesforce: a page ends once its root rows plus their child
 * rows reach the batch size (at least one root row per page). Child results are always complete
 * (no child nextRecordsUrl).
 */
import type { Context, Hono } from 'hono';
import type { EmuEnv } from '../http/env.js';
import { REST } from '../http/env.js';
import { JSON_TYPE, sfJson, SfHttpError } from '../http/respond.js';
import type { Org } from '../org.js';
import { explainQuery } from '../soql/explain.js';
import { prepareQuery } from '../soql/execute.js';
import { locatorStore } from '../soql/locators.js';
import type { PreparedQuery } from '../soql/types.js';

export const DEFAULT_BATCH_SIZE = 2000;
export const MIN_BATCH_SIZE = 200;
export const MAX_BATCH_SIZE = 2000;

/** `Sforce-Query-Options: batchSize=N` → page size (clamped; default 2000). */
export function batchSize(header: string | undefined): number {
  const m = header ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!m) return DEFAULT_BATCH_SIZE;
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(m[1])));
}

const invalidLocator = () => SfHttpError.of(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');

/**
 * Writes one page as JSON text. Records are serialised one by one into a single string, which
 * avoids building a page-sized object graph for JSON.stringify to walk again.
 */
function pageBody(org: Org, q: PreparedQuery, start: number, size: number, apiVersion: string, locatorId: string | undefined): string {
  if (q.countOnly) return `{"totalSize":${q.totalSize},"done":true,"records":[]}`;
  const parts: string[] = [];
  let i = start;
  let used = 0;
  while (i < q.totalSize && (used < size || i === start)) {
    parts.push(JSON.stringify(q.recordJson(i)));
    used += 1 + (q.childRowCount ? q.childRowCount(i) : 0);
    i++;
  }
  const done = i >= q.totalSize;
  let next = '';
  if (!done) {
    const id = locatorId ?? locatorStore(org).add(q);
    next = `,"nextRecordsUrl":"/services/data/v${apiVersion}/query/${id}-${i}"`;
  }
  return `{"totalSize":${q.totalSize},"done":${done}${next},"records":[${parts.join(',')}]}`;
}

function runQuery(c: Context<EmuEnv>, org: Org, includeDeleted: boolean): Response {
  const apiVersion = c.get('apiVersion');
  const principal = c.get('principal');
  const explain = c.req.query('explain');
  if (explain !== undefined) return sfJson(c, explainQuery(org, principal, explain, { includeDeleted, apiVersion, mode: 'rest' }));
  const soql = c.req.query('q');
  if (soql === undefined || soql.trim() === '') throw SfHttpError.of(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const prepared = prepareQuery(org, principal, soql, { includeDeleted, apiVersion, mode: 'rest' });
  const body = pageBody(org, prepared, 0, batchSize(c.req.header('sforce-query-options')), apiVersion, undefined);
  return c.body(body, 200, { 'Content-Type': JSON_TYPE });
}

function nextPage(c: Context<EmuEnv>, org: Org): Response {
  const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(c.req.param('locator') ?? '');
  if (!m) throw invalidLocator();
  const prepared = locatorStore(org).get(m[1]!);
  const start = Number(m[2]);
  if (!prepared || start > prepared.totalSize) throw invalidLocator();
  const body = pageBody(org, prepared, start, batchSize(c.req.header('sforce-query-options')), c.get('apiVersion'), m[1]!);
  return c.body(body, 200, { 'Content-Type': JSON_TYPE });
}

/** Registers `/query`, `/queryAll` and their locator pages. */
export function registerQuery(app: Hono<EmuEnv>, org: Org): void {
  for (const [path, all] of [
    ['query', false],
    ['queryAll', true],
  ] as const) {
    app.get(`${REST}/${path}`, (c) => runQuery(c, org, all));
    app.get(`${REST}/${path}/`, (c) => runQuery(c, org, all));
    // queryAll pages are documented under /query/, but accept both.
    app.get(`${REST}/${path}/:locator`, (c) => nextPage(c, org));
  }
}
