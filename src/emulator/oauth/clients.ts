/**
 * Connected-app lookup and client authentication for the token, introspect and authorize
 * endpoints. Secrets are compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { ConnectedApp, Org } from '../org.js';
import { OAuthFailure } from './errors.js';

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The app with this client id, or `invalid_client_id`. */
export function requireApp(org: Org, clientId: string | undefined): ConnectedApp {
  const app = clientId ? org.apps.get(clientId) : undefined;
  if (!app) throw new OAuthFailure('invalidClientId');
  return app;
}

/**
 * Checks a presented client secret: a wrong one always fails; a missing one fails only when the
 * flow requires it.
 */
export function checkSecret(app: ConnectedApp, secret: string | undefined, required: boolean): void {
  if (secret === undefined) {
    if (required) throw new OAuthFailure('invalidClient');
    return;
  }
  if (!safeEqual(secret, app.clientSecret)) throw new OAuthFailure('invalidClient');
}
