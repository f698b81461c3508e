/**
 * The composition root for the connection side: store, vault, transport, repositories, refresher
 * and service, opened from the environment the same way by the CLI, the server and tests.
 */
import { join, resolve } from 'node:path';
import { createTransport, type Transport } from '../salesforce/transport.js';
import { DEFAULT_DATA_DIR, openStore } from '../store/open.js';
import type { MigrationStep } from '../store/migrate.js';
import type { Store } from '../store/types.js';
import { ConnectionsRepo } from './connections-repo.js';
import { IntegrationsRepo } from './integrations-repo.js';
import { Refresher, type RefresherDeps } from './refresher.js';
import { ConnectionService } from './service.js';
import { ensureTenant, ensureUser, LOCAL_ADMIN, LOCAL_TENANT, type HubUser, type Tenant } from './tenancy.js';
import { openVault, type Vault } from './vault.js';

export interface HubOptions {
  /** FORCEBRIDGE_DATABASE_URL: postgres://… or a SQLite path; default ./forcebridge-data/forcebridge.db. */
  databaseUrl?: string | undefined;
  /** FORCEBRIDGE_DATA_DIR: where the SQLite file and the key file live. */
  dataDir?: string | undefined;
  /** FORCEBRIDGE_MASTER_KEY. */
  masterKey?: string | undefined;
  transport?: Transport;
  onRefreshEvent?: RefresherDeps['onEvent'];
}

export interface Hub {
  store: Store;
  vault: Vault;
  vaultSource: 'env' | 'file';
  keyFile: string;
  transport: Transport;
  integrations: IntegrationsRepo;
  connections: ConnectionsRepo;
  refresher: Refresher;
  service: ConnectionService;
  migrations: MigrationStep[];
  /** The local tenant and its admin (the CLI acts as them). */
  tenant: Tenant;
  admin: HubUser;
  close(): Promise<void>;
}

/** Options from the process environment. */
export function hubOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): HubOptions {
  return { databaseUrl: env.FORCEBRIDGE_DATABASE_URL, dataDir: env.FORCEBRIDGE_DATA_DIR, masterKey: env.FORCEBRIDGE_MASTER_KEY };
}

export async function openHub(o: HubOptions = {}): Promise<Hub> {
  const dataDir = resolve(o.dataDir ?? DEFAULT_DATA_DIR);
  const keyFile = join(dataDir, 'master.key');
  const { vault, source } = openVault({ env: o.masterKey, keyFile });
  const { store, migrations } = await openStore(o.databaseUrl, dataDir);
  const transport = o.transport ?? createTransport();
  const integrations = new IntegrationsRepo(store.db, vault);
  const connections = new ConnectionsRepo(store.db, vault);
  const refresher = new Refresher({ store, connections, integrations, transport, ...(o.onRefreshEvent ? { onEvent: o.onRefreshEvent } : {}) });
  const service = new ConnectionService({ store, vault, transport, integrations, connections, refresher });
  const tenant = await ensureTenant(store.db, LOCAL_TENANT);
  const admin = await ensureUser(store.db, tenant.id, LOCAL_ADMIN, { isAdmin: true });
  return {
    store,
    vault,
    vaultSource: source,
    keyFile,
    transport,
    integrations,
    connections,
    refresher,
    service,
    migrations,
    tenant,
    admin,
    close: () => store.close(),
  };
}
