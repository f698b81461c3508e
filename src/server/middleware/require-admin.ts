/**
 * Admin-only endpoints: the caller's hub user must be an admin of their tenant.
 */
import type { MiddlewareHandler } from 'hono';
import { ForcebridgeError } from '../../errors.js';
import { callerOf, type ServerEnv } from '../env.js';

export function requireAdmin(): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    if (!callerOf(c).user.isAdmin) {
      throw new ForcebridgeError('auth.admin_required', 'forbidden', 'only an admin of this organization may do this', {
        hint: 'use an admin’s API key',
      });
    }
    await next();
  };
}
