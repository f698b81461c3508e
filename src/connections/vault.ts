/**
 * The token vault: AES-256-GCM per value with a key id, so keys can rotate while old ciphertext
 * stays readable. Each value is bound to where it lives (AAD such as `connections.access_token:{id}`)
 * so a ciphertext copied into another row does not decrypt.
 *
 * Master keys come from FORCEBRIDGE_MASTER_KEY (base64 of 32 bytes, or `id:base64,id:base64` with
 * the first current) or from a key file created with mode 0600 on first run.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ForcebridgeError, invalidInput } from '../errors.js';

const PREFIX = 'fbv1';

export interface KeyRing {
  /** Id of the key new values are encrypted with. */
  current: string;
  keys: Map<string, Buffer>;
}

function b64url(b: Buffer): string {
  return b.toString('base64url');
}

export class Vault {
  constructor(private ring: KeyRing) {
    if (!ring.keys.has(ring.current)) throw new Error(`vault: current key ${ring.current} is missing`);
  }

  get currentKeyId(): string {
    return this.ring.current;
  }

  keyIds(): string[] {
    return [...this.ring.keys.keys()];
  }

  encrypt(plaintext: string, aad: string): string {
    const key = this.ring.keys.get(this.ring.current)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [PREFIX, this.ring.current, b64url(iv), b64url(cipher.getAuthTag()), b64url(ct)].join(':');
  }

  decrypt(value: string, aad: string): string {
    const parts = value.split(':');
    if (parts.length !== 5 || parts[0] !== PREFIX)
      throw new ForcebridgeError('vault.malformed', 'internal', `a stored secret (${aad.split(':')[0]}) is not vault ciphertext`);
    const [, kid, iv, tag, ct] = parts as [string, string, string, string, string];
    const key = this.ring.keys.get(kid);
    if (!key) {
      throw new ForcebridgeError('vault.key_missing', 'internal', `a stored secret was encrypted with key "${kid}", which is not in the key ring`, {
        hint: 'restore the master key that was in use (FORCEBRIDGE_MASTER_KEY or the key file) and run `forcebridge keys rotate`',
      });
    }
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(aad, 'utf8'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new ForcebridgeError('vault.decrypt_failed', 'internal', `a stored secret (${aad.split(':')[0]}) failed authentication`, {
        hint: 'the value was altered or belongs to another row',
      });
    }
  }

  /** The key id a ciphertext was made with. */
  static keyIdOf(value: string): string | undefined {
    const parts = value.split(':');
    return parts[0] === PREFIX ? parts[1] : undefined;
  }

  /** Adds a fresh key and makes it current (rotation step 1; re-encrypting is step 2). */
  addKey(): string {
    const id = `k${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    this.ring.keys.set(id, randomBytes(32));
    this.ring.current = id;
    return id;
  }

  /** Drops keys other than the current one (rotation step 3, after re-encrypting). */
  retireOldKeys(): string[] {
    const dropped = [...this.ring.keys.keys()].filter((k) => k !== this.ring.current);
    for (const k of dropped) this.ring.keys.delete(k);
    return dropped;
  }

  get keyRing(): KeyRing {
    return this.ring;
  }
}

function parseKey(text: string, field: string): Buffer {
  const buf = Buffer.from(text.trim(), /^[0-9a-f]{64}$/i.test(text.trim()) ? 'hex' : 'base64');
  if (buf.length !== 32)
    throw invalidInput('vault.key_invalid', field, `${field} must be 32 bytes as base64 or 64 hex characters`, 'generate one with: openssl rand -base64 32');
  return buf;
}

/** Parses FORCEBRIDGE_MASTER_KEY: `base64` or `id:base64,id:base64` (first is current). */
export function keyRingFromEnv(value: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let current = '';
  for (const [i, part] of value.split(',').entries()) {
    const m = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(part.trim());
    const id = m ? m[1]! : i === 0 ? 'env' : `env${i}`;
    keys.set(id, parseKey(m ? m[2]! : part, 'FORCEBRIDGE_MASTER_KEY'));
    if (i === 0) current = id;
  }
  return { current, keys };
}

interface KeyFile {
  current: string;
  keys: Record<string, string>;
}

/** Reads the key file, creating it (mode 0600) with a fresh key when absent. */
export function keyRingFromFile(path: string): KeyRing {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const id = `k${Date.now().toString(36)}`;
    const file: KeyFile = { current: id, keys: { [id]: randomBytes(32).toString('base64') } };
    writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) chmodSync(path, 0o600);
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  } catch {
    throw invalidInput('vault.keyfile_invalid', path, `key file ${path} is not valid JSON`, 'restore it from backup; without it stored secrets cannot be read');
  }
  const keys = new Map(Object.entries(parsed.keys ?? {}).map(([id, k]) => [id, parseKey(k, `${path} keys.${id}`)]));
  if (!keys.has(parsed.current))
    throw invalidInput('vault.keyfile_invalid', path, `key file ${path} names current key "${parsed.current}" but does not contain it`);
  return { current: parsed.current, keys };
}

/** Writes the key ring back to its file atomically (after rotation). */
export function saveKeyRing(path: string, ring: KeyRing): void {
  const file: KeyFile = { current: ring.current, keys: Object.fromEntries([...ring.keys].map(([id, k]) => [id, k.toString('base64')])) };
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

/** The vault for this process: env key when set, else the key file beside the data. */
export function openVault(opts: { env?: string | undefined; keyFile: string }): { vault: Vault; source: 'env' | 'file' } {
  if (opts.env) return { vault: new Vault(keyRingFromEnv(opts.env)), source: 'env' };
  return { vault: new Vault(keyRingFromFile(opts.keyFile)), source: 'file' };
}
