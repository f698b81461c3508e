/**
 * Client credentials flow: works only on the My Domain host and needs a Run As user on the app.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
 */
import { invalidInput } from '../../errors.js';
import { supportsClientCredentials, type LoginHost } from '../login-host.js';
import { basicAuth, tokenRequest, type TokenRequest } from '../token-request.js';

export function clientCredentialsGrantRequest(g: { host: LoginHost; clientId: string; clientSecret: string }): TokenRequest {
  if (!supportsClientCredentials(g.host)) {
    throw invalidInput(
      'flow.client_credentials_needs_my_domain',
      'loginHost',
      `the client-credentials flow does not work on ${g.host.url}`,
      'set the login host to your My Domain URL, e.g. https://acme.my.salesforce.com',
    );
  }
  return tokenRequest(g.host, { grant_type: 'client_credentials' }, { Authorization: basicAuth(g.clientId, g.clientSecret) });
}
