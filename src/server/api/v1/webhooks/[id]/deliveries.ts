/**
 * `GET /api/v1/webhooks/{id}/deliveries`: the latest deliveries of a subscription with their
 * attempts, last HTTP status and error — what happened, and what is still being retried.
 */
import { z } from 'zod';
import { Webhooks, WEBHOOK_EVENTS } from '../../../../../sync/webhooks.js';
import { endpoint } from '../../../../endpoint.js';
import { callerOf } from '../../../../env.js';
import { idParams } from '../../../../views.js';

export const deliverySchema = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    event: z.enum(WEBHOOK_EVENTS),
    connectionId: z.string(),
    runId: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']).meta({ description: 'pending: will be (re)tried at nextAttemptAt; failed: attempts used up' }),
    attempts: z.number(),
    nextAttemptAt: z.number().nullable(),
    lastStatus: z.number().nullable().meta({ description: 'HTTP status of the last attempt, if the receiver answered' }),
    lastError: z.string().nullable(),
    createdAt: z.number(),
    deliveredAt: z.number().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export const listDeliveries = endpoint({
  method: 'get',
  path: '/api/v1/webhooks/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  summary: 'List a webhook’s latest deliveries and their attempts',
  tag: 'Webhooks',
  access: 'admin',
  params: idParams,
  responses: { 200: { description: 'newest first (at most 50)', schema: z.object({ deliveries: z.array(deliverySchema) }) } },
  async handle(c, { params }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const deliveries = await new Webhooks({ store: hub.store, vault: hub.vault }).deliveries(user.tenantId, params.id);
    return c.json({ deliveries });
  },
});
