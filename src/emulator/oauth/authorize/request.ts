/**
 * Validation of `/services/oauth2/authorize` parameters, in Salesforce's order: the client and
 * redirect_uri first (their errors are shown on a page, since the redirect_uri is not yet
 * trusted), then response_type, scope and PKCE (their errors go to the redirect_uri).
 */
import type { ConnectedApp, Org } from '../../org.js';
import { AUTHORIZE_ERRORS, type AuthorizeErrorKey } from '../errors.js';
import type { OAuthParams } from '../params.js';
import { challengeMethod, type ChallengeMethod } from '../pkce.js';
import { disallowedScopes, parseScopes } from '../scopes.js';

/** Parameters kept across the login and Allow pages (hidden fields). */
export const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'display',
  'immediate',
  'login_hint',
  'nonce',
] as const;

export interface AuthorizeRequest {
  app: ConnectedApp;
  responseType: 'code' | 'token';
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  challenge: { value: string; method: ChallengeMethod } | undefined;
  nonce: string | undefined;
  prompts: string[];
  immediate: boolean;
  loginHint: string | undefined;
  /** The request's own parameters, for hidden fields. */
  hidden: [string, string][];
}

export type AuthorizeParse =
  | { ok: true; request: AuthorizeRequest }
  /** Shown on an error page: the redirect_uri cannot be trusted. */
  | { ok: false; kind: 'page'; error: AuthorizeErrorKey }
  /** Sent to the (validated) redirect_uri. */
  | { ok: false; kind: 'redirect'; error: AuthorizeErrorKey; redirectUri: string; state: string | undefined; fragment: boolean };

/** Validates an authorize request. */
export function parseAuthorize(org: Org, params: OAuthParams): AuthorizeParse {
  const clientId = params.get('client_id');
  const app = clientId ? org.apps.get(clientId) : undefined;
  if (!app) return { ok: false, kind: 'page', error: 'invalidClientId' };
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return { ok: false, kind: 'page', error: 'redirectUriMissing' };
  // Exact match: no prefix, case or trailing-slash leniency.
  if (!app.callbackUrls.includes(redirectUri)) return { ok: false, kind: 'page', error: 'redirectUriMismatch' };
  const state = params.get('state');
  const responseType = params.get('response_type');
  const redirect = (error: AuthorizeErrorKey): AuthorizeParse => ({
    ok: false,
    kind: 'redirect',
    error,
    redirectUri,
    state,
    fragment: responseType === 'token',
  });
  if (responseType !== 'code' && responseType !== 'token') return redirect('unsupportedResponseType');
  const requested = parseScopes(params.get('scope'));
  if (disallowedScopes(requested, app.scopes).length > 0) return redirect('invalidScope');
  const challengeValue = params.get('code_challenge');
  let challenge: AuthorizeRequest['challenge'];
  if (challengeValue) {
    const method = challengeMethod(params.get('code_challenge_method'));
    if (!method) return redirect('pkceMethodInvalid');
    challenge = { value: challengeValue, method };
  } else if (app.pkceRequired && responseType === 'code') {
    return redirect('pkceChallengeMissing');
  }
  const hidden: [string, string][] = [];
  for (const name of AUTHORIZE_PARAMS) {
    const v = params.get(name);
    if (v !== undefined) hidden.push([name, v]);
  }
  return {
    ok: true,
    request: {
      app,
      responseType,
      redirectUri,
      // Without a scope parameter Salesforce grants every scope the app has.
      scopes: requested.length > 0 ? requested : [...app.scopes],
      state,
      challenge,
      nonce: params.get('nonce'),
      prompts: (params.get('prompt') ?? '').split(/\s+/).filter(Boolean),
      immediate: params.get('immediate') === 'true',
      loginHint: params.get('login_hint'),
      hidden,
    },
  };
}

/**
 * `{redirect_uri}?error=...&error_description=...&state=...` (or `#...` for the user-agent
 * flow). Spaces encode as `+`, as Salesforce's `end-user+denied+authorization`.
 */
export function errorRedirect(redirectUri: string, error: AuthorizeErrorKey, state: string | undefined, fragment: boolean): string {
  const def = AUTHORIZE_ERRORS[error];
  const q = new URLSearchParams({ error: def.error, error_description: def.description });
  if (state !== undefined) q.set('state', state);
  return appendParams(redirectUri, q, fragment);
}

/** Appends parameters to a redirect URI's query (or fragment). */
export function appendParams(redirectUri: string, params: URLSearchParams, fragment: boolean): string {
  if (fragment) return `${redirectUri}#${params.toString()}`;
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${params.toString()}`;
}
