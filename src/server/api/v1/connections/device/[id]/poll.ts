/**
 * `POST /api/v1/connections/device/{id}/poll`: asks Salesforce once whether the user approved the
 * device code. Pending answers 202 (poll again after `interval` seconds); approval stores the
 * caller's connection and answers it. Only the user who started the flow may poll it.
 */
import { z } from 'zod';
import { ForcebridgeError } from '../../../../../../errors.js';
import { endpoint } from '../../../../../endpoint.js';
import { callerOf } from '../../../../../env.js';
import { connectionSchema, connectionView, idParams } from '../../../../../views.js';

/** Thrown from pollDevice's onPending to stop after one question instead of sleeping. */
class StillPending extends Error {}

export const pollDevice = endpoint({
  method: 'post',
  path: '/api/v1/connections/device/{id}/poll',
  operationId: 'pollDevice',
  summary: 'Poll a device flow you started',
  tag: 'Connections',
  access: 'user',
  params: idParams,
  responses: {
    200: { description: 'approved: the connection', schema: z.object({ status: z.literal('connected'), connection: connectionSchema }) },
    202: { description: 'not approved yet', schema: z.object({ status: z.literal('pending'), interval: z.number() }) },
  },
  async handle(c, { params }) {
    const { user } = callerOf(c);
    const { hub, deviceFlows, now } = c.get('deps');
    const flow = await deviceFlows.get(user.tenantId, user.id, params.id);
    const integ = await hub.integrations.get(user.tenantId, flow.integrationId);
    if (flow.connectionId) {
      const conn = await hub.connections.get(user.tenantId, flow.connectionId);
      return c.json({ status: 'connected' as const, connection: connectionView(conn, integ) });
    }
    if (now() > flow.expiresAt) {
      throw new ForcebridgeError('oauth.device_code_expired', 'conflict', 'the device code expired before it was approved', {
        hint: 'start the device flow again with POST /api/v1/connections',
      });
    }
    try {
      const conn = await hub.service.pollDevice(user.tenantId, integ.id, flow.device, {
        owner: user,
        intervalMs: 0,
        onPending: () => {
          throw new StillPending();
        },
      });
      await deviceFlows.complete(flow.id, conn.id);
      return c.json({ status: 'connected' as const, connection: connectionView(conn, integ) });
    } catch (e) {
      if (e instanceof StillPending) return c.json({ status: 'pending' as const, interval: flow.device.interval }, 202);
      throw e;
    }
  },
});
