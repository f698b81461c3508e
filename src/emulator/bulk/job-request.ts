/**
 * The body of `POST /jobs/query`: `{operation, query, contentType?, columnDelimiter?, lineEnding?}`
 * (only `operation` and `query` are required). See shared/reference/salesforce-wire.md §3 and
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
 */
import { invalidJob, jsonParserError } from './errors.js';

/** Column delimiters Bulk 2.0 offers, by their API names. */
export const COLUMN_DELIMITERS = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
} as const;
export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;

/** Line endings Bulk 2.0 offers. */
export const LINE_ENDINGS = { LF: '\n', CRLF: '\r\n' } as const;
export type LineEnding = keyof typeof LINE_ENDINGS;

export const QUERY_OPERATIONS = ['query', 'queryAll'] as const;
export type QueryOperation = (typeof QUERY_OPERATIONS)[number];

/** A validated create request. */
export interface QueryJobRequest {
  operation: QueryOperation;
  query: string;
  contentType: 'CSV';
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
}

function oneOf<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[], fallback: T | undefined): T {
  const v = body[field];
  // Clients send `null` for options they leave unset (simple-salesforce); that means "default".
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (v === undefined || v === null || v === '') throw invalidJob(`Required field is missing: ${field}`);
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalidJob(`Invalid value for ${field}: ${String(v)}. Allowed values: ${allowed.join(', ')}`);
  }
  return v as T;
}

/** Parses and validates the create body; throws SfHttpError naming the bad field. */
export function parseQueryJobRequest(text: string): QueryJobRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw jsonParserError(`Unable to parse the request body as JSON: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw jsonParserError('The request body must be a JSON object');
  }
  const body = raw as Record<string, unknown>;
  const operation = oneOf(body, 'operation', QUERY_OPERATIONS, undefined);
  const query = body.query;
  if (query === undefined || query === null || (typeof query === 'string' && query.trim() === '')) {
    throw invalidJob('Required field is missing: query');
  }
  if (typeof query !== 'string') throw invalidJob('Invalid value for query: it must be a string holding a SOQL query');
  return {
    operation,
    query,
    contentType: oneOf(body, 'contentType', ['CSV'] as const, 'CSV'),
    columnDelimiter: oneOf(body, 'columnDelimiter', Object.keys(COLUMN_DELIMITERS) as ColumnDelimiter[], 'COMMA'),
    lineEnding: oneOf(body, 'lineEnding', Object.keys(LINE_ENDINGS) as LineEnding[], 'LF'),
  };
}
