/**
 * The token check. For a connection: is the stored access token still good (userinfo answers)?
 * If not, renew it the way every API call would — through the Refresher, which also records a
 * needs_reconnect state when Salesforce says a person must act. For an integration without a
 * connection: run its non-interactive grant in memory (nothing is stored). Failures go to
 * `diagnoseTokenFailure`, which names the fix.
 */
import { requestTokens } from '../../auth/send.js';
import { renewalRequest } from '../../connections/renew.js';
import { ForcebridgeError } from '../../errors.js';
import { diagnoseTokenFailure } from '../diagnose.js';
import type { Check, DoctorContext, DoctorSession, Outcome } from '../types.js';
import { networkFix } from './host.js';

interface UserInfo {
  preferred_username?: string;
  user_id?: string;
  organization_id?: string;
}

/** Asks `/services/oauth2/userinfo` who the token belongs to; undefined when it is refused. */
export async function userinfo(ctx: DoctorContext, s: DoctorSession): Promise<UserInfo | undefined> {
  const res = await ctx.deps.transport({
    method: 'GET',
    url: `${s.instanceUrl}/services/oauth2/userinfo`,
    headers: { Authorization: `Bearer ${s.accessToken}`, Accept: 'application/json' },
    timeoutMs: ctx.integration.authTimeoutMs,
  });
  if (res.status !== 200) return undefined;
  try {
    return JSON.parse(res.body) as UserInfo;
  } catch {
    return undefined;
  }
}

const describeUser = (u: UserInfo | undefined) =>
  u?.preferred_username ? `${u.preferred_username}${u.organization_id ? ` in org ${u.organization_id}` : ''}` : 'the user';

async function forConnection(ctx: DoctorContext): Promise<Outcome> {
  const conn = ctx.connection!;
  if (conn.state === 'disabled') return { status: 'fail', detail: `connection "${conn.name}" is disabled`, fix: 'enable the connection, or reconnect' };
  const stored = await ctx.deps.connections.tokens(ctx.tenantId, conn.id);
  if (stored.accessToken && stored.instanceUrl) {
    const session = { accessToken: stored.accessToken, instanceUrl: stored.instanceUrl };
    let who: UserInfo | undefined;
    try {
      who = await userinfo(ctx, session);
    } catch (e) {
      if (e instanceof ForcebridgeError && e.kind === 'unavailable') return networkFix(e, stored.instanceUrl);
      throw e;
    }
    if (who) {
      ctx.facts.session = session;
      ctx.facts.who = who.preferred_username ?? conn.username ?? undefined;
      return { status: 'ok', detail: `the current access token is valid (${describeUser(who)})` };
    }
  }
  try {
    const fresh = await ctx.deps.refresher.renew(ctx.tenantId, conn.id, -1);
    const session = { accessToken: fresh.accessToken, instanceUrl: fresh.instanceUrl };
    const who = await userinfo(ctx, session);
    ctx.facts.session = session;
    ctx.facts.who = who?.preferred_username ?? conn.username ?? undefined;
    const how = conn.hasRefreshToken ? 'the refresh token' : `the ${ctx.integration.flow} grant`;
    return { status: 'ok', detail: `the session had expired and was renewed through ${how} (${describeUser(who)})` };
  } catch (e) {
    return diagnoseTokenFailure(ctx, e);
  }
}

async function forIntegration(ctx: DoctorContext): Promise<Outcome> {
  try {
    const req = await renewalRequest(ctx.integration, ctx.secrets, ctx.secrets.refreshToken);
    const tokens = await requestTokens(ctx.deps.transport, req, {
      timeoutMs: ctx.integration.authTimeoutMs,
      ...(ctx.secrets.clientSecret ? { clientSecret: ctx.secrets.clientSecret } : {}),
    });
    const session = { accessToken: tokens.accessToken, instanceUrl: tokens.instanceUrl };
    const who = await userinfo(ctx, session);
    ctx.facts.session = session;
    ctx.facts.who = who?.preferred_username ?? ctx.integration.username;
    return { status: 'ok', detail: `the ${ctx.integration.flow} grant works (${describeUser(who)}); nothing was stored` };
  } catch (e) {
    return diagnoseTokenFailure(ctx, e);
  }
}

export const tokenCheck: Check = {
  id: 'token',
  title: 'Token valid',
  needs: ['config.flow', 'host.reachable'],
  notApplicable(ctx) {
    const interactive = ctx.integration.flow === 'authorization_code' || ctx.integration.flow === 'device';
    return !ctx.connection && interactive
      ? `no connection yet: a person connects the ${ctx.integration.flow} flow with \`forcebridge connect ${ctx.integration.name}\``
      : undefined;
  },
  run: (ctx) => (ctx.connection ? forConnection(ctx) : forIntegration(ctx)),
};
