/**
 * `POST /api/v1/proposals/{id}/approve`: a person approves; forcebridge executes it at once as the
 * connection's Salesforce user. The answer is the proposal as it ended: executed, stale (the
 * record changed since; nothing written) or failed (Salesforce's errors verbatim).
 */
import { z } from 'zod';
import { approveProposal } from '../../../../../agent/proposals/execute.js';
import { proposalView } from '../../../../../agent/proposals/view.js';
import { endpoint } from '../../../../endpoint.js';
import { callerOf } from '../../../../env.js';
import { proposalIdParams, proposalSchema } from '../schemas.js';

export const approveProposalEndpoint = endpoint({
  method: 'post',
  path: '/api/v1/proposals/{id}/approve',
  operationId: 'approveProposal',
  summary: 'Approve and execute a pending proposal',
  tag: 'Proposals',
  access: 'user',
  params: proposalIdParams,
  responses: {
    200: { description: 'the proposal after execution (status executed, stale or failed)', schema: z.object({ proposal: proposalSchema }) },
    409: { description: 'the proposal is not pending (already decided)' },
  },
  async handle(c, { params }) {
    const p = await approveProposal(c.get('deps').hub, callerOf(c).user, params.id);
    return c.json({ proposal: proposalView(p) });
  },
});
