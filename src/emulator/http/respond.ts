/**
 * Salesforce's response shapes: JSON with `application/json;charset=UTF-8`, REST error arrays
 * `[{message, errorCode, fields}]` and OAuth errors `{error, error_description}`.
 */
import type { Context } from 'hono';

export const JSON_TYPE = 'application/json;charset=UTF-8';

export interface SfError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** A JSON body with Salesforce's content type. */
export function sfJson(c: Context, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(body), status as 200, { 'Content-Type': JSON_TYPE, ...headers });
}

/** A REST error array. */
export function sfErrors(c: Context, status: number, errors: SfError[]): Response {
  return sfJson(c, errors, status);
}

/** A single REST error: `[{message, errorCode[, fields]}]`. */
export function sfError(c: Context, status: number, errorCode: string, message: string, fields?: string[]): Response {
  return sfErrors(c, status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

/** An OAuth error body (`Cache-Control: no-store`, HTTP 400 unless said). */
export function oauthError(c: Context, error: string, description?: string, status = 400): Response {
  return sfJson(c, description === undefined ? { error } : { error, error_description: description }, status, { 'Cache-Control': 'no-store' });
}

/** Thrown anywhere below a REST handler to answer with a Salesforce error array. */
export class SfHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: SfError[],
  ) {
    super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
  }

  static of(status: number, errorCode: string, message: string, fields?: string[]): SfHttpError {
    return new SfHttpError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
  }
}

/** The standard 404 for unknown resources. */
export const notFound = () => SfHttpError.of(404, 'NOT_FOUND', 'The requested resource does not exist');
