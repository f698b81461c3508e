/**
 * `GET|PATCH|DELETE /api/v1/integrations/{id}` (id or name). PATCH changes settings only; secrets
 * change through `PUT …/secrets`. Admin only.
 */
import { z } from 'zod';
import { FLOW_SECRETS, parseIntegrationInput } from '../../../../connections/integration.js';
import type { Integration } from '../../../../connections/integrations-repo.js';
import { ensureGroup } from '../../../../connections/tenancy.js';
import { ForcebridgeError } from '../../../../errors.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { groupNames } from '../../../groups.js';
import { idParams, integrationSchema, integrationView } from '../../../views.js';
import { integrationPatchSchema } from './schemas.js';

const one = z.object({ integration: integrationSchema });

export const getIntegration = endpoint({
  method: 'get',
  path: '/api/v1/integrations/{id}',
  operationId: 'getIntegration',
  summary: 'Show an integration (which secrets are set, never their values)',
  tag: 'Integrations',
  access: 'admin',
  params: idParams,
  responses: { 200: { description: 'the integration', schema: one } },
  async handle(c, { params }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const i = await hub.integrations.get(user.tenantId, params.id);
    return c.json({ integration: integrationView(i, await groupNames(hub.store.db, user.tenantId)) });
  },
});

/** The stored settings in input form, to merge a patch over. */
function currentInput(i: Integration, group: string | undefined): Record<string, unknown> {
  return {
    name: i.name,
    environment: i.environment,
    clientId: i.clientId,
    loginHost: i.loginHost,
    flow: i.flow,
    scopes: i.scopes,
    authTimeoutMs: i.authTimeoutMs,
    enabled: i.enabled,
    ...(group ? { group } : {}),
    ...(i.callbackUrl ? { callbackUrl: i.callbackUrl } : {}),
    ...(i.username ? { username: i.username } : {}),
  };
}

export const patchIntegration = endpoint({
  method: 'patch',
  path: '/api/v1/integrations/{id}',
  operationId: 'patchIntegration',
  summary: 'Change an integration’s settings (not its secrets)',
  tag: 'Integrations',
  access: 'admin',
  params: idParams,
  body: integrationPatchSchema,
  responses: { 200: { description: 'the changed integration', schema: one } },
  async handle(c, { params, body }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const db = hub.store.db;
    const cur = await hub.integrations.get(user.tenantId, params.id);
    const groups = await groupNames(db, user.tenantId);
    const merged = currentInput(cur, cur.groupId ? groups.get(cur.groupId) : undefined);
    for (const [k, v] of Object.entries(body)) {
      if (v === null) delete merged[k];
      else if (v !== undefined) merged[k] = v;
    }
    const input = parseIntegrationInput(merged);
    // A flow change must not leave the integration unable to connect.
    const missing = FLOW_SECRETS[input.flow].required.filter((k) => !cur.secretsSet.includes(k));
    if (missing.length) {
      throw new ForcebridgeError(
        'integration.secret_missing',
        'invalid_input',
        `the ${input.flow} flow needs ${missing.join(', ')}, which this integration does not have`,
        {
          field: 'flow',
          hint: `set them first with PUT /api/v1/integrations/${cur.id}/secrets`,
        },
      );
    }
    const groupId = input.group ? await ensureGroup(db, user.tenantId, input.group) : null;
    const updated = await hub.integrations.update(user.tenantId, cur.id, input, groupId);
    return c.json({ integration: integrationView(updated, await groupNames(db, user.tenantId)) });
  },
});

export const deleteIntegration = endpoint({
  method: 'delete',
  path: '/api/v1/integrations/{id}',
  operationId: 'deleteIntegration',
  summary: 'Remove an integration and its connections',
  description: 'Connections made through it are deleted with it; disconnect them first (DELETE /api/v1/connections/{id}) to revoke their tokens at Salesforce.',
  tag: 'Integrations',
  access: 'admin',
  params: idParams,
  responses: { 204: { description: 'removed' } },
  async handle(c, { params }) {
    const { user } = callerOf(c);
    await c.get('deps').hub.integrations.remove(user.tenantId, params.id);
    return c.body(null, 204);
  },
});
