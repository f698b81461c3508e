/**
 * What the server's handlers share: injected dependencies and per-request values (Hono context
 * variables). Everything the app touches comes in through `ServerDeps`, so tests build the app over
 * a test hub and drive it with `app.request()`.
 */
import type { Logger } from 'pino';
import type { Hub } from '../connections/hub.js';
import type { HubUser } from '../connections/tenancy.js';
import type { ApiKeys } from './api-keys.js';
import type { AttemptLimiter } from './attempts.js';
import type { DeviceFlows } from './device-flows.js';

export interface ServerDeps {
  hub: Hub;
  /** The server's public URL (scheme, host, port; no trailing slash): OAuth redirect URIs are built from it. */
  baseUrl: string;
  logger: Logger;
  /** Clock (tests move it to expire step-ups). */
  now: () => number;
  /** How long a step-up re-authentication stays fresh, ms (5 minutes). */
  stepUpWindowMs: number;
  apiKeys: ApiKeys;
  deviceFlows: DeviceFlows;
  stepUpAttempts: AttemptLimiter;
}

/** The authenticated caller: the hub user an API key maps to, and the key's step-up time. */
export interface Caller {
  user: HubUser;
  keyId: string;
  stepUpAt: number | null;
}

/** Validated request parts (zod outputs). */
export interface ParsedInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

export interface ServerEnv {
  Variables: {
    deps: ServerDeps;
    requestId: string;
    caller: Caller | undefined;
    input: ParsedInput;
    /** Routes that answer browsers render errors as HTML. */
    errorFormat: 'json' | 'html';
  };
}

/** The caller, for handlers behind API-key auth. */
export function callerOf(c: { get(key: 'caller'): Caller | undefined }): Caller {
  const caller = c.get('caller');
  if (!caller) throw new Error('handler without API-key auth asked for the caller');
  return caller;
}
