/**
 * Master key rotation (`forcebridge keys rotate`): add a fresh key, re-encrypt every vault
 * ciphertext in the database under it in one transaction, then retire the old keys.
 *
 * Order matters so that no crash can leave a value encrypted under a key nobody kept: the ring
 * holding old and new keys is saved first (key file, or the operator's `--out` file), then the
 * values change in one transaction, then the old keys are dropped and the ring saved again.
 * Other forcebridge processes keep their old ring in memory: stop them while rotating.
 */
import { sql, type Kysely } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import type { Store } from '../store/types.js';
import { aadAccess, aadRefresh } from './connections-repo.js';
import { aadCreds, aadSecret } from './integrations-repo.js';
import { codeVerifierAad } from './oauth-states.js';
import type { KeyRing, Vault } from './vault.js';

/** One column holding vault ciphertext, and how its AAD is built from the row's key. */
export interface EncryptedColumn {
  table: string;
  /** The column the AAD is derived from (the row's primary key). */
  key: string;
  column: string;
  aad: (key: string) => string;
}

/**
 * Every `_enc` column and its AAD, exactly as the repositories build it. A table that gains an
 * `_enc` column must be listed here: rotation refuses to run while any is unlisted, because
 * retiring the old key would make that column unreadable.
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'integrations', key: 'id', column: 'client_secret_enc', aad: aadSecret },
  { table: 'integrations', key: 'id', column: 'credentials_enc', aad: aadCreds },
  { table: 'connections', key: 'id', column: 'access_token_enc', aad: aadAccess },
  { table: 'connections', key: 'id', column: 'refresh_token_enc', aad: aadRefresh },
  { table: 'oauth_states', key: 'state_hash', column: 'code_verifier_enc', aad: codeVerifierAad },
  // The HTTP API's pending device flows (src/server/device-flows.ts builds the same AAD; the hub's
  // layers must not import the server, so it is spelled here and checked by key-rotation.test.ts).
  { table: 'device_flows', key: 'id', column: 'device_code_enc', aad: (id) => `device_flows.device_code:${id}` },
  // Webhook signing secrets (src/sync/webhooks.ts builds the same AAD with webhookSecretAad).
  { table: 'webhooks', key: 'id', column: 'secret_enc', aad: (id) => `webhooks.secret:${id}` },
];

export interface RotationResult {
  newKeyId: string;
  retiredKeyIds: string[];
  /** Values re-encrypted, per table. */
  counts: Record<string, number>;
}

export interface RotateOptions {
  /**
   * Persists the ring: `added` (old + new keys, before any value changes) and `retired` (new key
   * only, after the transaction). Throwing at `added` aborts the rotation with nothing changed.
   */
  saveRing?: (ring: KeyRing, phase: 'added' | 'retired') => void;
}

/** Our tables and their columns (in the current PostgreSQL schema, or the SQLite file). */
async function tableColumns(store: Store): Promise<Map<string, string[]>> {
  const schema = await store.currentSchema();
  const tables = await store.db.introspection.getTables();
  return new Map(tables.filter((t) => !schema || !t.schema || t.schema === schema).map((t) => [t.name, t.columns.map((c) => c.name)]));
}

/** `table.column` of every `_enc` column that ENCRYPTED_COLUMNS does not cover. */
export async function uncoveredEncryptedColumns(store: Store): Promise<string[]> {
  const known = new Set(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`));
  const out: string[] = [];
  for (const [table, cols] of await tableColumns(store)) for (const c of cols) if (c.endsWith('_enc') && !known.has(`${table}.${c}`)) out.push(`${table}.${c}`);
  return out;
}

type AnyDb = Kysely<Record<string, Record<string, string | null>>>;

async function reencryptColumn(trx: AnyDb, vault: Vault, c: EncryptedColumn): Promise<number> {
  const rows = await sql<{
    k: string;
    v: string;
  }>`select ${sql.ref(c.key)} as k, ${sql.ref(c.column)} as v from ${sql.table(c.table)} where ${sql.ref(c.column)} is not null`.execute(trx);
  for (const r of rows.rows) {
    const aad = c.aad(r.k);
    const fresh = vault.encrypt(vault.decrypt(r.v, aad), aad);
    await sql`update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${fresh} where ${sql.ref(c.key)} = ${r.k}`.execute(trx);
  }
  return rows.rows.length;
}

/** Rotates the vault's key and re-encrypts every stored secret and token. */
export async function rotateKeys(store: Store, vault: Vault, o: RotateOptions = {}): Promise<RotationResult> {
  const uncovered = await uncoveredEncryptedColumns(store);
  if (uncovered.length) {
    throw new ForcebridgeError('keys.column_unknown', 'internal', `key rotation does not know how to re-encrypt ${uncovered.join(', ')}`, {
      hint: 'list the column with its AAD in ENCRYPTED_COLUMNS (src/connections/key-rotation.ts); nothing was changed',
    });
  }
  const present = await tableColumns(store);
  const ring = vault.keyRing;
  const previous = ring.current;
  const newKeyId = vault.addKey();
  const counts: Record<string, number> = {};
  try {
    o.saveRing?.(ring, 'added');
    await store.db.transaction().execute(async (trx) => {
      for (const c of ENCRYPTED_COLUMNS) {
        if (!present.get(c.table)?.includes(c.column)) continue;
        counts[c.table] = (counts[c.table] ?? 0) + (await reencryptColumn(trx as unknown as AnyDb, vault, c));
      }
    });
  } catch (e) {
    // Nothing changed in the database: keep encrypting with the old key in this process.
    ring.current = previous;
    ring.keys.delete(newKeyId);
    throw e;
  }
  const retiredKeyIds = vault.retireOldKeys();
  o.saveRing?.(vault.keyRing, 'retired');
  return { newKeyId, retiredKeyIds, counts };
}

/** FORCEBRIDGE_MASTER_KEY's form of a ring: `current:base64,other:base64`, current first. */
export function keyRingEnvValue(ring: KeyRing): string {
  const ids = [ring.current, ...[...ring.keys.keys()].filter((k) => k !== ring.current)];
  return ids.map((id) => `${id}:${ring.keys.get(id)!.toString('base64')}`).join(',');
}
