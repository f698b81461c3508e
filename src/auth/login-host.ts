/**
 * Salesforce login hosts: production (`https://login.salesforce.com`), sandbox
 * (`https://test.salesforce.com`) and My Domain URLs. Normalised here once, so every flow, the
 * doctor and the UI agree on what a host is and what JWT audience it needs.
 */
import { invalidInput } from '../errors.js';

export const PRODUCTION_LOGIN = 'https://login.salesforce.com';
export const SANDBOX_LOGIN = 'https://test.salesforce.com';

export type LoginHostKind = 'production' | 'sandbox' | 'mydomain' | 'mydomain-sandbox' | 'loopback';

export interface LoginHost {
  /** Normalised origin: scheme + host (+ port), no trailing slash or path. */
  url: string;
  kind: LoginHostKind;
}

const ALIASES: Record<string, string> = {
  production: PRODUCTION_LOGIN,
  prod: PRODUCTION_LOGIN,
  login: PRODUCTION_LOGIN,
  sandbox: SANDBOX_LOGIN,
  test: SANDBOX_LOGIN,
};

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Normalises a login host given by a person: an alias (`production`, `sandbox`), a bare host name
 * or a URL. Throws an invalid_input error naming `field` and the fix for http outside loopback,
 * paths, Lightning UI hosts and anything that is not a Salesforce host.
 */
export function normalizeLoginHost(input: string, field = 'loginHost'): LoginHost {
  const raw = input.trim();
  if (!raw)
    throw invalidInput(
      'login_host.missing',
      field,
      `${field} is empty`,
      `use "production", "sandbox" or your My Domain URL such as https://acme.my.salesforce.com`,
    );
  const alias = ALIASES[raw.toLowerCase()];
  const text = alias ?? (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidInput('login_host.invalid', field, `${field} "${raw}" is not a URL`, 'use "production", "sandbox" or https://<your-domain>.my.salesforce.com');
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(host))) {
    throw invalidInput('login_host.https_required', field, `${field} must use https (got ${url.protocol}//${host})`, `use https://${host}`);
  }
  if (url.username || url.password) throw invalidInput('login_host.credentials_in_url', field, `${field} must not contain credentials`);
  if (url.pathname !== '/' && url.pathname !== '') {
    throw invalidInput('login_host.path', field, `${field} must be a host without a path (got ${url.pathname})`, `use ${url.protocol}//${url.host}`);
  }
  const lightning = /^(.+?)(\.sandbox)?\.lightning\.force\.com$/.exec(host);
  if (lightning) {
    const myDomain = `https://${lightning[1]}${lightning[2] ? '.sandbox' : ''}.my.salesforce.com`;
    throw invalidInput(
      'login_host.lightning',
      field,
      `${field} "${host}" is a Lightning UI host, which does not serve OAuth or the API`,
      `use your My Domain URL instead: ${myDomain}`,
    );
  }
  const origin = `${url.protocol}//${url.host}`.toLowerCase();
  if (isLoopback(host)) return { url: origin, kind: 'loopback' };
  if (host === 'login.salesforce.com') return { url: PRODUCTION_LOGIN, kind: 'production' };
  if (host === 'test.salesforce.com') return { url: SANDBOX_LOGIN, kind: 'sandbox' };
  if (/\.sandbox\.my\.salesforce\.com$/.test(host)) return { url: origin, kind: 'mydomain-sandbox' };
  if (/\.my\.salesforce\.com$/.test(host) || /\.my\.salesforce\.mil$/.test(host) || /\.my\.sfcrmproducts\.cn$/.test(host))
    return { url: origin, kind: 'mydomain' };
  if (/(^|\.)salesforce\.com$/.test(host) || /\.force\.com$/.test(host)) {
    // Instance (pod) hosts and Experience Cloud sites also serve OAuth; treat them as My Domain-like.
    return { url: origin, kind: 'mydomain' };
  }
  throw invalidInput(
    'login_host.not_salesforce',
    field,
    `${field} "${host}" is not a Salesforce login host`,
    'use "production" (login.salesforce.com), "sandbox" (test.salesforce.com) or your My Domain URL',
  );
}

/** True for hosts that serve the client-credentials flow (My Domain only; loopback may be an emulator's). */
export function supportsClientCredentials(h: LoginHost): boolean {
  return h.kind === 'mydomain' || h.kind === 'mydomain-sandbox' || h.kind === 'loopback';
}

/** The JWT bearer `aud` Salesforce expects for a login host. */
export function jwtAudience(h: LoginHost): string {
  switch (h.kind) {
    case 'production':
    case 'mydomain':
      return PRODUCTION_LOGIN;
    case 'sandbox':
    case 'mydomain-sandbox':
      return SANDBOX_LOGIN;
    case 'loopback':
      return h.url;
  }
}
