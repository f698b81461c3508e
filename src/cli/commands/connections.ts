/**
 * `forcebridge connections list|show|disconnect`: connected orgs with their state and reason.
 * Disconnect revokes the token at Salesforce before deleting the local copy.
 */
import { Command } from 'commander';
import type { Connection } from '../../connections/connections-repo.js';
import { disconnect } from '../../connections/disconnect.js';
import { printJson, processIo, table, withHub, type CliIo } from '../io.js';
import { connectionSummary } from './connect.js';

/** What scripts see: identity, state and usage — never a token. */
export function connectionView(c: Connection, integrationName: string | undefined) {
  return {
    id: c.id,
    name: c.name,
    integration: integrationName ?? c.integrationId,
    kind: c.kind,
    state: c.state,
    reason: c.reason,
    lastError: c.lastError,
    orgId: c.orgId,
    instanceUrl: c.instanceUrl,
    username: c.username,
    userId: c.userId,
    scopes: c.scopes,
    hasRefreshToken: c.hasRefreshToken,
    issuedAt: c.issuedAt,
    apiUsage: c.apiUsed !== null && c.apiMax !== null ? { used: c.apiUsed, max: c.apiMax } : null,
  };
}

export async function listConnections(io: CliIo, o: { json?: boolean }): Promise<void> {
  await withHub(io, async (hub) => {
    const all = await hub.connections.list(hub.tenant.id);
    const names = new Map((await hub.integrations.list(hub.tenant.id)).map((i) => [i.id, i.name]));
    if (o.json)
      return printJson(
        io,
        all.map((c) => connectionView(c, names.get(c.integrationId))),
      );
    if (!all.length) return io.out('No connections yet. Connect one with `forcebridge connect <integration>`.\n');
    io.out(
      table(
        ['NAME', 'INTEGRATION', 'KIND', 'STATE', 'ORG ID', 'USERNAME', 'INSTANCE URL', 'API USAGE'],
        all.map((c) => [
          c.name,
          names.get(c.integrationId) ?? '?',
          c.kind,
          c.reason ? `${c.state} (${c.reason})` : c.state,
          c.orgId ?? '-',
          c.username ?? '-',
          c.instanceUrl ?? '-',
          c.apiUsed !== null ? `${c.apiUsed}/${c.apiMax}` : '-',
        ]),
      ),
    );
  });
}

export async function showConnection(io: CliIo, name: string, o: { json?: boolean }): Promise<void> {
  await withHub(io, async (hub) => {
    const c = await hub.connections.get(hub.tenant.id, name);
    const integ = await hub.integrations.get(hub.tenant.id, c.integrationId);
    if (o.json) return printJson(io, connectionView(c, integ.name));
    io.out(connectionSummary(c, integ.name));
    if (c.lastError) io.out(`  last error : ${c.lastError}\n`);
  });
}

export async function disconnectCli(io: CliIo, name: string, o: { force?: boolean }): Promise<void> {
  await withHub(io, async (hub) => {
    const conn = await hub.connections.get(hub.tenant.id, name);
    const r = await disconnect(hub, hub.tenant.id, conn.id, { ...(o.force ? { force: true } : {}) });
    const what = {
      revoked: 'token revoked at Salesforce',
      already_invalid: 'Salesforce no longer knew its token',
      no_token: 'no token to revoke',
      skipped_after_error: 'NOT revoked at Salesforce (unreachable; --force)',
    }[r.revoked];
    io.out(`Disconnected "${conn.name}": ${what}; local copy deleted.\n`);
  });
}

export function connectionsCommand(io: CliIo = processIo()): Command {
  const cmd = new Command('connections').description('Connected orgs: state, reason, identity (never tokens)');
  cmd
    .command('list')
    .description('List connections with their state and reason')
    .option('--json', 'JSON output')
    .action((o: { json?: boolean }) => listConnections(io, o));
  cmd
    .command('show <connection>')
    .description('Show a connection')
    .option('--json', 'JSON output')
    .action((name: string, o: { json?: boolean }) => showConnection(io, name, o));
  cmd
    .command('disconnect <connection>')
    .description('Revoke the connection’s token at Salesforce and delete it')
    .option('--force', 'delete even when Salesforce cannot be reached to revoke the token')
    .action((name: string, o: { force?: boolean }) => disconnectCli(io, name, o));
  return cmd;
}
