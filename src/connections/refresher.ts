/**
 * Single-flight token renewal. In one process, concurrent callers share one promise per
 * connection; across processes, a database lock serialises renewals and each holder re-reads the
 * tokens after taking it — if someone else already renewed past the version the caller saw fail,
 * that token is used and Salesforce is not asked again. Rotated refresh tokens are stored in the
 * same statement as the access token, so rotation is never lost.
 *
 * Outcomes explain themselves (`reason`), and failures that need a person flip the connection to
 * needs_reconnect with a reason code; transient failures are retried and never flip the state.
 */
import { reconnectReason } from '../auth/oauth-error.js';
import { requestTokens } from '../auth/send.js';
import { ForcebridgeError } from '../errors.js';
import type { Transport } from '../salesforce/transport.js';
import type { Store } from '../store/types.js';
import type { ConnectionsRepo } from './connections-repo.js';
import type { IntegrationsRepo } from './integrations-repo.js';
import { renewalRequest } from './renew.js';

export interface FreshToken {
  accessToken: string;
  instanceUrl: string;
  version: number;
  /** `renewed`: we asked Salesforce; `already_renewed`: another caller or process had just done it. */
  reason: 'renewed' | 'already_renewed';
}

export interface RefresherDeps {
  store: Store;
  connections: ConnectionsRepo;
  integrations: IntegrationsRepo;
  transport: Transport;
  /** Called with each renewal outcome (logs, metrics). Never receives a token. */
  onEvent?: (e: { connectionId: string; event: string; reason?: string; attempt?: number }) => void;
  /** Backoff base for transient failures, ms. */
  backoffMs?: number;
  maxAttempts?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Transient: network trouble, Salesforce 5xx, or its "token request is already being processed". */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof ForcebridgeError)) return false;
  if (e.kind === 'unavailable') return true;
  if ((e.salesforce?.message ?? '').toLowerCase().includes('already being processed')) return true;
  if (e.code === 'salesforce.unexpected_status' && Number(e.details?.status) >= 500) return true;
  if (e.kind === 'remote_protocol' && e.code === 'salesforce.unparseable_response') return true;
  return false;
}

/**
 * The reason shown on the connection. A username-password connection that worked and now fails
 * authentication almost always means the password (or its security token) changed.
 */
export function connectionReason(flow: string, reason: string | undefined): string | undefined {
  if (flow === 'password' && reason === 'credentials_invalid') return 'password_changed';
  return reason;
}

export class Refresher {
  private readonly inflight = new Map<string, Promise<FreshToken>>();
  constructor(private readonly deps: RefresherDeps) {}

  /**
   * A usable access token after the token of version `staleVersion` was refused (401). Pass
   * `staleVersion = -1` to force a renewal.
   */
  renew(tenantId: string, connectionId: string, staleVersion: number): Promise<FreshToken> {
    const key = `${tenantId}/${connectionId}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.renewLocked(tenantId, connectionId, staleVersion).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async renewLocked(tenantId: string, connectionId: string, staleVersion: number): Promise<FreshToken> {
    const conn = await this.deps.connections.get(tenantId, connectionId);
    const integ = await this.deps.integrations.get(tenantId, conn.integrationId);
    return this.deps.store.withLock(
      `refresh:${connectionId}`,
      async () => {
        const cur = await this.deps.connections.tokens(tenantId, connectionId);
        if (cur.version > staleVersion && cur.accessToken && cur.instanceUrl && staleVersion >= 0) {
          this.deps.onEvent?.({ connectionId, event: 'refresh_skipped', reason: 'already_renewed' });
          return { accessToken: cur.accessToken, instanceUrl: cur.instanceUrl, version: cur.version, reason: 'already_renewed' as const };
        }
        const secrets = await this.deps.integrations.secrets(tenantId, integ.id);
        const max = this.deps.maxAttempts ?? 4;
        for (let attempt = 1; ; attempt++) {
          try {
            const req = await renewalRequest(integ, secrets, cur.refreshToken);
            const tokens = await requestTokens(this.deps.transport, req, {
              timeoutMs: integ.authTimeoutMs,
              ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}),
            });
            const version = await this.deps.connections.storeRefreshed(tenantId, connectionId, tokens);
            this.deps.onEvent?.({ connectionId, event: 'refreshed', reason: tokens.refreshToken ? 'rotated' : 'renewed', attempt });
            return { accessToken: tokens.accessToken, instanceUrl: tokens.instanceUrl, version, reason: 'renewed' as const };
          } catch (e) {
            if (isTransient(e) && attempt < max) {
              this.deps.onEvent?.({ connectionId, event: 'refresh_retry', reason: (e as ForcebridgeError).code, attempt });
              await sleep((this.deps.backoffMs ?? 250) * 2 ** (attempt - 1));
              continue;
            }
            const reason = connectionReason(integ.flow, reconnectReason(e));
            if (reason) {
              await this.deps.connections.setState(tenantId, connectionId, 'needs_reconnect', reason, (e as Error).message);
              this.deps.onEvent?.({ connectionId, event: 'needs_reconnect', reason });
            }
            throw e;
          }
        }
      },
      { ttlMs: integ.authTimeoutMs * 5 + 5_000 },
    );
  }
}
