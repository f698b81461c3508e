/**
 * Integrations in the database, tenant-scoped, secrets encrypted with row-bound AAD. Reads hand
 * out an `Integration` without secrets; secrets are fetched separately, only by the flows.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import type { HubDatabase, IntegrationsTable } from '../store/schema.js';
import type { Flow, IntegrationInput, IntegrationSecrets } from './integration.js';
import type { Vault } from './vault.js';

export interface Integration {
  id: string;
  tenantId: string;
  groupId: string | null;
  name: string;
  environment: string;
  clientId: string;
  loginHost: string;
  flow: Flow;
  scopes: string[];
  authTimeoutMs: number;
  enabled: boolean;
  callbackUrl: string | undefined;
  username: string | undefined;
  /** Which secrets are stored (names only). */
  secretsSet: (keyof IntegrationSecrets)[];
  createdAt: number;
  updatedAt: number;
}

/** AAD binding each ciphertext to its row (exported for key rotation, which must rebuild it exactly). */
export const aadSecret = (id: string) => `integrations.client_secret:${id}`;
export const aadCreds = (id: string) => `integrations.credentials:${id}`;

function toIntegration(r: IntegrationsTable, vault: Vault): Integration {
  const settings = JSON.parse(r.settings_json) as { callbackUrl?: string; username?: string };
  const secretsSet: (keyof IntegrationSecrets)[] = [];
  if (r.client_secret_enc) secretsSet.push('clientSecret');
  if (r.credentials_enc) secretsSet.push(...(Object.keys(JSON.parse(vault.decrypt(r.credentials_enc, aadCreds(r.id)))) as (keyof IntegrationSecrets)[]));
  return {
    id: r.id,
    tenantId: r.tenant_id,
    groupId: r.group_id,
    name: r.name,
    environment: r.environment,
    clientId: r.client_id,
    loginHost: r.login_host,
    flow: r.flow as Flow,
    scopes: r.scopes.split(' ').filter(Boolean),
    authTimeoutMs: r.auth_timeout_ms,
    enabled: r.enabled === 1,
    callbackUrl: settings.callbackUrl,
    username: settings.username,
    secretsSet,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The columns an integration's (non-secret) input sets, on create and on update alike. */
function inputColumns(input: IntegrationInput) {
  return {
    name: input.name,
    environment: input.environment,
    client_id: input.clientId,
    login_host: input.loginHost,
    flow: input.flow,
    scopes: input.scopes.join(' '),
    auth_timeout_ms: input.authTimeoutMs,
    enabled: input.enabled ? 1 : 0,
    settings_json: JSON.stringify({
      ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
      ...(input.username ? { username: input.username } : {}),
    }),
  };
}

export class IntegrationsRepo {
  constructor(
    private readonly db: Kysely<HubDatabase>,
    private readonly vault: Vault,
  ) {}

  async create(tenantId: string, input: IntegrationInput, secrets: IntegrationSecrets, groupId: string | null = null): Promise<Integration> {
    const clash = await this.db.selectFrom('integrations').select('id').where('tenant_id', '=', tenantId).where('name', '=', input.name).executeTakeFirst();
    if (clash)
      throw new ForcebridgeError('integration.exists', 'conflict', `an integration named "${input.name}" already exists`, {
        field: 'name',
        hint: 'choose another name or remove the existing one',
      });
    const id = `int_${randomUUID()}`;
    const now = Date.now();
    const { clientSecret, ...rest } = secrets;
    const creds = Object.fromEntries(Object.entries(rest).filter(([, v]) => v));
    await this.db
      .insertInto('integrations')
      .values({
        id,
        tenant_id: tenantId,
        group_id: groupId,
        ...inputColumns(input),
        client_secret_enc: clientSecret ? this.vault.encrypt(clientSecret, aadSecret(id)) : null,
        credentials_enc: Object.keys(creds).length ? this.vault.encrypt(JSON.stringify(creds), aadCreds(id)) : null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return this.get(tenantId, id);
  }

  /** By id or name, within the tenant. */
  async get(tenantId: string, idOrName: string): Promise<Integration> {
    const r = await this.db
      .selectFrom('integrations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .executeTakeFirst();
    if (!r)
      throw new ForcebridgeError('integration.not_found', 'not_found', `no integration "${idOrName}"`, {
        hint: 'list them with `forcebridge integrations list`',
      });
    return toIntegration(r, this.vault);
  }

  async list(tenantId: string): Promise<Integration[]> {
    const rows = await this.db.selectFrom('integrations').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
    return rows.map((r) => toIntegration(r, this.vault));
  }

  async remove(tenantId: string, idOrName: string): Promise<void> {
    const i = await this.get(tenantId, idOrName);
    await this.db.transaction().execute(async (trx) => {
      // Its connections go by cascade; their change feed (no foreign key on PostgreSQL) explicitly.
      await trx
        .deleteFrom('sync_changes')
        .where('connection_id', 'in', trx.selectFrom('connections').select('id').where('tenant_id', '=', tenantId).where('integration_id', '=', i.id))
        .execute();
      await trx.deleteFrom('integrations').where('tenant_id', '=', tenantId).where('id', '=', i.id).execute();
    });
  }

  async setEnabled(tenantId: string, idOrName: string, enabled: boolean): Promise<Integration> {
    const i = await this.get(tenantId, idOrName);
    await this.db
      .updateTable('integrations')
      .set({ enabled: enabled ? 1 : 0, updated_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', i.id)
      .execute();
    return this.get(tenantId, i.id);
  }

  /**
   * Replaces the non-secret settings (name, host, flow, scopes, group...) with `input`, already
   * validated; secrets are untouched. A new name must still be unique in the tenant.
   */
  async update(tenantId: string, idOrName: string, input: IntegrationInput, groupId: string | null): Promise<Integration> {
    const i = await this.get(tenantId, idOrName);
    if (input.name !== i.name) {
      const clash = await this.db.selectFrom('integrations').select('id').where('tenant_id', '=', tenantId).where('name', '=', input.name).executeTakeFirst();
      if (clash)
        throw new ForcebridgeError('integration.exists', 'conflict', `an integration named "${input.name}" already exists`, {
          field: 'name',
          hint: 'choose another name',
        });
    }
    await this.db
      .updateTable('integrations')
      .set({
        group_id: groupId,
        ...inputColumns(input),
        updated_at: Date.now(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', i.id)
      .execute();
    return this.get(tenantId, i.id);
  }

  /** Replaces the given secrets (others kept). */
  async setSecrets(tenantId: string, idOrName: string, secrets: IntegrationSecrets): Promise<void> {
    const i = await this.get(tenantId, idOrName);
    const current = await this.secrets(tenantId, i.id);
    const merged = { ...current, ...Object.fromEntries(Object.entries(secrets).filter(([, v]) => v)) };
    const { clientSecret, ...rest } = merged;
    await this.db
      .updateTable('integrations')
      .set({
        client_secret_enc: clientSecret ? this.vault.encrypt(clientSecret, aadSecret(i.id)) : null,
        credentials_enc: Object.keys(rest).length ? this.vault.encrypt(JSON.stringify(rest), aadCreds(i.id)) : null,
        updated_at: Date.now(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', i.id)
      .execute();
  }

  /** Decrypted secrets, for the flows only. */
  async secrets(tenantId: string, id: string): Promise<IntegrationSecrets> {
    const r = await this.db
      .selectFrom('integrations')
      .select(['id', 'client_secret_enc', 'credentials_enc'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw new ForcebridgeError('integration.not_found', 'not_found', `no integration "${id}"`);
    return {
      ...(r.credentials_enc ? (JSON.parse(this.vault.decrypt(r.credentials_enc, aadCreds(r.id))) as IntegrationSecrets) : {}),
      ...(r.client_secret_enc ? { clientSecret: this.vault.decrypt(r.client_secret_enc, aadSecret(r.id)) } : {}),
    };
  }
}
