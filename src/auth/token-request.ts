/**
 * A token-endpoint request as data: every flow builds one of these (pure, testable), and one
 * function sends it. Everything goes form-encoded in the body, so `#`, `&`, `%`, `+` and spaces in
 * passwords survive (Salesforce form-decodes).
 */
import type { LoginHost } from './login-host.js';

export interface TokenRequest {
  url: string;
  headers: Record<string, string>;
  body: URLSearchParams;
}

/** `{loginHost}/services/oauth2/token` with a form body. */
export function tokenRequest(host: LoginHost, params: Record<string, string | undefined>, headers: Record<string, string> = {}): TokenRequest {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) body.set(k, v);
  return {
    url: `${host.url}/services/oauth2/token`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
    body,
  };
}

/**
 * `Authorization: Basic base64(id:secret)`. Salesforce consumer keys and secrets are
 * alphanumerics, dots and underscores, so the RFC 6749 §2.3.1 form-encoding step changes nothing
 * and is skipped, as simple-salesforce does.
 */
export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}
