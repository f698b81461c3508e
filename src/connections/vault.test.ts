import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ForcebridgeError } from '../errors.js';
import { keyRingFromEnv, keyRingFromFile, openVault, saveKeyRing, Vault } from './vault.js';

const envKey = () => randomBytes(32).toString('base64');

describe('Vault.encrypt', () => {
  it('round-trips and never contains the plaintext', () => {
    const v = new Vault(keyRingFromEnv(envKey()));
    const secret = '00Dxx0000000123!AQ-super-secret-token';
    const ct = v.encrypt(secret, 'connections.access_token:c1');
    assert.ok(!ct.includes(secret));
    assert.ok(ct.startsWith('fbv1:env:'));
    assert.equal(v.decrypt(ct, 'connections.access_token:c1'), secret);
    assert.notEqual(v.encrypt(secret, 'x'), v.encrypt(secret, 'x'), 'fresh IV each time');
  });

  it('refuses a ciphertext moved to another row (AAD) or altered', () => {
    const v = new Vault(keyRingFromEnv(envKey()));
    const ct = v.encrypt('s', 'connections.access_token:c1');
    assert.throws(
      () => v.decrypt(ct, 'connections.access_token:c2'),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'vault.decrypt_failed',
    );
    // One character of the ciphertext changed (to one it is not: replacing 'A' by 'A' was a 1-in-64 flake).
    const at = ct.length - 2;
    const tampered = ct.slice(0, at) + (ct[at] === 'A' ? 'B' : 'A') + ct.slice(at + 1);
    assert.notEqual(tampered, ct);
    assert.throws(() => v.decrypt(tampered, 'connections.access_token:c1'), ForcebridgeError);
  });
});

describe('Vault rotation', () => {
  it('reads old values after a new key becomes current, and names a missing key', () => {
    const v = new Vault(keyRingFromEnv(envKey()));
    const old = v.encrypt('a', 'aad');
    const id = v.addKey();
    assert.equal(v.currentKeyId, id);
    assert.equal(v.decrypt(old, 'aad'), 'a');
    const fresh = v.encrypt('a', 'aad');
    assert.equal(Vault.keyIdOf(fresh), id);
    v.retireOldKeys();
    assert.throws(
      () => v.decrypt(old, 'aad'),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'vault.key_missing' && /env/.test(e.message),
    );
  });
});

describe('keyRingFromEnv', () => {
  it('accepts base64, hex and id:key lists, and explains bad keys', () => {
    assert.equal(keyRingFromEnv(envKey()).current, 'env');
    assert.equal(keyRingFromEnv(randomBytes(32).toString('hex')).keys.size, 1);
    const ring = keyRingFromEnv(`new:${envKey()},old:${envKey()}`);
    assert.equal(ring.current, 'new');
    assert.deepEqual([...ring.keys.keys()], ['new', 'old']);
    assert.throws(
      () => keyRingFromEnv('short'),
      (e: unknown) => e instanceof ForcebridgeError && e.field === 'FORCEBRIDGE_MASTER_KEY' && /openssl rand/.test(e.hint ?? ''),
    );
  });
});

describe('keyRingFromFile', () => {
  it('creates the key file with mode 0600 on first run and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-vault-'));
    const path = join(dir, 'sub', 'master.key');
    const { vault, source } = openVault({ keyFile: path });
    assert.equal(source, 'file');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const ct = vault.encrypt('x', 'a');
    const again = new Vault(keyRingFromFile(path));
    assert.equal(again.decrypt(ct, 'a'), 'x');
    vault.addKey();
    saveKeyRing(path, vault.keyRing);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).current, vault.currentKeyId);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});
