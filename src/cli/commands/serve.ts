/**
 * `forcebridge serve`: the hub's HTTP API (Hono on Node), logging each request with pino
 * (secrets redacted) and shutting down gracefully on SIGINT/SIGTERM.
 *
 * Bootstrap, run on the server itself (it has the database and the master key):
 * - `forcebridge serve --print-admin-key` creates an API key for the local admin, prints it once on
 *   standard output and exits (`KEY=$(forcebridge serve --print-admin-key)`).
 * - `forcebridge serve --init-step-up` sets the local admin's step-up password, read from a hidden
 *   prompt or standard input (never argv), and exits.
 */
import * as p from '@clack/prompts';
import { Command } from 'commander';
import { setUserPassword } from '../../connections/tenancy.js';
import { ForcebridgeError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { ApiKeys } from '../../server/api-keys.js';
import { createApp, normalizeBaseUrl } from '../../server/app.js';
import { CALLBACK_PATH } from '../../server/api/v1/connections/index.js';
import { listen } from '../../server/listen.js';
import { openHub, hubOptionsFromEnv } from '../../connections/hub.js';
import { SyncScheduler } from '../../sync/scheduler.js';
import { Webhooks } from '../../sync/webhooks.js';
import { processIo, readAll, withHub, type CliIo } from '../io.js';
import { parsePort } from './emulator.js';

interface ServeOptions {
  port: number;
  host: string;
  baseUrl?: string;
  printAdminKey?: boolean;
  initStepUp?: boolean;
  /** Also run every connection's sync schedule (and webhook retries) in this process. */
  sync?: boolean;
}

async function readNewPassword(io: CliIo): Promise<string> {
  if (io.tty) {
    const v = await p.password({ message: 'New step-up password for the local admin (at least 10 characters)' });
    if (p.isCancel(v)) throw new ForcebridgeError('cli.cancelled', 'invalid_input', 'cancelled');
    return v;
  }
  // Piped: the whole of stdin, without the trailing newline `echo` adds.
  return (await readAll(io.stdin, 4096)).replace(/\r?\n$/, '');
}

export async function serveMain(io: CliIo, o: ServeOptions, signals: NodeJS.EventEmitter = process): Promise<void> {
  if (o.printAdminKey) {
    await withHub(io, async (hub) => {
      const created = await new ApiKeys(hub.store.db).create(hub.admin, 'bootstrap');
      io.err(`API key for ${hub.admin.email} (admin). It is shown only now; store it safely.\n`);
      io.out(`${created.key}\n`);
    });
    return;
  }
  if (o.initStepUp) {
    const password = await readNewPassword(io);
    await withHub(io, (hub) => setUserPassword(hub.store.db, hub.tenant.id, hub.admin.id, password));
    io.err('Step-up password set for the local admin.\n');
    return;
  }
  const logger = createLogger();
  const hub = await openHub(hubOptionsFromEnv(io.env));
  try {
    const hostPart = o.host.includes(':') ? `[${o.host}]` : o.host;
    // The app is built once the port is known (with --port 0 only the listener knows it), so the
    // OAuth redirect URI carries the real one.
    const ready: { fetch?: (req: Request) => Response | Promise<Response> } = {};
    const server = await listen((req) => (ready.fetch ? ready.fetch(req) : new Response('starting', { status: 503 })), { port: o.port, host: o.host });
    const baseUrl = normalizeBaseUrl(o.baseUrl ?? `http://${hostPart}:${server.port}`);
    ready.fetch = createApp({ hub, logger, baseUrl }).fetch;
    const scheduler = o.sync
      ? new SyncScheduler({
          hub,
          webhooks: new Webhooks({ store: hub.store, vault: hub.vault }),
          onEvent: (e) => {
            if (e.type === 'run_finished') logger.info({ connection: e.connection, runId: e.run.runId, status: e.run.status }, 'sync run finished');
            else if (e.type === 'run_error') logger.warn({ connection: e.connection, err: e.error.message }, 'sync run could not run');
            else logger.debug({ event: e }, 'sync scheduler');
          },
        })
      : undefined;
    scheduler?.start();
    io.out(
      [
        `forcebridge API listening on http://${hostPart}:${server.port}`,
        `  OpenAPI document : ${baseUrl}/api/v1/openapi.json`,
        `  OAuth callback   : ${baseUrl}${CALLBACK_PATH} (add it to the connected app's Callback URLs)`,
        ...(scheduler ? ['  Sync schedules   : running (each object on its catalog schedule)'] : []),
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = (sig: string) => {
        logger.info({ signal: sig }, 'shutting down');
        // Runs in flight stop after their current page; then the listener and the store close.
        void (scheduler ? scheduler.stop() : Promise.resolve())
          .then(() => server.close())
          .then(() => hub.close())
          .then(() => {
            logger.flush();
            resolve();
          });
      };
      signals.once('SIGINT', () => stop('SIGINT'));
      signals.once('SIGTERM', () => stop('SIGTERM'));
    });
  } catch (e) {
    await hub.close().catch(() => undefined);
    throw e;
  }
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the HTTP API (integrations, connections, OAuth callback, pass-through calls)')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 8787)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--base-url <url>', 'public URL of this server, used for the OAuth callback (default http://<host>:<port>)')
    .option('--print-admin-key', 'create an API key for the local admin, print it once and exit')
    .option('--sync', "also run every connection's sync schedule in this process")
    .option('--init-step-up', "set the local admin's step-up password (hidden prompt or standard input) and exit")
    .action(async (o: ServeOptions) => {
      if (o.baseUrl) o.baseUrl = normalizeBaseUrl(o.baseUrl);
      await serveMain(processIo(), o);
    });
}
