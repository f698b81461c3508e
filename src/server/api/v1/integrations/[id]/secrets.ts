/**
 * `PUT /api/v1/integrations/{id}/secrets`: sets the given secrets (others are kept). Needs a fresh
 * step-up; answers which secrets are set, never their values.
 */
import { z } from 'zod';
import { FLOW_SECRETS } from '../../../../../connections/integration.js';
import { ForcebridgeError } from '../../../../../errors.js';
import { endpoint } from '../../../../endpoint.js';
import { callerOf } from '../../../../env.js';
import { idParams, SECRET_NAMES, secretsSchema } from '../../../../views.js';
import { hasSecrets } from '../index.js';

export const putIntegrationSecrets = endpoint({
  method: 'put',
  path: '/api/v1/integrations/{id}/secrets',
  operationId: 'putIntegrationSecrets',
  summary: 'Save secrets of an integration (write-only; needs a fresh step-up)',
  tag: 'Integrations',
  access: 'admin',
  stepUp: 'always',
  params: idParams,
  body: secretsSchema,
  responses: {
    200: {
      description: 'which secrets are now set',
      schema: z.object({ id: z.string(), secretsSet: z.array(z.enum(SECRET_NAMES)), missing: z.array(z.enum(SECRET_NAMES)) }),
    },
  },
  async handle(c, { params, body }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    if (!hasSecrets(body)) {
      throw new ForcebridgeError('request.invalid', 'invalid_input', 'send at least one secret', {
        field: 'clientSecret',
        hint: `one or more of: ${SECRET_NAMES.join(', ')}`,
      });
    }
    const integ = await hub.integrations.get(user.tenantId, params.id);
    await hub.integrations.setSecrets(user.tenantId, integ.id, body);
    const after = await hub.integrations.get(user.tenantId, integ.id);
    return c.json({
      id: after.id,
      secretsSet: after.secretsSet,
      missing: FLOW_SECRETS[after.flow].required.filter((k) => !after.secretsSet.includes(k)),
    });
  },
});
