/**
 * Bulk API 2.0 query jobs under `/services/data/vXX.X/jobs/query` (v47+): create, list, get, abort,
 * delete, and CSV results paged with `maxRecords` and `Sforce-Locator`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm
 * Wire details: shared/reference/salesforce-wire.md §3.
 */
import type { Context, Hono } from 'hono';
import { REST, type EmuEnv } from '../http/env.js';
import { notFound } from '../http/respond.js';
import { to18 } from '../ids.js';
import type { Org } from '../org.js';
import { registerBulkControl } from './control.js';
import { csvPageStream } from './csv.js';
import { invalidJob, invalidJobState, invalidLocator, invalidMaxRecords, jobNotComplete, jobNotFound, versionMismatch } from './errors.js';
import { canSeeJob, type QueryJob } from './job.js';
import { createdJobInfo, fullJobInfo, jobJson, listedJobInfo } from './job-info.js';
import { COLUMN_DELIMITERS, LINE_ENDINGS, parseQueryJobRequest } from './job-request.js';
import { decodeLocator, encodeLocator, LAST_PAGE } from './locator.js';
import { createQueryJob, jobStore } from './query-jobs.js';

/** Bulk API 2.0 query jobs exist from this API version on. */
const FIRST_BULK_QUERY_VERSION = 47;

/** Jobs per page of `GET /jobs/query` (Salesforce's page size is not documented; UNCONFIRMED). */
const JOB_LIST_PAGE = 1000;

/** The job named in the path, if the caller may see it; otherwise 404 like an unknown id. */
function visibleJob(c: Context<EmuEnv>, org: Org): QueryJob {
  const id = to18(c.req.param('id') ?? '');
  const job = id ? jobStore(org).get(id) : undefined;
  if (!job || !canSeeJob(c.get('principal'), job)) throw jobNotFound();
  return job;
}

function parseMaxRecords(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw invalidMaxRecords(raw);
  return Number(raw);
}

/** Whether the client accepts a gzip body (`Accept-Encoding: gzip`, not refused with q=0). */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export function registerBulk(app: Hono<EmuEnv>, org: Org): void {
  registerBulkControl(app, org);

  const guard = async (c: Context<EmuEnv>, next: () => Promise<void>) => {
    if (Number.parseFloat(c.get('apiVersion')) < FIRST_BULK_QUERY_VERSION) throw notFound();
    await next();
  };
  app.use(`${REST}/jobs/query`, guard);
  app.use(`${REST}/jobs/query/*`, guard);

  app.post(`${REST}/jobs/query`, async (c) => {
    const request = parseQueryJobRequest(await c.req.text());
    const job = createQueryJob(org, c.get('principal'), request, c.get('apiVersion'));
    return jobJson(c, createdJobInfo(job));
  });

  app.get(`${REST}/jobs/query`, (c) => {
    const principal = c.get('principal');
    const q = c.req.query();
    let jobs = jobStore(org)
      .all()
      .filter((j) => canSeeJob(principal, j));
    // Filters documented for "Get Information About All Query Jobs". PK chunking is a Bulk 1.0
    // option, so no Bulk 2.0 job has it enabled.
    if (q.jobType !== undefined) jobs = jobs.filter(() => q.jobType === 'V2Query');
    if (q.isPkChunkingEnabled !== undefined) jobs = jobs.filter(() => q.isPkChunkingEnabled === 'false');
    if (q.concurrencyMode !== undefined) jobs = jobs.filter(() => q.concurrencyMode === 'Parallel');
    let from = 0;
    if (q.queryLocator !== undefined) {
      const offset = decodeLocator(q.queryLocator, c.get('apiVersion'), jobs.length);
      if (offset === undefined) throw invalidLocator(q.queryLocator);
      from = offset;
    }
    const to = Math.min(jobs.length, from + JOB_LIST_PAGE);
    let nextRecordsUrl: string | null = null;
    if (to < jobs.length) {
      const params = new URLSearchParams(Object.entries(q).filter(([k]) => k !== 'queryLocator'));
      params.set('queryLocator', encodeLocator(to, c.get('apiVersion')));
      nextRecordsUrl = `/services/data/v${c.get('apiVersion')}/jobs/query?${params.toString()}`;
    }
    return jobJson(c, { done: nextRecordsUrl === null, records: jobs.slice(from, to).map(listedJobInfo), nextRecordsUrl });
  });

  app.get(`${REST}/jobs/query/:id`, (c) => jobJson(c, fullJobInfo(visibleJob(c, org))));

  app.patch(`${REST}/jobs/query/:id`, async (c) => {
    const job = visibleJob(c, org);
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      body = undefined;
    }
    const state = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).state : undefined;
    if (state === undefined || state === null) throw invalidJob('Required field is missing: state');
    if (state !== 'Aborted') throw invalidJobState(`Invalid state for a query job: ${String(state)}. The only allowed value is Aborted`);
    jobStore(org).abort(job);
    return jobJson(c, createdJobInfo(job));
  });

  app.delete(`${REST}/jobs/query/:id`, (c) => {
    jobStore(org).delete(visibleJob(c, org));
    return c.body(null, 204);
  });

  app.get(`${REST}/jobs/query/:id/results`, (c) => {
    const job = visibleJob(c, org);
    const version = c.get('apiVersion');
    if (version !== job.apiVersion) throw versionMismatch(job.apiVersion, version);
    if (job.state !== 'JobComplete') throw jobNotComplete(job.state);
    const maxRecords = parseMaxRecords(c.req.query('maxRecords'));
    const locator = c.req.query('locator');
    let from = 0;
    if (locator !== undefined && locator !== '') {
      const offset = decodeLocator(locator, job.apiVersion, job.size);
      if (offset === undefined) throw invalidLocator(locator);
      from = offset;
    }
    const to = Math.min(job.size, from + (maxRecords ?? org.settings.bulkResultPageSize));
    const headers: Record<string, string> = {
      'Content-Type': 'text/csv',
      'Sforce-NumberOfRecords': String(to - from),
      'Sforce-Locator': to < job.size ? encodeLocator(to, job.apiVersion) : LAST_PAGE,
    };
    let body = csvPageStream(
      { header: job.header, row: job.row, from, to },
      { delimiter: COLUMN_DELIMITERS[job.columnDelimiter], lineEnding: LINE_ENDINGS[job.lineEnding] },
    );
    if (acceptsGzip(c.req.header('accept-encoding'))) {
      body = body.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
      headers['Content-Encoding'] = 'gzip';
    }
    return c.body(body, 200, headers);
  });
}
