/**
 * MCP over Streamable HTTP at `/mcp/{connection}` (POST, GET and DELETE, as the transport asks;
 * served statelessly — one server instance per request, no sessions to hold or leak). It sits in
 * the hub's own chain (request id, log, security headers, body limit, error mapping) and is not an
 * OpenAPI endpoint: MCP documents itself through `tools/list`.
 *
 * Authentication is a forcebridge API key only (`Authorization: Bearer fb_…`), mapping to a hub
 * user, who must be allowed to use the connection — otherwise 404, like the rest of the API, so
 * names do not leak. A Salesforce access token sent as the bearer is just an invalid key (401):
 * the hub never accepts a Salesforce token from a client; tools act through the stored connection.
 */
import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';
import type { Hono } from 'hono';
import type { AgentToolSet } from '../agent/invoke.js';
import { logToolError } from '../agent/mcp/results.js';
import { assertToolList, connectionInstructions, createMcpServer } from '../agent/mcp/server.js';
import type { Connection } from '../connections/connections-repo.js';
import type { HubUser } from '../connections/tenancy.js';
import { ForcebridgeError } from '../errors.js';
import { redactText } from '../log.js';
import { usableConnection } from './connection-access.js';
import { callerOf, type ServerDeps, type ServerEnv } from './env.js';
import { apiKeyAuth } from './middleware/api-key-auth.js';

export const MCP_PATH = '/mcp/:connection';

/** Who a request acts as, handed from the route to the server factory through the SDK's `authInfo`. */
interface Binding {
  user: HubUser;
  connection: Connection;
  requestId: string;
}

function bindingOf(authInfo: AuthInfo | undefined): Binding {
  const b = authInfo?.extra?.forcebridge as Binding | undefined;
  // Only this route calls the handler, always with a binding; anything else is our bug.
  if (!b) throw new ForcebridgeError('mcp.unbound_request', 'internal', 'an MCP request reached the handler without a caller');
  return b;
}

/** Registers the MCP route on `app` serving `set`; throws at once if the adapter would refuse a tool. */
export function mountMcp(app: Hono<ServerEnv>, deps: ServerDeps, set: AgentToolSet): void {
  assertToolList(set.tools);
  const handler = createMcpHandler(
    ({ authInfo }) => {
      const b = bindingOf(authInfo);
      return createMcpServer({
        tools: set.tools,
        call: (name, input) => set.run(deps.hub, b.user, b.connection.id, name, input),
        instructions: connectionInstructions(b.connection.name),
        onError: (tool, e) => logToolError(deps.logger, tool, e, { requestId: b.requestId, userId: b.user.id, connection: b.connection.name }),
      });
    },
    { onerror: (e) => deps.logger.debug({ err: redactText(e.message) }, 'mcp request refused') },
  );
  app.on(['GET', 'POST', 'DELETE'], MCP_PATH, apiKeyAuth(deps.apiKeys), async (c) => {
    const caller = callerOf(c);
    const { conn } = await usableConnection(deps.hub, caller.user, c.req.param('connection'));
    const binding: Binding = { user: caller.user, connection: conn, requestId: c.get('requestId') };
    // The key id (not the key) identifies the credential; the hub checked the key itself.
    const authInfo: AuthInfo = { token: caller.keyId, clientId: caller.user.id, scopes: [], extra: { forcebridge: binding } };
    return handler.fetch(c.req.raw, { authInfo });
  });
}
