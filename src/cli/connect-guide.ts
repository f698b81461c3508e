/**
 * What to set on the Salesforce connected app for each flow, as the wizard shows it before
 * connecting. Kept as data beside the CLI so the README and `doctor` can say the same.
 * https://help.salesforce.com/s/articleView?id=sf.connected_app_create_api_integration.htm
 */
import type { Flow } from '../connections/integration.js';

export interface GuideContext {
  flow: Flow;
  scopes: string[];
  loginHost: string;
  /** The exact callback URL the flow will send (authorization code). */
  callbackUrl?: string;
  username?: string;
}

const SCOPE_LABELS: Record<string, string> = {
  api: 'Manage user data via APIs (api)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests at any time (refresh_token, offline_access)',
  full: 'Full access (full)',
  id: 'Access the identity URL service (id, profile, email, address, phone)',
  openid: 'Access unique user identifiers (openid)',
  web: 'Access the Salesforce API Platform (web)',
};

/** Lines of the checklist for one flow. */
export function connectedAppGuide(c: GuideContext): string[] {
  const scopes = [...new Set(c.scopes.map((s) => SCOPE_LABELS[s] ?? s))];
  const lines = [
    'In Salesforce: Setup → App Manager → New Connected App (or open yours → Edit), then:',
    '  • Enable OAuth Settings',
    `  • Selected OAuth Scopes: ${scopes.join('; ')}`,
  ];
  if (!c.scopes.includes('refresh_token') && !c.scopes.includes('offline_access') && (c.flow === 'authorization_code' || c.flow === 'device'))
    lines.push('  • Without the refresh_token scope the connection stops when the session ends (state needs_reconnect, missing_refresh_scope)');
  switch (c.flow) {
    case 'authorization_code':
      lines.push(
        `  • Callback URL: ${c.callbackUrl ?? '(the integration’s callback URL)'}   ← paste exactly`,
        '  • Require Proof Key for Code Exchange (PKCE): may be on — forcebridge always sends an S256 challenge',
        '  • Require Secret for Web Server Flow: off, or store the consumer secret in the integration',
        '  • Manage → Edit Policies → Permitted Users: "All users may self-authorize", or "Admin approved users are pre-authorized" with the users’ profile or permission set added',
        '  • Refresh Token Policy: "Refresh token is valid until revoked"',
      );
      break;
    case 'device':
      lines.push(
        '  • Enable for Device Flow (the form still wants a Callback URL; it is not used)',
        '  • Manage → Edit Policies → Permitted Users: "All users may self-authorize" (or pre-authorize the users)',
      );
      break;
    case 'client_credentials':
      lines.push(
        '  • Enable Client Credentials Flow',
        '  • Manage → Edit Policies → Client Credentials Flow → Run As: an API-enabled integration user',
        `  • Login host must be your My Domain URL (https://<name>.my.salesforce.com), not login.salesforce.com (now: ${c.loginHost})`,
      );
      break;
    case 'jwt_bearer':
      lines.push(
        '  • Use digital signatures: upload the certificate (server.crt) of the key pair, made with',
        '      openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt -days 730 -subj "/CN=forcebridge"',
        '  • Manage → Edit Policies → Permitted Users: "Admin approved users are pre-authorized"',
        `  • Manage → Profiles / Permission Sets: add the profile or permission set of ${c.username ?? 'the user'}`,
        '  • forcebridge keeps server.key (the private key) encrypted; the certificate stays in Salesforce',
      );
      break;
    case 'password':
      lines.push(
        '  • Setup → OAuth and OpenID Connect Settings → "Allow OAuth Username-Password Flows" (off by default in new orgs)',
        `  • The password of ${c.username ?? 'the user'} is followed by their security token unless the IP is in the org’s trusted ranges`,
        '  • Prefer client credentials or JWT bearer for new integrations: Salesforce is phasing this flow out',
      );
      break;
    case 'refresh_token':
      lines.push(
        '  • The refresh token you supply must come from this connected app and include the refresh_token scope',
        '  • Refresh Token Policy: "Refresh token is valid until revoked"',
      );
      break;
  }
  lines.push('A new or changed connected app can take up to 10 minutes to reach every Salesforce server.');
  return lines;
}
