/**
 * What the pass-through endpoint forwards: only REST paths under `/services/data/` (no dot
 * segments, no encoded slashes, no other host), only request headers Salesforce defines for the
 * REST API, and only response headers that describe the answer. Authorization and cookies are
 * never forwarded either way.
 */
import { ForcebridgeError, invalidInput } from '../errors.js';

/** Request headers a caller may pass through (lower-case). */
export const FORWARDED_REQUEST_HEADERS = new Set([
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'sforce-auto-assign',
  'sforce-call-options',
  'sforce-duplicate-rule-header',
  'sforce-mru',
  'sforce-query-options',
  'x-prettyprint',
]);

/** Response headers handed back (lower-case). */
export const RETURNED_RESPONSE_HEADERS = ['content-type', 'sforce-limit-info', 'etag', 'last-modified', 'location', 'retry-after'];

/** Checks a proxied path; returns it unchanged when acceptable. */
export function checkProxyPath(path: string): string {
  const refuse = (why: string) =>
    invalidInput(
      'proxy.path_refused',
      'path',
      `path ${JSON.stringify(path.slice(0, 200))} is refused: ${why}`,
      'use a REST path such as /services/data/v62.0/limits',
    );
  if (!path.startsWith('/services/data/')) throw refuse('only paths under /services/data/ can be called through the proxy');
  if (/[\\\s#]/.test(path) || [...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    throw refuse('it contains a backslash, whitespace, # or a control character');
  const [pathname] = path.split('?', 1) as [string];
  if (pathname.includes('//')) throw refuse('it contains an empty segment');
  for (const seg of pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      throw refuse('it has a malformed percent-encoding');
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\'))
      throw refuse('dot segments and encoded slashes are not allowed');
  }
  // Resolving against a dummy origin must leave the path where it was (no host change, no climbing).
  const u = new URL(path, 'http://proxy.invalid');
  if (u.host !== 'proxy.invalid' || !u.pathname.startsWith('/services/data/')) throw refuse('it leaves /services/data/');
  return path;
}

/** Keeps allowed request headers; refuses others by name so the caller knows what was dropped. */
export function checkProxyHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!FORWARDED_REQUEST_HEADERS.has(name.toLowerCase())) {
      throw new ForcebridgeError('proxy.header_refused', 'invalid_input', `header "${name}" cannot be passed through`, {
        field: `headers.${name}`,
        hint: `allowed: ${[...FORWARDED_REQUEST_HEADERS].join(', ')}; authentication is added by forcebridge`,
      });
    }
    if (/[\r\n]/.test(value)) throw invalidInput('proxy.header_refused', `headers.${name}`, `header "${name}" contains a line break`);
    out[name] = value;
  }
  return out;
}

/** The safe subset of response headers, as single strings. */
export function returnedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RETURNED_RESPONSE_HEADERS) {
    const v = headers[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
