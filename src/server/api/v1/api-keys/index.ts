/**
 * `GET /api/v1/api-keys` lists the tenant's keys (prefix only); `POST` creates a key for a user
 * (created in the tenant when new) and shows it once.
 */
import { z } from 'zod';
import { ForcebridgeError } from '../../../../errors.js';
import { ensureGroup, ensureUser, getUser, type HubUser } from '../../../../connections/tenancy.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { groupNames } from '../../../groups.js';
import { apiKeySchema, apiKeyView } from '../../../views.js';

export const listApiKeys = endpoint({
  method: 'get',
  path: '/api/v1/api-keys',
  operationId: 'listApiKeys',
  summary: 'List the organization’s API keys (prefixes only)',
  tag: 'API keys',
  access: 'admin',
  responses: { 200: { description: 'the keys', schema: z.object({ apiKeys: z.array(apiKeySchema) }) } },
  async handle(c) {
    const { user } = callerOf(c);
    const { hub, apiKeys } = c.get('deps');
    const keys = await apiKeys.list(user.tenantId);
    const groups = await groupNames(hub.store.db, user.tenantId);
    const users = new Map<string, HubUser>();
    for (const k of keys) if (!users.has(k.userId)) users.set(k.userId, await getUser(hub.store.db, user.tenantId, k.userId));
    return c.json({ apiKeys: keys.map((k) => apiKeyView(k, users.get(k.userId)!, groups)) });
  },
});

const createBody = z
  .object({
    email: z.email().max(200).meta({ description: 'the hub user the key acts as; created in this organization when new' }),
    name: z.string().trim().min(1).max(80).optional().meta({ description: 'a label, e.g. "CI"' }),
    group: z.string().trim().min(1).max(80).optional().meta({ description: 'for a new user: their group' }),
    isAdmin: z.boolean().optional().meta({ description: 'for a new user: whether they are an admin' }),
  })
  .strict();

export const createApiKey = endpoint({
  method: 'post',
  path: '/api/v1/api-keys',
  operationId: 'createApiKey',
  summary: 'Create an API key for a user; the key is shown only in this answer',
  tag: 'API keys',
  access: 'admin',
  body: createBody,
  responses: {
    201: { description: 'the key, shown once', schema: z.object({ key: z.string().meta({ description: 'fb_…; store it now' }), apiKey: apiKeySchema }) },
  },
  async handle(c, { body }) {
    const { user: admin } = callerOf(c);
    const { hub, apiKeys, now } = c.get('deps');
    const db = hub.store.db;
    const groupId = body.group ? await ensureGroup(db, admin.tenantId, body.group) : null;
    const user = await ensureUser(db, admin.tenantId, body.email, { isAdmin: body.isAdmin ?? false, groupId });
    // An existing user keeps their role and group: changing them is not a side effect of a key.
    if ((body.isAdmin !== undefined && body.isAdmin !== user.isAdmin) || (body.group !== undefined && groupId !== user.groupId)) {
      throw new ForcebridgeError(
        'user.exists_different',
        'conflict',
        `user ${body.email} already exists with another ${body.isAdmin !== undefined && body.isAdmin !== user.isAdmin ? 'admin flag' : 'group'}`,
        {
          field: body.isAdmin !== undefined && body.isAdmin !== user.isAdmin ? 'isAdmin' : 'group',
          hint: 'leave out isAdmin and group to create a key for the existing user',
        },
      );
    }
    const created = await apiKeys.create(user, body.name ?? null, now());
    const { key, ...info } = created;
    return c.json({ key, apiKey: apiKeyView(info, user, await groupNames(db, admin.tenantId)) }, 201);
  },
});
