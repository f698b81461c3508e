import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { RunningEmulator } from '../emulator/server.js';
import { startTestEmulator } from '../emulator/test-support/harness.js';
import { ForcebridgeError } from '../errors.js';
import { DeviceFlows } from '../server/device-flows.js';
import { backends } from '../store/test-support/stores.js';
import { ConnectionsRepo } from './connections-repo.js';
import { openHub, type Hub } from './hub.js';
import { IntegrationsRepo } from './integrations-repo.js';
import { ENCRYPTED_COLUMNS, keyRingEnvValue, rotateKeys, uncoveredEncryptedColumns } from './key-rotation.js';
import { OAuthStates } from './oauth-states.js';
import { demoIntegration, demoSecrets } from './test-support/hub.js';
import { keyRingFromEnv, keyRingFromFile, saveKeyRing, Vault } from './vault.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 20 } } });
});
after(() => em.close());

/** Every ciphertext in the database with its key id. */
async function allCiphertexts(hub: Hub): Promise<{ where: string; keyId: string | undefined }[]> {
  const out: { where: string; keyId: string | undefined }[] = [];
  for (const c of ENCRYPTED_COLUMNS) {
    const rows = await sql<{ v: string }>`select ${sql.ref(c.column)} as v from ${sql.table(c.table)} where ${sql.ref(c.column)} is not null`.execute(
      hub.store.db,
    );
    for (const r of rows.rows) out.push({ where: `${c.table}.${c.column}`, keyId: Vault.keyIdOf(r.v) });
  }
  return out;
}

