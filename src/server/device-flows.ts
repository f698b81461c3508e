/**
 * Device flows started through the API. The device code is what collects the tokens, so it is
 * kept server-side (encrypted, bound to its row) and only the starter may poll it.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DeviceCode } from '../auth/flows/device.js';
import type { Vault } from '../connections/vault.js';
import { ForcebridgeError } from '../errors.js';
import type { HubDatabase } from '../store/schema.js';

/** Salesforce's device codes live about 10 minutes. */
export const DEVICE_FLOW_TTL_MS = 10 * 60_000;

const aad = (id: string) => `device_flows.device_code:${id}`;

export interface PendingDevice {
  id: string;
  tenantId: string;
  userId: string;
  integrationId: string;
  device: DeviceCode;
  connectionId: string | null;
  expiresAt: number;
}

export class DeviceFlows {
  constructor(
    private readonly db: Kysely<HubDatabase>,
    private readonly vault: Vault,
  ) {}

  async save(p: { tenantId: string; userId: string; integrationId: string; device: DeviceCode }, now: number): Promise<{ id: string; expiresAt: number }> {
    const id = `dev_${randomUUID()}`;
    const expiresAt = now + DEVICE_FLOW_TTL_MS;
    await this.db
      .insertInto('device_flows')
      .values({
        id,
        tenant_id: p.tenantId,
        user_id: p.userId,
        integration_id: p.integrationId,
        device_code_enc: this.vault.encrypt(p.device.deviceCode, aad(id)),
        user_code: p.device.userCode,
        verification_uri: p.device.verificationUri,
        interval_s: p.device.interval,
        connection_id: null,
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
    await this.db
      .deleteFrom('device_flows')
      .where('expires_at', '<', now - DEVICE_FLOW_TTL_MS)
      .execute();
    return { id, expiresAt };
  }

  /** The caller's own pending flow; others' flows are "not found" (nothing about them leaks). */
  async get(tenantId: string, userId: string, id: string): Promise<PendingDevice> {
    const r = await this.db
      .selectFrom('device_flows')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r)
      throw new ForcebridgeError('device_flow.not_found', 'not_found', `no device flow "${id}"`, {
        field: 'id',
        hint: 'start one with POST /api/v1/connections',
      });
    return {
      id: r.id,
      tenantId: r.tenant_id,
      userId: r.user_id,
      integrationId: r.integration_id,
      device: {
        deviceCode: this.vault.decrypt(r.device_code_enc, aad(r.id)),
        userCode: r.user_code,
        verificationUri: r.verification_uri,
        interval: r.interval_s,
      },
      connectionId: r.connection_id,
      expiresAt: Number(r.expires_at),
    };
  }

  async complete(id: string, connectionId: string): Promise<void> {
    await this.db.updateTable('device_flows').set({ connection_id: connectionId }).where('id', '=', id).execute();
  }
}
