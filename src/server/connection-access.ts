/**
 * Connection access for the HTTP API: usableConnection (in connections/usable.ts, shared with the
 * CLI and the agent tools) and which integrations a user may connect with.
 */
import type { Integration } from '../connections/integrations-repo.js';
import type { HubUser } from '../connections/tenancy.js';

export { usableConnection } from '../connections/usable.js';

/** Integrations a user may connect with: the organization default and their own group's. */
export function mayConnectWith(user: HubUser, integ: Integration): boolean {
  return integ.tenantId === user.tenantId && (user.isAdmin || integ.groupId === null || integ.groupId === user.groupId);
}
