/**
 * Token endpoint success bodies: exactly Salesforce's fields per flow, in Salesforce's order
 * (wire reference §1.3). Never an `expires_in`. `signature` = base64(HMAC-SHA256(client_secret,
 * id + issued_at)), which clients use to check the `id` was not tampered with.
 */
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { JSON_TYPE, oauthError } from '../http/respond.js';
import type { ConnectedApp, Org } from '../org.js';
import type { OAuthErrorDef } from './errors.js';
import { idToken } from './id-token.js';
import { wantsIdToken } from './scopes.js';
import type { AccessSession, RefreshGrant } from './tokens.js';

export type Flow = 'authorization_code' | 'refresh_token' | 'password' | 'client_credentials' | 'jwt_bearer' | 'device' | 'user_agent';

type Field = 'access_token' | 'refresh_token' | 'signature' | 'scope' | 'id_token' | 'instance_url' | 'id' | 'token_type' | 'issued_at';

/** Salesforce's emission order. */
const ORDER: readonly Field[] = ['access_token', 'refresh_token', 'signature', 'scope', 'id_token', 'instance_url', 'id', 'token_type', 'issued_at'];

const ALL = new Set<Field>(ORDER);

/**
 * Fields each flow may return. `refresh_token` and `id_token` appear only when due. Password
 * follows the doc example (no scope); JWT follows the recorded sample (no issued_at/signature) —
 * both UNCONFIRMED in parts, so they live here as data.
 */
export const FLOW_FIELDS: Record<Flow, ReadonlySet<Field>> = {
  authorization_code: ALL,
  device: ALL,
  user_agent: ALL,
  refresh_token: ALL,
  password: new Set<Field>(['access_token', 'instance_url', 'id', 'token_type', 'issued_at', 'signature']),
  client_credentials: new Set<Field>(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']),
  jwt_bearer: new Set<Field>(['access_token', 'scope', 'instance_url', 'id', 'token_type']),
};

/** base64(HMAC-SHA256(key = client secret, message = id + issued_at)). */
export function tokenSignature(clientSecret: string, id: string, issuedAt: string): string {
  return createHmac('sha256', clientSecret)
    .update(id + issuedAt)
    .digest('base64');
}

export interface IssuedTokens {
  flow: Flow;
  app: ConnectedApp;
  session: AccessSession;
  refresh: RefreshGrant | undefined;
  nonce?: string;
}

/** Builds the success body for a flow. */
export async function tokenBody(org: Org, t: IssuedTokens): Promise<Record<string, string>> {
  const allowed = FLOW_FIELDS[t.flow];
  const id = org.identityUrl(t.session.userId, t.session.hostRole);
  const issuedAt = String(t.session.issuedAt);
  const values: Partial<Record<Field, string>> = {
    access_token: t.session.token,
    ...(t.refresh ? { refresh_token: t.refresh.token } : {}),
    signature: tokenSignature(t.app.clientSecret, id, issuedAt),
    scope: t.session.scopes.join(' '),
    ...(wantsIdToken(t.session.scopes) && allowed.has('id_token') ? { id_token: await idToken(org, t.app, t.session, t.nonce) } : {}),
    instance_url: org.urls.mydomain,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
  const body: Record<string, string> = {};
  for (const f of ORDER) if (allowed.has(f) && values[f] !== undefined) body[f] = values[f];
  return body;
}

/** Whether the caller asked for `format=urlencoded` (parameter or Accept header). */
export function wantsUrlencoded(c: Context, format: string | undefined): boolean {
  if (format) return format.toLowerCase() === 'urlencoded';
  return (c.req.header('accept') ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** Sends a token endpoint body as JSON (default) or urlencoded. */
export function sendOAuthBody(c: Context, body: Record<string, string | number | boolean>, status: number, urlencoded: boolean): Response {
  if (urlencoded) {
    const text = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return c.body(text, status as 200, { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', ...NO_STORE });
  }
  return c.body(JSON.stringify(body), status as 200, { 'Content-Type': JSON_TYPE, ...NO_STORE });
}

/** An OAuth error body from the error table (`{error, error_description}`). */
export function sendOAuthError(c: Context, def: OAuthErrorDef, urlencoded: boolean): Response {
  if (!urlencoded) return oauthError(c, def.error, def.description, def.status ?? 400);
  const body: Record<string, string> = def.description === undefined ? { error: def.error } : { error: def.error, error_description: def.description };
  return sendOAuthBody(c, body, def.status ?? 400, true);
}
