/**
 * Test helpers: start an in-process emulator on free loopback ports, mint a session for a demo
 * user without going through OAuth (OAuth itself is tested in oauth/), and call REST endpoints.
 */
import type { RunningEmulator, EmulatorOptions } from '../server.js';
import { startEmulator } from '../server.js';

export const API = '/services/data/v66.0';

export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, control: true, ...opts });
}

/** An access token for a user (by username prefix such as "admin" or a full username). */
export function tokenFor(em: RunningEmulator, user = 'admin', scopes = ['api', 'refresh_token']): string {
  const u = [...em.org.users.values()].find((x) => x.config.username === user || x.config.username.startsWith(`${user}@`));
  if (!u) throw new Error(`no emulator user ${user}`);
  return em.org.tokens.issueAccess(u.id, em.banner.clientId, scopes, 'mydomain').token;
}

export interface ApiResult<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

/** Calls the instance: `path` is absolute (`/services/...`) or relative to API. */
export async function api<T = any>(
  em: RunningEmulator,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResult<T>> {
  const url = em.urls.mydomain + (path.startsWith('/services/') || path.startsWith('/__emulator') ? path : `${API}${path}`);
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as T };
}

/** Calls the control API. */
export async function control<T = any>(em: RunningEmulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${em.urls.login}/__emulator/${path.replace(/^\//, '')}`, {
    method,
    headers: body !== undefined ? { 'Content-Type': 'application/json' } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${method} ${path} → ${res.status}: ${text}`);
  return (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
}
