/**
 * Short-lived OAuth state of an org that is not a token: authorization codes, device codes,
 * browser login sessions (the `sid` cookie of the login pages) and users' app approvals. Kept
 * beside the Org (one per org, created on first use) so the core Org type stays unaware of it.
 */
import { randomBytes } from 'node:crypto';
import type { Org } from '../org.js';
import type { HostRole } from './tokens.js';

export interface AuthCode {
  code: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  /** PKCE challenge and its method, when the authorize request carried one. */
  challenge: { value: string; method: 'S256' | 'plain' } | undefined;
  nonce: string | undefined;
  expiresAt: number;
  hostRole: HostRole;
}

export type DeviceStatus = { state: 'pending' } | { state: 'approved'; userId: string } | { state: 'denied' } | { state: 'used' };

export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  status: DeviceStatus;
}

export interface BrowserSession {
  id: string;
  userId: string;
  createdAt: number;
}

export class OAuthState {
  readonly codes = new Map<string, AuthCode>();
  readonly devices = new Map<string, DeviceCode>();
  readonly devicesByUserCode = new Map<string, DeviceCode>();
  readonly browserSessions = new Map<string, BrowserSession>();
  /** `clientId|userId` pairs approved on an Allow page during this run. */
  readonly approvals = new Set<string>();
}

const states = new WeakMap<Org, OAuthState>();

/** The OAuth state of an org. */
export function oauthState(org: Org): OAuthState {
  let s = states.get(org);
  if (!s) {
    s = new OAuthState();
    states.set(org, s);
  }
  return s;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string over `alphabet`. */
export function randomString(length: number, alphabet = ALNUM): string {
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[bytes[i]! % alphabet.length];
  return s;
}
