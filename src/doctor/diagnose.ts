/**
 * Turns a failed grant or renewal into a diagnosis that names the fix. The OAuth error table
 * (auth/oauth-error.ts) gives the code and the general hint; where one answer has several causes
 * — `authentication failure` is a wrong host, a missing security token or a wrong password — the
 * doctor asks Salesforce a second question to tell them apart (the same grant on the other login
 * host; the password without the token).
 */
import { requestTokens } from '../auth/send.js';
import { ForcebridgeError } from '../errors.js';
import { renewalRequest } from '../connections/renew.js';
import { networkFix } from './checks/host.js';
import type { DoctorContext, Outcome } from './types.js';

const COMMON_TLDS = new Set([
  'com',
  'org',
  'net',
  'io',
  'co',
  'edu',
  'gov',
  'biz',
  'info',
  'de',
  'uk',
  'fr',
  'nl',
  'es',
  'it',
  'jp',
  'au',
  'ca',
  'ch',
  'in',
  'us',
]);

/**
 * Sandbox copies append a suffix to every username (`user@acme.com` → `user@acme.com.uat`), so a
 * username whose domain ends with an extra label after a common top-level domain looks like one.
 */
export function looksLikeSandboxUsername(username: string | undefined): boolean {
  const domain = username?.split('@')[1]?.toLowerCase();
  if (!domain) return false;
  const labels = domain.split('.');
  return labels.length >= 3 && COMMON_TLDS.has(labels[labels.length - 2]!) && !COMMON_TLDS.has(labels[labels.length - 1]!);
}

/** The other login host (production ↔ sandbox), when the integration uses one of the two. */
export function otherLoginHost(ctx: DoctorContext): { url: string; role: 'production' | 'sandbox' } | undefined {
  const current = ctx.facts.host?.url ?? ctx.integration.loginHost;
  const norm = (u: string) => u.replace(/\/+$/, '').toLowerCase();
  if (norm(current) === norm(ctx.loginHosts.production)) return { url: ctx.loginHosts.sandbox, role: 'sandbox' };
  if (norm(current) === norm(ctx.loginHosts.sandbox)) return { url: ctx.loginHosts.production, role: 'production' };
  return undefined;
}

/** Runs the integration's own grant with changes, in memory; true when Salesforce accepts it. */
async function grantWorks(ctx: DoctorContext, change: { loginHost?: string; withoutSecurityToken?: boolean }): Promise<boolean> {
  const integ = change.loginHost ? { ...ctx.integration, loginHost: change.loginHost } : ctx.integration;
  const { securityToken: _dropped, ...withoutToken } = ctx.secrets;
  const secrets = change.withoutSecurityToken ? withoutToken : ctx.secrets;
  try {
    await requestTokens(ctx.deps.transport, await renewalRequest(integ, secrets, undefined), {
      timeoutMs: ctx.integration.authTimeoutMs,
      ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}),
    });
    return true;
  } catch {
    return false;
  }
}

/** Grants that name a user and can be tried on another host (no refresh token goes anywhere). */
const probeable = (ctx: DoctorContext) => ctx.integration.flow === 'password' || ctx.integration.flow === 'jwt_bearer';

async function wrongHost(ctx: DoctorContext, e: ForcebridgeError): Promise<Outcome | undefined> {
  const other = otherLoginHost(ctx);
  if (!other || !probeable(ctx)) return undefined;
  if (!(await grantWorks(ctx, { loginHost: other.url }))) return undefined;
  const user = ctx.integration.username;
  const shape = other.role === 'sandbox' && looksLikeSandboxUsername(user) ? ` (${user} looks like a sandbox username)` : '';
  return {
    status: 'fail',
    detail: `${e.message} on ${ctx.facts.host?.url ?? ctx.integration.loginHost}, but the same login works on the ${other.role} login host ${other.url}${shape}`,
    fix: `wrong host: this is a ${other.role} org — set the integration’s login host to ${other.url}${other.role === 'sandbox' ? ' (or the sandbox’s My Domain URL)' : ' (or your My Domain URL)'}`,
  };
}

async function authenticationFailure(ctx: DoctorContext, e: ForcebridgeError): Promise<Outcome> {
  const host = await wrongHost(ctx, e);
  if (host) return host;
  const other = otherLoginHost(ctx);
  const sandboxHint =
    other?.role === 'sandbox' && looksLikeSandboxUsername(ctx.integration.username)
      ? ` ${ctx.integration.username} looks like a sandbox username: if it is, set the login host to ${other.url}.`
      : '';
  if (ctx.integration.flow === 'password') {
    if (!ctx.secrets.securityToken) {
      return {
        status: 'fail',
        detail: `${e.message}: the password was sent without a security token`,
        fix: `append the security token: outside the org’s trusted IP ranges Salesforce wants the password followed by the user’s security token — store the token with the integration (Salesforce: Settings → Reset My Security Token emails it), or add this server’s IP to Setup → Network Access.${sandboxHint}`,
      };
    }
    if (await grantWorks(ctx, { withoutSecurityToken: true })) {
      return {
        status: 'fail',
        detail: `${e.message} with password + security token, but the password alone works`,
        fix: 'the stored password already ends with the security token: store the password alone and the token separately',
      };
    }
    return {
      status: 'fail',
      detail: e.message,
      fix: `the username, password or security token is wrong — a password change or “Reset My Security Token” issues a new token: store the current password and token.${sandboxHint}`,
    };
  }
  return { status: 'fail', detail: e.message, fix: `${e.hint ?? 'check the credentials'}${sandboxHint}` };
}

/** A diagnosis for a failed grant or renewal. Non-Forcebridge errors are bugs and are rethrown. */
export async function diagnoseTokenFailure(ctx: DoctorContext, e: unknown): Promise<Outcome> {
  if (!(e instanceof ForcebridgeError)) throw e;
  if (e.kind === 'unavailable') return networkFix(e, ctx.facts.host?.url ?? ctx.integration.loginHost);
  const reconnect = `run \`forcebridge connect ${ctx.integration.name}\` again`;
  switch (e.code) {
    case 'oauth.authentication_failure':
      return authenticationFailure(ctx, e);
    case 'oauth.invalid_client_id':
    case 'oauth.jwt_invalid':
      // An app or user that exists only in the other environment answers like a wrong key.
      return (await wrongHost(ctx, e)) ?? { status: 'fail', detail: e.message, fix: e.hint ?? 'check the connected app' };
    case 'oauth.refresh_token_revoked':
      return { status: 'fail', detail: e.message, fix: `reconnect: ${e.hint ?? 'the refresh token no longer works'} — ${reconnect}` };
    case 'connection.no_refresh_token':
      return { status: 'fail', detail: e.message, fix: `${e.hint ?? 'add the refresh_token scope'} (${reconnect})` };
    default:
      return { status: 'fail', detail: e.message, fix: e.hint ?? 'see Salesforce’s message above' };
  }
}
