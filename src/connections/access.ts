/**
 * Who may use a connection: its owner for per-user connections; for service connections, members
 * of the integration's group (or everyone in the tenant when the integration is the tenant
 * default); admins may manage all of their tenant's. Never across tenants.
 */
import { ForcebridgeError } from '../errors.js';
import type { Connection } from './connections-repo.js';
import type { Integration } from './integrations-repo.js';
import type { HubUser } from './tenancy.js';

export function canUseConnection(user: HubUser, conn: Connection, integ: Integration): boolean {
  if (user.tenantId !== conn.tenantId || integ.tenantId !== conn.tenantId) return false;
  if (conn.kind === 'user') return conn.ownerUserId === user.id;
  if (user.isAdmin) return true;
  return integ.groupId === null || integ.groupId === user.groupId;
}

export function assertCanUse(user: HubUser, conn: Connection, integ: Integration): void {
  if (!canUseConnection(user, conn, integ)) {
    // Same answer as "does not exist", so names of other people's connections do not leak.
    throw new ForcebridgeError('connection.not_found', 'not_found', `no connection "${conn.name}"`);
  }
}
