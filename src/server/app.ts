/**
 * The hub's HTTP API as a Hono app over injected dependencies. Each endpoint gets the same chain:
 * API-key auth (unless public) → admin check → validation → step-up (where needed) → handler;
 * around everything, request id, request log, security headers and error mapping.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import type { AgentToolSet } from '../agent/invoke.js';
import { defaultToolSet } from '../agent/registry.js';
import type { Hub } from '../connections/hub.js';
import { ForcebridgeError } from '../errors.js';
import { ApiKeys } from './api-keys.js';
import { AttemptLimiter } from './attempts.js';
import { DeviceFlows } from './device-flows.js';
import { honoPath, type Endpoint } from './endpoint.js';
import type { ServerDeps, ServerEnv } from './env.js';
import { apiKeyAuth } from './middleware/api-key-auth.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { requestId } from './middleware/request-id.js';
import { requestLog } from './middleware/request-log.js';
import { requireAdmin } from './middleware/require-admin.js';
import { securityHeaders } from './middleware/security-headers.js';
import { requireStepUp } from './middleware/step-up.js';
import { validate } from './middleware/validate.js';
import { mountMcp } from './mcp.js';
import { ENDPOINTS } from './routes.js';

export const STEP_UP_WINDOW_MS = 5 * 60_000;
/** Large enough for composite requests and PEM keys, small enough to bound memory. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface AppOptions {
  hub: Hub;
  /** Public URL of the server (OAuth redirect URIs are built from it). */
  baseUrl: string;
  logger: Logger;
  now?: () => number;
  stepUpWindowMs?: number;
  /** The agent tools served over MCP at `/mcp/{connection}` (default: the registry). */
  agentTools?: AgentToolSet;
}

/** Normalises the base URL: absolute http(s), no trailing slash, no path query or fragment. */
export function normalizeBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ForcebridgeError('server.base_url_invalid', 'invalid_input', `base URL ${JSON.stringify(raw)} is not an absolute URL`, {
      field: 'baseUrl',
      hint: 'e.g. https://forcebridge.example.com or http://localhost:8787',
    });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new ForcebridgeError('server.base_url_invalid', 'invalid_input', 'the base URL must use http or https', { field: 'baseUrl' });
  }
  if (u.search || u.hash)
    throw new ForcebridgeError('server.base_url_invalid', 'invalid_input', 'the base URL must not have a query or fragment', { field: 'baseUrl' });
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export function buildDeps(o: AppOptions): ServerDeps {
  return {
    hub: o.hub,
    baseUrl: normalizeBaseUrl(o.baseUrl),
    logger: o.logger,
    now: o.now ?? Date.now,
    stepUpWindowMs: o.stepUpWindowMs ?? STEP_UP_WINDOW_MS,
    apiKeys: new ApiKeys(o.hub.store.db),
    deviceFlows: new DeviceFlows(o.hub.store.db, o.hub.vault),
    stepUpAttempts: new AttemptLimiter(),
  };
}

function chainFor(ep: Endpoint, deps: ServerDeps): MiddlewareHandler<ServerEnv>[] {
  const chain: MiddlewareHandler<ServerEnv>[] = [];
  if (ep.errorFormat === 'html')
    chain.push(async (c, next) => {
      c.set('errorFormat', 'html');
      await next();
    });
  if (ep.access !== 'public') chain.push(apiKeyAuth(deps.apiKeys));
  if (ep.access === 'admin') chain.push(requireAdmin());
  chain.push(validate(ep));
  if (ep.stepUp) chain.push(requireStepUp(ep.stepUp as Parameters<typeof requireStepUp>[0]));
  return chain;
}

export function createApp(o: AppOptions, endpoints: Endpoint[] = ENDPOINTS): Hono<ServerEnv> {
  const deps = buildDeps(o);
  const app = new Hono<ServerEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('errorFormat', 'json');
    c.set('caller', undefined);
    await next();
  });
  app.use('*', requestId());
  app.use('*', requestLog());
  app.use('*', securityHeaders());
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ForcebridgeError('request.too_large', 'invalid_input', `the request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`, {
          field: 'body',
        });
      },
    }),
  );
  for (const ep of endpoints) {
    app.on(ep.method.toUpperCase(), [honoPath(ep.path)], ...chainFor(ep, deps), (c) => ep.handle(c, c.get('input') as never));
  }
  mountMcp(app, deps, o.agentTools ?? defaultToolSet());
  app.notFound(notFoundHandler());
  app.onError(errorHandler());
  return app;
}
