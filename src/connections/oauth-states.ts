/**
 * Pending authorization-code flows: the `state` is stored only as a hash, bound to the initiating
 * user and integration, single-use and short-lived; the PKCE verifier is encrypted.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import type { HubDatabase } from '../store/schema.js';
import type { Vault } from './vault.js';

export const STATE_TTL_MS = 10 * 60_000;

const hash = (state: string) => createHash('sha256').update(state).digest('base64url');
const aad = (h: string) => `oauth_states.code_verifier:${h}`;
/** AAD of `code_verifier_enc`, keyed by the row's state_hash (for key rotation). */
export const codeVerifierAad = aad;

export interface PendingAuthorization {
  tenantId: string;
  userId: string;
  integrationId: string;
  codeVerifier: string;
  redirectUri: string;
}

export class OAuthStates {
  constructor(
    private readonly db: Kysely<HubDatabase>,
    private readonly vault: Vault,
  ) {}

  async save(state: string, p: PendingAuthorization, now = Date.now()): Promise<number> {
    const h = hash(state);
    const expiresAt = now + STATE_TTL_MS;
    await this.db
      .insertInto('oauth_states')
      .values({
        state_hash: h,
        tenant_id: p.tenantId,
        user_id: p.userId,
        integration_id: p.integrationId,
        code_verifier_enc: this.vault.encrypt(p.codeVerifier, aad(h)),
        redirect_uri: p.redirectUri,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    await this.db
      .deleteFrom('oauth_states')
      .where('expires_at', '<', now - STATE_TTL_MS)
      .execute();
    return expiresAt;
  }

  /**
   * Who started the flow with this state, without taking it. The web callback arrives without an
   * API key, so this is how it learns the tenant and user the state is bound to; `consume` then
   * applies every check. Undefined for unknown states.
   */
  async owner(state: string): Promise<{ tenantId: string; userId: string } | undefined> {
    const row = await this.db.selectFrom('oauth_states').select(['tenant_id', 'user_id']).where('state_hash', '=', hash(state)).executeTakeFirst();
    return row ? { tenantId: row.tenant_id, userId: row.user_id } : undefined;
  }

  /**
   * Takes a state exactly once. Refuses unknown, expired, replayed states and states started by
   * another user or tenant — all with the same message, so nothing about others leaks.
   */
  async consume(state: string, who: { tenantId: string; userId?: string }, now = Date.now()): Promise<PendingAuthorization> {
    const h = hash(state);
    const refused = (why: string) =>
      new ForcebridgeError('oauth.state_invalid', 'forbidden', `the authorization response's state is not valid (${why})`, {
        hint: 'start the connection again from forcebridge',
      });
    const res = await this.db.updateTable('oauth_states').set({ used_at: now }).where('state_hash', '=', h).where('used_at', 'is', null).executeTakeFirst();
    const row = await this.db.selectFrom('oauth_states').selectAll().where('state_hash', '=', h).executeTakeFirst();
    if (!row) throw refused('unknown');
    if (Number(res.numUpdatedRows) !== 1) throw refused('already used');
    if (row.expires_at < now) throw refused('expired');
    if (row.tenant_id !== who.tenantId || (who.userId !== undefined && row.user_id !== who.userId)) throw refused('started by someone else');
    return {
      tenantId: row.tenant_id,
      userId: row.user_id,
      integrationId: row.integration_id,
      codeVerifier: this.vault.decrypt(row.code_verifier_enc, aad(h)),
      redirectUri: row.redirect_uri,
    };
  }
}
