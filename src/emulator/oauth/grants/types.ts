/** The shape every token-endpoint grant handler shares. */
import type { Org } from '../../org.js';
import type { ClientCredentials, OAuthParams } from '../params.js';
import type { IssuedTokens } from '../token-response.js';
import type { HostRole } from '../tokens.js';

export interface GrantRequest {
  org: Org;
  /** The host role the request arrived on (sessions record it; client credentials need My Domain). */
  host: HostRole;
  params: OAuthParams;
  client: ClientCredentials;
}

/** A grant handler: checks the request and issues tokens, or throws OAuthFailure. */
export type GrantHandler = (req: GrantRequest) => Promise<IssuedTokens> | IssuedTokens;
