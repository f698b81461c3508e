/**
 * Connecting orgs and using connections. One place runs every flow against Salesforce, stores the
 * checked result encrypted, and hands out API clients that renew sessions single-flight.
 */
import { authorizationCodeGrantRequest, authorizeUrl } from '../auth/flows/authorization-code.js';
import { deviceCodeRequest, deviceTokenRequest, processDeviceCodeResponse, type DeviceCode } from '../auth/flows/device.js';
import { normalizeLoginHost } from '../auth/login-host.js';
import { codeChallengeS256, createCodeVerifier, createState } from '../auth/pkce.js';
import { requestTokens, sendTokenRequest } from '../auth/send.js';
import type { TokenSet } from '../auth/token-response.js';
import { ForcebridgeError } from '../errors.js';
import { SalesforceClient } from '../salesforce/client.js';
import type { Transport } from '../salesforce/transport.js';
import type { Store } from '../store/types.js';
import { assertCanUse } from './access.js';
import type { Connection, ConnectionsRepo } from './connections-repo.js';
import type { Integration, IntegrationsRepo } from './integrations-repo.js';
import { OAuthStates } from './oauth-states.js';
import type { Refresher } from './refresher.js';
import { renewalRequest } from './renew.js';
import type { HubUser } from './tenancy.js';
import type { Vault } from './vault.js';

export interface ServiceDeps {
  store: Store;
  vault: Vault;
  transport: Transport;
  integrations: IntegrationsRepo;
  connections: ConnectionsRepo;
  refresher: Refresher;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Scopes that let Salesforce issue a refresh token. */
export function grantsRefresh(scopes: string[]): boolean {
  return scopes.includes('refresh_token') || scopes.includes('offline_access') || scopes.includes('full');
}

type Session = { accessToken: string; instanceUrl: string; version: number };

/** How often a connection's API usage is stored (each answer carries it; most are not stored). */
export const API_USAGE_WRITE_MS = 1000;
/** From this share of the daily limit on, every answer's usage is stored (budgets decide on it). */
export const API_USAGE_ALWAYS_SHARE = 0.8;

export class ConnectionService {
  private readonly usageWrittenAt = new Map<string, number>();
  /** The latest session per connection in this process (token version and decrypted access token). */
  private readonly sessions = new Map<string, Session>();

  /** Whether this answer's usage should be stored: at most once a second, or always near the limit. */
  private usageDue(connectionId: string, u: { used: number; max: number }, now = Date.now()): boolean {
    const last = this.usageWrittenAt.get(connectionId);
    if (last !== undefined && now - last < API_USAGE_WRITE_MS && !(u.max > 0 && u.used / u.max >= API_USAGE_ALWAYS_SHARE)) return false;
    this.usageWrittenAt.set(connectionId, now);
    return true;
  }

  readonly states: OAuthStates;
  constructor(private readonly d: ServiceDeps) {
    this.states = new OAuthStates(d.store.db, d.vault);
  }

  private async store(integ: Integration, tokens: TokenSet, o: { name?: string; owner?: HubUser; username?: string }): Promise<Connection> {
    const interactive = integ.flow === 'authorization_code' || integ.flow === 'device' || integ.flow === 'refresh_token';
    const missingRefresh = interactive && !tokens.refreshToken;
    return this.d.connections.upsert({
      tenantId: integ.tenantId,
      integrationId: integ.id,
      kind: o.owner ? 'user' : 'service',
      ownerUserId: o.owner?.id ?? null,
      name: o.name ?? (o.owner ? `${integ.name}:${o.owner.email}` : integ.name),
      tokens,
      ...((o.username ?? integ.username) ? { username: (o.username ?? integ.username)! } : {}),
      state: missingRefresh ? 'needs_reconnect' : 'active',
      reason: missingRefresh ? 'missing_refresh_scope' : null,
    });
  }

