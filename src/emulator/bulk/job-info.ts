/**
 * Job info bodies with Salesforce's field order: the create (and abort) response, the full
 * `GET /jobs/query/{id}` answer and the rows of `GET /jobs/query`
 * (shared/reference/salesforce-wire.md §3; recorded create response and the job-info doc sample).
 */
import type { Context } from 'hono';
import { formatDateTime } from '../format.js';
import { JSON_TYPE } from '../http/respond.js';
import type { QueryJob } from './job.js';

function head(job: QueryJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdDate),
    systemModstamp: formatDateTime(job.systemModstamp),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number.parseFloat(job.apiVersion),
  };
}

/** Create/abort response: no jobType or counters. */
export function createdJobInfo(job: QueryJob): Record<string, unknown> {
  return { ...head(job), lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
}

/** One row of the job list. */
export function listedJobInfo(job: QueryJob): Record<string, unknown> {
  return { ...head(job), jobType: 'V2Query', lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
}

/** `GET /jobs/query/{id}`: with counters; `errorMessage` only on failed jobs that have one. */
export function fullJobInfo(job: QueryJob): Record<string, unknown> {
  return {
    ...listedJobInfo(job),
    numberRecordsProcessed: job.numberRecordsProcessed,
    retries: 0,
    totalProcessingTime: job.totalProcessingTime,
    isPkChunkingSupported: job.isPkChunkingSupported,
    ...(job.state === 'Failed' && job.errorMessage !== undefined ? { errorMessage: job.errorMessage } : {}),
  };
}

/**
 * A job-info JSON response. Salesforce writes `apiVersion` as a decimal (`"apiVersion":57.0`);
 * JSON.stringify would drop the `.0`, so it is put back (strict JSON parsers read both the same).
 */
export function jobJson(c: Context, body: unknown, status = 200): Response {
  const text = JSON.stringify(body).replace(/"apiVersion":(\d+)(?=[,}])/g, '"apiVersion":$1.0');
  return c.body(text, status as 200, { 'Content-Type': JSON_TYPE });
}
