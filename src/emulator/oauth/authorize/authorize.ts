/**
 * `/services/oauth2/authorize` (GET, and POST of the pages it renders): web-server flow
 * (`response_type=code`) and user-agent flow (`response_type=token`).
 * See https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import type { Context } from 'hono';
import type { EmuEnv } from '../../http/env.js';
import type { Org, OrgUser } from '../../org.js';
import { AUTHORIZE_ERRORS } from '../errors.js';
import { readOAuthParams } from '../params.js';
import { allowsRefresh } from '../scopes.js';
import { oauthState, randomString, type AuthCode } from '../state.js';
import { tokenBody } from '../token-response.js';
import { interactiveStep } from './interactive.js';
import { authorizeErrorPage } from './pages.js';
import { appendParams, errorRedirect, parseAuthorize, type AuthorizeRequest } from './request.js';

export const AUTHORIZE_PATH = '/services/oauth2/authorize';

const HTML_HEADERS = { 'Cache-Control': 'no-store' };

/** Mints a single-use code. Salesforce codes end in `==`, so clients must URL-decode them. */
function issueCode(org: Org, req: AuthorizeRequest, user: OrgUser, c: Context<EmuEnv>): string {
  const code: AuthCode = {
    code: `aPrx${randomString(80)}==`,
    clientId: req.app.clientId,
    userId: user.id,
    redirectUri: req.redirectUri,
    scopes: req.scopes,
    challenge: req.challenge,
    nonce: req.nonce,
    expiresAt: org.clock.nowPrecise() + org.settings.authCodeTtlSeconds * 1000,
    hostRole: c.get('host'),
  };
  oauthState(org).codes.set(code.code, code);
  return code.code;
}

/** The redirect after Allow: a code (web-server flow) or tokens in the fragment (user-agent flow). */
async function allowRedirect(c: Context<EmuEnv>, org: Org, req: AuthorizeRequest, user: OrgUser): Promise<string> {
  if (req.responseType === 'code') {
    const q = new URLSearchParams({ code: issueCode(org, req, user, c) });
    if (req.state !== undefined) q.set('state', req.state);
    return appendParams(req.redirectUri, q, false);
  }
  const host = c.get('host');
  const refresh = allowsRefresh(req.scopes) ? org.tokens.issueRefresh(user.id, req.app.clientId, req.scopes, host) : undefined;
  const session = org.tokens.issueAccess(user.id, req.app.clientId, req.scopes, host, refresh?.token);
  const body = await tokenBody(org, { flow: 'user_agent', app: req.app, session, refresh, nonce: req.nonce });
  const q = new URLSearchParams(body);
  if (req.state !== undefined) q.set('state', req.state);
  return appendParams(req.redirectUri, q, true);
}

/** Handles GET and POST of the authorize endpoint. */
export async function authorizeEndpoint(c: Context<EmuEnv>, org: Org): Promise<Response> {
  const params = await readOAuthParams(c);
  const parsed = parseAuthorize(org, params);
  if (!parsed.ok) {
    if (parsed.kind === 'page') {
      const def = AUTHORIZE_ERRORS[parsed.error];
      return c.html(authorizeErrorPage(def.error, def.description), 400, HTML_HEADERS);
    }
    return c.redirect(errorRedirect(parsed.redirectUri, parsed.error, parsed.state, parsed.fragment), 302);
  }
  const req = parsed.request;
  const step = interactiveStep(
    c,
    org,
    {
      action: AUTHORIZE_PATH,
      hidden: req.hidden,
      app: req.app,
      scopes: req.scopes,
      forceLogin: req.prompts.includes('login'),
      immediate: req.immediate || req.prompts.includes('none'),
      loginHint: req.loginHint,
    },
    params,
  );
  const fragment = req.responseType === 'token';
  switch (step.kind) {
    case 'page':
      return c.html(step.html, 200, HTML_HEADERS);
    case 'failed':
      return c.redirect(errorRedirect(req.redirectUri, step.error, req.state, fragment), 302);
    case 'denied':
      return c.redirect(errorRedirect(req.redirectUri, 'accessDenied', req.state, fragment), 302);
    case 'allowed':
      return c.redirect(await allowRedirect(c, org, req, step.user), 302);
  }
}
