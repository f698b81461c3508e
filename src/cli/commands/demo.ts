/**
 * `forcebridge demo`: the main job on the embedded default. Starts the emulator with demo data,
 * prints how to reach it, then connects the hub to it through the authorization-code flow (PKCE +
 * state) the way a person would — the scripted browser logs in as the demo admin and presses
 * Allow — runs one query through the stored connection, syncs the org's objects into the demo
 * store (progress per object, summary table), then serves the HTTP API and the MCP endpoint over
 * the demo hub and prints how to attach an MCP client (unless `--exit`).
 *
 * The demo keeps its hub in `<data dir>/demo` with its own key file and SQLite database, so it
 * never touches a user's real integrations (nor a FORCEBRIDGE_DATABASE_URL / master key).
 */
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { openHub, type Hub } from '../../connections/hub.js';
import { parseIntegrationInput } from '../../connections/integration.js';
import type { Integration } from '../../connections/integrations-repo.js';
import { browserAuthorize } from '../../emulator/scripted-browser.js';
import { startEmulator, type RunningEmulator } from '../../emulator/server.js';
import { ForcebridgeError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { ApiKeys } from '../../server/api-keys.js';
import { createApp } from '../../server/app.js';
import { listen, type Listening } from '../../server/listen.js';
import { DEFAULT_DATA_DIR } from '../../store/open.js';
import { processIo, type CliIo } from '../io.js';
import { bannerText, emulatorConfigFrom, parseCount, parsePort } from './emulator.js';
import { runSyncWithOutput } from './sync.js';

export const DEMO_INTEGRATION = 'Emulator demo';
export const DEMO_CONNECTION = 'emulator-demo';

/** The demo's own data directory beside (never inside the files of) the user's hub. */
export function demoDataDir(env: NodeJS.ProcessEnv): string {
  return resolve(join(env.FORCEBRIDGE_DATA_DIR ?? DEFAULT_DATA_DIR, 'demo'));
}

/** The integration for the emulator's demo app, recreated when a previous demo ran on other ports. */
async function demoIntegration(hub: Hub, em: RunningEmulator): Promise<Integration> {
  const input = parseIntegrationInput({
    name: DEMO_INTEGRATION,
    environment: 'Emulator',
    clientId: em.banner.clientId,
    loginHost: em.urls.login,
    flow: 'authorization_code',
    callbackUrl: em.banner.redirectUri,
  });
  const existing = (await hub.integrations.list(hub.tenant.id)).find((i) => i.name === DEMO_INTEGRATION);
  if (existing && existing.loginHost === input.loginHost && existing.clientId === input.clientId) return existing;
  if (existing) await hub.integrations.remove(hub.tenant.id, existing.id);
  return hub.integrations.create(hub.tenant.id, input, {});
}

/** Connects through the authorization-code flow, narrating each step; returns the connection name. */
async function connectDemo(io: CliIo, em: RunningEmulator, dataDir: string): Promise<void> {
  const hub = await openHub({ dataDir });
  try {
    const say = (t: string) => io.out(`  ${t}\n`);
    io.out(`Connecting forcebridge to it (authorization code + PKCE; hub data in ${dataDir}):\n`);
    const integ = await demoIntegration(hub, em);
    const start = await hub.service.startAuthorization(hub.admin, integ.id);
    say(`opening authorize URL ${new URL(start.url).origin}/services/oauth2/authorize (PKCE S256, state bound to ${hub.admin.email})`);
    const admin = em.banner.users.find((u) => u.username.startsWith('admin@')) ?? em.banner.users[0]!;
    const cb = await browserAuthorize(start.url, admin.username, admin.password, /allow/i, (s) => {
      if (s.step === 'login') say(`logged in as ${s.username}`);
      else if (s.step === 'consent') say(`allowed (pressed "${s.button}")`);
    });
    if (!cb.code || cb.state !== start.state) throw new Error(`the authorize page answered ${cb.error ?? 'without a code'}`);
    say(`code received on ${integ.callbackUrl}`);
    const conn = await hub.service.completeAuthorization({ tenantId: hub.tenant.id, user: hub.admin }, cb.state, cb.code, { name: DEMO_CONNECTION });
    say(`tokens stored encrypted: connection "${conn.name}" (${conn.state}), org ${conn.orgId}, instance ${conn.instanceUrl}`);
    const { client } = await hub.service.client(hub.tenant.id, conn.id, { user: hub.admin });
    const soql = 'SELECT Id, Name FROM Account ORDER BY Name LIMIT 5';
    const res = await client.request<{ totalSize: number; records: { Name: string }[] }>({ method: 'GET', path: '/query', query: { q: soql } });
    say(`query through the connection: ${soql} → ${res.json.records.length} records (${res.json.records.map((r) => r.Name).join(', ')})`);
    io.out(`\nSyncing the org into the demo store (${hub.store.dialect}, ${hub.store.location}):\n`);
    const { run } = await runSyncWithOutput(io, hub, conn.id, {});
    if (run.status !== 'succeeded')
      throw new ForcebridgeError('demo.sync_failed', 'internal', `the demo sync ended ${run.status}`, { hint: 'see the failures above' });
    io.out(
      [
        '',
        'Call the API through the stored connection (refresh, retries and API usage included) while the demo runs:',
        `  FORCEBRIDGE_DATA_DIR=${dataDir} forcebridge api ${DEMO_CONNECTION} GET /services/data/v62.0/limits`,
        'Sync again (only changes are read) and page the change feed:',
        `  FORCEBRIDGE_DATA_DIR=${dataDir} forcebridge sync ${DEMO_CONNECTION}`,
        `  FORCEBRIDGE_DATA_DIR=${dataDir} forcebridge changes ${DEMO_CONNECTION} Account --limit 5`,
        '',
      ].join('\n'),
    );
  } finally {
    await hub.close();
  }
}

/**
 * Serves the HTTP API (with `/mcp/{connection}`) over the demo hub on loopback and prints how to
 * attach an MCP client: a fresh API key of the demo admin is the bearer (never a Salesforce token).
 */
async function serveDemo(io: CliIo, dataDir: string, port: number): Promise<{ hub: Hub; server: Listening }> {
  const hub = await openHub({ dataDir });
  try {
    const ready: { fetch?: (req: Request) => Response | Promise<Response> } = {};
    const server = await listen((req) => (ready.fetch ? ready.fetch(req) : new Response('starting', { status: 503 })), { port, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${server.port}`;
    ready.fetch = createApp({ hub, logger: createLogger({ level: 'warn' }), baseUrl }).fetch;
    const key = (await new ApiKeys(hub.store.db).create(hub.admin, 'demo')).key;
    const mcpUrl = `${baseUrl}/mcp/${DEMO_CONNECTION}`;
    const clientConfig = JSON.stringify({ mcpServers: { forcebridge: { type: 'http', url: mcpUrl, headers: { Authorization: `Bearer ${key}` } } } });
    io.out(
      [
        `HTTP API on ${baseUrl} (OpenAPI document: ${baseUrl}/api/v1/openapi.json); demo admin API key: ${key}`,
        `  curl -s ${baseUrl}/api/v1/agent/${DEMO_CONNECTION}/query -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\`,
        `    -d '{"soql": "SELECT Id, Name FROM Account ORDER BY Name LIMIT 3"}'`,
        '',
        `MCP endpoint (Streamable HTTP): ${mcpUrl} — bearer: the API key above. Attach a client with:`,
        `  ${clientConfig}`,
        'MCP over stdio (a client that starts the server itself):',
        `  FORCEBRIDGE_DATA_DIR=${dataDir} npx forcebridge mcp --connection ${DEMO_CONNECTION}`,
        'The tools read as the connected user; prepare_* tools only store proposals. Review and approve them with:',
        `  FORCEBRIDGE_DATA_DIR=${dataDir} npx forcebridge proposals list`,
        '',
      ].join('\n'),
    );
    return { hub, server };
  } catch (e) {
    await hub.close();
    throw e;
  }
}

export function demoCommand(io: CliIo = processIo()): Command {
  return new Command('demo')
    .description('Start a local Salesforce org with demo data, connect to it through the authorization-code flow, and show how to use it')
    .option('-p, --port <port>', 'login host port (sandbox = port+1, My Domain = port+2)', parsePort, 6543)
    .option('--records <n>', 'number of generated demo records', parseCount)
    .option('--api-port <port>', 'port of the HTTP API and MCP endpoint served at the end (0 = a free one)', parsePort, 8787)
    .option('--exit', 'print the summary and exit instead of serving (for scripts)')
    .action(async (o: { port: number; apiPort: number; records?: number; exit?: boolean }) => {
      const config = emulatorConfigFrom({ port: o.port, host: '127.0.0.1', ...(o.records !== undefined ? { records: o.records } : {}) });
      const em = await startEmulator({ port: o.port, config, control: true });
      const counts = ['Account', 'Contact', 'Opportunity', 'Case', 'EmailMessage', 'Task', 'Event', 'User']
        .filter((n) => em.org.schema.get(n))
        .map((n) => `${n}: ${[...em.org.data.table(n).live()].length}`)
        .join(', ');
      const admin = em.banner.users[0]!;
      const token = `${em.banner.loginUrl}/services/oauth2/token`;
      io.out(
        [
          bannerText(em.banner),
          '',
          `Demo data: ${counts}`,
          '',
          'Try it (username-password flow, then a SOQL query):',
          `  curl -s ${token} -d grant_type=password \\`,
          `    --data-urlencode client_id='${em.banner.clientId}' --data-urlencode client_secret='${em.banner.clientSecret}' \\`,
          `    --data-urlencode username='${admin.username}' --data-urlencode password='${admin.password}${admin.securityToken}'`,
          `  curl -s '${em.banner.instanceUrl}/services/data/v66.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+5' -H 'Authorization: Bearer <access_token>'`,
          '',
        ].join('\n') + '\n',
      );
      try {
        await connectDemo(io, em, demoDataDir(io.env));
      } catch (e) {
        await em.close();
        throw e;
      }
      if (o.exit) {
        await em.close();
        return;
      }
      let served: { hub: Hub; server: Listening };
      try {
        served = await serveDemo(io, demoDataDir(io.env), o.apiPort);
      } catch (e) {
        await em.close();
        throw e;
      }
      const stop = () => {
        void served.server
          .close(1_000)
          .then(() => served.hub.close())
          .then(() => em.close())
          .then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      io.out('Serving the org, the HTTP API and the MCP endpoint until Ctrl+C.\n');
    });
}
