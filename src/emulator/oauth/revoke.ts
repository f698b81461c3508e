/**
 * `/services/oauth2/revoke` (POST form `token=`, or GET `?token=`): revokes an access token, or a
 * refresh token and every access token minted from it. 200 with an empty body; an unknown token
 * gets 400 with a form-urlencoded error body (jsforce parses it with querystring).
 * See https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm
 */
import type { Context } from 'hono';
import type { EmuEnv } from '../http/env.js';
import type { Org } from '../org.js';
import { REVOKE_ERRORS } from './errors.js';
import { readOAuthParams } from './params.js';

export async function revokeEndpoint(c: Context<EmuEnv>, org: Org): Promise<Response> {
  const params = await readOAuthParams(c);
  const token = params.get('token');
  if (token && org.tokens.revoke(token)) return c.body(null, 200);
  const def = REVOKE_ERRORS.invalidToken;
  const body = new URLSearchParams({ error: def.error, error_description: def.description }).toString();
  return c.body(body, 400, { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', 'Cache-Control': 'no-store' });
}
