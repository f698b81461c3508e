/**
 * `GET /api/v1/connections`: the connections the caller may use. `POST`: connect through an
 * integration — authorization code answers the URL to open (the callback stores the connection),
 * device answers the code to enter and where to poll, the non-interactive flows connect at once.
 */
import { z } from 'zod';
import { canUseConnection } from '../../../../connections/access.js';
import { FLOWS, type Flow } from '../../../../connections/integration.js';
import { ForcebridgeError } from '../../../../errors.js';
import { mayConnectWith } from '../../../connection-access.js';
import { endpoint } from '../../../endpoint.js';
import { callerOf } from '../../../env.js';
import { connectionSchema, connectionView } from '../../../views.js';

export const CALLBACK_PATH = '/api/integrations/callback/salesforce';

export const listConnections = endpoint({
  method: 'get',
  path: '/api/v1/connections',
  operationId: 'listConnections',
  summary: 'List the connections you may use',
  tag: 'Connections',
  access: 'user',
  responses: { 200: { description: 'your usable connections', schema: z.object({ connections: z.array(connectionSchema) }) } },
  async handle(c) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const integrations = new Map((await hub.integrations.list(user.tenantId)).map((i) => [i.id, i]));
    const usable = (await hub.connections.list(user.tenantId)).flatMap((conn) => {
      const integ = integrations.get(conn.integrationId);
      return integ && canUseConnection(user, conn, integ) ? [connectionView(conn, integ)] : [];
    });
    return c.json({ connections: usable });
  },
});

/** Flows a person completes in a browser; an integration set up for one may also run the other. */
const INTERACTIVE: Flow[] = ['authorization_code', 'device'];

const startAnswer = z.discriminatedUnion('flow', [
  z.object({
    flow: z.literal('authorization_code'),
    authorizeUrl: z.string().meta({ description: 'open in the user’s browser; Salesforce returns to the redirect URI' }),
    redirectUri: z.string().meta({ description: 'must be a Callback URL of the connected app' }),
    expiresAt: z.number(),
  }),
  z.object({
    flow: z.literal('device'),
    userCode: z.string(),
    verificationUri: z.string(),
    interval: z.number().meta({ description: 'seconds between polls' }),
    expiresAt: z.number(),
    pollUrl: z.string().meta({ description: 'POST here every `interval` seconds until it answers connected' }),
  }),
  z.object({ flow: z.enum(['refresh_token', 'password', 'client_credentials', 'jwt_bearer']), connection: connectionSchema }),
]);

export const startConnection = endpoint({
  method: 'post',
  path: '/api/v1/connections',
  operationId: 'startConnection',
  summary: 'Connect a Salesforce org through an integration',
  description:
    'authorization_code and device connect the calling user (a per-user connection); the non-interactive flows create a shared service connection and are admin only.',
  tag: 'Connections',
  access: 'user',
  body: z
    .object({
      integration: z.string().min(1).max(200).meta({ description: 'integration id or name' }),
      flow: z.enum(FLOWS).optional().meta({ description: 'default: the integration’s flow; authorization_code and device may stand in for each other' }),
      name: z.string().trim().min(1).max(120).optional().meta({ description: 'connection name (non-interactive flows; default the integration’s name)' }),
    })
    .strict(),
  responses: { 201: { description: 'started (or connected)', schema: startAnswer } },
  async handle(c, { body }) {
    const { user } = callerOf(c);
    const { hub, baseUrl, deviceFlows, now } = c.get('deps');
    const integ = await hub.integrations.get(user.tenantId, body.integration);
    if (!mayConnectWith(user, integ))
      throw new ForcebridgeError('integration.not_found', 'not_found', `no integration "${body.integration}"`, { field: 'integration' });
    const flow = body.flow ?? integ.flow;
    if (flow !== integ.flow && !(INTERACTIVE.includes(flow) && INTERACTIVE.includes(integ.flow))) {
      throw new ForcebridgeError('connection.flow_mismatch', 'invalid_input', `integration "${integ.name}" is set up for the ${integ.flow} flow, not ${flow}`, {
        field: 'flow',
        hint: 'leave flow out, or change the integration’s flow (PATCH /api/v1/integrations/{id})',
      });
    }
    if (flow === 'authorization_code') {
      const redirectUri = `${baseUrl}${CALLBACK_PATH}`;
      const started = await hub.service.startAuthorization(user, integ.id, { redirectUri });
      return c.json({ flow, authorizeUrl: started.url, redirectUri, expiresAt: started.expiresAt }, 201);
    }
    if (flow === 'device') {
      const { device } = await hub.service.startDevice(user.tenantId, integ.id);
      const saved = await deviceFlows.save({ tenantId: user.tenantId, userId: user.id, integrationId: integ.id, device }, now());
      return c.json(
        {
          flow,
          userCode: device.userCode,
          verificationUri: device.verificationUri,
          interval: device.interval,
          expiresAt: saved.expiresAt,
          pollUrl: `/api/v1/connections/device/${saved.id}/poll`,
        },
        201,
      );
    }
    if (!user.isAdmin) {
      throw new ForcebridgeError('connection.admin_only', 'forbidden', `the ${flow} flow creates a shared service connection, which only an admin may do`, {
        hint: 'ask an admin, or connect yourself with the authorization_code or device flow',
      });
    }
    const conn = await hub.service.connectNonInteractive(user.tenantId, integ.id, body.name ? { name: body.name } : {});
    return c.json({ flow, connection: connectionView(conn, integ) }, 201);
  },
});
