/**
 * Authorization code with PKCE (web server flow): build the authorize URL, then exchange the code.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import type { LoginHost } from '../login-host.js';
import { tokenRequest, type TokenRequest } from '../token-request.js';

export interface AuthorizeUrlParams {
  host: LoginHost;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  codeChallenge: string;
  /** e.g. `login consent` to force the login page and the consent page. */
  prompt?: string;
  loginHint?: string;
}

export function authorizeUrl(p: AuthorizeUrlParams): string {
  const u = new URL(`${p.host.url}/services/oauth2/authorize`);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', p.clientId);
  u.searchParams.set('redirect_uri', p.redirectUri);
  u.searchParams.set('scope', p.scopes.join(' '));
  u.searchParams.set('state', p.state);
  u.searchParams.set('code_challenge', p.codeChallenge);
  u.searchParams.set('code_challenge_method', 'S256');
  if (p.prompt) u.searchParams.set('prompt', p.prompt);
  if (p.loginHint) u.searchParams.set('login_hint', p.loginHint);
  return u.toString();
}

export interface AuthorizationCodeGrant {
  host: LoginHost;
  clientId: string;
  clientSecret?: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

export function authorizationCodeGrantRequest(g: AuthorizationCodeGrant): TokenRequest {
  return tokenRequest(g.host, {
    grant_type: 'authorization_code',
    code: g.code,
    client_id: g.clientId,
    client_secret: g.clientSecret,
    redirect_uri: g.redirectUri,
    code_verifier: g.codeVerifier,
  });
}

/** Reads `code`/`state` or `error` from the callback URL's query. */
export function parseCallback(
  query: URLSearchParams,
): { code: string; state: string } | { error: string; errorDescription: string | undefined; state: string | undefined } {
  const error = query.get('error');
  if (error) return { error, errorDescription: query.get('error_description') ?? undefined, state: query.get('state') ?? undefined };
  return { code: query.get('code') ?? '', state: query.get('state') ?? '' };
}
