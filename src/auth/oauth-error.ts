/**
 * Salesforce OAuth error answers (`{"error","error_description"}`) turned into ForcebridgeErrors
 * with a stable code, the reason a connection needs attention, and the fix. One table, so the CLI,
 * the API and `doctor` all say the same thing.
 */
import { ForcebridgeError } from '../errors.js';

/** Why a connection needs a person (connection state reasons). */
export type ReconnectReason =
  'missing_refresh_scope' | 'refresh_token_revoked' | 'password_changed' | 'credentials_invalid' | 'app_not_approved' | 'user_inactive' | 'app_misconfigured';

interface Rule {
  error: string;
  /** Substring of error_description (lower-case); empty matches any. */
  description: string;
  code: string;
  hint: string;
  /** When the failure means the stored credentials will not work again without a person. */
  reconnect?: ReconnectReason;
}

const RULES: Rule[] = [
  {
    error: 'invalid_client_id',
    description: '',
    code: 'oauth.invalid_client_id',
    hint: 'the consumer key is wrong, or the connected app is new: Salesforce takes up to 10 minutes to propagate a new app; check the key and try again later',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'invalid_client',
    description: '',
    code: 'oauth.invalid_client',
    hint: 'the consumer secret does not match the connected app: copy it again from Setup → App Manager → View → Manage Consumer Details',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'invalid_grant',
    description: 'expired access/refresh token',
    code: 'oauth.refresh_token_revoked',
    hint: 'the refresh token was revoked or expired (or the user has more than 5 for this app): reconnect the user',
    reconnect: 'refresh_token_revoked',
  },
  {
    error: 'invalid_grant',
    description: 'expired authorization code',
    code: 'oauth.code_expired',
    hint: 'authorization codes are single-use and short-lived: start the connection again',
  },
  {
    error: 'invalid_grant',
    description: 'authentication failure',
    code: 'oauth.authentication_failure',
    hint: 'wrong username or password; from an IP outside the org’s trusted ranges the password must be followed by the user’s security token',
    reconnect: 'credentials_invalid',
  },
  {
    error: 'invalid_grant',
    description: 'request not supported on this domain',
    code: 'oauth.wrong_domain_for_client_credentials',
    hint: 'the client-credentials flow only works on your My Domain host: set the login host to https://<your-domain>.my.salesforce.com',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'invalid_grant',
    description: 'no client credentials user enabled',
    code: 'oauth.no_run_as_user',
    hint: 'enable the client credentials flow on the connected app and choose a Run As user (Setup → App Manager → Edit Policies)',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'invalid_grant',
    description: "user hasn't approved this consumer",
    code: 'oauth.user_not_approved',
    hint: 'for JWT bearer the user must be pre-authorized: set “Admin approved users are pre-authorized” and add the user’s profile or permission set to the app',
    reconnect: 'app_not_approved',
  },
  {
    error: 'invalid_grant',
    description: 'audience',
    code: 'oauth.jwt_audience',
    hint: 'the JWT "aud" must be https://login.salesforce.com for production and My Domain, https://test.salesforce.com for sandboxes',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'invalid_grant',
    description: 'invalid assertion',
    code: 'oauth.jwt_invalid',
    hint: 'the JWT signature does not match the certificate uploaded to the connected app: upload the certificate of the key you sign with',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'invalid_grant',
    description: 'ip restricted',
    code: 'oauth.ip_restricted',
    hint: 'the login is outside the profile’s IP ranges or login hours: relax the connected app’s IP relaxation policy or add the server’s IP range',
    reconnect: 'credentials_invalid',
  },
  {
    error: 'invalid_grant',
    description: 'user is inactive',
    code: 'oauth.user_inactive',
    hint: 'the Salesforce user is deactivated: reactivate it or connect another user',
    reconnect: 'user_inactive',
  },
  { error: 'invalid_grant', description: '', code: 'oauth.invalid_grant', hint: 'Salesforce refused the grant: reconnect', reconnect: 'credentials_invalid' },
  {
    error: 'inactive_user',
    description: '',
    code: 'oauth.user_inactive',
    hint: 'the Salesforce user is deactivated: reactivate it or connect another user',
    reconnect: 'user_inactive',
  },
  {
    error: 'invalid_app_access',
    description: '',
    code: 'oauth.app_access',
    hint: 'the user is not admin-approved for this connected app: add the user’s profile or a permission set in the app’s Manage page',
    reconnect: 'app_not_approved',
  },
  {
    error: 'unsupported_grant_type',
    description: '',
    code: 'oauth.grant_not_supported',
    hint: 'this flow is not enabled on the connected app (e.g. username-password, device or client credentials): enable it in the app’s OAuth settings',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'redirect_uri_mismatch',
    description: '',
    code: 'oauth.redirect_uri_mismatch',
    hint: 'the callback URL must match the connected app’s Callback URL exactly (scheme, host, port and path)',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'invalid_scope',
    description: '',
    code: 'oauth.invalid_scope',
    hint: 'request only scopes the connected app allows (Selected OAuth Scopes), e.g. "api refresh_token"',
    reconnect: 'app_misconfigured',
  },
  {
    error: 'access_denied',
    description: '',
    code: 'oauth.access_denied',
    hint: 'the user pressed Deny on the Salesforce consent page: start again and choose Allow',
  },
  { error: 'authorization_pending', description: '', code: 'oauth.authorization_pending', hint: 'the user has not approved the device yet' },
  { error: 'slow_down', description: '', code: 'oauth.slow_down', hint: 'poll less often' },
  { error: 'expired_token', description: '', code: 'oauth.device_code_expired', hint: 'the device code expired: start the device flow again' },
  {
    error: 'invalid_request',
    description: '',
    code: 'oauth.invalid_request',
    hint: 'Salesforce rejected the request parameters (e.g. a PKCE verifier that does not match)',
  },
  { error: 'rate_limit_exceeded', description: '', code: 'oauth.rate_limited', hint: 'too many logins for this user in the last hour: wait and try again' },
];

/** Finds the rule for an OAuth error answer. */
export function classifyOAuthError(error: string, description = ''): Rule {
  const d = description.toLowerCase();
  return (
    RULES.find((r) => r.error === error && (r.description === '' || d.includes(r.description))) ?? {
      error,
      description: '',
      code: `oauth.${error.replace(/[^a-z0-9_]/gi, '_').toLowerCase() || 'error'}`,
      hint: 'Salesforce refused the request; see its description',
    }
  );
}

/** A ForcebridgeError for an OAuth error answer; `details.reconnect` carries the reason, if any. */
export function oauthError(error: string, description: string | undefined, status: number): ForcebridgeError {
  const rule = classifyOAuthError(error, description);
  return new ForcebridgeError(rule.code, 'remote_error', `Salesforce OAuth error ${error}${description ? `: ${description}` : ''}`, {
    hint: rule.hint,
    salesforce: { errorCode: error, ...(description ? { message: description } : {}), status },
    ...(rule.reconnect ? { details: { reconnect: rule.reconnect } } : {}),
  });
}

/** The reconnect reason carried by an error from `oauthError`, if any. */
export function reconnectReason(e: unknown): ReconnectReason | undefined {
  if (!(e instanceof ForcebridgeError)) return undefined;
  return e.details?.reconnect as ReconnectReason | undefined;
}
