/**
 * `grant_type=refresh_token`: a new access token for a live refresh token of the same app. With
 * rotation enabled on the app the refresh token is replaced by a new one on every use.
 */
import { checkSecret, requireApp } from '../clients.js';
import { ipAllowed } from '../credentials.js';
import { OAuthFailure } from '../errors.js';
import type { GrantHandler } from './types.js';

export const refreshTokenGrant: GrantHandler = ({ org, host, params, client }) => {
  const app = requireApp(org, client.clientId);
  checkSecret(app, client.clientSecret, false);
  const presented = params.get('refresh_token');
  const grant = presented ? org.tokens.lookupRefresh(presented) : undefined;
  if (!grant || grant.clientId !== app.clientId) throw new OAuthFailure('expiredRefreshToken');
  const user = org.users.get(grant.userId);
  if (!user || !user.config.active) throw new OAuthFailure('expiredRefreshToken');
  if (!ipAllowed(app, user)) throw new OAuthFailure('ipRestricted');
  const current = app.refreshTokenRotation ? org.tokens.rotateRefresh(grant) : grant;
  const session = org.tokens.issueAccess(user.id, app.clientId, grant.scopes, host, current.token);
  return { flow: 'refresh_token', app, session, refresh: app.refreshTokenRotation ? current : undefined };
};