for (const backend of backends) {
  describe(`rotateKeys (${backend.name})`, { skip: backend.skip }, () => {
    let hub: Hub;
    let dataDir: string;
    let cleanupStore: () => Promise<void>;
    let state: string;
    let deviceId: string;
    const original: Record<string, unknown> = {};

    before(async () => {
      const t = await backend.create();
      await t.store.close();
      cleanupStore = t.cleanup;
      dataDir = mkdtempSync(join(tmpdir(), 'fb-rot-'));
      // No master key: the key file beside the data, which rotation must update.
      hub = await openHub({ databaseUrl: t.url, dataDir });
      const tid = hub.tenant.id;
      for (const flow of ['password', 'client_credentials'] as const) {
        const secrets = await demoSecrets(em, flow);
        const integ = await hub.integrations.create(tid, demoIntegration(em, flow), secrets);
        original[flow] = secrets;
        const conn = await hub.service.connectNonInteractive(tid, integ.id);
        original[`${flow}:tokens`] = await hub.connections.tokens(tid, conn.id);
      }
      const code = await hub.integrations.create(tid, demoIntegration(em, 'authorization_code'), {});
      state = (await hub.service.startAuthorization(hub.admin, code.id)).state;
      deviceId = (
        await new DeviceFlows(hub.store.db, hub.vault).save(
          {
            tenantId: tid,
            userId: hub.admin.id,
            integrationId: code.id,
            device: { deviceCode: 'DEVICE-CODE-1', userCode: 'ABCD', verificationUri: `${em.urls.login}/setup/connect`, interval: 5 },
          },
          Date.now(),
        )
      ).id;
    });
    after(async () => {
      await hub.close();
      await cleanupStore().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('ENCRYPTED_COLUMNS covers every _enc column of the schema', async () => {
      assert.deepEqual(await uncoveredEncryptedColumns(hub.store), []);
    });

    it('a value that fails to decrypt aborts the rotation with nothing changed', async () => {
      const before = await allCiphertexts(hub);
      const oldKey = hub.vault.currentKeyId;
      const row = await hub.store.db.selectFrom('connections').select(['id', 'access_token_enc']).orderBy('id').executeTakeFirstOrThrow();
      // A ciphertext moved to another row fails its AAD check, as a tampered value would.
      const other = await hub.store.db.selectFrom('connections').select(['id', 'access_token_enc']).where('id', '!=', row.id).executeTakeFirstOrThrow();
      await hub.store.db.updateTable('connections').set({ access_token_enc: other.access_token_enc }).where('id', '=', row.id).execute();
      try {
        await assert.rejects(rotateKeys(hub.store, hub.vault), (e: unknown) => e instanceof ForcebridgeError && e.code === 'vault.decrypt_failed');
        assert.equal(hub.vault.currentKeyId, oldKey, 'the process keeps encrypting with the old key');
        assert.deepEqual(hub.vault.keyIds(), [oldKey]);
        assert.deepEqual(await allCiphertexts(hub), before, 'the transaction rolled back');
      } finally {
        await hub.store.db.updateTable('connections').set({ access_token_enc: row.access_token_enc }).where('id', '=', row.id).execute();
      }
    });

    it('re-encrypts every value under the new key, saves the key file, retires the old key', async () => {
      const oldRing = keyRingFromFile(hub.keyFile);
      const phases: string[] = [];
      const r = await rotateKeys(hub.store, hub.vault, {
        saveRing: (ring, phase) => {
          phases.push(`${phase}:${ring.keys.size}`);
          saveKeyRing(hub.keyFile, ring);
        },
      });
      assert.deepEqual(phases, ['added:2', 'retired:1'], 'old + new saved before the values change');
      assert.deepEqual(r.retiredKeyIds, [oldRing.current]);
      assert.equal(r.counts.integrations, 3);
      assert.ok(r.counts.connections! >= 2);
      assert.equal(r.counts.oauth_states, 1);
      assert.equal(r.counts.device_flows, 1);
      const values = await allCiphertexts(hub);
      assert.ok(values.length >= 7);
      for (const v of values) assert.equal(v.keyId, r.newKeyId, v.where);

      // Only the new key, read back from the file, decrypts everything through the repositories.
      const ring = keyRingFromFile(hub.keyFile);
      assert.deepEqual([...ring.keys.keys()], [r.newKeyId]);
      const fresh = new Vault(ring);
      const integrations = new IntegrationsRepo(hub.store.db, fresh);
      const connections = new ConnectionsRepo(hub.store.db, fresh);
      const tid = hub.tenant.id;
      for (const flow of ['password', 'client_credentials'] as const) {
        const integ = await integrations.get(tid, `Emu ${flow}`);
        assert.deepEqual(await integrations.secrets(tid, integ.id), original[flow]);
        const conn = await connections.get(tid, `Emu ${flow}`);
        assert.deepEqual(await connections.tokens(tid, conn.id), {
          ...(original[`${flow}:tokens`] as object),
          version: (await connections.tokens(tid, conn.id)).version,
        });
      }
      assert.match(
        (await new OAuthStates(hub.store.db, fresh).consume(state, { tenantId: tid, userId: hub.admin.id })).codeVerifier,
        /^[A-Za-z0-9_-]{43,128}$/,
      );
      assert.equal((await new DeviceFlows(hub.store.db, fresh).get(tid, hub.admin.id, deviceId)).device.deviceCode, 'DEVICE-CODE-1');

      // The old key alone reads nothing any more.
      const stale = new IntegrationsRepo(hub.store.db, new Vault(oldRing));
      await assert.rejects(
        stale.secrets(tid, (await integrations.get(tid, 'Emu password')).id),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'vault.key_missing',
      );
    });

    it('a connection still works after rotation (API call and a renewal)', async () => {
      const { client } = await hub.service.client(hub.tenant.id, 'Emu password');
      const res = await client.request<{ records: unknown[] }>({ method: 'GET', path: '/query', query: { q: 'SELECT Id FROM Account LIMIT 2' } });
      assert.equal(res.json.records.length, 2);
      const conn = await hub.connections.get(hub.tenant.id, 'Emu client_credentials');
      const renewed = await hub.refresher.renew(hub.tenant.id, conn.id, -1);
      assert.equal(renewed.reason, 'renewed');
    });
  });
}

describe('keyRingEnvValue', () => {
  it('writes the current key first and parses back to the same ring', () => {
    const ring = keyRingFromEnv(Buffer.alloc(32, 1).toString('base64'));
    const vault = new Vault(ring);
    const id = vault.addKey();
    const value = keyRingEnvValue(vault.keyRing);
    assert.match(value, new RegExp(`^${id}:[^,]+,env:`));
    const back = keyRingFromEnv(value);
    assert.equal(back.current, id);
    assert.deepEqual([...back.keys.keys()], [id, 'env']);
    assert.ok(back.keys.get('env')!.equals(Buffer.alloc(32, 1)));
  });
});
