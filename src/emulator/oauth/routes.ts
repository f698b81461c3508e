/**
 * OAuth 2.0 and identity routes, served on every host role (login, sandbox, My Domain). This file
 * only wires paths to their endpoint modules.
 */
import type { Hono } from 'hono';
import type { EmuEnv } from '../http/env.js';
import { sfJson } from '../http/respond.js';
import type { Org } from '../org.js';
import { AUTHORIZE_PATH, authorizeEndpoint } from './authorize/authorize.js';
import { deviceVerifyEndpoint } from './device-verify.js';
import { DEVICE_VERIFICATION_PATH } from './grants/device.js';
import { jwks } from './id-token.js';
import { identityEndpoint, userinfoEndpoint } from './identity.js';
import { introspectEndpoint } from './introspect.js';
import { revokeEndpoint } from './revoke.js';
import { tokenEndpoint } from './token.js';

export function registerOAuth(app: Hono<EmuEnv>, org: Org): void {
  app.get(AUTHORIZE_PATH, (c) => authorizeEndpoint(c, org));
  app.post(AUTHORIZE_PATH, (c) => authorizeEndpoint(c, org));
  app.post('/services/oauth2/token', (c) => tokenEndpoint(c, org));
  app.post('/services/oauth2/revoke', (c) => revokeEndpoint(c, org));
  app.get('/services/oauth2/revoke', (c) => revokeEndpoint(c, org));
  app.get('/services/oauth2/userinfo', (c) => userinfoEndpoint(c, org));
  app.post('/services/oauth2/userinfo', (c) => userinfoEndpoint(c, org));
  app.post('/services/oauth2/introspect', (c) => introspectEndpoint(c, org));
  app.get('/id/keys', async (c) => sfJson(c, await jwks(org)));
  app.get('/id/:orgId/:userId', (c) => identityEndpoint(c, org));
  app.get(DEVICE_VERIFICATION_PATH, (c) => deviceVerifyEndpoint(c, org));
  app.post(DEVICE_VERIFICATION_PATH, (c) => deviceVerifyEndpoint(c, org));
}
