/**
 * `grant_type=client_credentials`: tokens for the app's "Run As" user, only on the My Domain host
 * (login/test answer `request not supported on this domain`). No refresh token.
 */
import { checkSecret, requireApp } from '../clients.js';
import { findUser, ipAllowed } from '../credentials.js';
import { OAuthFailure } from '../errors.js';
import { allowsRefresh } from '../scopes.js';
import type { GrantHandler } from './types.js';

export const clientCredentialsGrant: GrantHandler = ({ org, host, client }) => {
  const app = requireApp(org, client.clientId);
  checkSecret(app, client.clientSecret, true);
  if (host !== 'mydomain') throw new OAuthFailure('clientCredentialsWrongDomain');
  const user = findUser(org, app.clientCredentialsUser);
  if (!user) throw new OAuthFailure('clientCredentialsNoUser');
  if (!user.config.active) throw new OAuthFailure('inactiveUser');
  if (!ipAllowed(app, user)) throw new OAuthFailure('ipRestricted');
  const scopes = app.scopes.filter((s) => !allowsRefresh([s]));
  const session = org.tokens.issueAccess(user.id, app.clientId, scopes, host);
  return { flow: 'client_credentials', app, session, refresh: undefined };
};
