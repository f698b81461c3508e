/**
 * ForcebridgeError → HTTP status, by who is at fault. Authentication failures (no key, unknown or
 * revoked key) answer 401 rather than 403 so clients know to fetch a new key; everything else that
 * is `forbidden` (admin only, step-up needed) is 403.
 */
import type { ErrorKind } from '../errors.js';
import { ForcebridgeError } from '../errors.js';

export const STATUS_BY_KIND: Record<ErrorKind, 400 | 403 | 404 | 409 | 500 | 502 | 503> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  remote_error: 502,
  remote_protocol: 502,
  unavailable: 503,
  internal: 500,
};

/** Codes answered with 401 and `WWW-Authenticate: Bearer`. */
export const UNAUTHENTICATED_CODES = new Set(['auth.api_key_missing', 'auth.api_key_invalid']);

export function statusOf(e: ForcebridgeError): 400 | 401 | 403 | 404 | 409 | 500 | 502 | 503 {
  return UNAUTHENTICATED_CODES.has(e.code) ? 401 : STATUS_BY_KIND[e.kind];
}

/** Any thrown value as a ForcebridgeError safe to show: unknown errors become a bare `internal`. */
export function toPublicError(e: unknown, requestId: string): ForcebridgeError {
  if (e instanceof ForcebridgeError) return e;
  return new ForcebridgeError('internal', 'internal', 'an unexpected error occurred', {
    hint: `report it with request id ${requestId}`,
    details: { requestId },
  });
}
