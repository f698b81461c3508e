/**
 * How a connection gets a new access token: the refresh_token grant when it holds a refresh token,
 * otherwise re-running its non-interactive grant (client credentials, username-password, JWT
 * bearer). Interactive flows without a refresh token need a person: missing_refresh_scope.
 */
import { clientCredentialsGrantRequest } from '../auth/flows/client-credentials.js';
import { jwtAssertion, jwtBearerGrantRequest } from '../auth/flows/jwt-bearer.js';
import { passwordGrantRequest } from '../auth/flows/password.js';
import { refreshTokenGrantRequest } from '../auth/flows/refresh-token.js';
import { normalizeLoginHost } from '../auth/login-host.js';
import type { TokenRequest } from '../auth/token-request.js';
import { ForcebridgeError } from '../errors.js';
import type { IntegrationSecrets } from './integration.js';
import type { Integration } from './integrations-repo.js';

/** The grant that renews a connection, or a needs_reconnect error saying why there is none. */
export async function renewalRequest(integ: Integration, secrets: IntegrationSecrets, refreshToken: string | undefined): Promise<TokenRequest> {
  const host = normalizeLoginHost(integ.loginHost);
  if (refreshToken) {
    return refreshTokenGrantRequest({ host, clientId: integ.clientId, refreshToken, ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}) });
  }
  switch (integ.flow) {
    case 'client_credentials':
      return clientCredentialsGrantRequest({ host, clientId: integ.clientId, clientSecret: secrets.clientSecret ?? '' });
    case 'password':
      return passwordGrantRequest({
        host,
        clientId: integ.clientId,
        clientSecret: secrets.clientSecret ?? '',
        username: integ.username ?? '',
        password: secrets.password ?? '',
        ...(secrets.securityToken ? { securityToken: secrets.securityToken } : {}),
      });
    case 'jwt_bearer':
      return jwtBearerGrantRequest({
        host,
        assertion: await jwtAssertion({ host, clientId: integ.clientId, username: integ.username ?? '', privateKeyPem: secrets.privateKeyPem ?? '' }),
      });
    default:
      throw new ForcebridgeError('connection.no_refresh_token', 'remote_error', 'this connection has no refresh token, so its session cannot be renewed', {
        hint: `add the refresh_token scope to the connected app and to the integration, then reconnect`,
        details: { reconnect: 'missing_refresh_scope' },
      });
  }
}
