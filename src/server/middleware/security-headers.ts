/**
 * Headers on every answer: nothing cached (API keys are shown once, connection facts are private),
 * no MIME sniffing, no framing, no referrer (the OAuth callback's URL carries a code), and a CSP that
 * lets the few HTML pages show inline styles and nothing else.
 */
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from '../env.js';

export function securityHeaders(): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  };
}
