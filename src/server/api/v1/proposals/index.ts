/** `GET /api/v1/proposals`: proposals on the connections you may use, newest first. */
import { z } from 'zod';
import { listProposalsFor } from '../../../../agent/proposals/listing.js';
import { PROPOSAL_STATUSES } from '../../../../agent/proposals/repo.js';
import { proposalView } from '../../../../agent/proposals/view.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { proposalSchema } from './schemas.js';

export const listProposals = endpoint({
  method: 'get',
  path: '/api/v1/proposals',
  operationId: 'listProposals',
  summary: 'List write proposals prepared by agents',
  tag: 'Proposals',
  access: 'user',
  query: z.object({
    status: z.enum(PROPOSAL_STATUSES).optional(),
    connection: z.string().min(1).max(200).optional().meta({ description: 'connection id or name' }),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  }),
  responses: { 200: { description: 'the proposals', schema: z.object({ proposals: z.array(proposalSchema) }) } },
  async handle(c, { query }) {
    const { user } = callerOf(c);
    const all = await listProposalsFor(c.get('deps').hub, user, query);
    return c.json({ proposals: all.map(proposalView) });
  },
});
