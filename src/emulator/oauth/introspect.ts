/**
 * `POST /services/oauth2/introspect` (RFC 7662, client-authenticated): whether a token is live
 * and for whom. Tokens of other apps, unknown or expired tokens all answer `{active:false}`.
 * See https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_token_introspection.htm
 */
import type { Context } from 'hono';
import type { EmuEnv } from '../http/env.js';
import type { Org } from '../org.js';
import { checkSecret } from './clients.js';
import { OAUTH_ERRORS, OAuthFailure } from './errors.js';
import { clientCredentials, readOAuthParams } from './params.js';
import { sendOAuthBody, sendOAuthError } from './token-response.js';

export async function introspectEndpoint(c: Context<EmuEnv>, org: Org): Promise<Response> {
  const params = await readOAuthParams(c);
  const client = clientCredentials(c, params);
  const app = client.clientId ? org.apps.get(client.clientId) : undefined;
  try {
    if (!app) throw new OAuthFailure('introspectInvalidClient');
    checkSecret(app, client.clientSecret, true);
  } catch {
    return sendOAuthError(c, OAUTH_ERRORS.introspectInvalidClient, false);
  }
  const token = params.get('token') ?? '';
  const access = org.tokens.peekAccess(token);
  if (access && access.clientId === app.clientId) {
    const user = org.users.get(access.userId);
    const iat = Math.floor(access.issuedAt / 1000);
    return sendOAuthBody(
      c,
      {
        active: true,
        scope: access.scopes.join(' '),
        client_id: access.clientId,
        username: user?.config.username ?? '',
        sub: org.identityUrl(access.userId, access.hostRole),
        token_type: 'access_token',
        exp: Math.floor((access.lastUsed + org.settings.sessionTimeoutSeconds * 1000) / 1000),
        iat,
        nbf: iat,
      },
      200,
      false,
    );
  }
  const refresh = org.tokens.lookupRefresh(token);
  if (refresh && refresh.clientId === app.clientId) {
    const user = org.users.get(refresh.userId);
    const iat = Math.floor(refresh.issuedAt / 1000);
    // Refresh tokens do not expire by time in Salesforce, so there is no `exp`.
    return sendOAuthBody(
      c,
      {
        active: true,
        scope: refresh.scopes.join(' '),
        client_id: refresh.clientId,
        username: user?.config.username ?? '',
        sub: org.identityUrl(refresh.userId, refresh.hostRole),
        token_type: 'refresh_token',
        iat,
        nbf: iat,
      },
      200,
      false,
    );
  }
  return sendOAuthBody(c, { active: false }, 200, false);
}
