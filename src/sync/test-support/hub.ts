/**
 * A hub over a fresh store (SQLite or PostgreSQL) with one client-credentials connection to the
 * emulator's demo app — what every sync acceptance suite starts from. The transport can be
 * wrapped (fault suites shorten API timeouts this way).
 */
import { demoIntegration, demoSecrets, openTestHub, type TestHub } from '../../connections/test-support/hub.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { createTransport, type Transport } from '../../salesforce/transport.js';
import type { Backend } from '../../store/test-support/stores.js';

export interface SyncTestHub extends TestHub {
  /** The connection's id (sync tables and bookkeeping are keyed by it). */
  connectionId: string;
  /** The connection's name (what `forcebridge sync <connection>` takes). */
  connection: string;
}

export async function openSyncTestHub(backend: Backend, em: RunningEmulator, o: { wrapTransport?: (t: Transport) => Transport } = {}): Promise<SyncTestHub> {
  const t = await openTestHub(backend, o.wrapTransport ? { transport: o.wrapTransport(createTransport()) } : {});
  const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
  const conn = await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.name);
  return { ...t, connectionId: conn.id, connection: conn.name };
}

/** A transport whose REST API calls (`/services/data/`) time out after `ms` (token calls keep theirs). */
export function shortApiTimeout(ms: number): (t: Transport) => Transport {
  return (t) => (req) => t(req.url.includes('/services/data/') ? { ...req, timeoutMs: Math.min(req.timeoutMs ?? ms, ms) } : req);
}
