/**
 * User authentication and app approval. API logins (password grant) take the password
 * immediately followed by the security token, except for users inside a trusted IP range; the
 * login page takes the password alone, as Salesforce's UI does.
 */
import type { ConnectedApp, Org, OrgUser } from '../org.js';
import { safeEqual } from './clients.js';
import { oauthState } from './state.js';
import type { HostRole } from './tokens.js';

export type LoginCheck = { ok: true; user: OrgUser } | { ok: false; reason: 'credentials' | 'inactive' };

/** Finds a user by username (case-insensitive, as Salesforce usernames are). */
export function findUser(org: Org, username: string | undefined): OrgUser | undefined {
  return username ? org.usersByName.get(username.trim().toLowerCase()) : undefined;
}

/**
 * Verifies credentials. `mode: 'api'` expects password + security token (trusted-IP users may
 * omit the token); `mode: 'ui'` expects the password alone. Credentials are checked before the
 * active flag so an inactive account is not revealed to a guesser.
 */
export function checkLogin(org: Org, username: string | undefined, password: string | undefined, mode: 'api' | 'ui'): LoginCheck {
  const user = findUser(org, username);
  if (!user || password === undefined) return { ok: false, reason: 'credentials' };
  const { password: pw, securityToken, trustedIp } = user.config;
  const good = mode === 'ui' ? safeEqual(password, pw) : safeEqual(password, pw + securityToken) || (trustedIp && safeEqual(password, pw));
  if (!good) return { ok: false, reason: 'credentials' };
  if (!user.config.active) return { ok: false, reason: 'inactive' };
  return { ok: true, user };
}

/**
 * "Admin approved users are pre-authorized": only users whose profile is listed may use the app.
 * Apps open to all users let everyone through.
 */
export function adminAllows(app: ConnectedApp, user: OrgUser): boolean {
  if (!app.adminApprovedOnly) return true;
  return app.preAuthorizedProfiles.some((p) => p.toLowerCase() === user.profile.name.toLowerCase());
}

/**
 * Whether the user may use the app without an interactive approval (JWT bearer): pre-authorized
 * by profile on admin-approved apps, otherwise approved earlier (config or an Allow click).
 */
export function hasApproved(org: Org, app: ConnectedApp, user: OrgUser): boolean {
  if (app.adminApprovedOnly) return adminAllows(app, user);
  const name = user.config.username.toLowerCase();
  return app.approvedUsers.some((u) => u.toLowerCase() === name) || oauthState(org).approvals.has(`${app.clientId}|${user.id}`);
}

/** Records an Allow click (later JWT bearer logins of this user need no approval). */
export function recordApproval(org: Org, app: ConnectedApp, user: OrgUser): void {
  oauthState(org).approvals.add(`${app.clientId}|${user.id}`);
}

/**
 * Whether the user may log in from where the caller is: users marked `loginIpRestricted` are
 * outside their profile's Login IP Ranges, which only an app that relaxes IP restrictions lets pass.
 */
export function ipAllowed(app: ConnectedApp, user: OrgUser): boolean {
  return !user.config.loginIpRestricted || app.ipRelaxation === 'relax';
}

/** Whether a host role knows the user: sandbox-only users are unknown to the production login host. */
export function knownOnHost(user: OrgUser, host: HostRole): boolean {
  return !(user.config.sandboxOnly && host === 'login');
}
