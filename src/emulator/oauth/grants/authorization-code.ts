/**
 * `grant_type=authorization_code` (web-server flow): the code is single-use and short-lived, the
 * redirect_uri must repeat the authorize one, and a PKCE challenge made at authorize must be
 * answered by `code_verifier`.
 */
import { checkSecret, requireApp } from '../clients.js';
import { OAuthFailure } from '../errors.js';
import { verifierMatches } from '../pkce.js';
import { allowsRefresh } from '../scopes.js';
import { oauthState } from '../state.js';
import type { GrantHandler } from './types.js';

export const authorizationCodeGrant: GrantHandler = ({ org, host, params, client }) => {
  const app = requireApp(org, client.clientId);
  checkSecret(app, client.clientSecret, app.requireSecretForWebServerFlow);
  const codeValue = params.get('code');
  if (!codeValue) throw new OAuthFailure('expiredAuthCode');
  const codes = oauthState(org).codes;
  const code = codes.get(codeValue);
  if (!code || code.clientId !== app.clientId) throw new OAuthFailure('expiredAuthCode');
  // Single use: any presentation consumes the code, even one that then fails a check (RFC 6749 §4.1.2).
  codes.delete(codeValue);
  if (org.clock.nowPrecise() > code.expiresAt) throw new OAuthFailure('expiredAuthCode');
  if (params.get('redirect_uri') !== code.redirectUri) throw new OAuthFailure('tokenRedirectUriMismatch');
  if (code.challenge) {
    const verifier = params.get('code_verifier');
    if (verifier === undefined) throw new OAuthFailure('pkceVerifierMissing');
    if (!verifierMatches(verifier, code.challenge.value, code.challenge.method)) throw new OAuthFailure('pkceVerifierMismatch');
  }
  const user = org.users.get(code.userId);
  if (!user || !user.config.active) throw new OAuthFailure('inactiveUser');
  const refresh = allowsRefresh(code.scopes) ? org.tokens.issueRefresh(user.id, app.clientId, code.scopes, host) : undefined;
  const session = org.tokens.issueAccess(user.id, app.clientId, code.scopes, host, refresh?.token);
  return { flow: 'authorization_code', app, session, refresh, nonce: code.nonce };
};
