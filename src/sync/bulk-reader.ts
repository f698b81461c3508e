/**
 * Bulk API 2.0 query reads (shared/reference/salesforce-wire.md §3): create the job (`queryAll`
 * when soft deletes are wanted), poll it with backoff until JobComplete, then read the CSV results
 * page by page (`maxRecords`, `Sforce-Locator` until the string `null`). Each page is parsed a
 * batch at a time — Salesforce's regular CSV by a small indexOf parser (csv-parse is five times
 * slower on wide rows), anything irregular by csv-parse — or handed on as bytes (readBulkPages
 * with `binary`, for the binary COPY path in bulk-copy.ts). The next page downloads while the
 * current one is consumed, and the event loop is yielded between batches so it keeps downloading
 * while writers work: at most two pages are held, never the whole result. The job is deleted at
 * the end, also on failure.
 */
import { parse as parseSync } from 'csv-parse/sync';
import { ForcebridgeError, remoteProtocol } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import { salesforceError } from '../salesforce/errors.js';
import { header, type HttpResponse } from '../salesforce/transport.js';
import { pageText, utf8Cell, type WideBytes } from './csv-bytes.js';

export interface BulkQueryOptions {
  /** `queryAll` (soft-deleted rows included) instead of `query`. */
  all: boolean;
  /** Rows per results page (`maxRecords`); default 10,000 (small pages keep memory flat; the next one is read ahead). */
  pageSize?: number;
  /** Rows per yielded batch (one writer transaction); default DEFAULT_BULK_BATCH_ROWS. */
  batchRows?: number;
  /** First poll delay, ms; doubles up to maxPollMs. */
  pollMs?: number;
  maxPollMs?: number;
  /** Give up waiting for the job after this long, ms. */
  waitTimeoutMs?: number;
  /** Timeout of one results-page download, ms. */
  pageTimeoutMs?: number;
}

export interface BulkJob {
  id: string;
  object: string;
  operation: 'query' | 'queryAll';
}

export interface BulkBatch {
  /** Column names of the CSV header (the SELECT's field names). */
  header: string[];
  rows: string[][];
}

/** Rows per results page (`maxRecords`) unless configured. */
export const DEFAULT_BULK_PAGE_ROWS = 10_000;

/**
 * Rows per batch unless configured: one writer transaction for a reader that writes batches as
 * they come, one step of a page's transaction for a writer that takes whole pages (SQLite). Small
 * batches die young: measured on a 1M-row load into SQLite, 250 rows took 17.6 s of CPU against
 * 21.5–23.4 s with 2,000 (the garbage collector promoted the bigger batches' rows before they
 * were written); 100 was slower.
 */
export const DEFAULT_BULK_BATCH_ROWS = 250;

type JobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function check(res: HttpResponse, what: string): HttpResponse {
  if (res.status >= 400) throw salesforceError(res, what);
  return res;
}

