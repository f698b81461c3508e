/**
 * `forcebridge connect <integration>`: a wizard that first says what to set on the connected app
 * for the chosen flow, then runs the flow and stores the connection. Authorization code: a loopback
 * listener on the callback URL receives code + state (PKCE S256, state bound to the local admin).
 * Device: shows the user code and polls. The other flows connect without a person. With `--yes` or
 * without a terminal nothing is asked, and anything missing fails with the fix.
 */
import * as p from '@clack/prompts';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Connection } from '../../connections/connections-repo.js';
import type { Hub } from '../../connections/hub.js';
import { FLOWS, FLOW_SECRETS, type Flow } from '../../connections/integration.js';
import type { Integration } from '../../connections/integrations-repo.js';
import { ForcebridgeError } from '../../errors.js';
import { connectedAppGuide } from '../connect-guide.js';
import { fields, isInteractive, processIo, secondsToMs, withHub, type CliIo } from '../io.js';
import { DEFAULT_CLI_CALLBACK, loopbackRedirect, openBrowser, startLoopbackCallback } from '../loopback.js';
import { collectSecrets, SECRETS_HINT } from '../secrets-input.js';

export interface ConnectOptions {
  flow?: Flow;
  name?: string;
  browser?: boolean;
  port?: number;
  yes?: boolean;
  timeout?: string;
}

const INTERACTIVE_FLOWS: Flow[] = ['authorization_code', 'device'];

/** Why a connection needs attention, and the fix. */
const REASON_ADVICE: Record<string, string> = {
  missing_refresh_scope: 'add the refresh_token scope on the connected app and the integration, then connect again',
  refresh_token_revoked: 'the refresh token was revoked or expired: connect again',
  password_changed: 'the password changed: update it with `forcebridge integrations set-secrets` and connect again',
  credentials_invalid: 'the stored credentials are refused: update them with `forcebridge integrations set-secrets`',
  app_not_approved: 'approve the user for the connected app (Manage → Profiles / Permission Sets)',
  user_inactive: 'the Salesforce user is inactive: reactivate it or use another user',
  app_misconfigured: 'check the consumer key and secret of the integration',
};

/** The connection summary: identity, scopes, state — never a token. */
export function connectionSummary(c: Connection, integrationName?: string): string {
  return (
    fields([
      ['connection', `${c.name} (${c.id})`],
      ...(integrationName ? [['integration', integrationName] as [string, string]] : []),
      ['kind', c.kind === 'user' ? 'per-user' : 'service'],
      ['state', c.reason ? `${c.state} (${c.reason})` : c.state],
      ['org id', c.orgId],
      ['instance URL', c.instanceUrl],
      ['username', c.username],
      ['user id', c.userId],
      ['scopes', c.scopes.join(' ')],
      ['refresh token', c.hasRefreshToken ? 'stored (encrypted)' : 'none'],
      ['issued at', c.issuedAt ? new Date(c.issuedAt).toISOString() : null],
      ...(c.apiUsed !== null && c.apiMax !== null ? [['API usage', `${c.apiUsed}/${c.apiMax}`] as [string, string]] : []),
    ]) + (c.reason && REASON_ADVICE[c.reason] ? `  fix: ${REASON_ADVICE[c.reason]}\n` : '')
  );
}

function step(io: CliIo, interactive: boolean, text: string): void {
  if (interactive) p.log.step(text);
  else io.out(`${text}\n`);
}

/** Secrets the flow needs that the integration lacks: prompted for (and saved) or a clear error. */
async function ensureSecrets(io: CliIo, hub: Hub, integ: Integration, flow: Flow, interactive: boolean): Promise<void> {
  const missing = FLOW_SECRETS[flow].required.filter((k) => !integ.secretsSet.includes(k));
  if (!missing.length) return;
  if (!interactive) {
    throw new ForcebridgeError(
      'integration.secret_missing',
      'invalid_input',
      `integration "${integ.name}" has no ${missing.join(', ')}, which the ${flow} flow needs`,
      {
        field: missing[0]!,
        hint: `store it with: forcebridge integrations set-secrets ${JSON.stringify(integ.name)} --secrets-stdin — ${SECRETS_HINT}`,
      },
    );
  }
  const given = await collectSecrets(io, flow, { interactive: true, only: missing as never });
  await hub.integrations.setSecrets(hub.tenant.id, integ.id, given);
}

async function runAuthorizationCode(io: CliIo, hub: Hub, integ: Integration, o: ConnectOptions, interactive: boolean, timeoutMs: number): Promise<Connection> {
  const callback = await startLoopbackCallback(integ.callbackUrl ?? DEFAULT_CLI_CALLBACK, o.port);
  try {
    const start = await hub.service.startAuthorization(hub.admin, integ.id, { redirectUri: callback.redirectUri });
    step(io, interactive, `Open this URL, log in to Salesforce and press Allow:\n  ${start.url}`);
    if (o.browser !== false) openBrowser(start.url);
    step(io, interactive, `Waiting for Salesforce to redirect to ${callback.redirectUri} …`);
    const code = await callback.waitForCode(start.state, timeoutMs);
    step(io, interactive, 'Authorization received; exchanging the code (PKCE) …');
    return await hub.service.completeAuthorization({ tenantId: hub.tenant.id, user: hub.admin }, start.state, code, { name: o.name ?? integ.name });
  } finally {
    await callback.close();
  }
}

