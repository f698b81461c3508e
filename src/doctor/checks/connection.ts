/**
 * The stored connection: do the scopes Salesforce granted include refresh (where the flow renews
 * that way), and what state is it in — read after the token check, which may have just renewed
 * it (→ active) or learned that a person must act (→ needs_reconnect with a reason).
 */
import { grantsRefresh } from '../../connections/service.js';
import type { Check, DoctorContext } from '../types.js';
import { RENEWS_WITH_REFRESH_TOKEN } from './config.js';

const noConnection = (ctx: DoctorContext) => (ctx.connection ? undefined : 'no connection is stored for this integration');

/** What a person does for each needs_reconnect reason. */
const REASON_FIXES: Record<string, string> = {
  missing_refresh_scope: 'add the refresh_token scope on the connected app and to the integration, then reconnect',
  refresh_token_revoked: 'the refresh token was revoked or expired: reconnect',
  password_changed: 'the user’s password changed: store the new password (and security token), then reconnect',
  credentials_invalid: 'the stored credentials no longer work: store the current ones, then reconnect',
  app_not_approved: 'approve the user for the connected app (profile or permission set on the app’s Manage page), then reconnect',
  user_inactive: 'reactivate the Salesforce user or connect another one',
  app_misconfigured: 'fix the connected app settings named by the token check, then reconnect',
};

export const connectionScopes: Check = {
  id: 'connection.scopes',
  title: 'Granted scopes',
  notApplicable: noConnection,
  async run(ctx) {
    const conn = await ctx.deps.connections.get(ctx.tenantId, ctx.connection!.id);
    const shown = conn.scopes.join(' ') || '(Salesforce did not say)';
    const needsRefresh = RENEWS_WITH_REFRESH_TOKEN.has(ctx.integration.flow);
    if (!needsRefresh) return { status: 'ok', detail: `${shown}; the ${ctx.integration.flow} flow renews by running its grant again` };
    if (!conn.hasRefreshToken || (conn.scopes.length > 0 && !grantsRefresh(conn.scopes))) {
      return {
        status: 'fail',
        detail: `granted "${shown}"${conn.hasRefreshToken ? '' : ' and no refresh token is stored'}: the session cannot be renewed once it expires`,
        fix: `add the refresh_token scope ("Perform requests at any time") to the connected app’s Selected OAuth Scopes and to the integration’s scopes, then reconnect with \`forcebridge connect ${ctx.integration.name}\``,
      };
    }
    return { status: 'ok', detail: `${shown} (includes refresh)` };
  },
};

export const connectionState: Check = {
  id: 'connection.state',
  title: 'Connection state',
  notApplicable: noConnection,
  async run(ctx) {
    const conn = await ctx.deps.connections.get(ctx.tenantId, ctx.connection!.id);
    switch (conn.state) {
      case 'active':
        return { status: 'ok', detail: `active${conn.apiUsed !== null && conn.apiMax ? `; last seen API usage ${conn.apiUsed}/${conn.apiMax}` : ''}` };
      case 'needs_reconnect':
        return {
          status: 'fail',
          detail: `needs_reconnect (${conn.reason ?? 'no reason recorded'})`,
          fix: `${REASON_FIXES[conn.reason ?? ''] ?? 'reconnect'} — \`forcebridge connect ${ctx.integration.name}\``,
        };
      case 'disabled':
        return { status: 'fail', detail: 'disabled', fix: 'enable the connection or remove it' };
      case 'error':
        return { status: 'fail', detail: `error${conn.lastError ? `: ${conn.lastError}` : ''}`, fix: 'see the token check above; reconnect once it passes' };
    }
  },
};
