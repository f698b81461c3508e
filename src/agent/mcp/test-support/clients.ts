/**
 * MCP clients for tests, using the SDK's own client: over stdio against a spawned
 * `forcebridge mcp --connection X` (the real CLI, serving the registry — or, for tests with their
 * own tools, the same command over a tools module), and over Streamable HTTP against the hub's app
 * on a real loopback listener. Both act on a hub prepared in this process (SQLite or PostgreSQL,
 * one client-credentials connection to the emulator) that the child opens through the environment.
 *
 * An "every real tool runs over MCP" test is then a few lines:
 *
 * ```ts
 * const stdio = await startStdioClient({ hub: t, connection: t.connection });  // registry tools
 * const { tools } = await stdio.client.listTools();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AgentToolSet } from '../../invoke.js';
import { ensureUser } from '../../../connections/tenancy.js';
import type { TestHub } from '../../../connections/test-support/hub.js';
import { createLogger } from '../../../log.js';
import { ApiKeys } from '../../../server/api-keys.js';
import { createApp } from '../../../server/app.js';
import { listen } from '../../../server/listen.js';
import { TEST_BASE_URL } from '../../../server/test-support/server.js';

/**
 * The protocol era a test client speaks: `legacy` is the 2025 `initialize` handshake (the SDK
 * client's default, what most clients speak today); `modern` pins revision 2026-07-28.
 */
export type Era = 'legacy' | 'modern';

function newClient(era: Era = 'legacy'): Client {
  return new Client({ name: 'forcebridge-test', version: '0.0.0' }, era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
}

const MAIN = fileURLToPath(new URL('../../../cli/main.ts', import.meta.url));
const ENTRY = fileURLToPath(new URL('./stdio-entry.ts', import.meta.url));

export interface StdioClient {
  client: Client;
  /** What the server wrote to stderr so far (its logs). */
  stderr(): string;
  close(): Promise<void>;
}

/** The environment a child `forcebridge` needs to open `hub`'s store and vault. */
export function hubEnv(hub: TestHub): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, FORCEBRIDGE_DATA_DIR: hub.dataDir, FORCEBRIDGE_DATABASE_URL: hub.databaseUrl, FORCEBRIDGE_MASTER_KEY: hub.masterKey };
}

/** Where tools other than the registry's come from: a module path and the export holding `AgentTool[]`. */
export interface ToolsModule {
  path: string;
  exportName: string;
}

/** The argv of `forcebridge mcp --connection <c>`: the real CLI, or the same command over `tools`. */
export function stdioCommand(connection: string, tools?: ToolsModule): string[] {
  const head = tools ? [ENTRY, tools.path, tools.exportName] : [MAIN];
  return ['--import', 'tsx', ...head, 'mcp', '--connection', connection];
}

/** Spawns the stdio server on `hub` and connects the SDK client to it. */
export async function startStdioClient(o: { hub: TestHub; connection: string; tools?: ToolsModule; era?: Era }): Promise<StdioClient> {
  const transport = new StdioClientTransport({ command: process.execPath, args: stdioCommand(o.connection, o.tools), env: hubEnv(o.hub), stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = newClient(o.era);
  try {
    await client.connect(transport);
  } catch (e) {
    await transport.close().catch(() => undefined);
    throw new Error(`the stdio server did not start: ${e instanceof Error ? e.message : String(e)}\n${stderr}`, { cause: e });
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}

export interface HttpMcp {
  /** `http://127.0.0.1:<port>` of the listener. */
  baseUrl: string;
  /** The MCP endpoint of a connection. */
  url(connection: string): string;
  /** An API key of the hub's local admin. */
  adminKey: string;
  /** An API key for a (new or existing) user of the hub's tenant. */
  keyFor(email: string, o?: { isAdmin?: boolean; groupId?: string | null }): Promise<string>;
  /** The SDK client connected to `connection` with `key` as the bearer. */
  connect(connection: string, key: string, era?: Era): Promise<Client>;
  /** Every line the server logged. */
  logs: string[];
  close(): Promise<void>;
}

/** The hub's app serving `tools` at `/mcp/{connection}` on a loopback port. */
export async function startHttpMcp(hub: TestHub, tools?: AgentToolSet): Promise<HttpMcp> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void logs.push(s) } });
  const app = createApp({ hub: hub.hub, logger, baseUrl: TEST_BASE_URL, ...(tools ? { agentTools: tools } : {}) });
  const server = await listen(app.fetch, { port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const keys = new ApiKeys(hub.hub.store.db);
  const adminKey = (await keys.create(hub.hub.admin, 'mcp test admin')).key;
  const clients: Client[] = [];
  return {
    baseUrl,
    url: (connection) => `${baseUrl}/mcp/${encodeURIComponent(connection)}`,
    adminKey,
    logs,
    async keyFor(email, k = {}) {
      const user = await ensureUser(hub.hub.store.db, hub.hub.tenant.id, email, { isAdmin: k.isAdmin ?? false, groupId: k.groupId ?? null });
      return (await keys.create(user, `mcp test ${randomUUID()}`)).key;
    },
    async connect(connection, key, era) {
      const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp/${encodeURIComponent(connection)}`), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      });
      const client = newClient(era);
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await server.close(1_000);
    },
  };
}
