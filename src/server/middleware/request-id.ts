/**
 * Gives every request an id: the caller's `X-Request-Id` when it is a short safe token (so ids
 * flow through proxies), a fresh one otherwise. Echoed in the response and put in every log line.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from '../env.js';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestId(): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const id = given && SAFE_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
  };
}
