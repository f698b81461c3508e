/**
 * HTTP to Salesforce over undici (pooled keep-alive). Injected by shape: flows and the client take
 * a `Transport`, so tests point them at the emulator and nothing else needs special cases.
 * Network failures and timeouts become `unavailable` errors that say what to check; bodies are
 * never put into error messages (they can hold tokens).
 */
import { Agent, request, type Dispatcher } from 'undici';
import { ForcebridgeError } from '../errors.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole-request timeout (headers and body), ms. */
  timeoutMs?: number;
  /** A successful (2xx) body as bytes in `bytes` (`body` then ''); error bodies stay text. */
  binary?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body's bytes, when the request asked for `binary` and the answer is 2xx. */
  bytes?: Buffer;
}

export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

export interface TransportOptions {
  dispatcher?: Dispatcher;
  /** Default timeout when a request gives none, ms (the integration's auth timeout, 10 s by default). */
  timeoutMs?: number;
}

let sharedAgent: Agent | undefined;

/** The process-wide keep-alive pool. */
export function defaultDispatcher(): Agent {
  sharedAgent ??= new Agent({ keepAliveTimeout: 30_000, connections: 32 });
  return sharedAgent;
}

function networkError(e: unknown, url: string, timeoutMs: number): ForcebridgeError {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const code = (e as { code?: string }).code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || (e as Error).name === 'TimeoutError') {
    return new ForcebridgeError('network.timeout', 'unavailable', `no answer from ${host} within ${timeoutMs} ms`, {
      hint: 'check the host and the network, or raise the integration’s auth timeout',
      cause: e,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ForcebridgeError('network.dns', 'unavailable', `cannot resolve ${host}`, {
      hint: 'check the My Domain name: https://<name>.my.salesforce.com (sandboxes: <name>--<sandbox>.sandbox.my.salesforce.com)',
      cause: e,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new ForcebridgeError('network.refused', 'unavailable', `${host} refused the connection`, { hint: 'check the host and port', cause: e });
  }
  return new ForcebridgeError('network.failed', 'unavailable', `request to ${host} failed (${code || (e as Error).message})`, {
    hint: 'the connection dropped; the call can be retried',
    cause: e,
  });
}

export function createTransport(opts: TransportOptions = {}): Transport {
  const dispatcher = opts.dispatcher ?? defaultDispatcher();
  const defaultTimeout = opts.timeoutMs ?? 10_000;
  return async (req) => {
    const timeoutMs = req.timeoutMs ?? defaultTimeout;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers ?? {},
        ...(req.body !== undefined ? { body: req.body } : {}),
        dispatcher,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (req.binary && res.statusCode >= 200 && res.statusCode < 300) {
        return { status: res.statusCode, headers: res.headers, body: '', bytes: Buffer.from(await res.body.arrayBuffer()) };
      }
      const body = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body };
    } catch (e) {
      throw networkError(e, req.url, timeoutMs);
    }
  };
}

/** A header value as one string (first of repeated headers). */
export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
