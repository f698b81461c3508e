/**
 * Token revocation: POST `{loginHost}/services/oauth2/revoke` with `token=` (form-encoded).
 * Revoking a refresh token also ends every session minted from it. Salesforce answers 200 with an
 * empty body, or 400 `invalid_token` (form-encoded) when the token is already unknown — for a
 * disconnect that is the same outcome.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
 */
import { remoteProtocol } from '../errors.js';
import type { LoginHost } from './login-host.js';
import { oauthError } from './oauth-error.js';
import type { TokenRequest } from './token-request.js';
import type { RawResponse } from './token-response.js';

export function revokeRequest(host: LoginHost, token: string): TokenRequest {
  return {
    url: `${host.url}/services/oauth2/revoke`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  };
}

/** `revoked`, or `already_invalid` when Salesforce no longer knows the token; throws otherwise. */
export function processRevokeResponse(res: RawResponse): 'revoked' | 'already_invalid' {
  if (res.status === 200) return 'revoked';
  let error: string | null = null;
  let description: string | undefined;
  const text = res.body.trim();
  if (text.startsWith('{')) {
    try {
      const b = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      error = typeof b.error === 'string' ? b.error : null;
      description = typeof b.error_description === 'string' ? b.error_description : undefined;
    } catch {
      error = null;
    }
  } else {
    const form = new URLSearchParams(text);
    error = form.get('error');
    description = form.get('error_description') ?? undefined;
  }
  if (res.status === 400 && error === 'invalid_token') return 'already_invalid';
  if (error) throw oauthError(error, description, res.status);
  throw remoteProtocol('oauth.revoke_unexpected', `revoke response: HTTP ${res.status} without an OAuth error`, { status: res.status });
}
