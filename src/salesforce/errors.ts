/**
 * Salesforce REST error answers (`[{message, errorCode, fields}]`) as ForcebridgeErrors that keep
 * Salesforce's own errorCode, status and fields beside our stable code.
 */
import { ForcebridgeError, remoteProtocol } from '../errors.js';
import type { HttpResponse } from './transport.js';

const HINTS: Record<string, string> = {
  INVALID_SESSION_ID: 'the session expired or was revoked; forcebridge renews it once and retries',
  REQUEST_LIMIT_EXCEEDED: 'the org used its daily API allocation; calls resume when it resets (rolling 24 hours)',
  API_DISABLED_FOR_ORG: 'the user’s profile or permission set lacks "API Enabled", or the org edition has no API access',
  INSUFFICIENT_ACCESS: 'the connected user lacks a permission for this call',
  INSUFFICIENT_ACCESS_OR_READONLY: 'the connected user cannot edit this record (object permission, field-level security or sharing)',
  INVALID_FIELD: 'the field does not exist or is hidden by field-level security for the connected user',
  INVALID_TYPE: 'the object does not exist or the connected user cannot read it',
  NOT_FOUND: 'the resource or record does not exist or is not visible to the connected user',
};

/** Throws a ForcebridgeError for a non-2xx REST answer. */
export function salesforceError(res: HttpResponse, what: string): ForcebridgeError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return remoteProtocol('salesforce.unexpected_status', `${what}: HTTP ${res.status} with a non-JSON body`, { status: res.status });
  }
  const first = Array.isArray(parsed) ? (parsed[0] as Record<string, unknown> | undefined) : (parsed as Record<string, unknown>);
  const errorCode = typeof first?.errorCode === 'string' ? first.errorCode : typeof first?.error === 'string' ? first.error : undefined;
  if (!errorCode) return remoteProtocol('salesforce.unexpected_status', `${what}: HTTP ${res.status} without a Salesforce error body`, { status: res.status });
  const message = typeof first?.message === 'string' ? first.message : typeof first?.error_description === 'string' ? first.error_description : '';
  const fields = Array.isArray(first?.fields) ? (first.fields as unknown[]).filter((f): f is string => typeof f === 'string') : undefined;
  return new ForcebridgeError(`salesforce.${errorCode.toLowerCase()}`, 'remote_error', `${what}: ${errorCode}${message ? `: ${message}` : ''}`, {
    salesforce: { errorCode, ...(message ? { message } : {}), status: res.status, ...(fields ? { fields } : {}) },
    ...(HINTS[errorCode] ? { hint: HINTS[errorCode] } : {}),
  });
}