  /**
   * Connects with a non-interactive flow: an admin-supplied refresh token, username-password,
   * client credentials or JWT bearer.
   */
  async connectNonInteractive(tenantId: string, integration: string, o: { name?: string; owner?: HubUser } = {}): Promise<Connection> {
    const integ = await this.d.integrations.get(tenantId, integration);
    if (!integ.enabled) throw new ForcebridgeError('integration.disabled', 'invalid_input', `integration "${integ.name}" is disabled`);
    if (integ.flow === 'authorization_code' || integ.flow === 'device') {
      throw new ForcebridgeError('flow.interactive', 'invalid_input', `the ${integ.flow} flow needs a person in a browser`, {
        field: 'flow',
        hint: 'run `forcebridge connect` interactively, or use the web callback',
      });
    }
    const secrets = await this.d.integrations.secrets(tenantId, integ.id);
    const req = await renewalRequest(integ, secrets, integ.flow === 'refresh_token' ? secrets.refreshToken : undefined);
    const tokens = await requestTokens(this.d.transport, req, {
      timeoutMs: integ.authTimeoutMs,
      ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}),
    });
    // An admin-supplied refresh token that Salesforce did not rotate stays the one to keep.
    const kept = integ.flow === 'refresh_token' && !tokens.refreshToken ? { ...tokens, refreshToken: secrets.refreshToken } : tokens;
    return this.store(integ, kept, o);
  }

  /** Starts the authorization-code flow with PKCE: the URL to open and the state bound to `user`. */
  async startAuthorization(
    user: HubUser,
    integration: string,
    o: { redirectUri?: string; prompt?: string } = {},
  ): Promise<{ url: string; state: string; expiresAt: number; integration: Integration }> {
    const integ = await this.d.integrations.get(user.tenantId, integration);
    if (!integ.enabled) throw new ForcebridgeError('integration.disabled', 'invalid_input', `integration "${integ.name}" is disabled`);
    const redirectUri = o.redirectUri ?? integ.callbackUrl;
    if (!redirectUri)
      throw new ForcebridgeError('integration.callback_missing', 'invalid_input', `integration "${integ.name}" has no callback URL`, {
        field: 'callbackUrl',
        hint: 'set it to exactly the Callback URL of the connected app',
      });
    const state = createState();
    const codeVerifier = createCodeVerifier();
    const expiresAt = await this.states.save(state, { tenantId: user.tenantId, userId: user.id, integrationId: integ.id, codeVerifier, redirectUri });
    const url = authorizeUrl({
      host: normalizeLoginHost(integ.loginHost),
      clientId: integ.clientId,
      redirectUri,
      scopes: integ.scopes,
      state,
      codeChallenge: codeChallengeS256(codeVerifier),
      ...(o.prompt ? { prompt: o.prompt } : {}),
    });
    return { url, state, expiresAt, integration: integ };
  }

  /** Finishes the authorization-code flow: checks the state (user-bound, single-use), exchanges the code. */
  async completeAuthorization(
    who: { tenantId: string; user?: HubUser },
    state: string,
    code: string,
    o: { name?: string; perUser?: boolean } = {},
  ): Promise<Connection> {
    const pending = await this.states.consume(state, { tenantId: who.tenantId, ...(who.user ? { userId: who.user.id } : {}) });
    const integ = await this.d.integrations.get(pending.tenantId, pending.integrationId);
    const secrets = await this.d.integrations.secrets(pending.tenantId, integ.id);
    const tokens = await requestTokens(
      this.d.transport,
      authorizationCodeGrantRequest({
        host: normalizeLoginHost(integ.loginHost),
        clientId: integ.clientId,
        code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
        ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}),
      }),
      { timeoutMs: integ.authTimeoutMs, ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}) },
    );
    const owner = o.perUser === false ? undefined : who.user;
    return this.store(integ, tokens, { ...(o.name ? { name: o.name } : {}), ...(owner ? { owner } : {}) });
  }

  /** Device flow, step 1: the user code and verification URL to show. */
  async startDevice(tenantId: string, integration: string): Promise<{ device: DeviceCode; integration: Integration }> {
    const integ = await this.d.integrations.get(tenantId, integration);
    const res = await sendTokenRequest(
      this.d.transport,
      deviceCodeRequest({ host: normalizeLoginHost(integ.loginHost), clientId: integ.clientId, scopes: integ.scopes }),
      integ.authTimeoutMs,
    );
    return { device: processDeviceCodeResponse(res), integration: integ };
  }

  /** Device flow, step 2: polls at the interval until the user approves (or the code expires). */
  async pollDevice(
    tenantId: string,
    integration: string,
    device: DeviceCode,
    o: { name?: string; owner?: HubUser; deadlineMs?: number; onPending?: () => void; intervalMs?: number } = {},
  ): Promise<Connection> {
    const integ = await this.d.integrations.get(tenantId, integration);
    const secrets = await this.d.integrations.secrets(tenantId, integ.id);
    const deadline = Date.now() + (o.deadlineMs ?? 10 * 60_000);
    let interval = o.intervalMs ?? device.interval * 1000;
    for (;;) {
      try {
        const tokens = await requestTokens(
          this.d.transport,
          deviceTokenRequest({
            host: normalizeLoginHost(integ.loginHost),
            clientId: integ.clientId,
            deviceCode: device.deviceCode,
            ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}),
          }),
          { timeoutMs: integ.authTimeoutMs, ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}) },
        );
        return this.store(integ, tokens, o);
      } catch (e) {
        const code = e instanceof ForcebridgeError ? e.code : '';
        if (code === 'oauth.slow_down') interval += 5000;
        else if (code !== 'oauth.authorization_pending') throw e;
        if (Date.now() + interval > deadline)
          throw new ForcebridgeError('oauth.device_code_expired', 'remote_error', 'the device code expired before it was approved', {
            hint: 'start the device flow again',
          });
        o.onPending?.();
        await sleep(interval);
      }
    }
  }

  /** An API client for a connection the caller may use; sessions renew single-flight. */
  async client(
    tenantId: string,
    connection: string,
    o: { user?: HubUser; apiVersion?: string; loaded?: { conn: Connection; integ: Integration } } = {},
  ): Promise<{ client: SalesforceClient; connection: Connection }> {
    // A caller that has just looked the connection up (and checked access) hands it over.
    const loaded =
      o.loaded && o.loaded.conn.tenantId === tenantId && (o.loaded.conn.id === connection || o.loaded.conn.name === connection) ? o.loaded : undefined;
    const conn = loaded?.conn ?? (await this.d.connections.get(tenantId, connection));
    const integ = loaded?.integ ?? (await this.d.integrations.get(tenantId, conn.integrationId));
    if (o.user) assertCanUse(o.user, conn, integ);
    if (conn.state === 'disabled') throw new ForcebridgeError('connection.disabled', 'invalid_input', `connection "${conn.name}" is disabled`);
    const repo = this.d.connections;
    let known = conn.tokenVersion;
    const remember = (session: Session): Session => {
      known = session.version;
      this.sessions.set(conn.id, session);
      return session;
    };
    const refresher = this.d.refresher;
    const client = new SalesforceClient({
      transport: this.d.transport,
      timeoutMs: Math.max(integ.authTimeoutMs, 30_000),
      ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}),
      session: {
        current: async () => {
          // The session of the token version this client knows (read with the connection just
          // now, or renewed since) is reused without a read and a decrypt; a version moved on by
          // another process shows up as a 401, and renewal picks its token up.
          const cached = this.sessions.get(conn.id);
          if (cached && cached.version === known) return cached;
          const t = await repo.tokens(tenantId, conn.id);
          if (!t.accessToken || !t.instanceUrl) return remember(await refresher.renew(tenantId, conn.id, -1));
          return remember({ accessToken: t.accessToken, instanceUrl: t.instanceUrl, version: t.version });
        },
        renew: async (stale) => remember(await refresher.renew(tenantId, conn.id, stale)),
      },
      // Stored before the answer returns (a failed write loses only this reading), so the budget
      // a next call or another agent context checks is never behind the answers already seen.
      onApiUsage: async (u) => {
        if (!this.usageDue(conn.id, u)) return;
        await repo.recordApiUsage(tenantId, conn.id, u.used, u.max).catch(() => undefined);
      },
    });
    return { client, connection: conn };
  }
}
