/**
 * `DELETE /api/v1/api-keys/{id}` revokes a key of the organization (at once, for every request).
 */
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { idParams } from '../../../views.js';

export const revokeApiKey = endpoint({
  method: 'delete',
  path: '/api/v1/api-keys/{id}',
  operationId: 'revokeApiKey',
  summary: 'Revoke an API key',
  tag: 'API keys',
  access: 'admin',
  params: idParams,
  responses: { 204: { description: 'revoked' } },
  async handle(c, { params }) {
    const { user } = callerOf(c);
    const { apiKeys, now } = c.get('deps');
    await apiKeys.revoke(user.tenantId, params.id, now());
    return c.body(null, 204);
  },
});
