/**
 * `POST /services/oauth2/token`: parses the request (query string + form or multipart body,
 * client auth in body or Basic), dispatches on `grant_type` (or `response_type=device_code`, the
 * device flow's first step) and answers with Salesforce's success or error body.
 */
import type { Context } from 'hono';
import type { EmuEnv } from '../http/env.js';
import type { Org } from '../org.js';
import { OAuthFailure } from './errors.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { clientCredentialsGrant } from './grants/client-credentials.js';
import { deviceGrant, requestDeviceCode } from './grants/device.js';
import { JWT_BEARER, jwtBearerGrant } from './grants/jwt-bearer.js';
import { passwordGrant } from './grants/password.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import type { GrantHandler, GrantRequest } from './grants/types.js';
import { clientCredentials, readOAuthParams } from './params.js';
import { sendOAuthBody, sendOAuthError, tokenBody, wantsUrlencoded } from './token-response.js';

/** Grant types by their `grant_type` value. */
export const GRANTS: Record<string, GrantHandler> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  password: passwordGrant,
  client_credentials: clientCredentialsGrant,
  [JWT_BEARER]: jwtBearerGrant,
  device: deviceGrant,
};

/** Handles one token request. */
export async function tokenEndpoint(c: Context<EmuEnv>, org: Org): Promise<Response> {
  const params = await readOAuthParams(c);
  const urlencoded = wantsUrlencoded(c, params.get('format'));
  const req: GrantRequest = { org, host: c.get('host'), params, client: clientCredentials(c, params) };
  try {
    if (params.get('response_type') === 'device_code' && !params.has('grant_type')) {
      return sendOAuthBody(c, { ...requestDeviceCode(req) }, 200, urlencoded);
    }
    const grantType = params.get('grant_type');
    if (!grantType) throw new OAuthFailure('grantTypeMissing');
    const handler = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
    if (!handler) throw new OAuthFailure('unsupportedGrantType');
    const issued = await handler(req);
    return sendOAuthBody(c, await tokenBody(org, issued), 200, urlencoded);
  } catch (e) {
    if (e instanceof OAuthFailure) return sendOAuthError(c, e.def, urlencoded);
    throw e;
  }
}
