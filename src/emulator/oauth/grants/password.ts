/**
 * `grant_type=password` (username-password flow): the password parameter is the user's password
 * immediately followed by the security token. No refresh token is issued.
 */
import { checkSecret, requireApp } from '../clients.js';
import { adminAllows, checkLogin, ipAllowed, knownOnHost } from '../credentials.js';
import { OAuthFailure } from '../errors.js';
import type { GrantHandler } from './types.js';

export const passwordGrant: GrantHandler = ({ org, host, params, client }) => {
  const app = requireApp(org, client.clientId);
  checkSecret(app, client.clientSecret, true);
  if (!app.usernamePasswordEnabled) throw new OAuthFailure('unsupportedGrantType');
  const login = checkLogin(org, params.get('username'), params.get('password'), 'api');
  if (!login.ok) throw new OAuthFailure(login.reason === 'inactive' ? 'inactiveUser' : 'authenticationFailure');
  if (!knownOnHost(login.user, host)) throw new OAuthFailure('authenticationFailure');
  if (!ipAllowed(app, login.user)) throw new OAuthFailure('ipRestricted');
  if (!adminAllows(app, login.user)) throw new OAuthFailure('notAdminApproved');
  // The session carries the app's scopes; without a refresh flow the refresh scopes are moot.
  const session = org.tokens.issueAccess(login.user.id, app.clientId, [...app.scopes], host);
  return { flow: 'password', app, session, refresh: undefined };
};
