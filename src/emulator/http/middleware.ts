/**
 * Middleware factories shared by every emulator host: request logging, fault injection, session
 * authentication (Bearer / OAuth header → principal) and the daily API limit.
 */
import type { MiddlewareHandler } from 'hono';
import type { Org } from '../org.js';
import type { HostRole } from '../oauth/tokens.js';
import type { EmuEnv } from './env.js';
import { oauthError, sfError, SfHttpError, sfErrors, JSON_TYPE } from './respond.js';

/** Records every request (after it is answered) in the org's request log. */
export function requestLogger(org: Org): MiddlewareHandler<EmuEnv> {
  return async (c, next) => {
    await next();
    const url = new URL(c.req.url);
    if (url.pathname.startsWith('/__emulator/')) return;
    let userId: string | undefined;
    try {
      userId = c.get('principal')?.userId;
    } catch {
      userId = undefined;
    }
    org.requestLog.add({
      at: Date.now(),
      host: c.get('host'),
      method: c.req.method,
      path: url.pathname,
      query: url.search,
      status: c.res.status,
      ...(userId ? { userId } : {}),
      counted: c.get('counted') === true,
    });
  };
}

/** Applies injected faults (latency, status/body, connection reset) to matching requests. */
export function faultInjector(org: Org): MiddlewareHandler<EmuEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.startsWith('/__emulator/')) return next();
    const fault = org.faults.take(c.req.method, url.pathname + url.search, c.get('host'));
    if (!fault) return next();
    if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.reset === 'reset') {
      c.env.incoming.socket.destroy();
      return new Response(null, { status: 500 });
    }
    if (fault.reset === 'reset-mid-body') {
      await next();
      const full = new Uint8Array(await c.res.arrayBuffer());
      const half = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
      const socket = c.env.incoming.socket;
      const headers = new Headers(c.res.headers);
      headers.delete('content-length');
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(half);
          // Give the first half time to reach the client, then cut the connection mid-body.
          setTimeout(() => socket.destroy(), 20);
        },
      });
      c.res = new Response(stream, { status: c.res.status, headers });
      return;
    }
    if (fault.status !== undefined) {
      const body = fault.body === undefined ? '' : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
      const contentType = fault.contentType ?? (typeof fault.body === 'string' ? 'text/plain;charset=UTF-8' : JSON_TYPE);
      return c.body(body, fault.status as 500, { 'Content-Type': contentType, ...fault.headers });
    }
    return next();
  };
}

/** Reads `Authorization: Bearer <token>` (or the older `OAuth <token>`). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * Authenticates a REST call: a live access token → `principal` and `session`; otherwise 401
 * `INVALID_SESSION_ID` (the body clients such as jsforce look for before refreshing).
 */
export function requireSession(org: Org): MiddlewareHandler<EmuEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      if (c.req.header('authorization')) return sfError(c, 401, 'INVALID_AUTH_HEADER', 'INVALID_HEADER_TYPE');
      return sfError(c, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    const found = org.tokens.lookupAccess(token);
    if (!found.ok) return sfError(c, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const user = org.users.get(found.session.userId);
    if (!user || !user.config.active) return sfError(c, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (!user.profile.apiEnabled) return sfError(c, 403, 'API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner');
    if (!found.session.scopes.some((s) => s === 'api' || s === 'full' || s === 'web')) {
      return sfError(c, 403, 'INSUFFICIENT_ACCESS', 'This session is not valid for use with the REST API');
    }
    c.set('session', found.session);
    c.set('principal', org.principal(user.id));
    await next();
  };
}

/**
 * Requests the emulator dispatches to itself (composite subrequests): Salesforce counts the
 * composite call once, so these pass the daily limit without being counted again.
 */
export const uncountedRequests = new WeakSet<Request>();

/**
 * Counts the call against the daily allocation and sets `Sforce-Limit-Info`; once spent, answers
 * 403 `REQUEST_LIMIT_EXCEEDED` without doing the work.
 */
export function apiLimit(org: Org): MiddlewareHandler<EmuEnv> {
  return async (c, next) => {
    if (uncountedRequests.has(c.req.raw)) return next();
    if (!org.countApiCall()) {
      c.header('Sforce-Limit-Info', org.limitInfo());
      return sfError(c, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    c.set('counted', true);
    await next();
    c.header('Sforce-Limit-Info', org.limitInfo());
  };
}

/** Validates the `vNN.0` segment of REST paths against the versions served. */
export function apiVersion(org: Org): MiddlewareHandler<EmuEnv> {
  return async (c, next) => {
    const seg = c.req.path.split('/')[3] ?? '';
    const m = /^v(\d{2})\.0$/.exec(seg);
    const latest = Number(org.settings.latestApiVersion.split('.')[0]);
    if (!m || Number(m[1]) < 20 || Number(m[1]) > latest) {
      return sfError(c, 404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    c.set('apiVersion', `${m[1]}.0`);
    await next();
  };
}

/** Turns SfHttpError (thrown by handlers) into Salesforce error arrays; anything else into 500. */
export function errorHandler(err: Error, c: Parameters<MiddlewareHandler<EmuEnv>>[0]): Response {
  if (err instanceof SfHttpError) return sfErrors(c, err.status, err.errors);
  if (c.req.path.startsWith('/services/oauth2/')) return oauthError(c, 'server_error', 'internal server error', 500);
  console.error('[emulator] unexpected error', err);
  return sfError(c, 500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${err.message}`);
}

export type { HostRole };
