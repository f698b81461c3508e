/**
 * Looks up a connection the caller may use (canUseConnection); anything else — another tenant's,
 * another user's, another group's — is "not found", so its existence does not leak. Used by the
 * HTTP API, the CLI and the agent tools alike.
 */
import { assertCanUse } from './access.js';
import type { Connection } from './connections-repo.js';
import type { Hub } from './hub.js';
import type { Integration } from './integrations-repo.js';
import type { HubUser } from './tenancy.js';
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
