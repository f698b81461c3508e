/**
 * `GET /api/v1/connections/{id}`: status, state and reason of a connection you may use.
 * `DELETE`: revoke its token at Salesforce, then delete it (yours, or any service one as admin).
 */
import { z } from 'zod';
import { disconnect } from '../../../../connections/disconnect.js';
import { ForcebridgeError } from '../../../../errors.js';
import { usableConnection } from '../../../connection-access.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { connectionSchema, connectionView, idParams } from '../../../views.js';

export const getConnection = endpoint({
  method: 'get',
  path: '/api/v1/connections/{id}',
  operationId: 'getConnection',
  summary: 'Show a connection: identity, scopes, state and reason',
  tag: 'Connections',
  access: 'user',
  params: idParams,
  responses: { 200: { description: 'the connection', schema: z.object({ connection: connectionSchema }) } },
  async handle(c, { params }) {
    const { conn, integ } = await usableConnection(c.get('deps').hub, callerOf(c).user, params.id);
    return c.json({ connection: connectionView(conn, integ) });
  },
});

export const deleteConnection = endpoint({
  method: 'delete',
  path: '/api/v1/connections/{id}',
  operationId: 'deleteConnection',
  summary: 'Disconnect: revoke the token at Salesforce and delete the connection',
  description: 'If Salesforce cannot be reached the connection is kept (503) unless force=true.',
  tag: 'Connections',
  access: 'user',
  params: idParams,
  query: z.object({ force: z.enum(['true', 'false']).optional().meta({ description: 'delete even when the revocation fails' }) }),
  responses: {
    200: {
      description: 'disconnected',
      schema: z.object({ id: z.string(), revoked: z.enum(['revoked', 'already_invalid', 'no_token', 'skipped_after_error']) }),
    },
  },
  async handle(c, { params, query }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const { conn } = await usableConnection(hub, user, params.id);
    if (conn.kind === 'service' && !user.isAdmin) {
      throw new ForcebridgeError('connection.admin_only', 'forbidden', 'only an admin may remove a shared service connection', { hint: 'ask an admin' });
    }
    const r = await disconnect(hub, user.tenantId, conn.id, { force: query.force === 'true' });
    return c.json({ id: conn.id, revoked: r.revoked });
  },
});
