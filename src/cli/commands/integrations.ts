/**
 * `forcebridge integrations add|list|show|remove|enable|disable|set-secrets`: the connected apps
 * the hub knows. Non-secret settings come from flags; secrets only from a hidden prompt or JSON on
 * standard input (`--secrets-stdin`). Output never contains a secret — `show` says which are set.
 */
import { Command, Option } from 'commander';
import type { Hub } from '../../connections/hub.js';
import { checkSecrets, FLOWS, FLOW_SECRETS, parseIntegrationInput, type IntegrationSecrets } from '../../connections/integration.js';
import type { Integration } from '../../connections/integrations-repo.js';
import { ensureGroup } from '../../connections/tenancy.js';
import { ForcebridgeError } from '../../errors.js';
import { fields, isInteractive, printJson, processIo, secondsToMs, table, withHub, type CliIo } from '../io.js';
import { collectSecrets, SECRET_NAMES } from '../secrets-input.js';

export interface AddOptions {
  name?: string;
  environment?: string;
  clientId?: string;
  loginHost?: string;
  flow?: string;
  scopes?: string;
  authTimeout?: string;
  callbackUrl?: string;
  username?: string;
  group?: string;
  disabled?: boolean;
  secretsStdin?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** Group names by id, for display. */
async function groupNames(hub: Hub): Promise<Map<string, string>> {
  const rows = await hub.store.db.selectFrom('groups').select(['id', 'name']).where('tenant_id', '=', hub.tenant.id).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** What scripts see: everything but secrets (which are named only). */
export function integrationView(i: Integration, groups: Map<string, string>) {
  return {
    id: i.id,
    name: i.name,
    environment: i.environment,
    flow: i.flow,
    clientId: i.clientId,
    loginHost: i.loginHost,
    scopes: i.scopes,
    authTimeoutMs: i.authTimeoutMs,
    enabled: i.enabled,
    group: i.groupId ? (groups.get(i.groupId) ?? i.groupId) : null,
    callbackUrl: i.callbackUrl ?? null,
    username: i.username ?? null,
    secrets: Object.fromEntries(SECRET_NAMES.map((k) => [k, i.secretsSet.includes(k) ? 'set' : 'not set'])),
  };
}

function printIntegration(io: CliIo, i: Integration, groups: Map<string, string>): void {
  const v = integrationView(i, groups);
  const { required, optional } = FLOW_SECRETS[i.flow];
  const secretLine = (k: (typeof SECRET_NAMES)[number]) => `${v.secrets[k]}${required.includes(k) ? ' (required)' : optional.includes(k) ? ' (optional)' : ''}`;
  io.out(`Integration "${v.name}" (${v.id})\n`);
  io.out(
    fields([
      ['environment', v.environment],
      ['flow', v.flow],
      ['client id', v.clientId],
      ['login host', v.loginHost],
      ['scopes', v.scopes.join(' ')],
      ['auth timeout', `${v.authTimeoutMs / 1000} s`],
      ['enabled', v.enabled ? 'yes' : 'no'],
      ['group', v.group ?? '(organization default)'],
      ['callback URL', v.callbackUrl],
      ['username', v.username],
      ...SECRET_NAMES.filter((k) => required.includes(k) || optional.includes(k) || v.secrets[k] === 'set').map((k): [string, string] => [k, secretLine(k)]),
    ]),
  );
}

export async function addIntegration(io: CliIo, o: AddOptions): Promise<Integration> {
  const input = parseIntegrationInput({
    name: o.name,
    ...(o.environment ? { environment: o.environment } : {}),
    clientId: o.clientId,
    ...(o.loginHost ? { loginHost: o.loginHost } : {}),
    ...(o.flow ? { flow: o.flow } : {}),
    ...(o.scopes ? { scopes: o.scopes.split(/[\s,]+/).filter(Boolean) } : {}),
    ...(o.authTimeout ? { authTimeoutMs: secondsToMs(o.authTimeout, '--auth-timeout') } : {}),
    ...(o.callbackUrl ? { callbackUrl: o.callbackUrl } : {}),
    ...(o.username ? { username: o.username } : {}),
    ...(o.group ? { group: o.group } : {}),
    enabled: !o.disabled,
  });
  const secrets = await collectSecrets(io, input.flow, { ...(o.secretsStdin ? { secretsStdin: true } : {}), interactive: isInteractive(io, o) });
  checkSecrets(input.flow, secrets);
  return withHub(io, async (hub) => {
    const groupId = input.group ? await ensureGroup(hub.store.db, hub.tenant.id, input.group) : null;
    const created = await hub.integrations.create(hub.tenant.id, input, secrets, groupId);
    const groups = await groupNames(hub);
    if (o.json) printJson(io, integrationView(created, groups));
    else {
      io.out(`Added integration "${created.name}".\n`);
      printIntegration(io, created, groups);
      io.out(`\nNext: forcebridge connect ${JSON.stringify(created.name)}\n`);
    }
    return created;
  });
}

export async function setIntegrationSecrets(io: CliIo, name: string, o: { secretsStdin?: boolean; yes?: boolean }): Promise<void> {
  await withHub(io, async (hub) => {
    const integ = await hub.integrations.get(hub.tenant.id, name);
    const given = await collectSecrets(io, integ.flow, { ...(o.secretsStdin ? { secretsStdin: true } : {}), interactive: isInteractive(io, o) });
    if (!Object.keys(given).length)
      throw new ForcebridgeError('cli.no_secrets', 'invalid_input', 'no secrets were given', {
        field: '--secrets-stdin',
        hint: 'pipe a JSON object on standard input with --secrets-stdin',
      });
    await hub.integrations.setSecrets(hub.tenant.id, integ.id, given);
    const after = await hub.integrations.get(hub.tenant.id, integ.id);
    checkSecrets(after.flow, Object.fromEntries(after.secretsSet.map((k) => [k, 'set'])) as IntegrationSecrets);
    io.out(`Updated secrets of "${after.name}": ${Object.keys(given).join(', ')}\n`);
  });
}

export async function listIntegrations(io: CliIo, o: { json?: boolean }): Promise<void> {
  await withHub(io, async (hub) => {
    const all = await hub.integrations.list(hub.tenant.id);
    const groups = await groupNames(hub);
    if (o.json)
      return printJson(
        io,
        all.map((i) => integrationView(i, groups)),
      );
    if (!all.length) return io.out('No integrations yet. Add one with `forcebridge integrations add --help`.\n');
    io.out(
      table(
        ['NAME', 'ENVIRONMENT', 'FLOW', 'LOGIN HOST', 'GROUP', 'ENABLED', 'SECRETS SET'],
        all.map((i) => [
          i.name,
          i.environment,
          i.flow,
          i.loginHost,
          i.groupId ? (groups.get(i.groupId) ?? '?') : '-',
          i.enabled ? 'yes' : 'no',
          i.secretsSet.join(',') || '-',
        ]),
      ),
    );
  });
}

export async function showIntegration(io: CliIo, name: string, o: { json?: boolean }): Promise<void> {
  await withHub(io, async (hub) => {
    const i = await hub.integrations.get(hub.tenant.id, name);
    const groups = await groupNames(hub);
    if (o.json) printJson(io, integrationView(i, groups));
    else printIntegration(io, i, groups);
  });
}

export async function removeIntegration(io: CliIo, name: string, o: { force?: boolean }): Promise<void> {
  await withHub(io, async (hub) => {
    const i = await hub.integrations.get(hub.tenant.id, name);
    const conns = (await hub.connections.list(hub.tenant.id)).filter((c) => c.integrationId === i.id);
    // Removing the integration deletes its connections (cascade) without revoking them at Salesforce.
    if (conns.length && !o.force) {
      throw new ForcebridgeError('cli.integration_in_use', 'conflict', `integration "${i.name}" has connections: ${conns.map((c) => c.name).join(', ')}`, {
        hint: 'disconnect them first with `forcebridge connections disconnect <name>` (revokes at Salesforce), or pass --force to delete them locally',
      });
    }
    await hub.integrations.remove(hub.tenant.id, i.id);
    io.out(`Removed integration "${i.name}"${conns.length ? ` and ${conns.length} connection(s)` : ''}.\n`);
  });
}

export async function setEnabled(io: CliIo, name: string, enabled: boolean): Promise<void> {
  await withHub(io, async (hub) => {
    const i = await hub.integrations.setEnabled(hub.tenant.id, name, enabled);
    io.out(`Integration "${i.name}" is ${enabled ? 'enabled' : 'disabled'}.\n`);
  });
}

export function integrationsCommand(io: CliIo = processIo()): Command {
  const cmd = new Command('integrations').description('Salesforce connected apps the hub connects through (secrets never on the command line)');
  cmd
    .command('add')
    .description('Add an integration; secrets are prompted for, or read as JSON from stdin with --secrets-stdin')
    .requiredOption('--name <name>', 'unique name, e.g. "Production" or "UAT"')
    .option('--environment <environment>', 'label such as Production, UAT, Sandbox (default Production)')
    .option('--client-id <key>', 'the connected app’s consumer key')
    .option('--login-host <host>', 'production, sandbox, or a My Domain URL such as https://acme.my.salesforce.com')
    .addOption(new Option('--flow <flow>', 'how to connect').choices([...FLOWS]))
    .option('--scopes <scopes>', 'OAuth scopes, space or comma separated (default "api refresh_token")')
    .option('--auth-timeout <seconds>', 'timeout of token requests (default 10)')
    .option('--callback-url <url>', 'authorization code: the exact Callback URL on the connected app (CLI: http://localhost:1717/OauthRedirect)')
    .option('--username <username>', 'password / JWT bearer: the Salesforce username to act as')
    .option('--group <name>', 'make this a group override of the organization default (group is created if new)')
    .option('--disabled', 'add it disabled')
    .option('--secrets-stdin', 'read secrets as JSON from stdin: {"clientSecret","password","securityToken","privateKeyPem","refreshToken"}')
    .option('-y, --yes', 'never prompt (CI)')
    .option('--json', 'print the integration as JSON')
    .action(async (o: AddOptions) => void (await addIntegration(io, o)));
  cmd
    .command('set-secrets <integration>')
    .description('Replace secrets of an integration (prompted, or JSON on stdin with --secrets-stdin)')
    .option('--secrets-stdin', 'read secrets as JSON from stdin')
    .option('-y, --yes', 'never prompt (CI)')
    .action((name: string, o: { secretsStdin?: boolean; yes?: boolean }) => setIntegrationSecrets(io, name, o));
  cmd
    .command('list')
    .description('List integrations')
    .option('--json', 'JSON output')
    .action((o: { json?: boolean }) => listIntegrations(io, o));
  cmd
    .command('show <integration>')
    .description('Show an integration and which secrets are set (never their values)')
    .option('--json', 'JSON output')
    .action((name: string, o: { json?: boolean }) => showIntegration(io, name, o));
  cmd
    .command('remove <integration>')
    .description('Remove an integration')
    .option('--force', 'also delete its connections locally (without revoking them)')
    .action((name: string, o: { force?: boolean }) => removeIntegration(io, name, o));
  cmd
    .command('enable <integration>')
    .description('Enable an integration')
    .action((name: string) => setEnabled(io, name, true));
  cmd
    .command('disable <integration>')
    .description('Disable an integration (a disabled group override falls back to the organization default)')
    .action((name: string) => setEnabled(io, name, false));
  return cmd;
}
