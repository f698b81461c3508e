/**
 * `GET /api/v1/connections/{id}/records/{object}?cursor=&limit=`: the change feed of one synced
 * object — inserts, updates and deletes in the order they were recorded, after an opaque cursor —
 * with the current stored record for inserts and updates. Same access rule as the other connection
 * endpoints: a connection you may not use is "not found".
 */
import { z } from 'zod';
import { FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT, readChanges } from '../../../../../../sync/feed.js';
import { usableConnection } from '../../../../../connection-access.js';
import { endpoint } from '../../../../../endpoint.js';
import { callerOf } from '../../../../../env.js';

export const changeSchema = z
  .object({
    op: z.enum(['insert', 'update', 'delete']),
    id: z.string().meta({ description: 'the Salesforce record id' }),
    at: z.number().meta({ description: 'when forcebridge recorded the change (epoch ms)' }),
    record: z.record(z.string(), z.unknown()).optional().meta({ description: 'inserts and updates: the record as stored now, by field API name' }),
  })
  .meta({ id: 'Change' });

export const listChanges = endpoint({
  method: 'get',
  path: '/api/v1/connections/{id}/records/{object}',
  operationId: 'listChanges',
  summary: 'Page the change feed of a synced object',
  description:
    'Changes after `cursor` in the order they were recorded; pass `nextCursor` back to read on. When `done`, keep `nextCursor` and poll later (or subscribe a webhook).',
  tag: 'Sync',
  access: 'user',
  params: z.object({
    id: z.string().min(1).max(200).meta({ description: 'connection id or name' }),
    object: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an object API name such as Account or Invoice__c')
      .max(100)
      .meta({ description: 'object API name, e.g. Account' }),
  }),
  query: z.object({
    cursor: z.string().max(40).optional().meta({ description: 'nextCursor of the previous page; leave out to start from the beginning' }),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, `a whole number from 1 to ${FEED_MAX_LIMIT}`)
      .transform(Number)
      .pipe(z.number().int().min(1).max(FEED_MAX_LIMIT))
      .optional()
      .meta({ description: `changes per page (default ${FEED_DEFAULT_LIMIT}, at most ${FEED_MAX_LIMIT})` }),
  }),
  responses: {
    200: {
      description: 'one page of changes',
      schema: z.object({
        changes: z.array(changeSchema),
        nextCursor: z.string().meta({ description: 'opaque; pass it as cursor' }),
        done: z.boolean().meta({ description: 'no more changes right now' }),
      }),
    },
  },
  async handle(c, { params, query }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const { conn } = await usableConnection(hub, user, params.id);
    const page = await readChanges(hub.store, conn.id, params.object, {
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
    });
    return c.json(page);
  },
});
