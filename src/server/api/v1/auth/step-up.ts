/**
 * `POST /api/v1/auth/step-up {password}`: re-authenticates the API key's user with their password
 * and records the time on the key's session; secret-changing calls within the next 5 minutes pass.
 */
import { z } from 'zod';
import { verifyPassword } from '../../../../connections/tenancy.js';
import { ForcebridgeError } from '../../../../errors.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';

export const stepUp = endpoint({
  method: 'post',
  path: '/api/v1/auth/step-up',
  operationId: 'stepUp',
  summary: 'Re-authenticate with your password before changing secrets (valid 5 minutes on this API key)',
  tag: 'Auth',
  access: 'user',
  body: z.object({ password: z.string().min(1).max(500) }).strict(),
  responses: { 200: { description: 'step-up recorded', schema: z.object({ stepUpAt: z.number(), expiresAt: z.number() }) } },
  async handle(c, { body }) {
    const { user, keyId } = callerOf(c);
    const { hub, apiKeys, now, stepUpWindowMs, stepUpAttempts } = c.get('deps');
    const t = now();
    const wait = stepUpAttempts.blockedFor(keyId, t);
    if (wait > 0) {
      throw new ForcebridgeError('auth.step_up_locked', 'forbidden', 'too many wrong passwords on this API key', {
        hint: `try again in ${Math.ceil(wait / 60_000)} minutes`,
      });
    }
    const row = await hub.store.db
      .selectFrom('users')
      .select('password_hash')
      .where('tenant_id', '=', user.tenantId)
      .where('id', '=', user.id)
      .executeTakeFirst();
    if (!row?.password_hash) {
      throw new ForcebridgeError('auth.password_not_set', 'forbidden', `user ${user.email} has no password for step-up`, {
        hint: 'set one on the server with `forcebridge serve --set-admin-password` (local admin)',
      });
    }
    if (!verifyPassword(body.password, row.password_hash)) {
      stepUpAttempts.fail(keyId, t);
      throw new ForcebridgeError('auth.password_wrong', 'forbidden', 'the password is not correct', { field: 'password' });
    }
    stepUpAttempts.succeed(keyId);
    await apiKeys.recordStepUp(user.tenantId, keyId, t);
    return c.json({ stepUpAt: t, expiresAt: t + stepUpWindowMs });
  },
});
