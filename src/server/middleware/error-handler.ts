/**
 * Turns anything thrown into `{error: ForcebridgeError.toJSON()}` with the status for its kind
 * (or an HTML page on browser routes). Unknown errors are logged with their stack (redacted) and
 * answered with a bare `internal` error and the request id, never their message.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { ForcebridgeError } from '../../errors.js';
import { redactText } from '../../log.js';
import type { ServerEnv } from '../env.js';
import { statusOf, toPublicError } from '../http-errors.js';
import { errorPage } from '../html.js';

export function errorResponse(c: Context<ServerEnv>, e: unknown): Response {
  const requestId = c.get('requestId') ?? '-';
  const logger = c.get('deps').logger;
  if (!(e instanceof ForcebridgeError)) {
    logger.error({ requestId, err: redactText(e instanceof Error ? (e.stack ?? e.message) : String(e)) }, 'unexpected error');
  } else if (e.kind === 'internal') {
    logger.error({ requestId, code: e.code, err: redactText(e.message) }, 'internal error');
  }
  const pub = toPublicError(e, requestId);
  const status = statusOf(pub);
  if (c.get('errorFormat') === 'html') return c.html(errorPage(pub, requestId), status);
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="forcebridge"');
  return c.json({ error: pub.toJSON() }, status);
}

export function errorHandler(): ErrorHandler<ServerEnv> {
  return (e, c) => errorResponse(c, e);
}

export function notFoundHandler(): NotFoundHandler<ServerEnv> {
  return (c) =>
    errorResponse(
      c,
      new ForcebridgeError('route.not_found', 'not_found', `no endpoint ${c.req.method} ${c.req.path}`, {
        hint: 'see GET /api/v1/openapi.json for the endpoints',
      }),
    );
}
