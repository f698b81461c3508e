/**
 * Device flow: ask for a device code at the token endpoint, show the user code and verification
 * URL, then poll with `grant_type=device` (the parameter is `code`) at the given interval.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_device_flow.htm
 */
import { remoteProtocol } from '../../errors.js';
import type { LoginHost } from '../login-host.js';
import { tokenRequest, type TokenRequest } from '../token-request.js';
import { parseJsonObject, throwIfOAuthError, type RawResponse } from '../token-response.js';

export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  /** Seconds between polls. */
  interval: number;
}

export function deviceCodeRequest(g: { host: LoginHost; clientId: string; scopes: string[] }): TokenRequest {
  return tokenRequest(g.host, { response_type: 'device_code', client_id: g.clientId, scope: g.scopes.join(' ') });
}

export function processDeviceCodeResponse(res: RawResponse): DeviceCode {
  throwIfOAuthError(res, 'device code response');
  const b = parseJsonObject(res, 'device code response');
  const str = (k: string) => {
    const v = b[k];
    if (typeof v !== 'string' || !v) throw remoteProtocol('oauth.device_response_invalid', `device code response "${k}" must be a non-empty string`);
    return v;
  };
  const interval = b.interval === undefined ? 5 : Number(b.interval);
  if (!Number.isFinite(interval) || interval < 0 || interval > 600)
    throw remoteProtocol('oauth.device_response_invalid', 'device code response "interval" must be a number of seconds');
  const verificationUri = str('verification_uri');
  try {
    new URL(verificationUri);
  } catch {
    throw remoteProtocol('oauth.device_response_invalid', 'device code response "verification_uri" must be a URL');
  }
  return { deviceCode: str('device_code'), userCode: str('user_code'), verificationUri, interval };
}

export function deviceTokenRequest(g: { host: LoginHost; clientId: string; clientSecret?: string; deviceCode: string }): TokenRequest {
  return tokenRequest(g.host, { grant_type: 'device', client_id: g.clientId, client_secret: g.clientSecret, code: g.deviceCode });
}
