/**
 * A hub for agent tests: a fresh store with two connections to the emulator — `admin-org`, a
 * client-credentials service connection (the integration user, System Administrator), and a
 * per-user password-flow connection owned by hub user sam@example.com that acts as the
 * emulator's sales user (Standard User: Account.AnnualRevenue hidden by field-level security).
 */
import { demoIntegration, demoSecrets, openTestHub, type TestHub } from '../../connections/test-support/hub.js';
import { ensureTenant, ensureUser, type HubUser } from '../../connections/tenancy.js';
import { DEMO_DOMAIN, DEMO_USERS } from '../../emulator/defaults.js';
import type { RunningEmulator } from '../../emulator/server.js';
import type { Backend } from '../../store/test-support/stores.js';

export interface AgentTestHub extends TestHub {
  /** The service connection's name. */
  adminConnection: string;
  /** Sam's per-user connection (as the emulator's Standard User). */
  salesConnection: string;
  sam: HubUser;
  /** Same tenant, not the owner of the sales connection, not an admin. */
  bob: HubUser;
  /** An admin of another tenant. */
  stranger: HubUser;
}

export async function openAgentTestHub(backend: Backend, em: RunningEmulator): Promise<AgentTestHub> {
  return addAgentConnections(await openTestHub(backend), em);
}

/** Adds the two connections and the users to an open test hub (the HTTP tests' hub). */
export async function addAgentConnections(t: TestHub, em: RunningEmulator): Promise<AgentTestHub> {
  const { hub } = t;
  const cc = await hub.integrations.create(hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
  const admin = await hub.service.connectNonInteractive(hub.tenant.id, cc.id, { name: 'admin-org' });
  const salesUser = DEMO_USERS.find((u) => u.username === `sales@${DEMO_DOMAIN}`)!;
  const pw = await hub.integrations.create(hub.tenant.id, demoIntegration(em, 'password', { name: 'Emu sales', username: salesUser.username }), {
    clientSecret: em.banner.clientSecret,
    password: salesUser.password,
    securityToken: salesUser.securityToken,
  });
  const sam = await ensureUser(hub.store.db, hub.tenant.id, 'sam@example.com', { isAdmin: false, groupId: null });
  const bob = await ensureUser(hub.store.db, hub.tenant.id, 'bob@example.com', { isAdmin: false, groupId: null });
  const other = await ensureTenant(hub.store.db, 'other-tenant');
  const stranger = await ensureUser(hub.store.db, other.id, 'eve@example.com', { isAdmin: true, groupId: null });
  const sales = await hub.service.connectNonInteractive(hub.tenant.id, pw.id, { name: 'sam-sales', owner: sam });
  return { ...t, adminConnection: admin.name, salesConnection: sales.name, sam, bob, stranger };
}
