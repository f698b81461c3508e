/**
 * Connections in the database: identity facts in clear, tokens as vault ciphertext bound to the
 * row, a `token_version` bumped on every token change (refreshers compare it after the lock), and
 * a state with a reason code.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TokenSet } from '../auth/token-response.js';
import { ForcebridgeError } from '../errors.js';
import type { ConnectionsTable, HubDatabase } from '../store/schema.js';
import type { Vault } from './vault.js';

export type ConnectionState = 'active' | 'needs_reconnect' | 'disabled' | 'error';

/** A connection as shown to people and programs: never a token. */
export interface Connection {
  id: string;
  tenantId: string;
  integrationId: string;
  kind: 'service' | 'user';
  ownerUserId: string | null;
  name: string;
  instanceUrl: string | null;
  orgId: string | null;
  userId: string | null;
  username: string | null;
  identityUrl: string | null;
  scopes: string[];
  issuedAt: number | null;
  state: ConnectionState;
  reason: string | null;
  lastError: string | null;
  hasRefreshToken: boolean;
  tokenVersion: number;
  apiUsed: number | null;
  apiMax: number | null;
  updatedAt: number;
}

export interface Tokens {
  accessToken: string | undefined;
  refreshToken: string | undefined;
  version: number;
  instanceUrl: string | null;
}

/** AAD binding each ciphertext to its row (exported for key rotation, which must rebuild it exactly). */
export const aadAccess = (id: string) => `connections.access_token:${id}`;
export const aadRefresh = (id: string) => `connections.refresh_token:${id}`;

function toConnection(r: ConnectionsTable): Connection {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    integrationId: r.integration_id,
    kind: r.kind as Connection['kind'],
    ownerUserId: r.owner_user_id,
    name: r.name,
    instanceUrl: r.instance_url,
    orgId: r.sf_org_id,
    userId: r.sf_user_id,
    username: r.sf_username,
    identityUrl: r.identity_url,
    scopes: r.scopes.split(' ').filter(Boolean),
    issuedAt: r.issued_at,
    state: r.state as ConnectionState,
    reason: r.reason,
    lastError: r.last_error,
    hasRefreshToken: Boolean(r.refresh_token_enc),
    tokenVersion: r.token_version,
    apiUsed: r.api_used,
    apiMax: r.api_max,
    updatedAt: r.updated_at,
  };
}

export interface NewConnection {
  tenantId: string;
  integrationId: string;
  kind: 'service' | 'user';
  ownerUserId: string | null;
  name: string;
  tokens: TokenSet;
  username?: string;
  state: ConnectionState;
  reason: string | null;
}

export class ConnectionsRepo {
  constructor(
    private readonly db: Kysely<HubDatabase>,
    private readonly vault: Vault,
  ) {}

  /** Creates the connection, or replaces the tokens of the existing one with the same name. */
  async upsert(c: NewConnection): Promise<Connection> {
    const existing = await this.db
      .selectFrom('connections')
      .select(['id', 'token_version', 'integration_id', 'owner_user_id'])
      .where('tenant_id', '=', c.tenantId)
      .where('name', '=', c.name)
      .executeTakeFirst();
    if (existing && (existing.integration_id !== c.integrationId || existing.owner_user_id !== c.ownerUserId)) {
      throw new ForcebridgeError('connection.name_taken', 'conflict', `a connection named "${c.name}" already exists for another integration or user`, {
        field: 'name',
      });
    }
    const id = existing?.id ?? `con_${randomUUID()}`;
    const now = Date.now();
    const row = {
      instance_url: c.tokens.instanceUrl,
      sf_org_id: c.tokens.orgId,
      sf_user_id: c.tokens.userId,
      sf_username: c.username ?? null,
      identity_url: c.tokens.identityUrl,
      scopes: c.tokens.scopes.join(' '),
      issued_at: c.tokens.issuedAt,
      access_token_enc: this.vault.encrypt(c.tokens.accessToken, aadAccess(id)),
      refresh_token_enc: c.tokens.refreshToken ? this.vault.encrypt(c.tokens.refreshToken, aadRefresh(id)) : null,
      state: c.state,
      reason: c.reason,
      last_error: null,
      updated_at: now,
    };
    if (existing) {
      await this.db
        .updateTable('connections')
        .set({ ...row, token_version: existing.token_version + 1 })
        .where('id', '=', id)
        .execute();
    } else {
      await this.db
        .insertInto('connections')
        .values({
          id,
          tenant_id: c.tenantId,
          integration_id: c.integrationId,
          kind: c.kind,
          owner_user_id: c.ownerUserId,
          name: c.name,
          token_version: 1,
          api_used: null,
          api_max: null,
          created_at: now,
          ...row,
        })
        .execute();
    }
    return this.get(c.tenantId, id);
  }

