/**
 * The device flow's verification page (`/setup/connect`): the user types the code shown on the
 * device, logs in and presses Allow or Deny; the device's next poll then gets tokens (or
 * `access_denied`). GET with `?user_code=` skips the typing.
 */
import type { Context } from 'hono';
import type { EmuEnv } from '../http/env.js';
import type { Org } from '../org.js';
import { interactiveStep } from './authorize/interactive.js';
import { messagePage, userCodePage } from './authorize/pages.js';
import { AUTHORIZE_ERRORS } from './errors.js';
import { DEVICE_VERIFICATION_PATH, deviceByUserCode } from './grants/device.js';
import { readOAuthParams } from './params.js';

const HTML_HEADERS = { 'Cache-Control': 'no-store' };

export const INVALID_USER_CODE_MESSAGE = 'The code is invalid or has expired. Check the code on your device and try again.';

/** Handles GET and POST of the verification page. */
export async function deviceVerifyEndpoint(c: Context<EmuEnv>, org: Org): Promise<Response> {
  const params = await readOAuthParams(c);
  const entered = params.get('user_code');
  if (entered === undefined) return c.html(userCodePage({ action: DEVICE_VERIFICATION_PATH, hidden: [] }), 200, HTML_HEADERS);
  const device = deviceByUserCode(org, entered);
  const app = device ? org.apps.get(device.clientId) : undefined;
  if (!device || !app) {
    return c.html(userCodePage({ action: DEVICE_VERIFICATION_PATH, hidden: [], error: INVALID_USER_CODE_MESSAGE, userCode: entered }), 200, HTML_HEADERS);
  }
  const step = interactiveStep(
    c,
    org,
    {
      action: DEVICE_VERIFICATION_PATH,
      hidden: [['user_code', device.userCode]],
      app,
      scopes: device.scopes,
      forceLogin: false,
      immediate: false,
      loginHint: undefined,
    },
    params,
  );
  switch (step.kind) {
    case 'page':
      return c.html(step.html, 200, HTML_HEADERS);
    case 'allowed':
      device.status = { state: 'approved', userId: step.user.id };
      return c.html(messagePage('Device Connected', 'Your device is connected. You can close this window and return to your device.'), 200, HTML_HEADERS);
    case 'denied':
      device.status = { state: 'denied' };
      return c.html(messagePage('Access Denied', 'You denied access to your device.'), 200, HTML_HEADERS);
    case 'failed':
      return c.html(messagePage('Error', AUTHORIZE_ERRORS[step.error].description), 400, HTML_HEADERS);
  }
}
