/**
 * The interactive part shared by the authorize endpoint and the device verification page: log the
 * user in (or reuse the browser session), then ask Allow/Deny. Each request is one step; the
 * form's `action` button says which. The browser session travels in the `sid` cookie and, so that
 * curl without a cookie jar works too, in a hidden `sid` field of the Allow/Deny form.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { EmuEnv } from '../../http/env.js';
import type { ConnectedApp, Org, OrgUser } from '../../org.js';
import { adminAllows, checkLogin, recordApproval } from '../credentials.js';
import type { AuthorizeErrorKey } from '../errors.js';
import type { OAuthParams } from '../params.js';
import { oauthState, randomString, type BrowserSession } from '../state.js';
import { consentPage, loginPage } from './pages.js';

export const SESSION_COOKIE = 'sid';

/** Salesforce's login-page message for wrong credentials. */
export const LOGIN_FAILED_MESSAGE = "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

export interface InteractiveFlow {
  /** Path the forms post to. */
  action: string;
  /** Request parameters carried in hidden fields. */
  hidden: [string, string][];
  app: ConnectedApp;
  scopes: string[];
  /** `prompt=login`: ask for credentials even with a browser session. */
  forceLogin: boolean;
  /** `prompt=none` / `immediate=true`: never show a page. */
  immediate: boolean;
  loginHint: string | undefined;
}

export type InteractiveStep =
  { kind: 'page'; html: string } | { kind: 'allowed'; user: OrgUser } | { kind: 'denied'; user: OrgUser } | { kind: 'failed'; error: AuthorizeErrorKey };

/** The live browser session of the request (cookie or hidden field). */
function currentSession(c: Context<EmuEnv>, org: Org, params: OAuthParams): { session: BrowserSession; user: OrgUser } | undefined {
  const sessions = oauthState(org).browserSessions;
  for (const id of [params.get('sid'), getCookie(c, SESSION_COOKIE)]) {
    const s = id ? sessions.get(id) : undefined;
    if (!s) continue;
    const user = org.users.get(s.userId);
    if (!user || !user.config.active || org.clock.nowPrecise() - s.createdAt > org.settings.sessionTimeoutSeconds * 1000) {
      sessions.delete(s.id);
      continue;
    }
    return { session: s, user };
  }
  return undefined;
}

function startSession(c: Context<EmuEnv>, org: Org, user: OrgUser): BrowserSession {
  const s: BrowserSession = { id: randomString(48), userId: user.id, createdAt: org.clock.nowPrecise() };
  oauthState(org).browserSessions.set(s.id, s);
  setCookie(c, SESSION_COOKIE, s.id, { path: '/', httpOnly: true, sameSite: 'Lax' });
  return s;
}

function login(org: Org, flow: InteractiveFlow, error?: string, username?: string): InteractiveStep {
  return {
    kind: 'page',
    html: loginPage({ action: flow.action, hidden: flow.hidden, error, username: username ?? flow.loginHint, orgName: org.settings.orgName }),
  };
}

function consent(flow: InteractiveFlow, session: BrowserSession, user: OrgUser): InteractiveStep {
  return {
    kind: 'page',
    html: consentPage({
      action: flow.action,
      hidden: [...flow.hidden, ['sid', session.id]],
      appName: flow.app.name,
      username: user.config.username,
      scopes: flow.scopes,
    }),
  };
}

/** The pressed submit control: "Log In" → `login`, "Allow" → `allow`, "Deny" → `deny`. */
function formAction(raw: string | undefined): string | undefined {
  return raw?.toLowerCase().replace(/\s+/g, '');
}

/** Runs one step of the login → Allow/Deny exchange. */
export function interactiveStep(c: Context<EmuEnv>, org: Org, flow: InteractiveFlow, params: OAuthParams): InteractiveStep {
  const action = formAction(params.get('action'));
  if (action === 'login') {
    const username = params.get('username');
    const check = checkLogin(org, username, params.get('password'), 'ui');
    if (!check.ok) {
      if (check.reason === 'inactive') return { kind: 'failed', error: 'inactiveUser' };
      return login(org, flow, LOGIN_FAILED_MESSAGE, username);
    }
    if (!adminAllows(flow.app, check.user)) return { kind: 'failed', error: 'notAdminApproved' };
    return consent(flow, startSession(c, org, check.user), check.user);
  }
  const current = currentSession(c, org, params);
  if (action === 'allow' || action === 'deny') {
    if (!current) return login(org, flow);
    if (!adminAllows(flow.app, current.user)) return { kind: 'failed', error: 'notAdminApproved' };
    if (action === 'deny') return { kind: 'denied', user: current.user };
    recordApproval(org, flow.app, current.user);
    return { kind: 'allowed', user: current.user };
  }
  if (flow.immediate) {
    if (!current || flow.forceLogin) return { kind: 'failed', error: 'immediateUnsuccessful' };
    if (!adminAllows(flow.app, current.user)) return { kind: 'failed', error: 'notAdminApproved' };
    return { kind: 'allowed', user: current.user };
  }
  if (!current || flow.forceLogin) return login(org, flow);
  return consent(flow, current.session, current.user);
}
