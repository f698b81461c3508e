/**
 * Every OAuth error the emulator answers with, in one table. Codes and descriptions marked
 * `observed` come from real org output quoted in the wire reference (§1.2, §1.3); `unconfirmed`
 * ones are our best guess and can be corrected here, in one place, once checked against a real org.
 * See https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 */

export interface OAuthErrorDef {
  /** The `error` value. */
  error: string;
  /** The `error_description` value; undefined sends `error` alone. */
  description: string | undefined;
  /** HTTP status on the token endpoint (400 unless said). */
  status?: number;
  confidence: 'documented' | 'observed' | 'unconfirmed';
}

export const OAUTH_ERRORS = {
  // Client identification and authentication (token endpoint and authorize).
  invalidClientId: { error: 'invalid_client_id', description: 'client identifier invalid', confidence: 'observed' },
  invalidClient: { error: 'invalid_client', description: 'invalid client credentials', confidence: 'observed' },

  // Grant type dispatch.
  grantTypeMissing: { error: 'invalid_request', description: 'grant type is missing', confidence: 'unconfirmed' },
  unsupportedGrantType: { error: 'unsupported_grant_type', description: 'grant type not supported', confidence: 'observed' },

  // User credentials and state.
  authenticationFailure: { error: 'invalid_grant', description: 'authentication failure', confidence: 'observed' },
  inactiveUser: { error: 'inactive_user', description: 'user is inactive', confidence: 'unconfirmed' },
  notAdminApproved: { error: 'invalid_app_access', description: 'user is not admin approved to access this app', confidence: 'observed' },
  /** Outside the profile's Login IP Ranges (the authorize-step wording, wire reference §1.2). */
  ipRestricted: { error: 'invalid_grant', description: 'ip restricted or invalid login hours', confidence: 'documented' },

  // Codes and refresh tokens.
  expiredAuthCode: { error: 'invalid_grant', description: 'expired authorization code', confidence: 'observed' },
  expiredRefreshToken: { error: 'invalid_grant', description: 'expired access/refresh token', confidence: 'documented' },
  tokenRedirectUriMismatch: { error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration', confidence: 'unconfirmed' },
  /** Challenge sent at authorize but no verifier at token: `invalid_grant` per Salesforce's PKCE doc. */
  pkceVerifierMissing: { error: 'invalid_grant', description: 'invalid code verifier', confidence: 'unconfirmed' },
  /** Verifier does not match the challenge: `invalid_request` per Salesforce's PKCE doc. */
  pkceVerifierMismatch: { error: 'invalid_request', description: 'invalid code verifier', confidence: 'unconfirmed' },

  // Client credentials.
  clientCredentialsWrongDomain: { error: 'invalid_grant', description: 'request not supported on this domain', confidence: 'observed' },
  clientCredentialsNoUser: { error: 'invalid_grant', description: 'no client credentials user enabled', confidence: 'observed' },

  // JWT bearer.
  jwtNotApproved: { error: 'invalid_grant', description: "user hasn't approved this consumer", confidence: 'observed' },
  jwtBadAudience: { error: 'invalid_grant', description: 'audience is invalid', confidence: 'unconfirmed' },
  /** Bad signature, malformed assertion, missing/expired claims, unknown subject, no certificate. */
  jwtInvalidAssertion: { error: 'invalid_grant', description: 'invalid assertion', confidence: 'unconfirmed' },

  // Device flow.
  deviceAuthorizationPending: { error: 'authorization_pending', description: 'authorization pending', confidence: 'unconfirmed' },
  deviceExpired: { error: 'expired_token', description: 'expired device code', confidence: 'unconfirmed' },
  deviceDenied: { error: 'access_denied', description: 'end-user denied authorization', confidence: 'unconfirmed' },
  deviceCodeInvalid: { error: 'invalid_grant', description: 'invalid device code', confidence: 'unconfirmed' },

  invalidScope: { error: 'invalid_scope', description: 'the requested scope is not allowed', confidence: 'unconfirmed' },

  // Generic request problems (a required parameter missing).
  missingParameter: { error: 'invalid_request', description: 'missing required parameter', confidence: 'unconfirmed' },

  // Introspection with bad client credentials (RFC 7662 answers 401).
  introspectInvalidClient: { error: 'invalid_client', description: 'invalid client credentials', status: 401, confidence: 'unconfirmed' },
} as const satisfies Record<string, OAuthErrorDef>;

export type OAuthErrorKey = keyof typeof OAUTH_ERRORS;

/**
 * Authorize-step errors, shown on an error page (before redirect_uri is trusted) or sent to the
 * redirect_uri as `error`/`error_description` (help page table "Authorization errors").
 */
export const AUTHORIZE_ERRORS = {
  invalidClientId: { error: 'invalid_client_id', description: 'client identifier invalid', confidence: 'observed' },
  redirectUriMissing: { error: 'redirect_uri_missing', description: 'redirect_uri must be provided', confidence: 'unconfirmed' },
  redirectUriMismatch: { error: 'redirect_uri_mismatch', description: 'redirect_uri mismatch with remote access object', confidence: 'observed' },
  unsupportedResponseType: { error: 'unsupported_response_type', description: 'response type not supported', confidence: 'unconfirmed' },
  invalidScope: { error: 'invalid_scope', description: 'the requested scope is not allowed', confidence: 'unconfirmed' },
  accessDenied: { error: 'access_denied', description: 'end-user denied authorization', confidence: 'observed' },
  inactiveUser: { error: 'inactive_user', description: 'user is inactive', confidence: 'observed' },
  notAdminApproved: { error: 'invalid_app_access', description: 'user is not admin approved to access this app', confidence: 'observed' },
  pkceChallengeMissing: { error: 'invalid_request', description: 'missing required code challenge', confidence: 'unconfirmed' },
  pkceMethodInvalid: { error: 'invalid_request', description: 'invalid code challenge method', confidence: 'unconfirmed' },
  immediateUnsuccessful: { error: 'immediate_unsuccessful', description: 'immediate unsuccessful', confidence: 'unconfirmed' },
} as const satisfies Record<string, OAuthErrorDef>;

export type AuthorizeErrorKey = keyof typeof AUTHORIZE_ERRORS;

/**
 * Errors of the identity URL and userinfo (plain-text bodies). Salesforce answers 403 with these
 * words for bad tokens; the 404/403 choices for wrong ids are ours.
 */
export const IDENTITY_ERRORS = {
  missingToken: { status: 403, body: 'Missing_OAuth_Token', confidence: 'unconfirmed' },
  badToken: { status: 403, body: 'Bad_OAuth_Token', confidence: 'observed' },
  badId: { status: 404, body: 'Bad_Id', confidence: 'unconfirmed' },
  otherUser: { status: 403, body: 'Bad_Id', confidence: 'unconfirmed' },
} as const;

/** Revoke errors: a form-urlencoded body (jsforce parses it with querystring). */
export const REVOKE_ERRORS = {
  invalidToken: { error: 'invalid_token', description: 'invalid token', confidence: 'unconfirmed' },
} as const;

/** Thrown by grant handlers and checks; the token endpoint turns it into the table's body. */
export class OAuthFailure extends Error {
  readonly def: OAuthErrorDef;
  constructor(readonly key: OAuthErrorKey) {
    const def = OAUTH_ERRORS[key];
    super(`${def.error}: ${def.description ?? ''}`);
    this.def = def;
  }
}