  async get(tenantId: string, idOrName: string): Promise<Connection> {
    const r = await this.db
      .selectFrom('connections')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .executeTakeFirst();
    if (!r)
      throw new ForcebridgeError('connection.not_found', 'not_found', `no connection "${idOrName}"`, { hint: 'list them with `forcebridge connections list`' });
    return toConnection(r);
  }

  async list(tenantId: string, filter: { ownerUserId?: string } = {}): Promise<Connection[]> {
    let q = this.db.selectFrom('connections').selectAll().where('tenant_id', '=', tenantId);
    if (filter.ownerUserId) q = q.where('owner_user_id', '=', filter.ownerUserId);
    return (await q.orderBy('name').execute()).map(toConnection);
  }

  /** Decrypted tokens (for the refresher and the API client only). */
  async tokens(tenantId: string, id: string): Promise<Tokens> {
    const r = await this.db
      .selectFrom('connections')
      .select(['id', 'access_token_enc', 'refresh_token_enc', 'token_version', 'instance_url'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw new ForcebridgeError('connection.not_found', 'not_found', `no connection "${id}"`);
    return {
      accessToken: r.access_token_enc ? this.vault.decrypt(r.access_token_enc, aadAccess(r.id)) : undefined,
      refreshToken: r.refresh_token_enc ? this.vault.decrypt(r.refresh_token_enc, aadRefresh(r.id)) : undefined,
      version: r.token_version,
      instanceUrl: r.instance_url,
    };
  }

  /**
   * Stores refreshed tokens in one statement: the access token, the rotated refresh token when
   * Salesforce sent one (kept otherwise), the version bump and the active state.
   */
  async storeRefreshed(tenantId: string, id: string, t: TokenSet): Promise<number> {
    const cur = await this.db
      .selectFrom('connections')
      .select('token_version')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const version = cur.token_version + 1;
    await this.db
      .updateTable('connections')
      .set({
        access_token_enc: this.vault.encrypt(t.accessToken, aadAccess(id)),
        ...(t.refreshToken ? { refresh_token_enc: this.vault.encrypt(t.refreshToken, aadRefresh(id)) } : {}),
        instance_url: t.instanceUrl,
        issued_at: t.issuedAt,
        ...(t.scopes.length ? { scopes: t.scopes.join(' ') } : {}),
        token_version: version,
        state: 'active',
        reason: null,
        last_error: null,
        updated_at: Date.now(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    return version;
  }

  async setState(tenantId: string, id: string, state: ConnectionState, reason: string | null, lastError: string | null = null): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({ state, reason, last_error: lastError, updated_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async recordApiUsage(tenantId: string, id: string, used: number, max: number): Promise<void> {
    await this.db.updateTable('connections').set({ api_used: used, api_max: max }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // The change feed has no foreign key on PostgreSQL (migration 0008), so it goes explicitly.
      await trx
        .deleteFrom('sync_changes')
        .where('connection_id', 'in', trx.selectFrom('connections').select('id').where('tenant_id', '=', tenantId).where('id', '=', id))
        .execute();
      await trx.deleteFrom('connections').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    });
  }

  /** Every encrypted column value with its AAD, for key rotation. */
  async *ciphertexts(): AsyncGenerator<{ table: 'connections'; id: string; column: 'access_token_enc' | 'refresh_token_enc'; value: string; aad: string }> {
    const rows = await this.db.selectFrom('connections').select(['id', 'access_token_enc', 'refresh_token_enc']).execute();
    for (const r of rows) {
      if (r.access_token_enc) yield { table: 'connections', id: r.id, column: 'access_token_enc', value: r.access_token_enc, aad: aadAccess(r.id) };
      if (r.refresh_token_enc) yield { table: 'connections', id: r.id, column: 'refresh_token_enc', value: r.refresh_token_enc, aad: aadRefresh(r.id) };
    }
  }
}
