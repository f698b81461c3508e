/**
 * What a person may see: proposals and audit rows of the connections they may use
 * (canUseConnection), in their tenant. Used by the HTTP API and the CLI alike.
 */
import { canUseConnection } from '../../connections/access.js';
import type { Hub } from '../../connections/hub.js';
import type { HubUser } from '../../connections/tenancy.js';
import { usableConnection } from '../../connections/usable.js';
import { listAudit, type AuditFilters, type AuditRow } from '../audit.js';
import { ProposalsRepo, type Proposal, type ProposalStatus } from './repo.js';

/** Ids of the connections `user` may use. */
export async function usableConnectionIds(hub: Hub, user: HubUser): Promise<string[]> {
  const integrations = new Map((await hub.integrations.list(user.tenantId)).map((i) => [i.id, i]));
  return (await hub.connections.list(user.tenantId)).flatMap((c) => {
    const integ = integrations.get(c.integrationId);
    return integ && canUseConnection(user, c, integ) ? [c.id] : [];
  });
}

/** The connections to show: one named connection (not_found unless usable), or every usable one. */
async function scope(hub: Hub, user: HubUser, connection: string | undefined): Promise<string[]> {
  if (connection) return [(await usableConnection(hub, user, connection)).conn.id];
  return usableConnectionIds(hub, user);
}

export async function listProposalsFor(
  hub: Hub,
  user: HubUser,
  f: { status?: ProposalStatus | undefined; connection?: string | undefined; limit?: number | undefined } = {},
): Promise<Proposal[]> {
  const connectionIds = await scope(hub, user, f.connection);
  return new ProposalsRepo(hub.store.db).list(user.tenantId, { status: f.status, connectionIds, limit: f.limit });
}

export async function listAuditFor(
  hub: Hub,
  user: HubUser,
  f: Omit<AuditFilters, 'connectionIds'> & { connection?: string | undefined } = {},
): Promise<AuditRow[]> {
  const { connection, ...rest } = f;
  return listAudit(hub, user.tenantId, { ...rest, connectionIds: await scope(hub, user, connection) });
}
