/**
 * Step-up: saving or changing a secret needs a password re-authentication on this API key's
 * session within the window (5 minutes), so a leaked API key alone cannot replace a connected
 * app's secret. `when` decides from the validated input whether this request needs it.
 */
import type { MiddlewareHandler } from 'hono';
import { ForcebridgeError } from '../../errors.js';
import type { EndpointInput } from '../endpoint.js';
import { callerOf, type ServerEnv } from '../env.js';

export function stepUpRequired(windowMs: number, expired: boolean): ForcebridgeError {
  return new ForcebridgeError(
    'auth.step_up_required',
    'forbidden',
    expired
      ? `saving a secret needs a password re-authentication within the last ${windowMs / 60_000} minutes; the last one has expired`
      : 'saving a secret needs a fresh password re-authentication',
    {
      hint: 'POST /api/v1/auth/step-up with {"password": "…"} using the same API key, then retry within 5 minutes',
    },
  );
}

export function requireStepUp(when: 'always' | ((input: EndpointInput<unknown, unknown, unknown>) => boolean)): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const input = c.get('input');
    if (when === 'always' || when(input as EndpointInput<unknown, unknown, unknown>)) {
      const { stepUpAt } = callerOf(c);
      const { now, stepUpWindowMs } = c.get('deps');
      if (stepUpAt === null) throw stepUpRequired(stepUpWindowMs, false);
      if (now() - stepUpAt > stepUpWindowMs) throw stepUpRequired(stepUpWindowMs, true);
    }
    await next();
  };
}
