/**
 * A hub over a fresh store (SQLite or PostgreSQL) with one client-credentials connection to the
 * emulator's demo app — what every sync acceptance suite starts from. The transport can be
 * wrapped (fault suites shorten API timeouts this way).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHub, type Hub } from '../../connections/hub.js';
import { demoIntegration, demoSecrets } from '../../connections/test-support/hub.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { createTransport, type Transport } from '../../salesforce/transport.js';
import type { Backend } from '../../store/test-support/stores.js';

export interface SyncTestHub {
  hub: Hub;
  dataDir: string;
  databaseUrl: string;
  masterKey: string;
  /** The connection's id (sync tables and bookkeeping are keyed by it). */
  connectionId: string;
  /** The connection's name (what `forcebridge sync <connection>` takes). */
  connection: string;
  cleanup(): Promise<void>;
}

export async function openSyncTestHub(backend: Backend, em: RunningEmulator, o: { wrapTransport?: (t: Transport) => Transport } = {}): Promise<SyncTestHub> {
  const t = await backend.create();
  await t.store.close();
  const dataDir = mkdtempSync(join(tmpdir(), 'fb-sync-'));
  const masterKey = randomBytes(32).toString('base64');
  const base = createTransport();
  const hub = await openHub({ databaseUrl: t.url, dataDir, masterKey, transport: o.wrapTransport ? o.wrapTransport(base) : base });
  const integ = await hub.integrations.create(hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
  const conn = await hub.service.connectNonInteractive(hub.tenant.id, integ.name);
  return {
    hub,
    dataDir,
    databaseUrl: t.url,
    masterKey,
    connectionId: conn.id,
    connection: conn.name,
    cleanup: async () => {
      await hub.close();
      await t.cleanup().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A transport whose REST API calls (`/services/data/`) time out after `ms` (token calls keep theirs). */
export function shortApiTimeout(ms: number): (t: Transport) => Transport {
  return (t) => (req) => t(req.url.includes('/services/data/') ? { ...req, timeoutMs: Math.min(req.timeoutMs ?? ms, ms) } : req);
}
