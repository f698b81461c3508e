/**
 * A REST client for one connection: Bearer auth from a session provider, one renewal and retry on
 * 401 INVALID_SESSION_ID, backoff retries on 5xx/429 and network failures for idempotent calls,
 * and every `Sforce-Limit-Info` reported to the caller (the org's API budget).
 */
import { ForcebridgeError } from '../errors.js';
import { parseLimitInfo, type ApiUsage } from './limit-info.js';
import { salesforceError } from './errors.js';
import { header, type HttpResponse, type Transport } from './transport.js';

export const DEFAULT_API_VERSION = '62.0';

/** Where the client gets tokens: the current one, and a renewal after one was refused. */
export interface SessionProvider {
  current(): Promise<{ accessToken: string; instanceUrl: string; version: number }>;
  renew(staleVersion: number): Promise<{ accessToken: string; instanceUrl: string; version: number }>;
}

export interface ClientOptions {
  transport: Transport;
  session: SessionProvider;
  apiVersion?: string;
  timeoutMs?: number;
  /**
   * Each answer's API usage (Sforce-Limit-Info); a promise is awaited before the answer returns,
   * so whoever reads the usage next sees it.
   */
  onApiUsage?: (u: ApiUsage) => void | Promise<void>;
  /** Retries for 5xx/429/network on idempotent requests. */
  maxRetries?: number;
  backoffMs?: number;
}

export interface ApiRequest {
  method: string;
  /** Absolute path (`/services/data/v62.0/limits`) or relative to the version root (`/limits`). */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Retry 5xx/429 even for non-idempotent methods (the caller knows it is safe). */
  retryUnsafe?: boolean;
  /** Whole-request timeout for this call (big result pages), ms; the client's default otherwise. */
  timeoutMs?: number;
  /** Ask the transport for a 2xx body as bytes (`HttpResponse.bytes`; transports may ignore it). */
  binary?: boolean;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: HttpResponse['headers'];
  body: string;
  json: T;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SalesforceClient {
  readonly apiVersion: string;
  constructor(private readonly o: ClientOptions) {
    this.apiVersion = o.apiVersion ?? DEFAULT_API_VERSION;
  }

  private url(instanceUrl: string, r: ApiRequest): string {
    const path = r.path.startsWith('/services/') ? r.path : `/services/data/v${this.apiVersion}${r.path.startsWith('/') ? '' : '/'}${r.path}`;
    const u = new URL(path, instanceUrl);
    for (const [k, v] of Object.entries(r.query ?? {})) u.searchParams.set(k, v);
    return u.toString();
  }

  /** Sends a request; non-2xx answers (other than 304) throw Salesforce's error. */
  async request<T = unknown>(r: ApiRequest): Promise<ApiResponse<T>> {
    const res = await this.send(r);
    if (res.status >= 400) throw salesforceError(res, `${r.method} ${r.path}`);
    let json: unknown = undefined;
    if (res.body && String(header(res, 'content-type') ?? '').includes('json')) {
      try {
        json = JSON.parse(res.body);
      } catch {
        throw new ForcebridgeError('salesforce.unparseable_response', 'remote_protocol', `${r.method} ${r.path}: answer is not valid JSON`);
      }
    }
    return { status: res.status, headers: res.headers, body: res.body, json: json as T };
  }

  /** Sends a request and returns the raw answer whatever its status (the proxy endpoint). */
  async send(r: ApiRequest): Promise<HttpResponse> {
    let session = await this.o.session.current();
    let renewed = false;
    const retries = this.o.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.o.transport({
          method: r.method,
          url: this.url(session.instanceUrl, r),
          headers: {
            Authorization: `Bearer ${session.accessToken}`,
            Accept: 'application/json',
            ...(r.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...r.headers,
          },
          ...(r.body !== undefined ? { body: typeof r.body === 'string' ? r.body : JSON.stringify(r.body) } : {}),
          ...((r.timeoutMs ?? this.o.timeoutMs) ? { timeoutMs: r.timeoutMs ?? this.o.timeoutMs } : {}),
          ...(r.binary ? { binary: true } : {}),
        });
      } catch (e) {
        if (e instanceof ForcebridgeError && e.kind === 'unavailable' && attempt < retries && (IDEMPOTENT.has(r.method.toUpperCase()) || r.retryUnsafe)) {
          await sleep((this.o.backoffMs ?? 200) * 2 ** attempt);
          continue;
        }
        throw e;
      }
      const usage = parseLimitInfo(header(res, 'sforce-limit-info'));
      if (usage) await this.o.onApiUsage?.(usage);
      if (res.status === 401 && !renewed && res.body.includes('INVALID_SESSION_ID')) {
        renewed = true;
        session = await this.o.session.renew(session.version);
        attempt--;
        continue;
      }
      if ((res.status >= 500 || res.status === 429) && attempt < retries && (IDEMPOTENT.has(r.method.toUpperCase()) || r.retryUnsafe)) {
        const retryAfter = Number(header(res, 'retry-after'));
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : (this.o.backoffMs ?? 200) * 2 ** attempt);
        continue;
      }
      return res;
    }
  }
}
