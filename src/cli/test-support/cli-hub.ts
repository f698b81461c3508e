/**
 * A temporary data dir (SQLite hub, random master key) with client-credentials connections to the
 * emulator's demo app under the given names, and the environment a CLI process needs to use it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHub } from '../../connections/hub.js';
import { demoIntegration, demoSecrets } from '../../connections/test-support/hub.js';
import type { RunningEmulator } from '../../emulator/server.js';

export async function cliHub(em: RunningEmulator, prefix: string, connections: string[]): Promise<{ dataDir: string; env: NodeJS.ProcessEnv }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const masterKey = randomBytes(32).toString('base64');
  const env: NodeJS.ProcessEnv = { ...process.env, FORCEBRIDGE_DATA_DIR: dataDir, FORCEBRIDGE_MASTER_KEY: masterKey };
  delete env.FORCEBRIDGE_DATABASE_URL;
  const hub = await openHub({ dataDir, masterKey });
  try {
    const integ = await hub.integrations.create(hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
    for (const name of connections) await hub.service.connectNonInteractive(hub.tenant.id, integ.id, { name });
  } finally {
    await hub.close();
  }
  return { dataDir, env };
}
