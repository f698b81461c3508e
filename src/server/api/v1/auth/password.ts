/**
 * `PUT /api/v1/auth/password {password}`: changes the caller's own step-up password. Guarded by a
 * fresh step-up with the current password, so an API key alone cannot take over step-up.
 */
import { z } from 'zod';
import { setUserPassword } from '../../../../connections/tenancy.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';

export const changePassword = endpoint({
  method: 'put',
  path: '/api/v1/auth/password',
  operationId: 'changePassword',
  summary: 'Change your step-up password (needs a fresh step-up)',
  tag: 'Auth',
  access: 'user',
  stepUp: 'always',
  body: z.object({ password: z.string().min(10, 'the password must have at least 10 characters').max(500) }).strict(),
  responses: { 204: { description: 'changed' } },
  async handle(c, { body }) {
    const { user } = callerOf(c);
    await setUserPassword(c.get('deps').hub.store.db, user.tenantId, user.id, body.password);
    return c.body(null, 204);
  },
});
