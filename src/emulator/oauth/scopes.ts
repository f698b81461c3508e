/**
 * OAuth scopes as Salesforce treats them: space-separated; `refresh_token` and `offline_access`
 * are synonyms that allow a refresh token (`full` does not); `openid` adds an id_token.
 */

/** Splits a scope parameter (spaces, or `+` left over from a raw query string). */
export function parseScopes(raw: string | undefined): string[] {
  if (!raw) return [];
  return [...new Set(raw.split(/[\s+]+/).filter(Boolean))];
}

/** Whether the granted scopes let the flow hand out a refresh token. */
export function allowsRefresh(scopes: readonly string[]): boolean {
  return scopes.includes('refresh_token') || scopes.includes('offline_access');
}

/** Whether an id_token is due. */
export function wantsIdToken(scopes: readonly string[]): boolean {
  return scopes.includes('openid');
}

/** Requested scopes that the app does not offer (empty when all are allowed). */
export function disallowedScopes(requested: readonly string[], appScopes: readonly string[]): string[] {
  return requested.filter((s) => !appScopes.includes(s));
}
