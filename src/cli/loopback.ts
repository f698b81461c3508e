/**
 * The CLI's end of the authorization-code flow: a one-shot HTTP listener on the loopback callback
 * URL registered on the connected app (e.g. http://localhost:1717/OauthRedirect), and opening the
 * person's browser. RFC 8252 §7.3: native apps receive the code on a loopback redirect.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseCallback } from '../auth/flows/authorization-code.js';
import { oauthError } from '../auth/oauth-error.js';
import { ForcebridgeError, invalidInput } from '../errors.js';

export const DEFAULT_CLI_CALLBACK = 'http://localhost:1717/OauthRedirect';

export interface LoopbackCallback {
  redirectUri: string;
  /** Resolves with the code once a callback with `state` arrives; callbacks with another state are refused and ignored. */
  waitForCode(state: string, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The callback URL, with `port` replacing its port when given; only http on loopback can be served here. */
export function loopbackRedirect(callbackUrl: string, port?: number): URL {
  const u = new URL(callbackUrl);
  if (u.protocol !== 'http:' || !LOOPBACK.has(u.hostname)) {
    throw invalidInput(
      'cli.callback_not_loopback',
      'callbackUrl',
      `the CLI can only receive the callback on an http loopback URL (got ${u.origin})`,
      `add ${DEFAULT_CLI_CALLBACK} to the connected app's Callback URLs and to an integration used from the CLI, or connect through the web server`,
    );
  }
  if (port !== undefined) u.port = String(port);
  return u;
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1><p>${esc(text)}</p>`);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Listens on the callback's port. `localhost` is served on both 127.0.0.1 and ::1 because browsers
 * resolve it either way; nothing listens beyond loopback.
 */
export async function startLoopbackCallback(callbackUrl: string, port?: number): Promise<LoopbackCallback> {
  const url = loopbackRedirect(callbackUrl, port);
  const hosts = url.hostname === 'localhost' ? ['127.0.0.1', '::1'] : [url.hostname.replace(/^\[|\]$/g, '')];
  let expected: string | undefined;
  let settle: ((r: { code: string } | { error: ForcebridgeError }) => void) | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', url);
    if (req.method !== 'GET' || u.pathname !== url.pathname) return page(res, 404, 'Not found', 'This is forcebridge waiting for Salesforce’s redirect.');
    const cb = parseCallback(u.searchParams);
    if (!expected || cb.state !== expected) {
      // Not our flow (or a forged request): refuse, keep waiting for the real one.
      return page(res, 400, 'Unknown request', 'This callback does not belong to the connection forcebridge is waiting for.');
    }
    if ('error' in cb) {
      page(res, 200, 'Salesforce refused the connection', `${cb.error}${cb.errorDescription ? `: ${cb.errorDescription}` : ''}. See the terminal.`);
      settle?.({ error: oauthError(cb.error, cb.errorDescription, 400) });
      return;
    }
    page(res, 200, 'Connected', 'forcebridge received the authorization. You can close this tab and return to the terminal.');
    settle?.({ code: cb.code });
  };
  const servers: Server[] = [];
  for (const [i, host] of hosts.entries()) {
    const server = createServer(handler);
    try {
      await listen(server, Number(url.port || 80), host);
      servers.push(server);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // ::1 may not exist (IPv6 off); 127.0.0.1 is enough then.
      if (i > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      throw new ForcebridgeError('cli.callback_port_busy', 'invalid_input', `cannot listen on ${url.host} for the callback (${code ?? 'error'})`, {
        field: '--port',
        hint: 'stop the program using that port, or pass --port N and register http://localhost:N' + url.pathname + ' as a Callback URL on the connected app',
      });
    }
  }
  return {
    // Salesforce compares redirect_uri exactly: keep the registered spelling unless --port changed it.
    redirectUri: port === undefined ? callbackUrl : url.toString(),
    waitForCode(state, timeoutMs) {
      expected = state;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new ForcebridgeError('cli.callback_timeout', 'unavailable', `no callback from Salesforce within ${Math.round(timeoutMs / 1000)} s`, {
              hint:
                'open the URL, log in and press Allow; if Salesforce shows redirect_uri_mismatch, the Callback URL on the connected app must be exactly ' +
                url.toString(),
            }),
          );
        }, timeoutMs);
        settle = (r) => {
          clearTimeout(timer);
          settle = undefined;
          if ('code' in r) resolve(r.code);
          else reject(r.error);
        };
      });
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise((r) => {
              s.closeAllConnections();
              s.close(r);
            }),
        ),
      );
    },
  };
}

/** Opens a URL in the person's browser; failures are ignored (the URL is printed anyway). */
export function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser here: the printed URL is the way.
  }
}
