/**
 * Test helpers for the connection side: a hub over a fresh store (SQLite or PostgreSQL) with a
 * random master key, talking to an in-process emulator.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../emulator/server.js';
import { control } from '../../emulator/test-support/harness.js';
import type { Transport } from '../../salesforce/transport.js';
import type { Backend } from '../../store/test-support/stores.js';
import { openHub, type Hub } from '../hub.js';
import type { IntegrationInput, IntegrationSecrets } from '../integration.js';
import { parseIntegrationInput } from '../integration.js';

export interface TestHub {
  hub: Hub;
  dataDir: string;
  databaseUrl: string;
  masterKey: string;
  cleanup(): Promise<void>;
}

export async function openTestHub(backend: Backend, o: { transport?: Transport } = {}): Promise<TestHub> {
  const t = await backend.create();
  await t.store.close();
  const dataDir = mkdtempSync(join(tmpdir(), 'fb-hub-'));
  const masterKey = randomBytes(32).toString('base64');
  const hub = await openHub({ databaseUrl: t.url, dataDir, masterKey, ...(o.transport ? { transport: o.transport } : {}) });
  return {
    hub,
    dataDir,
    databaseUrl: t.url,
    masterKey,
    cleanup: async () => {
      await hub.close();
      await t.cleanup().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function demoAdmin(em: RunningEmulator) {
  return em.banner.users.find((u) => u.username.startsWith('admin@'))!;
}

/** Integration input for the emulator's demo app with the given flow. */
export function demoIntegration(em: RunningEmulator, flow: IntegrationInput['flow'], extra: Partial<Record<string, unknown>> = {}): IntegrationInput {
  const loginHost = flow === 'client_credentials' ? em.urls.mydomain : em.urls.login;
  return parseIntegrationInput({
    name: `Emu ${flow}`,
    clientId: em.banner.clientId,
    loginHost,
    flow,
    ...(flow === 'password' || flow === 'jwt_bearer' ? { username: demoAdmin(em).username } : {}),
    ...(flow === 'authorization_code' ? { callbackUrl: em.banner.redirectUri } : {}),
    ...extra,
  });
}

export async function demoSecrets(em: RunningEmulator, flow: IntegrationInput['flow']): Promise<IntegrationSecrets> {
  const admin = demoAdmin(em);
  switch (flow) {
    case 'password':
      return { clientSecret: em.banner.clientSecret, password: admin.password, securityToken: admin.securityToken };
    case 'client_credentials':
      return { clientSecret: em.banner.clientSecret };
    case 'jwt_bearer':
      return { privateKeyPem: await control<string>(em, 'GET', `apps/${encodeURIComponent(em.banner.clientId)}/jwt-key`) };
    default:
      return { clientSecret: em.banner.clientSecret };
  }
}

/** Number of token-endpoint requests the emulator has served since `sinceSeq`. */
export async function tokenRequestsSince(em: RunningEmulator, sinceSeq: number): Promise<number> {
  const log = await control<{ path: string; method: string }[]>(em, 'GET', `requests?since=${sinceSeq}`);
  return log.filter((r) => r.method === 'POST' && r.path === '/services/oauth2/token').length;
}
