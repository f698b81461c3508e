/**
 * `GET /api/v1/integrations` lists the organization's integrations; `POST` creates one, with its
 * secrets (which needs a fresh step-up). Admin only; secrets are write-only.
 */
import { z } from 'zod';
import { checkSecrets, parseIntegrationInput, type IntegrationSecrets } from '../../../../connections/integration.js';
import { ensureGroup } from '../../../../connections/tenancy.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { groupNames } from '../../../groups.js';
import { integrationSchema, integrationView } from '../../../views.js';
import { integrationCreateSchema } from './schemas.js';

export const listIntegrations = endpoint({
  method: 'get',
  path: '/api/v1/integrations',
  operationId: 'listIntegrations',
  summary: 'List the organization’s integrations (connected apps per environment and group)',
  tag: 'Integrations',
  access: 'admin',
  responses: { 200: { description: 'the integrations', schema: z.object({ integrations: z.array(integrationSchema) }) } },
  async handle(c) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const groups = await groupNames(hub.store.db, user.tenantId);
    const list = await hub.integrations.list(user.tenantId);
    return c.json({ integrations: list.map((i) => integrationView(i, groups)) });
  },
});

/** Whether a body carries any secret value (then step-up is needed). */
export function hasSecrets(secrets: IntegrationSecrets | undefined): boolean {
  return Object.values(secrets ?? {}).some((v) => typeof v === 'string' && v.length > 0);
}

export const createIntegration = endpoint({
  method: 'post',
  path: '/api/v1/integrations',
  operationId: 'createIntegration',
  summary: 'Create an integration; with `group` it overrides the organization default for that group',
  description: 'Secrets are write-only. Sending any secret needs a step-up (POST /api/v1/auth/step-up) within the last 5 minutes.',
  tag: 'Integrations',
  access: 'admin',
  body: integrationCreateSchema,
  stepUp: ({ body }) => hasSecrets(body.secrets),
  responses: { 201: { description: 'created', schema: z.object({ integration: integrationSchema }) } },
  async handle(c, { body }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const { secrets = {}, ...settings } = body;
    const input = parseIntegrationInput(settings);
    checkSecrets(input.flow, secrets);
    const groupId = input.group ? await ensureGroup(hub.store.db, user.tenantId, input.group) : null;
    const created = await hub.integrations.create(user.tenantId, input, secrets, groupId);
    return c.json({ integration: integrationView(created, await groupNames(hub.store.db, user.tenantId)) }, 201);
  },
});
