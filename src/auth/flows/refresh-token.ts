/**
 * Refresh token grant. Salesforce returns a new refresh token only when the app rotates them.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
 */
import type { LoginHost } from '../login-host.js';
import { tokenRequest, type TokenRequest } from '../token-request.js';

export function refreshTokenGrantRequest(g: { host: LoginHost; clientId: string; clientSecret?: string; refreshToken: string }): TokenRequest {
  return tokenRequest(g.host, { grant_type: 'refresh_token', refresh_token: g.refreshToken, client_id: g.clientId, client_secret: g.clientSecret });
}
