/**
 * One pino line per request: method, path (never the query string — the OAuth callback carries
 * `code` and `state` there), status, duration, request id and the calling user's id. Headers are
 * not logged at all, so API keys cannot reach the log.
 */
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from '../env.js';

export function requestLog(): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const caller = c.get('caller');
    c.get('deps').logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        ...(caller ? { userId: caller.user.id, tenantId: caller.user.tenantId } : {}),
      },
      'request',
    );
  };
}
