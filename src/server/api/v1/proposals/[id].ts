/** `GET /api/v1/proposals/{id}`: one proposal with its diff, status, result or error. */
import { z } from 'zod';
import { accessibleProposal } from '../../../../agent/proposals/execute.js';
import { proposalView } from '../../../../agent/proposals/view.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { proposalIdParams, proposalSchema } from './schemas.js';

export const getProposal = endpoint({
  method: 'get',
  path: '/api/v1/proposals/{id}',
  operationId: 'getProposal',
  summary: 'Show a proposal: the diff, who asked and why, and what happened',
  tag: 'Proposals',
  access: 'user',
  params: proposalIdParams,
  responses: { 200: { description: 'the proposal', schema: z.object({ proposal: proposalSchema }) } },
  async handle(c, { params }) {
    const p = await accessibleProposal(c.get('deps').hub, callerOf(c).user, params.id);
    return c.json({ proposal: proposalView(p) });
  },
});
