/**
 * Access and refresh tokens of the emulated org. Access tokens look like Salesforce's
 * (`{15-char org id}!AQ...`) and expire after the session timeout of inactivity; refresh tokens
 * live until revoked (or pushed out by the per-user-per-app cap, as in Salesforce).
 */
import { randomBytes } from 'node:crypto';

export type HostRole = 'login' | 'sandbox' | 'mydomain';

export interface AccessSession {
  token: string;
  userId: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  lastUsed: number;
  /** The refresh token this session was minted from, if any (revoking it ends the session). */
  refreshToken: string | undefined;
  hostRole: HostRole;
}

export interface RefreshGrant {
  token: string;
  userId: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  hostRole: HostRole;
}

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

function randomToken(length: number, alphabet = TOKEN_CHARS): string {
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[bytes[i]! % alphabet.length];
  return s;
}

export type LookupResult = { ok: true; session: AccessSession } | { ok: false; reason: 'unknown' | 'expired' };

export class TokenStore {
  private readonly access = new Map<string, AccessSession>();
  private readonly refresh = new Map<string, RefreshGrant>();

  constructor(
    private readonly orgId15: string,
    private readonly now: () => number,
    /** Inactivity timeout, ms. Read on every lookup so settings changes apply at once. */
    private readonly timeoutMs: () => number,
    private readonly maxRefreshPerUserApp: () => number,
  ) {}

  issueAccess(userId: string, clientId: string, scopes: string[], hostRole: HostRole, refreshToken?: string): AccessSession {
    const t = this.now();
    const session: AccessSession = {
      token: `${this.orgId15}!AQ${randomToken(94, TOKEN_CHARS.slice(0, 62) + '.')}`,
      userId,
      clientId,
      scopes,
      issuedAt: t,
      lastUsed: t,
      refreshToken,
      hostRole,
    };
    this.access.set(session.token, session);
    return session;
  }

  issueRefresh(userId: string, clientId: string, scopes: string[], hostRole: HostRole): RefreshGrant {
    const grant: RefreshGrant = {
      token: `5Aep861${randomToken(80, TOKEN_CHARS.slice(0, 62) + '.')}`,
      userId,
      clientId,
      scopes,
      issuedAt: this.now(),
      hostRole,
    };
    this.refresh.set(grant.token, grant);
    // Salesforce keeps a limited number of refresh tokens per user per app; the oldest is revoked.
    const mine = [...this.refresh.values()].filter((g) => g.userId === userId && g.clientId === clientId).sort((a, b) => a.issuedAt - b.issuedAt);
    while (mine.length > this.maxRefreshPerUserApp()) this.revokeRefresh(mine.shift()!.token);
    return grant;
  }

  /** Finds a live access session and records the activity. */
  lookupAccess(token: string): LookupResult {
    const s = this.access.get(token);
    if (!s) return { ok: false, reason: 'unknown' };
    const t = this.now();
    if (t - s.lastUsed > this.timeoutMs()) {
      this.access.delete(token);
      return { ok: false, reason: 'expired' };
    }
    s.lastUsed = t;
    return { ok: true, session: s };
  }

  /** Reads a session without touching its activity time (introspection). */
  peekAccess(token: string): AccessSession | undefined {
    const s = this.access.get(token);
    if (!s) return undefined;
    if (this.now() - s.lastUsed > this.timeoutMs()) return undefined;
    return s;
  }

  lookupRefresh(token: string): RefreshGrant | undefined {
    return this.refresh.get(token);
  }

  /** Rotation: replaces a refresh token with a new one for the same grant. */
  rotateRefresh(old: RefreshGrant): RefreshGrant {
    this.refresh.delete(old.token);
    const next = { ...old, token: `5Aep861${randomToken(80, TOKEN_CHARS.slice(0, 62) + '.')}`, issuedAt: this.now() };
    this.refresh.set(next.token, next);
    return next;
  }

  /** Revokes an access token, or a refresh token and every access token minted from it. */
  revoke(token: string): boolean {
    if (this.access.delete(token)) return true;
    return this.revokeRefresh(token);
  }

  private revokeRefresh(token: string): boolean {
    if (!this.refresh.delete(token)) return false;
    for (const [k, s] of this.access) if (s.refreshToken === token) this.access.delete(k);
    return true;
  }

  /** Ends every access session (the control API's "expire sessions"). Refresh tokens stay valid. */
  expireAllAccess(): number {
    const n = this.access.size;
    this.access.clear();
    return n;
  }

  /** Revokes every refresh token (and session) of a user, e.g. after a password change. */
  revokeUser(userId: string): number {
    let n = 0;
    for (const g of [...this.refresh.values()]) if (g.userId === userId && this.revokeRefresh(g.token)) n++;
    for (const [k, s] of this.access) if (s.userId === userId) this.access.delete(k);
    return n;
  }

  counts(): { access: number; refresh: number } {
    return { access: this.access.size, refresh: this.refresh.size };
  }
}