async function runDevice(io: CliIo, hub: Hub, integ: Integration, o: ConnectOptions, interactive: boolean, timeoutMs: number): Promise<Connection> {
  const { device } = await hub.service.startDevice(hub.tenant.id, integ.id);
  step(io, interactive, `Open ${device.verificationUri} and enter the code:  ${device.userCode}`);
  if (o.browser !== false) openBrowser(device.verificationUri);
  const spin = interactive ? p.spinner() : undefined;
  spin?.start('Waiting for approval');
  if (!interactive) io.out(`Waiting for approval (polling every ${device.interval} s) …\n`);
  try {
    const conn = await hub.service.pollDevice(hub.tenant.id, integ.id, device, { name: o.name ?? integ.name, owner: hub.admin, deadlineMs: timeoutMs });
    spin?.stop('Approved');
    return conn;
  } catch (e) {
    spin?.stop('Not approved');
    throw e;
  }
}

export async function connect(io: CliIo, integration: string, o: ConnectOptions): Promise<Connection> {
  const interactive = isInteractive(io, o);
  const timeoutMs = o.timeout ? secondsToMs(o.timeout, '--timeout') : 10 * 60_000;
  return withHub(io, async (hub) => {
    const integ = await hub.integrations.get(hub.tenant.id, integration);
    if (!integ.enabled)
      throw new ForcebridgeError('integration.disabled', 'invalid_input', `integration "${integ.name}" is disabled`, {
        hint: `enable it with: forcebridge integrations enable ${JSON.stringify(integ.name)}`,
      });
    const flow = o.flow ?? integ.flow;
    if (flow !== integ.flow && !INTERACTIVE_FLOWS.includes(flow)) {
      throw new ForcebridgeError('cli.flow_mismatch', 'invalid_input', `integration "${integ.name}" is set up for the ${integ.flow} flow, not ${flow}`, {
        field: '--flow',
        hint: `add an integration for it: forcebridge integrations add --name … --flow ${flow} …`,
      });
    }
    const callbackUrl = flow === 'authorization_code' ? (integ.callbackUrl ?? DEFAULT_CLI_CALLBACK) : undefined;
    const guide = connectedAppGuide({
      flow,
      scopes: integ.scopes,
      loginHost: integ.loginHost,
      ...(callbackUrl ? { callbackUrl: o.port ? loopbackRedirect(callbackUrl, o.port).toString() : callbackUrl } : {}),
      ...(integ.username ? { username: integ.username } : {}),
    });
    if (interactive) {
      p.intro(`Connect "${integ.name}" (${flow.replace('_', ' ')} flow, ${integ.loginHost})`);
      p.note(guide.join('\n'), 'Connected app settings');
      const ok = await p.confirm({ message: 'Are these settings made in Salesforce?', initialValue: true });
      if (p.isCancel(ok) || !ok)
        throw new ForcebridgeError('cli.cancelled', 'invalid_input', 'cancelled; nothing was connected', {
          hint: 'run connect again once the connected app is set up',
        });
    } else {
      io.out(`Connecting "${integ.name}" with the ${flow} flow (${integ.loginHost})\n`);
    }
    await ensureSecrets(io, hub, integ, flow, interactive);
    let conn: Connection;
    if (flow === 'authorization_code') conn = await runAuthorizationCode(io, hub, integ, o, interactive, timeoutMs);
    else if (flow === 'device') conn = await runDevice(io, hub, integ, o, interactive, timeoutMs);
    else {
      step(io, interactive, `Requesting tokens from ${integ.loginHost} …`);
      conn = await hub.service.connectNonInteractive(hub.tenant.id, integ.id, { ...(o.name ? { name: o.name } : {}) });
    }
    const summary = connectionSummary(conn, integ.name);
    if (interactive) {
      p.note(summary.trimEnd(), 'Connected');
      p.outro(`Try it: forcebridge api ${JSON.stringify(conn.name)} GET /services/data/v62.0/limits`);
    } else {
      io.out(`Connected.\n${summary}`);
    }
    return conn;
  });
}

function parsePortOption(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('--port must be a port number from 1 to 65535');
  return n;
}

export function connectCommand(io: CliIo = processIo()): Command {
  return new Command('connect')
    .description('Connect an org through an integration: explains the connected-app settings, then runs the OAuth flow')
    .argument('<integration>', 'integration name or id')
    .addOption(new Option('--flow <flow>', 'flow to use (default: the integration’s)').choices([...FLOWS]))
    .option('--name <connection>', 'connection name (default: the integration’s name)')
    .option('--no-browser', 'print the URL instead of opening a browser')
    .option('--port <port>', 'authorization code: listen on this port instead of the callback URL’s (register that URL too)', parsePortOption)
    .option('--timeout <seconds>', 'how long to wait for the browser or device approval (default 600)')
    .option('-y, --yes', 'never prompt (CI); fail when something is missing')
    .action(async (integration: string, o: ConnectOptions) => void (await connect(io, integration, o)));
}
