/**
 * Checks a Salesforce token endpoint answer field by field before anything uses it. Salesforce
 * sends no `expires_in`; `issued_at` is milliseconds as a string; `signature` is
 * Base64(HMAC-SHA256(client_secret, id + issued_at)) and is verified when the secret is known.
 * See shared/reference/salesforce-wire.md §1.3.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { remoteProtocol } from '../errors.js';
import { oauthError } from './oauth-error.js';

export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  instanceUrl: string;
  /** Identity URL (`https://login.salesforce.com/id/{orgId}/{userId}`). */
  identityUrl: string;
  orgId: string;
  userId: string;
  /** Granted scopes; empty when Salesforce did not say. */
  scopes: string[];
  /** Epoch ms; the local time when Salesforce omitted it. */
  issuedAt: number;
  idToken: string | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const ID_RE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

function field(obj: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined;
}

function isLoopbackHost(h: string): boolean {
  return h === 'localhost' || h === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** Parses a JSON object body or throws a protocol error naming `what`. */
export function parseJsonObject(res: RawResponse, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw remoteProtocol('salesforce.unparseable_response', `${what} is not JSON (HTTP ${res.status}, ${res.body.length} bytes)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw remoteProtocol('salesforce.unexpected_response', `${what} must be a JSON object (HTTP ${res.status})`);
  }
  return parsed as Record<string, unknown>;
}

/** Throws the OAuth error of a non-2xx token answer (or a protocol error when it has none). */
export function throwIfOAuthError(res: RawResponse, what = 'token response'): void {
  if (res.status >= 200 && res.status < 300) return;
  let body: Record<string, unknown> | undefined;
  try {
    body = parseJsonObject(res, what);
  } catch {
    body = undefined;
  }
  const error = body && typeof body.error === 'string' ? body.error : undefined;
  if (error) throw oauthError(error, typeof body!.error_description === 'string' ? (body!.error_description as string) : undefined, res.status);
  throw remoteProtocol('salesforce.unexpected_status', `${what}: HTTP ${res.status} without an OAuth error body`, { status: res.status });
}

function httpsUrl(value: unknown, name: string): URL {
  if (typeof value !== 'string' || !value) throw remoteProtocol('oauth.token_response_invalid', `token response "${name}" must be a non-empty string`);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw remoteProtocol('oauth.token_response_invalid', `token response "${name}" must be a URL`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw remoteProtocol('oauth.token_response_invalid', `token response "${name}" must be an https URL`);
  }
  return u;
}

/**
 * Validates a successful token response. `clientSecret` enables signature verification;
 * `requireRefreshToken` makes a missing refresh token an error (the caller maps it to
 * needs_reconnect/missing_refresh_scope rather than failing, when it chooses).
 */
export function processTokenResponse(res: RawResponse, opts: { clientSecret?: string; now?: () => number } = {}): TokenSet {
  throwIfOAuthError(res);
  const body = parseJsonObject(res, 'token response');
  const accessToken = field(body, 'access_token');
  if (typeof accessToken !== 'string' || accessToken.length < 10)
    throw remoteProtocol('oauth.token_response_invalid', 'token response "access_token" must be a non-empty string');
  const instance = httpsUrl(field(body, 'instance_url'), 'instance_url');
  const idUrl = httpsUrl(field(body, 'id'), 'id');
  const m = /\/id\/([^/]+)\/([^/]+)\/?$/.exec(idUrl.pathname);
  if (!m || !ID_RE.test(m[1]!) || !ID_RE.test(m[2]!))
    throw remoteProtocol('oauth.token_response_invalid', 'token response "id" must look like https://login.salesforce.com/id/{orgId}/{userId}');
  const tokenType = field(body, 'token_type');
  if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
    throw remoteProtocol('oauth.token_response_invalid', 'token response "token_type" must be "Bearer"');
  }
  const issuedRaw = field(body, 'issued_at');
  let issuedAt: number;
  if (issuedRaw === undefined) issuedAt = (opts.now ?? Date.now)();
  else if (typeof issuedRaw === 'string' && /^\d{10,16}$/.test(issuedRaw)) issuedAt = Number(issuedRaw);
  else throw remoteProtocol('oauth.token_response_invalid', 'token response "issued_at" must be milliseconds since the epoch as a string');
  const signature = field(body, 'signature');
  if (signature !== undefined) {
    if (typeof signature !== 'string') throw remoteProtocol('oauth.token_response_invalid', 'token response "signature" must be a string');
    if (opts.clientSecret && typeof issuedRaw === 'string') {
      const want = createHmac('sha256', opts.clientSecret).update(`${idUrl.toString()}${issuedRaw}`).digest();
      const got = Buffer.from(signature, 'base64');
      if (got.length !== want.length || !timingSafeEqual(got, want)) {
        throw remoteProtocol('oauth.token_signature_mismatch', 'token response "signature" does not match HMAC-SHA256(client secret, id + issued_at)');
      }
    }
  }
  const scope = field(body, 'scope');
  if (scope !== undefined && typeof scope !== 'string') throw remoteProtocol('oauth.token_response_invalid', 'token response "scope" must be a string');
  const refresh = field(body, 'refresh_token');
  if (refresh !== undefined && (typeof refresh !== 'string' || !refresh))
    throw remoteProtocol('oauth.token_response_invalid', 'token response "refresh_token" must be a non-empty string');
  const idToken = field(body, 'id_token');
  return {
    accessToken,
    refreshToken: refresh as string | undefined,
    instanceUrl: `${instance.protocol}//${instance.host}`,
    identityUrl: idUrl.toString(),
    orgId: m[1]!,
    userId: m[2]!,
    scopes: typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : [],
    issuedAt,
    idToken: typeof idToken === 'string' ? idToken : undefined,
  };
}
