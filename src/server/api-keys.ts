/**
 * API keys: `fb_` + 43 random base64url characters, shown once at creation and stored only as a
 * SHA-256 hash (a high-entropy key needs no slow hash; lookup is by hash, so no timing oracle on
 * the value). Each key maps to one hub user in one tenant and carries the time of that session's
 * last step-up re-authentication.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import { getUser, type HubUser } from '../connections/tenancy.js';
import type { HubDatabase } from '../store/schema.js';

export const API_KEY_PREFIX = 'fb_';
/** Characters of the key kept in clear to tell keys apart in lists. */
const SHOWN_PREFIX_LENGTH = 11;
/** last_used_at is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyInfo {
  id: string;
  userId: string;
  name: string | null;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AuthenticatedKey {
  keyId: string;
  user: HubUser;
  stepUpAt: number | null;
}

const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

const invalid = () =>
  new ForcebridgeError('auth.api_key_invalid', 'forbidden', 'the API key is not valid (unknown or revoked)', {
    hint: 'ask an admin for a new key (POST /api/v1/api-keys), or bootstrap one with `forcebridge serve --print-admin-key`',
  });

export class ApiKeys {
  constructor(private readonly db: Kysely<HubDatabase>) {}

  /** Creates a key for `user`; the returned `key` is the only time it is ever shown. */
  async create(user: HubUser, name: string | null, now = Date.now()): Promise<ApiKeyInfo & { key: string }> {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = {
      id: `key_${randomUUID()}`,
      tenant_id: user.tenantId,
      user_id: user.id,
      key_hash: hashKey(key),
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      name,
      created_at: now,
      last_used_at: null,
      revoked_at: null,
      step_up_at: null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    return { key, id: row.id, userId: user.id, name, prefix: row.prefix, createdAt: now, lastUsedAt: null, revokedAt: null };
  }

  /** The user and session behind a presented key; refuses unknown and revoked keys alike. */
  async authenticate(key: string, now = Date.now()): Promise<AuthenticatedKey> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) throw invalid();
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashKey(key)).executeTakeFirst();
    if (!row || row.revoked_at !== null) throw invalid();
    const user = await getUser(this.db, row.tenant_id, row.user_id).catch(() => {
      throw invalid();
    });
    if (row.last_used_at === null || now - row.last_used_at > LAST_USED_RESOLUTION_MS) {
      await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return { keyId: row.id, user, stepUpAt: row.step_up_at === null ? null : Number(row.step_up_at) };
  }

  async list(tenantId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      name: r.name,
      prefix: r.prefix,
      createdAt: Number(r.created_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
  }

  /** Revokes a key of the tenant (idempotent); not_found for keys of other tenants. */
  async revoke(tenantId: string, id: string, now = Date.now()): Promise<void> {
    const row = await this.db.selectFrom('api_keys').select(['id', 'revoked_at']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new ForcebridgeError('api_key.not_found', 'not_found', `no API key "${id}"`, { field: 'id', hint: 'list them with GET /api/v1/api-keys' });
    if (row.revoked_at === null) await this.db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
  }

  /** Records a successful step-up on the key's session. */
  async recordStepUp(tenantId: string, keyId: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ step_up_at: at }).where('tenant_id', '=', tenantId).where('id', '=', keyId).execute();
  }
}
