/**
 * Reads rows of a SOQL answer for one `query` call: up to `limit` rows and about `maxBytes` of
 * JSON, following Salesforce's `nextRecordsUrl` pages, and says where the next call continues.
 * A locator's offset is the absolute row index (`{locator}-{offset}`), so a call that stops
 * inside a page continues at `{locator}-{pageStart + rowsTaken}` and no row is skipped or
 * repeated.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 */
import { ForcebridgeError, remoteProtocol } from '../errors.js';
import type { AgentContext } from './context.js';
import { cursorExpired, type CursorState } from './cursor.js';
import { cleanRecord } from './records.js';
import { checked, queryPageSchema, type QueryPage, type SfRecord } from './sf-answers.js';

/** Where a read starts: a new query, or a cursor's state. */
export type ReadStart = { kind: 'query'; soql: string; includeDeleted: boolean } | CursorState;

export interface ReadResult {
  records: SfRecord[];
  totalSize: number;
  /** Where the next call continues; absent when every row was returned. */
  next?: CursorState;
}

/** Salesforce's batch sizes: at least 200, at most 2,000 rows per page. */
const batchFor = (limit: number) => Math.min(2000, Math.max(200, limit));

const NEXT_URL = /^(\/services\/data\/v\d+\.\d+\/query\/[0-9A-Za-z]{15,18})-(\d+)$/;

/** `nextRecordsUrl` → locator base and absolute offset (checked: it goes into the next request). */
export function parseNextUrl(url: string): { base: string; at: number } {
  const m = NEXT_URL.exec(url);
  if (!m) throw remoteProtocol('agent.unexpected_answer', `Salesforce's query answer has a nextRecordsUrl that is not a query locator: ${url.slice(0, 120)}`);
  return { base: m[1]!, at: Number(m[2]) };
}

/** Salesforce errors that mean the SOQL itself is wrong (the caller's to fix). */
const QUERY_ERRORS = new Set(['MALFORMED_QUERY', 'INVALID_FIELD', 'INVALID_TYPE', 'MALFORMED_ID', 'INVALID_QUERY_FILTER_OPERATOR', 'INVALID_OPERATION']);

async function fetchPage(ctx: AgentContext, path: string, query: Record<string, string> | undefined, limit: number): Promise<QueryPage> {
  try {
    const res = await ctx.client.request({
      method: 'GET',
      path,
      ...(query ? { query } : {}),
      headers: { 'Sforce-Query-Options': `batchSize=${batchFor(limit)}` },
    });
    return checked(queryPageSchema, res.json, 'query');
  } catch (e) {
    if (e instanceof ForcebridgeError && e.salesforce?.errorCode === 'INVALID_QUERY_LOCATOR') throw cursorExpired(e);
    if (e instanceof ForcebridgeError && e.salesforce && QUERY_ERRORS.has(e.salesforce.errorCode)) {
      throw new ForcebridgeError(
        'agent.query_failed',
        'invalid_input',
        `Salesforce refused the query: ${e.salesforce.errorCode}: ${e.salesforce.message ?? ''}`.trim(),
        {
          field: 'soql',
          salesforce: e.salesforce,
          hint: e.hint ?? 'check the object and field names with describe_object',
          cause: e,
        },
      );
    }
    throw e;
  }
}

const firstPage = (ctx: AgentContext, soql: string, includeDeleted: boolean, limit: number) =>
  fetchPage(ctx, includeDeleted ? '/queryAll' : '/query', { q: soql }, limit);

/** Reads one call's worth of rows from `start`. */
export async function readRows(ctx: AgentContext, start: ReadStart, limit: number, maxBytes: number): Promise<ReadResult> {
  let page: QueryPage;
  /** Absolute row index of the page's first row, and the locator it belongs to (if known). */
  let pageStart = 0;
  let base: string | undefined;
  let idx = 0;
  if (start.kind === 'locator') {
    page = await fetchPage(ctx, `${start.base}-${start.at}`, undefined, limit);
    pageStart = start.at;
    base = start.base;
  } else {
    const soql = start.soql;
    page = await firstPage(ctx, soql, start.includeDeleted, limit);
    if (start.kind === 'rerun') {
      const last = start.skip > 0 ? page.records[start.skip - 1]?.Id : undefined;
      if (page.totalSize !== start.totalSize || !page.done || page.records.length < start.skip || (start.lastId !== undefined && last !== start.lastId)) {
        throw new ForcebridgeError(
          'agent.cursor_stale',
          'conflict',
          `the query's result changed since the cursor was made (${start.totalSize} rows then, ${page.totalSize} now)`,
          {
            field: 'cursor',
            hint: 'run the query again without the cursor',
          },
        );
      }
      idx = start.skip;
    }
  }
  const totalSize = page.totalSize;
  const records: SfRecord[] = [];
  let bytes = 2;
  for (;;) {
    for (; idx < page.records.length; idx++) {
      const row = cleanRecord(page.records[idx]!);
      const size = Buffer.byteLength(JSON.stringify(row)) + 1;
      // At least one row per call, so a cursor always moves forward.
      if (records.length > 0 && (records.length >= limit || bytes + size > maxBytes)) {
        return { records, totalSize, next: stoppedInside(start, page, pageStart, base, idx, totalSize) };
      }
      records.push(row);
      bytes += size;
    }
    if (page.done) return { records, totalSize };
    if (!page.nextRecordsUrl) throw remoteProtocol('agent.unexpected_answer', "Salesforce's query answer says done:false without a nextRecordsUrl");
    const next = parseNextUrl(page.nextRecordsUrl);
    if (records.length >= limit || bytes >= maxBytes) return { records, totalSize, next: { kind: 'locator', base: next.base, at: next.at, totalSize } };
    page = await fetchPage(ctx, page.nextRecordsUrl, undefined, limit);
    pageStart = next.at;
    base = next.base;
    idx = 0;
  }
}

/** Where to continue when a call stopped before row `idx` of `page`. */
function stoppedInside(start: ReadStart, page: QueryPage, pageStart: number, base: string | undefined, idx: number, totalSize: number): CursorState {
  if (base) return { kind: 'locator', base, at: pageStart + idx, totalSize };
  // The first page: its locator (when it has one) is the one of nextRecordsUrl, at offset 0.
  if (page.nextRecordsUrl) return { kind: 'locator', base: parseNextUrl(page.nextRecordsUrl).base, at: idx, totalSize };
  if (start.kind === 'locator') throw new Error('unreachable: a locator page always has a base');
  const lastId = page.records[idx - 1]?.Id;
  return { kind: 'rerun', soql: start.soql, includeDeleted: start.includeDeleted, skip: idx, totalSize, ...(typeof lastId === 'string' ? { lastId } : {}) };
}
