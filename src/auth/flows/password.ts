/**
 * Username-password flow: the password is immediately followed by the user's security token
 * (not needed from trusted IP ranges). Form-encoded, so any character in either survives.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_username_password_flow.htm
 */
import type { LoginHost } from '../login-host.js';
import { tokenRequest, type TokenRequest } from '../token-request.js';

export function passwordGrantRequest(g: {
  host: LoginHost;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  securityToken?: string;
}): TokenRequest {
  return tokenRequest(g.host, {
    grant_type: 'password',
    client_id: g.clientId,
    client_secret: g.clientSecret,
    username: g.username,
    password: g.password + (g.securityToken ?? ''),
  });
}