function jobJson(res: HttpResponse, what: string): Record<string, unknown> {
  try {
    const j = JSON.parse(res.body) as unknown;
    if (j && typeof j === 'object' && typeof (j as { id?: unknown }).id === 'string') return j as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw remoteProtocol('salesforce.bulk_response_invalid', `${what}: the answer is not a Bulk job (JSON with an "id")`);
}

/** Creates the query job; a refusal (object or query Bulk cannot serve) throws the Salesforce error. */
export async function createBulkQueryJob(client: SalesforceClient, soql: string, all: boolean): Promise<BulkJob> {
  const operation = all ? 'queryAll' : 'query';
  const res = check(
    await client.send({
      method: 'POST',
      path: '/jobs/query',
      body: { operation, query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' },
      // A 5xx/429 answer comes before a job exists; an orphan job would expire on its own.
      retryUnsafe: true,
    }),
    'create Bulk query job',
  );
  const j = jobJson(res, 'create Bulk query job');
  return { id: j.id as string, object: typeof j.object === 'string' ? j.object : '', operation };
}

/** Polls the job until JobComplete; Failed/Aborted (or waiting too long) throws. */
export async function waitForBulkJob(client: SalesforceClient, job: BulkJob, o: BulkQueryOptions): Promise<void> {
  let delay = o.pollMs ?? 200;
  const maxDelay = o.maxPollMs ?? 10_000;
  const deadline = Date.now() + (o.waitTimeoutMs ?? 6 * 3600_000);
  for (;;) {
    const info = jobJson(check(await client.send({ method: 'GET', path: `/jobs/query/${job.id}` }), `Bulk job ${job.id}`), `Bulk job ${job.id}`);
    const state = info.state as JobState;
    if (state === 'JobComplete') return;
    if (state === 'Failed' || state === 'Aborted') {
      const msg = typeof info.errorMessage === 'string' && info.errorMessage ? `: ${info.errorMessage}` : ' (Salesforce gave no errorMessage)';
      throw new ForcebridgeError('sync.bulk_job_failed', 'remote_error', `Bulk query job ${job.id} on ${job.object || 'the object'} ended ${state}${msg}`, {
        hint: 'the next run starts the load again; if it keeps failing, lower the load with a catalog "where" or raise bulkThreshold to read over REST',
        details: { jobId: job.id, state },
      });
    }
    if (state !== 'UploadComplete' && state !== 'InProgress') {
      throw remoteProtocol('salesforce.bulk_response_invalid', `Bulk job ${job.id}: unknown state ${JSON.stringify(state)}`);
    }
    if (Date.now() + delay > deadline) {
      throw new ForcebridgeError(
        'sync.bulk_timeout',
        'unavailable',
        `Bulk query job ${job.id} did not complete within ${Math.round((o.waitTimeoutMs ?? 0) / 1000)} s`,
        {
          hint: 'Salesforce is busy; the next run starts the load again',
          details: { jobId: job.id, state },
        },
      );
    }
    await sleep(delay);
    delay = Math.min(maxDelay, Math.round(delay * 1.5));
  }
}

/** Deletes the job (aborting it first when it is still running); failures are ignored. */
export async function deleteBulkJob(client: SalesforceClient, job: BulkJob): Promise<void> {
  try {
    let res = await client.send({ method: 'DELETE', path: `/jobs/query/${job.id}` });
    if (res.status === 400) {
      await client.send({ method: 'PATCH', path: `/jobs/query/${job.id}`, body: { state: 'Aborted' } });
      res = await client.send({ method: 'DELETE', path: `/jobs/query/${job.id}` });
    }
  } catch {
    // A job left behind expires on its own (Salesforce keeps jobs for days); never mask the run's outcome.
  }
}

/** One results page: its CSV as text, or as bytes when read `binary`. */
export interface BulkPage {
  body: string;
  bytes?: Buffer;
  /** The locator of the next page. */
  next: string | undefined;
  /** 1-based page number (for messages). */
  n: number;
}

async function fetchPage(
  client: SalesforceClient,
  job: BulkJob,
  locator: string | undefined,
  o: BulkQueryOptions,
  n: number,
  binary: boolean,
): Promise<BulkPage> {
  const what = `Bulk job ${job.id} results`;
  const res = check(
    await client.send({
      method: 'GET',
      path: `/jobs/query/${job.id}/results`,
      query: { maxRecords: String(o.pageSize ?? DEFAULT_BULK_PAGE_ROWS), ...(locator ? { locator } : {}) },
      headers: { Accept: 'text/csv' },
      timeoutMs: o.pageTimeoutMs ?? 300_000,
      ...(binary ? { binary: true } : {}),
    }),
    what,
  );
  const loc = header(res, 'sforce-locator');
  const next = loc && loc !== 'null' ? loc : undefined;
  // A transport that ignores `binary` still answers in text.
  if (binary) return { body: '', bytes: res.bytes ?? Buffer.from(res.body, 'utf8'), next, n };
  return { body: res.body, next, n };
}

/** Rows parsed from `pos` on; `failedAt` is the offset of a row the fast parser cannot read. */
export interface CsvChunk {
  rows: string[][];
  next: number;
  failedAt?: number;
}

/**
 * Parses up to `max` rows of Salesforce's Bulk CSV as requested here (COMMA, LF; values quoted
 * with inner quotes doubled; a null is an empty unquoted cell) from offset `pos`, with indexOf and
 * slice — about five times faster than csv-parse on wide rows. Stops at the first row outside that
 * shape (a CR outside quotes, a stray quote, a width other than `width`, unterminated quotes) and
 * reports its offset: the caller hands the rest of the page to csv-parse. With `wide`, `s` is a
 * page's bytes read as latin1 and a cell spanning a non-ASCII byte is decoded as UTF-8 (csv-bytes.ts).
 */
export function parseCsvRows(s: string, pos: number, max: number, width: number, wide?: WideBytes): CsvChunk {
  const rows: string[][] = [];
  const len = s.length;
  let i = pos;
  // The next non-ASCII position: a cell ending past it holds it (cells and positions both ascend).
  let high = wide ? wide.from(pos) : Infinity;
  while (i < len && rows.length < max) {
    const rowStart = i;
    // Sized once to the header's width (growing by push reallocated each row several times).
    const row: string[] = width > 0 ? new Array<string>(width) : [];
    let k = 0;
    for (;;) {
      let cell: string;
      if (s.charCodeAt(i) === 34 /* " */) {
        let from = i + 1;
        cell = '';
        for (;;) {
          const q = s.indexOf('"', from);
          if (q < 0) return { rows, next: rowStart, failedAt: rowStart };
          if (s.charCodeAt(q + 1) === 34) {
            cell += s.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          cell += s.slice(from, q);
          i = q + 1;
          break;
        }
      } else {
        let j = i;
        for (; j < len; j++) {
          const c = s.charCodeAt(j);
          if (c === 44 || c === 10) break;
          if (c === 34 || c === 13) return { rows, next: rowStart, failedAt: rowStart };
        }
        cell = s.slice(i, j);
        i = j;
      }
      if (i > high) {
        cell = utf8Cell(cell);
        high = wide!.from(i);
      }
      if (k === width) return { rows, next: rowStart, failedAt: rowStart };
      row[k++] = cell;
      const sep = i < len ? s.charCodeAt(i) : 10;
      if (sep === 44 /* , */) {
        i++;
        if (i < len) continue;
        if (k === width) return { rows, next: rowStart, failedAt: rowStart };
        row[k++] = '';
      } else if (sep !== 10 /* \n */) return { rows, next: rowStart, failedAt: rowStart };
      else i++;
      break;
    }
    if (width >= 0 && k !== width) return { rows, next: rowStart, failedAt: rowStart };
    rows.push(row);
  }
  return { rows, next: i };
}

/** Lets the read-ahead download progress between batches (writers may block the event loop). */
export const yieldToIo = () => new Promise((r) => setImmediate(r));

/**
 * csv-parse over the rest of a page (the fallback for CSV the fast parser cannot read), at once:
 * at most one page's rows, which a page's transaction needs parsed synchronously.
 */
function csvParseAll(text: string, what: string): string[][] {
  try {
    return parseSync(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw remoteProtocol('salesforce.bulk_csv_invalid', `${what}: the CSV cannot be parsed (${(e as Error).message.slice(0, 200)})`);
  }
}

/**
 * Batches of CSV rows of one results page (the first line of every page is the header), parsed a
 * batch at a time as they are taken, synchronously — a writer can parse a page inside its own
 * transaction, so no batch outlives it. Rows the fast parser cannot read — and everything after
 * them — go through csv-parse. Bytes are read as one-byte text (csv-bytes.ts), so cells are
 * one-byte strings unless they hold non-ASCII characters themselves.
 */
export function* pageRows(body: string | Uint8Array, batchRows: number, what: string): Generator<BulkBatch> {
  const page = pageText(body);
  const { text, wide } = page;
  if (text.length <= page.start) return;
  let head: string[] | undefined;
  let rest: number | undefined = page.start;
  const h = parseCsvRows(text, page.start, 1, -1, wide);
  if (h.failedAt === undefined && h.rows[0]) {
    head = h.rows[0];
    rest = undefined;
    for (let pos = h.next; pos < text.length;) {
      const r = parseCsvRows(text, pos, batchRows, head.length, wide);
      if (r.rows.length) yield { header: head, rows: r.rows };
      if (r.failedAt !== undefined) {
        rest = r.failedAt;
        break;
      }
      pos = r.next;
    }
  }
  if (rest === undefined) return;
  const records = csvParseAll(page.rest(rest), what);
  let at = 0;
  if (!head) {
    head = records[0];
    at = 1;
    if (!head) return;
  }
  for (let i = at; i < records.length; i += batchRows) {
    const rows = records.slice(i, i + batchRows);
    for (const rec of rows)
      if (rec.length !== head.length) throw remoteProtocol('salesforce.bulk_csv_invalid', `${what}: a row has ${rec.length} cells, the header ${head.length}`);
    yield { header: head, rows };
  }
}

/** pageRows with the event loop yielded between batches (a reader that writes each batch on its own). */
export async function* pageBatches(body: string | Uint8Array, batchRows: number, what: string): AsyncGenerator<BulkBatch> {
  for (const batch of pageRows(body, batchRows, what)) {
    yield batch;
    await yieldToIo();
  }
}

/**
 * The results pages of a completed job (text, or bytes when `binary`). The next page is requested
 * while the current one is consumed (one page ahead).
 */
export async function* readBulkPages(client: SalesforceClient, job: BulkJob, o: BulkQueryOptions, binary = false): AsyncGenerator<BulkPage> {
  let pending: Promise<BulkPage> | undefined = fetchPage(client, job, undefined, o, 1, binary);
  while (pending) {
    const page: BulkPage = await pending;
    pending = page.next ? fetchPage(client, job, page.next, o, page.n + 1, binary) : undefined;
    // A failure of the read-ahead surfaces when awaited; never as an unhandled rejection.
    pending?.catch(() => undefined);
    yield page;
  }
}

/** The rows of a completed job, in batches, one page read ahead. */
export async function* readBulkResults(client: SalesforceClient, job: BulkJob, o: BulkQueryOptions): AsyncGenerator<BulkBatch> {
  const batchRows = o.batchRows ?? DEFAULT_BULK_BATCH_ROWS;
  for await (const page of readBulkPages(client, job, o)) {
    yield* pageBatches(page.body, batchRows, `Bulk job ${job.id} results page ${page.n}`);
  }
}

/** A Bulk read around `read`: create the job (unless given), wait for it, read, delete the job. */
async function* onJob<T>(
  client: SalesforceClient,
  soql: string,
  o: BulkQueryOptions,
  created: BulkJob | undefined,
  read: (job: BulkJob) => AsyncGenerator<T>,
): AsyncGenerator<T> {
  const job = created ?? (await createBulkQueryJob(client, soql, o.all));
  try {
    await waitForBulkJob(client, job, o);
    yield* read(job);
  } finally {
    await deleteBulkJob(client, job);
  }
}

/** The whole Bulk read as row batches. */
export function bulkQuery(client: SalesforceClient, soql: string, o: BulkQueryOptions, created?: BulkJob): AsyncGenerator<BulkBatch> {
  return onJob(client, soql, o, created, (job) => readBulkResults(client, job, o));
}

/** The whole Bulk read as results pages: bytes when `binary`, else text. */
export function bulkQueryPages(client: SalesforceClient, soql: string, o: BulkQueryOptions, created?: BulkJob, binary = true): AsyncGenerator<BulkPage> {
  return onJob(client, soql, o, created, (job) => readBulkPages(client, job, o, binary));
}
