/**
 * Test harness for the HTTP API: the app over a test hub, driven with `app.request()` (no
 * sockets), with a movable clock, an admin API key with a step-up password, and a record of every
 * response and log line so a test can scan them for secrets.
 */
import type { Hono } from 'hono';
import { createLogger } from '../../log.js';
import { openTestHub, type TestHub } from '../../connections/test-support/hub.js';
import { ensureUser, setUserPassword } from '../../connections/tenancy.js';
import type { Backend } from '../../store/test-support/stores.js';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../app.js';
import type { ServerEnv } from '../env.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';
/** Registered on the emulator's demo app (see emulator/defaults.ts). */
export const TEST_BASE_URL = 'http://127.0.0.1:8787';

export interface CallResult<T = any> {
  status: number;
  json: T;
  text: string;
  headers: Headers;
}

export interface TestServer {
  t: TestHub;
  app: Hono<ServerEnv>;
  adminKey: string;
  /** Moves the server's clock forward. */
  advance(ms: number): void;
  /** Every response (status line, headers and body) of this server so far. */
  responses: string[];
  logs: string[];
  call<T = any>(method: string, path: string, o?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<CallResult<T>>;
  keyFor(email: string, o?: { tenantId?: string; isAdmin?: boolean; groupId?: string | null }): Promise<string>;
  cleanup(): Promise<void>;
}

export async function openTestServer(backend: Backend, o: { baseUrl?: string } = {}): Promise<TestServer> {
  const t = await openTestHub(backend);
  const logs: string[] = [];
  const responses: string[] = [];
  let offset = 0;
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void logs.push(s) } });
  const app = createApp({ hub: t.hub, logger, baseUrl: o.baseUrl ?? TEST_BASE_URL, now: () => Date.now() + offset });
  const keys = new ApiKeys(t.hub.store.db);
  await setUserPassword(t.hub.store.db, t.hub.tenant.id, t.hub.admin.id, ADMIN_PASSWORD);
  const adminKey = (await keys.create(t.hub.admin, 'test admin')).key;
  return {
    t,
    app,
    adminKey,
    responses,
    logs,
    advance: (ms) => {
      offset += ms;
    },
    async call(method, path, c = {}) {
      const res = await app.request(path, {
        method,
        headers: {
          ...(c.key ? { Authorization: `Bearer ${c.key}` } : {}),
          ...(c.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...c.headers,
        },
        ...(c.body !== undefined ? { body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) } : {}),
      });
      const text = await res.text();
      responses.push(`${res.status} ${JSON.stringify([...res.headers])}\n${text}`);
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, json: json as any, text, headers: res.headers };
    },
    async keyFor(email, k = {}) {
      const user = await ensureUser(t.hub.store.db, k.tenantId ?? t.hub.tenant.id, email, {
        isAdmin: k.isAdmin ?? false,
        groupId: k.groupId ?? null,
      });
      return (await keys.create(user, null)).key;
    },
    cleanup: () => t.cleanup(),
  };
}
