/**
 * Device flow (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_device_flow.htm).
 * Step 1 is not a grant: `response_type=device_code` POSTed to the token endpoint hands out a
 * device code and a user code. The device then polls `grant_type=device` with `code` (not
 * `device_code`) until the user approves on the verification page (`/setup/connect`).
 */
import type { Org } from '../../org.js';
import { requireApp } from '../clients.js';
import { OAuthFailure } from '../errors.js';
import { allowsRefresh, disallowedScopes, parseScopes } from '../scopes.js';
import { oauthState, randomString, type DeviceCode } from '../state.js';
import type { GrantHandler, GrantRequest } from './types.js';

/** Path of the verification page on every host. */
export const DEVICE_VERIFICATION_PATH = '/setup/connect';

/** User codes avoid look-alike characters (0/O, 1/I) because people type them. */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface DeviceCodeResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  interval: number;
}

/** Step 1: issues a device code for an app with the device flow enabled. */
export function requestDeviceCode({ org, host, params, client }: GrantRequest): DeviceCodeResponse {
  const app = requireApp(org, client.clientId);
  if (!app.deviceFlowEnabled) throw new OAuthFailure('unsupportedGrantType');
  const requested = parseScopes(params.get('scope'));
  if (disallowedScopes(requested, app.scopes).length > 0) throw new OAuthFailure('invalidScope');
  const state = oauthState(org);
  let userCode: string;
  do userCode = randomString(8, USER_CODE_ALPHABET);
  while (state.devicesByUserCode.has(userCode));
  const device: DeviceCode = {
    deviceCode: randomString(86),
    userCode,
    clientId: app.clientId,
    scopes: requested.length > 0 ? requested : [...app.scopes],
    expiresAt: org.clock.nowPrecise() + org.settings.deviceCodeTtlSeconds * 1000,
    status: { state: 'pending' },
  };
  state.devices.set(device.deviceCode, device);
  state.devicesByUserCode.set(device.userCode, device);
  const base = host === 'sandbox' ? org.urls.sandbox : host === 'mydomain' ? org.urls.mydomain : org.urls.login;
  return {
    device_code: device.deviceCode,
    user_code: device.userCode,
    verification_uri: `${base}${DEVICE_VERIFICATION_PATH}`,
    interval: org.settings.deviceInterval,
  };
}

/** A live (unexpired, not yet used) device code by user code, for the verification page. */
export function deviceByUserCode(org: Org, userCode: string | undefined): DeviceCode | undefined {
  if (!userCode) return undefined;
  const d = oauthState(org).devicesByUserCode.get(userCode.trim().toUpperCase().replace(/[\s-]/g, ''));
  if (!d || d.status.state !== 'pending' || org.clock.nowPrecise() > d.expiresAt) return undefined;
  return d;
}

/** Step 2: `grant_type=device` polling. */
export const deviceGrant: GrantHandler = ({ org, host, params, client }) => {
  const app = requireApp(org, client.clientId);
  const state = oauthState(org);
  const code = params.get('code');
  const device = code ? state.devices.get(code) : undefined;
  if (!device || device.clientId !== app.clientId || device.status.state === 'used') throw new OAuthFailure('deviceCodeInvalid');
  if (device.status.state === 'denied') throw new OAuthFailure('deviceDenied');
  if (org.clock.nowPrecise() > device.expiresAt) throw new OAuthFailure('deviceExpired');
  if (device.status.state === 'pending') throw new OAuthFailure('deviceAuthorizationPending');
  const userId = device.status.userId;
  device.status = { state: 'used' };
  state.devicesByUserCode.delete(device.userCode);
  const user = org.users.get(userId);
  if (!user || !user.config.active) throw new OAuthFailure('inactiveUser');
  const refresh = allowsRefresh(device.scopes) ? org.tokens.issueRefresh(user.id, app.clientId, device.scopes, host) : undefined;
  const session = org.tokens.issueAccess(user.id, app.clientId, device.scopes, host, refresh?.token);
  return { flow: 'device', app, session, refresh };
};
