/**
 * `DELETE /api/v1/webhooks/{id}` unsubscribes (pending deliveries are dropped with it).
 */
import { Webhooks } from '../../../../sync/webhooks.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { idParams } from '../../../views.js';

export const deleteWebhook = endpoint({
  method: 'delete',
  path: '/api/v1/webhooks/{id}',
  operationId: 'deleteWebhook',
  summary: 'Delete a webhook subscription',
  tag: 'Webhooks',
  access: 'admin',
  params: idParams,
  responses: { 204: { description: 'deleted' } },
  async handle(c, { params }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    await new Webhooks({ store: hub.store, vault: hub.vault }).remove(user.tenantId, params.id);
    return c.body(null, 204);
  },
});
