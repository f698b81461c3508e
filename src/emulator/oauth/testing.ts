/**
 * Test helpers for the OAuth endpoints: form posts to the token endpoint on a chosen host role,
 * the demo app and users, and the signature check clients perform.
 */
import { createHmac } from 'node:crypto';
import type { RunningEmulator } from '../server.js';
import type { HostRole } from './tokens.js';

export interface OAuthResult {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export interface PostOptions {
  host?: HostRole;
  path?: string;
  /** Parameters sent in the query string instead of (or besides) the body. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  multipart?: boolean;
}

/** POSTs form parameters to an OAuth endpoint (token by default) on the login host. */
export async function postForm(em: RunningEmulator, params: Record<string, string>, opts: PostOptions = {}): Promise<OAuthResult> {
  const url = new URL(`${em.urls[opts.host ?? 'login']}${opts.path ?? '/services/oauth2/token'}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  let body: string | FormData | undefined;
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) form.set(k, v);
    body = form;
  } else if (Object.keys(params).length > 0) {
    body = new URLSearchParams(params).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The demo admin (password contains `#&% `), and other demo users by name prefix. */
export function demoUser(em: RunningEmulator, prefix = 'admin'): { username: string; password: string; securityToken: string } {
  const u = [...em.org.users.values()].find((x) => x.config.username.startsWith(`${prefix}@`));
  if (!u) throw new Error(`no demo user ${prefix}`);
  return u.config;
}

/** Demo app client credentials. */
export function demoClient(em: RunningEmulator): { client_id: string; client_secret: string } {
  return { client_id: em.banner.clientId, client_secret: em.banner.clientSecret };
}

/** Recomputes Salesforce's token `signature` as a client verifying it would. */
export function expectedSignature(secret: string, id: string, issuedAt: string): string {
  return createHmac('sha256', secret)
    .update(id + issuedAt)
    .digest('base64');
}

/** Calls `GET /services/data/v66.0/limits` on the instance with a token; returns the status. */
export async function limitsStatus(em: RunningEmulator, token: string): Promise<number> {
  const res = await fetch(`${em.urls.mydomain}/services/data/v66.0/limits`, { headers: { Authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** The value of a hidden/named input in a page. */
export function inputValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return m?.[1]
    ?.replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Runs the authorize pages without a browser: POST the authorize URL with credentials
 * (`action=login`), then Allow with the session from the consent form. Returns the redirect.
 */
export async function authorizeRedirect(
  em: RunningEmulator,
  params: Record<string, string>,
  user: { username: string; password: string } = demoUser(em),
  choice: 'allow' | 'deny' = 'allow',
): Promise<URL> {
  const url = new URL(`${em.urls.login}/services/oauth2/authorize`);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: em.banner.clientId, redirect_uri: em.banner.redirectUri, ...params }))
    url.searchParams.set(k, v);
  const login = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'login', username: user.username, password: user.password }).toString(),
  });
  const html = await login.text();
  if (login.status !== 200) return new URL(login.headers.get('location') ?? `http://invalid/${login.status}`);
  const sid = inputValue(html, 'sid');
  if (!sid) throw new Error(`login did not reach the Allow page: ${html.slice(0, 400)}`);
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: choice, sid }).toString(),
  });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`Allow answered ${res.status} without a redirect`);
  return new URL(location);
}

/** An authorization code for the demo app (scopes/PKCE per `params`). */
export async function authorizationCode(
  em: RunningEmulator,
  params: Record<string, string> = {},
  user?: { username: string; password: string },
): Promise<string> {
  const loc = await authorizeRedirect(em, params, user);
  const code = loc.searchParams.get('code');
  if (!code) throw new Error(`no code in ${loc.toString()}`);
  return code;
}
