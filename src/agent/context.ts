/**
 * What an agent tool runs with: the caller (a hub user), one connection that user may use, and a
 * REST client acting as that connection's Salesforce user. Every call shares the org's API budget
 * with sync: usage comes from the stored connection and every answer's `Sforce-Limit-Info`, and
 * once the org's daily allowance is spent (or Salesforce says REQUEST_LIMIT_EXCEEDED) tools stop
 * with `agent.api_budget_spent` instead of failing half-way.
 */
import type { Connection } from '../connections/connections-repo.js';
import type { Hub } from '../connections/hub.js';
import type { Integration } from '../connections/integrations-repo.js';
import type { HubUser } from '../connections/tenancy.js';
import { ForcebridgeError } from '../errors.js';
import type { ApiRequest, ApiResponse, SalesforceClient } from '../salesforce/client.js';
import { parseLimitInfo, type ApiUsage } from '../salesforce/limit-info.js';
import { header, type HttpResponse } from '../salesforce/transport.js';
import { usableConnection } from '../connections/usable.js';

/** Share of the daily API limit past which agent tools stop (sync stops earlier, at its own share). */
export const DEFAULT_AGENT_BUDGET_SHARE = 1;

export interface AgentContext {
  hub: Hub;
  user: HubUser;
  connection: Connection;
  integration: Integration;
  /** Acts as the connection's Salesforce user; budget-guarded. */
  client: SalesforceClient;
  /** The org's API usage as last seen. */
  usage(): ApiUsage | undefined;
}

export interface AgentContextOptions {
  budgetShare?: number;
}

/**
 * Opens the context for `connection` (id or name). A connection the user may not use — another
 * tenant's, user's or group's — is "not found", so its existence does not leak.
 */
export async function openAgentContext(hub: Hub, user: HubUser, connection: string, o: AgentContextOptions = {}): Promise<AgentContext> {
  const { conn, integ } = await usableConnection(hub, user, connection);
  const { client: raw } = await hub.service.client(user.tenantId, conn.id, { user, loaded: { conn, integ } });
  const share = o.budgetShare ?? DEFAULT_AGENT_BUDGET_SHARE;
  let usage: ApiUsage | undefined = conn.apiUsed !== null && conn.apiMax !== null && conn.apiMax > 0 ? { used: conn.apiUsed, max: conn.apiMax } : undefined;
  const assertRoom = () => {
    if (usage && usage.used / usage.max >= share) throw budgetSpent(usage);
  };
  const send = async (r: ApiRequest): Promise<HttpResponse> => {
    assertRoom();
    const res = await raw.send(r);
    const u = parseLimitInfo(header(res, 'sforce-limit-info'));
    if (u && u.max > 0) usage = u;
    return res;
  };
  const client: SalesforceClient = new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'send') return send;
      if (prop === 'request')
        return async <T>(r: ApiRequest): Promise<ApiResponse<T>> => {
          try {
            // request() sends through `this.send`, so the guarded send above runs.
            return (await Reflect.apply(raw.request, client, [r])) as ApiResponse<T>;
          } catch (e) {
            if (e instanceof ForcebridgeError && e.salesforce?.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
              // The limit is spent whatever the last reading said: stored as such before the error
              // returns, so the next context refuses without a call.
              if (usage) await hub.connections.recordApiUsage(user.tenantId, conn.id, Math.max(usage.used, usage.max), usage.max);
              throw budgetSpent(usage, e);
            }
            throw e;
          }
        };
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { hub, user, connection: conn, integration: integ, client, usage: () => usage };
}

function budgetSpent(usage: ApiUsage | undefined, cause?: unknown): ForcebridgeError {
  const seen = usage ? `${usage.used} of ${usage.max} daily API calls used` : 'the daily API limit is spent';
  return new ForcebridgeError('agent.api_budget_spent', 'unavailable', `the org's API budget is spent (${seen}); nothing was done`, {
    hint: 'try again after the org’s 24-hour window frees calls, or ask the Salesforce admin to raise the limit',
    ...(usage ? { details: { used: usage.used, max: usage.max } } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}
