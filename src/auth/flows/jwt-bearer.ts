/**
 * JWT bearer flow: an RS256 assertion (iss = consumer key, sub = username, aud = login or test
 * host, exp a few minutes ahead) signed with the key whose certificate is on the connected app.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
import { importPKCS8, SignJWT } from 'jose';
import { invalidInput } from '../../errors.js';
import { jwtAudience, type LoginHost } from '../login-host.js';
import { tokenRequest, type TokenRequest } from '../token-request.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export async function jwtAssertion(p: {
  host: LoginHost;
  clientId: string;
  username: string;
  privateKeyPem: string;
  now?: number;
  audience?: string;
}): Promise<string> {
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    key = await importPKCS8(p.privateKeyPem, 'RS256');
  } catch {
    throw invalidInput(
      'flow.jwt_key_invalid',
      'privateKey',
      'the JWT private key is not a PKCS#8 PEM RSA key',
      'convert it with: openssl pkcs8 -topk8 -nocrypt -in server.key -out server.pk8.pem',
    );
  }
  const now = Math.floor((p.now ?? Date.now()) / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(p.clientId)
    .setSubject(p.username)
    .setAudience(p.audience ?? jwtAudience(p.host))
    .setExpirationTime(now + 180)
    .sign(key);
}

export function jwtBearerGrantRequest(g: { host: LoginHost; assertion: string }): TokenRequest {
  return tokenRequest(g.host, { grant_type: JWT_BEARER_GRANT, assertion: g.assertion });
}
