/**
 * `GET /api/v1/webhooks` lists the organization's webhook subscriptions; `POST` subscribes a URL
 * (https, or http on loopback) to sync events and shows its signing secret once.
 */
import { z } from 'zod';
import { ForcebridgeError } from '../../../../errors.js';
import { Webhooks, WEBHOOK_EVENTS, type Webhook } from '../../../../sync/webhooks.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    connectionId: z.string().nullable().meta({ description: 'only this connection’s runs; null for every connection' }),
    createdBy: z.string().meta({ description: 'hub user id' }),
    createdAt: z.number(),
  })
  .meta({ id: 'Webhook' });

export const webhookView = (w: Webhook): z.infer<typeof webhookSchema> => ({ ...w });

export const listWebhooks = endpoint({
  method: 'get',
  path: '/api/v1/webhooks',
  operationId: 'listWebhooks',
  summary: 'List webhook subscriptions',
  tag: 'Webhooks',
  access: 'admin',
  responses: { 200: { description: 'the subscriptions (never their secrets)', schema: z.object({ webhooks: z.array(webhookSchema) }) } },
  async handle(c) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const hooks = await new Webhooks({ store: hub.store, vault: hub.vault }).list(user.tenantId);
    return c.json({ webhooks: hooks.map(webhookView) });
  },
});

export const createWebhook = endpoint({
  method: 'post',
  path: '/api/v1/webhooks',
  operationId: 'createWebhook',
  summary: 'Subscribe a URL to sync events; the signing secret is shown only in this answer',
  description:
    'Each delivery is a POST of `{event, connectionId, runId, status, objects, cursor}` with `X-Forcebridge-Signature: t=<unix seconds>,v1=<hex>`, ' +
    'where v1 = HMAC-SHA256(secret, `${t}.${body}`). Failed deliveries are retried with backoff a bounded number of times.',
  tag: 'Webhooks',
  access: 'admin',
  body: z
    .object({
      url: z.string().min(1).max(2000).meta({ description: 'https URL (http only for 127.0.0.1, ::1 or localhost)' }),
      events: z
        .array(z.enum(WEBHOOK_EVENTS))
        .min(1)
        .optional()
        .meta({ description: 'default ["sync.changed"]: a run changed records; "sync.failed": a run did not succeed' }),
      connection: z.string().min(1).max(200).optional().meta({ description: 'connection id or name; leave out for every connection' }),
    })
    .strict(),
  responses: {
    201: {
      description: 'subscribed',
      schema: z.object({ webhook: webhookSchema, secret: z.string().meta({ description: 'whsec_…; shown once, store it now' }) }),
    },
  },
  async handle(c, { body }) {
    const { user } = callerOf(c);
    const { hub, now } = c.get('deps');
    let connectionId: string | null = null;
    if (body.connection) {
      const conn = await hub.connections.get(user.tenantId, body.connection).catch((e: unknown) => {
        if (e instanceof ForcebridgeError && e.kind === 'not_found')
          throw new ForcebridgeError('connection.not_found', 'not_found', `no connection "${body.connection}"`, {
            field: 'connection',
            hint: 'list them with GET /api/v1/connections',
          });
        throw e;
      });
      connectionId = conn.id;
    }
    const created = await new Webhooks({ store: hub.store, vault: hub.vault, now }).create(user.tenantId, user.id, {
      url: body.url,
      ...(body.events ? { events: body.events } : {}),
      connectionId,
    });
    return c.json({ webhook: webhookView(created.webhook), secret: created.secret }, 201);
  },
});
