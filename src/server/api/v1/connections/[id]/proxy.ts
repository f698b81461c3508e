/**
 * `POST /api/v1/connections/{id}/proxy {method, path, body?, headers?}`: an authenticated call to
 * the connection's org (the "action node"). The session is renewed once on 401, idempotent calls are
 * retried on 5xx/429 with backoff, and Sforce-Limit-Info is recorded as the org's API usage.
 * Salesforce's status and body are returned as they came, with a safe subset of headers.
 */
import { z } from 'zod';
import { header } from '../../../../../salesforce/transport.js';
import { usableConnection } from '../../../../connection-access.js';
import { endpoint } from '../../../../endpoint.js';
import { callerOf } from '../../../../env.js';
import { checkProxyHeaders, checkProxyPath, returnedHeaders } from '../../../../proxy-rules.js';
import { idParams } from '../../../../views.js';

export const proxyCall = endpoint({
  method: 'post',
  path: '/api/v1/connections/{id}/proxy',
  operationId: 'proxyCall',
  summary: 'Call the Salesforce REST API through a connection',
  description: 'Only paths under /services/data/. The answer carries Salesforce’s status, selected headers and body (parsed when JSON).',
  tag: 'Connections',
  access: 'user',
  params: idParams,
  body: z
    .object({
      method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD']),
      path: z.string().min(1).max(8_000).meta({ description: 'e.g. /services/data/v62.0/limits (query string allowed)' }),
      body: z.unknown().optional().meta({ description: 'JSON sent as the request body' }),
      headers: z.record(z.string(), z.string().max(2_000)).optional(),
    })
    .strict(),
  responses: {
    200: {
      description: 'Salesforce’s answer, whatever its status',
      schema: z.object({ status: z.number(), headers: z.record(z.string(), z.string()), body: z.unknown() }),
    },
  },
  async handle(c, { params, body }) {
    const { user } = callerOf(c);
    const { hub } = c.get('deps');
    const path = checkProxyPath(body.path);
    const headers = checkProxyHeaders(body.headers);
    const { conn } = await usableConnection(hub, user, params.id);
    const { client } = await hub.service.client(user.tenantId, conn.id, { user });
    const res = await client.send({ method: body.method, path, ...(body.body !== undefined ? { body: body.body } : {}), headers });
    let parsed: unknown = res.body;
    if (res.body && String(header(res, 'content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(res.body);
      } catch {
        parsed = res.body;
      }
    }
    return c.json({ status: res.status, headers: returnedHeaders(res.headers), body: res.body === '' ? null : parsed });
  },
});
