/**
 * `Authorization: Bearer fb_…` → the calling hub user. Missing or bad keys answer 401.
 */
import type { MiddlewareHandler } from 'hono';
import { ForcebridgeError } from '../../errors.js';
import type { ApiKeys } from '../api-keys.js';
import type { ServerEnv } from '../env.js';

/** The presented key, if the request carries one. */
export function bearerKey(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

export function apiKeyAuth(keys: ApiKeys): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const key = bearerKey(c.req.header('authorization'));
    if (!key) {
      throw new ForcebridgeError('auth.api_key_missing', 'forbidden', 'this endpoint needs an API key', {
        hint: 'send `Authorization: Bearer fb_…`; bootstrap the first admin key with `forcebridge serve --print-admin-key`',
      });
    }
    const found = await keys.authenticate(key, c.get('deps').now());
    c.set('caller', { user: found.user, keyId: found.keyId, stepUpAt: found.stepUpAt });
    await next();
  };
}
