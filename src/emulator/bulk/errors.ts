/**
 * Bulk API 2.0 query-job errors. Bulk 2.0 answers with arrays `[{errorCode, message}]` (no
 * `fields`; jsforce's `BulkApiV2.parseError` reads the first element).
 *
 * Only `JOB_NOT_COMPLETE` and `NOT_FOUND` are recorded in Salesforce's documentation
 * (shared/reference/salesforce-wire.md §3). The other codes and messages are UNCONFIRMED guesses in
 * the style of Bulk's exception codes (`INVALIDJOB`, `INVALIDJOBSTATE`); they live only in this file
 * so they can be corrected in one place once checked against a real org (wire reference §6 item 5).
 */
import { SfHttpError } from '../http/respond.js';
import type { QueryJobState } from './job.js';

/** A Bulk 2.0 error array with Salesforce's key order (`errorCode` first). */
function bulkError(status: number, errorCode: string, message: string): SfHttpError {
  return new SfHttpError(status, [{ errorCode, message }]);
}

/** `JobComplete` → `JOB_COMPLETE`, `UploadComplete` → `UPLOAD_COMPLETE` (the 412 message's form). */
export function upperSnake(state: string): string {
  return state.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** 412: results asked for before the job completed (message from Salesforce's docs). */
export function jobNotComplete(state: QueryJobState): SfHttpError {
  return bulkError(
    412,
    'JOB_NOT_COMPLETE',
    `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${upperSnake(state)}`,
  );
}

/** 404 for unknown, deleted or other users' jobs. */
export function jobNotFound(): SfHttpError {
  return bulkError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/** 400: the create body is not JSON (UNCONFIRMED message; the code is REST's). */
export function jsonParserError(detail: string): SfHttpError {
  return bulkError(400, 'JSON_PARSER_ERROR', detail);
}

/** 400: a create-body field is missing or has a bad value (UNCONFIRMED). */
export function invalidJob(message: string): SfHttpError {
  return bulkError(400, 'INVALIDJOB', message);
}

/** 400: a state change the job cannot make, e.g. aborting a completed job (UNCONFIRMED). */
export function invalidJobState(message: string): SfHttpError {
  return bulkError(400, 'INVALIDJOBSTATE', message);
}

/** 409: results read with another API version than the job's (status documented; body UNCONFIRMED). */
export function versionMismatch(jobVersion: string, requestVersion: string): SfHttpError {
  return bulkError(
    409,
    'INVALIDJOB',
    `Query job results must be retrieved with the API version used to create the job: v${jobVersion} (this request uses v${requestVersion})`,
  );
}

/** 400: a `locator` this job never handed out (UNCONFIRMED). */
export function invalidLocator(locator: string): SfHttpError {
  return bulkError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
}

/** 400: `maxRecords` is not a positive integer (UNCONFIRMED). */
export function invalidMaxRecords(value: string): SfHttpError {
  return bulkError(400, 'INVALIDMAXRECORDS', `maxRecords must be a positive integer, got: ${value}`);
}
