/**
 * Looks up a connection the caller may use (canUseConnection); anything else — another tenant's,
 * another user's, another group's — is "not found", so its existence does not leak.
 */
import { assertCanUse } from '../connections/access.js';
import type { Connection } from '../connections/connections-repo.js';
import type { Hub } from '../connections/hub.js';
import type { Integration } from '../connections/integrations-repo.js';
import type { HubUser } from '../connections/tenancy.js';
import { ForcebridgeError } from '../errors.js';

export async function usableConnection(hub: Hub, user: HubUser, idOrName: string): Promise<{ conn: Connection; integ: Integration }> {
  const conn = await hub.connections.get(user.tenantId, idOrName).catch((e: unknown) => {
    if (e instanceof ForcebridgeError && e.kind === 'not_found') throw notFound(idOrName);
    throw e;
  });
  const integ = await hub.integrations.get(user.tenantId, conn.integrationId);
  try {
    assertCanUse(user, conn, integ);
  } catch {
    throw notFound(idOrName);
  }
  return { conn, integ };
}

function notFound(idOrName: string): ForcebridgeError {
  return new ForcebridgeError('connection.not_found', 'not_found', `no connection "${idOrName}"`, {
    field: 'id',
    hint: 'list yours with GET /api/v1/connections',
  });
}

/** Integrations a user may connect with: the organization default and their own group's. */
export function mayConnectWith(user: HubUser, integ: Integration): boolean {
  return integ.tenantId === user.tenantId && (user.isAdmin || integ.groupId === null || integ.groupId === user.groupId);
}
