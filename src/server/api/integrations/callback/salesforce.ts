/**
 * `GET /api/integrations/callback/salesforce?code&state` — where Salesforce sends the browser
 * after the user approves (or denies). No API key: the `state` is the binding. It is single-use,
 * short-lived and bound to the hub user who started the flow; when the request does carry an API
 * key, the state must belong to that key's user. Outcomes are plain HTML pages that never show a
 * code, state or token.
 */
import { z } from 'zod';
import { classifyOAuthError } from '../../../../auth/oauth-error.js';
import { getUser } from '../../../../connections/tenancy.js';
import { ForcebridgeError } from '../../../../errors.js';
import { bearerKey } from '../../../middleware/api-key-auth.js';
import { endpoint } from '../../../endpoint.js';
import type { ServerDeps } from '../../../env.js';
import { page } from '../../../html.js';

const refused = () =>
  new ForcebridgeError(
    'oauth.state_invalid',
    'forbidden',
    'this sign-in link is not valid any more (unknown, already used, expired or started by someone else)',
    {
      hint: 'start the connection again from forcebridge',
    },
  );

/** Who the state belongs to: the API key's user when one is presented, else the state's own starter. */
async function whoCompletes(deps: ServerDeps, state: string, authorization: string | undefined) {
  const key = bearerKey(authorization);
  if (key) {
    const found = await deps.apiKeys.authenticate(key, deps.now());
    return { tenantId: found.user.tenantId, user: found.user };
  }
  const owner = await deps.hub.service.states.owner(state);
  if (!owner) throw refused();
  return { tenantId: owner.tenantId, user: await getUser(deps.hub.store.db, owner.tenantId, owner.userId) };
}

export const salesforceCallback = endpoint({
  method: 'get',
  path: '/api/integrations/callback/salesforce',
  operationId: 'salesforceCallback',
  summary: 'OAuth callback for the authorization-code flow (opened by the browser, answers HTML)',
  tag: 'OAuth',
  access: 'public',
  errorFormat: 'html',
  query: z.object({
    code: z.string().max(2_000).optional(),
    state: z.string().max(500).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2_000).optional(),
  }),
  responses: {
    200: { description: 'connected (HTML page)', contentType: 'text/html' },
    400: { description: 'Salesforce reported an error, or code/state missing (HTML page)', contentType: 'text/html' },
    403: { description: 'state unknown, replayed, expired or someone else’s (HTML page)', contentType: 'text/html' },
  },
  async handle(c, { query }) {
    const deps = c.get('deps');
    if (query.error) {
      // Burn the state so the same link cannot be tried again; failures here change nothing.
      if (query.state) {
        const owner = await deps.hub.service.states.owner(query.state).catch(() => undefined);
        if (owner) await deps.hub.service.states.consume(query.state, { tenantId: owner.tenantId, userId: owner.userId }).catch(() => undefined);
      }
      const rule = classifyOAuthError(query.error, query.error_description);
      const title = query.error === 'access_denied' ? 'Access was not allowed' : 'Salesforce did not connect';
      const lines = [
        query.error === 'access_denied' ? 'You chose not to allow access in Salesforce, so nothing was connected.' : `Salesforce answered: ${query.error}.`,
        `What to do: ${rule.hint}`,
        `Reference: ${rule.code}`,
      ];
      return c.html(page(title, lines), 400);
    }
    if (!query.code || !query.state) {
      throw new ForcebridgeError('oauth.callback_incomplete', 'invalid_input', 'the sign-in answer is missing its code or state', {
        field: query.code ? 'state' : 'code',
        hint: 'start the connection again from forcebridge; open the link it gives you, not this page directly',
      });
    }
    const who = await whoCompletes(deps, query.state, c.req.header('authorization'));
    const conn = await deps.hub.service.completeAuthorization(who, query.state, query.code);
    const identity = [conn.username, conn.orgId ? `org ${conn.orgId}` : undefined].filter(Boolean).join(', ');
    return c.html(
      page('Salesforce is connected', [
        `The connection "${conn.name}" is ready${identity ? ` (${identity})` : ''} for ${who.user.email}.`,
        conn.state === 'active' ? 'You can close this window.' : `It needs attention: ${conn.reason ?? conn.state}.`,
      ]),
      200,
    );
  },
});
