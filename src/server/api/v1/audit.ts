/** `GET /api/v1/audit`: agent tool calls and proposal transitions on the connections you may use, oldest first. */
import { z } from 'zod';
import { listAuditFor } from '../../../agent/proposals/listing.js';
import { endpoint } from '../../endpoint.js';
import { callerOf } from '../../env.js';
import { auditRowSchema } from './proposals/schemas.js';

export const listAuditEndpoint = endpoint({
  method: 'get',
  path: '/api/v1/audit',
  operationId: 'listAudit',
  summary: 'The agent audit log',
  tag: 'Proposals',
  access: 'user',
  query: z.object({
    kind: z.enum(['tool_call', 'proposal_transition']).optional(),
    proposal: z.string().min(1).max(100).optional().meta({ description: 'only this proposal’s rows' }),
    connection: z.string().min(1).max(200).optional().meta({ description: 'connection id or name' }),
    since: z.coerce.number().int().min(0).optional().meta({ description: 'epoch ms' }),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  }),
  responses: { 200: { description: 'audit rows', schema: z.object({ audit: z.array(auditRowSchema) }) } },
  async handle(c, { query }) {
    const { user } = callerOf(c);
    const rows = await listAuditFor(c.get('deps').hub, user, {
      kind: query.kind,
      proposalId: query.proposal,
      connection: query.connection,
      since: query.since,
      limit: query.limit,
    });
    return c.json({ audit: rows.map(({ tenantId: _t, at, ...r }) => ({ ...r, at: new Date(at).toISOString() })) });
  },
});
