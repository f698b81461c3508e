/**
 * Pages of a SOQL query as an async generator: the first page from /query (or /queryAll), the
 * rest by following nextRecordsUrl. Each page's shape is checked before use.
 */
import { remoteProtocol } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import { header } from '../salesforce/transport.js';

export interface QueryPage {
  records: Record<string, unknown>[];
  totalSize: number;
  done: boolean;
  /** The server's clock at answer time (Date header), epoch ms. */
  serverTime: number | undefined;
}

function checkPage(json: unknown, what: string): { records: Record<string, unknown>[]; totalSize: number; done: boolean; nextRecordsUrl?: string } {
  const b = json as { records?: unknown; totalSize?: unknown; done?: unknown; nextRecordsUrl?: unknown };
  if (!b || !Array.isArray(b.records) || typeof b.done !== 'boolean' || typeof b.totalSize !== 'number') {
    throw remoteProtocol('salesforce.query_response_invalid', `${what}: query answer must have records[], done and totalSize`);
  }
  if (!b.done && (typeof b.nextRecordsUrl !== 'string' || !b.nextRecordsUrl.startsWith('/services/data/'))) {
    throw remoteProtocol('salesforce.query_response_invalid', `${what}: "nextRecordsUrl" must be a /services/data/ path when done is false`);
  }
  return b as { records: Record<string, unknown>[]; totalSize: number; done: boolean; nextRecordsUrl?: string };
}

export async function* queryPages(client: SalesforceClient, soql: string, o: { all?: boolean; batchSize?: number } = {}): AsyncGenerator<QueryPage> {
  const headers = { 'Sforce-Query-Options': `batchSize=${o.batchSize ?? 2000}` };
  let res = await client.request({ method: 'GET', path: o.all ? '/queryAll' : '/query', query: { q: soql }, headers });
  for (;;) {
    const page = checkPage(res.json, o.all ? 'queryAll' : 'query');
    const date = header({ status: res.status, headers: res.headers, body: '' }, 'date');
    yield { records: page.records, totalSize: page.totalSize, done: page.done, serverTime: date ? Date.parse(date) : undefined };
    if (page.done) return;
    res = await client.request({ method: 'GET', path: page.nextRecordsUrl!, headers });
  }
}
