/**
 * `GET /api/v1/integrations/resolve?environment=` — which integration applies to the caller: their
 * group's override when it exists and is enabled, else the organization default (resolve.ts).
 */
import { z } from 'zod';
import { FLOWS } from '../../../../connections/integration.js';
import { resolveIntegration } from '../../../../connections/resolve.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';

export const resolveForCaller = endpoint({
  method: 'get',
  path: '/api/v1/integrations/resolve',
  operationId: 'resolveIntegration',
  summary: 'Which integration applies to you in an environment (group override or organization default)',
  tag: 'Integrations',
  access: 'user',
  query: z.object({ environment: z.string().trim().min(1).max(40).default('Production') }),
  responses: {
    200: {
      description: 'the integration that applies',
      schema: z.object({
        integration: z.object({
          id: z.string(),
          name: z.string(),
          environment: z.string(),
          flow: z.enum(FLOWS),
          loginHost: z.string(),
          scopes: z.array(z.string()),
        }),
        source: z.enum(['group_override', 'tenant_default']),
        fellBack: z.boolean().meta({ description: 'true when the group’s override is disabled and the organization default applies' }),
      }),
    },
  },
  async handle(c, { query }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const candidates = (await hub.integrations.list(user.tenantId)).filter((i) => i.environment === query.environment);
    const r = resolveIntegration(candidates, user);
    const i = r.integration;
    return c.json({
      integration: { id: i.id, name: i.name, environment: i.environment, flow: i.flow, loginHost: i.loginHost, scopes: i.scopes },
      source: r.source,
      fellBack: r.fellBack,
    });
  },
});
