/**
 * Serves a Hono app on a Node listener (@hono/node-server) with a graceful close: stop accepting,
 * let requests in flight finish (bounded), then drop idle keep-alive sockets.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

export interface Listening {
  port: number;
  close(graceMs?: number): Promise<void>;
}

export function listen(fetch: (req: Request) => Response | Promise<Response>, o: { port: number; host: string }): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: o.port, hostname: o.host }, (info) => {
      resolve({
        port: info.port,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const s = server as Server;
            const timer = setTimeout(() => s.closeAllConnections(), graceMs);
            s.close(() => {
              clearTimeout(timer);
              done();
            });
            s.closeIdleConnections();
          }),
      });
    }) as Server;
    server.once('error', reject);
  });
}
