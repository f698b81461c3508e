/**
 * Configuration checks: pure functions over the integration (no network). They catch what
 * Salesforce would refuse later with a vaguer message: a Lightning host, client credentials on
 * login.salesforce.com, a flow that needs renewal without the refresh_token scope, a callback URL
 * the connected app cannot match.
 */
import { normalizeLoginHost, supportsClientCredentials } from '../../auth/login-host.js';
import { FLOW_SECRETS } from '../../connections/integration.js';
import { grantsRefresh } from '../../connections/service.js';
import type { ForcebridgeError } from '../../errors.js';
import type { Check } from '../types.js';

/** Flows whose connections renew through a refresh token (a person connected them once). */
export const RENEWS_WITH_REFRESH_TOKEN = new Set(['authorization_code', 'device', 'refresh_token']);

const isLoopback = (h: string) => h === 'localhost' || h === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(h);

export const configHost: Check = {
  id: 'config.host',
  title: 'Login host',
  run(ctx) {
    try {
      const host = normalizeLoginHost(ctx.integration.loginHost);
      ctx.facts.host = host;
      return { status: 'ok', detail: `${host.url} (${host.kind})` };
    } catch (e) {
      const fe = e as ForcebridgeError;
      return { status: 'fail', detail: fe.message, fix: fe.hint ?? 'use "production", "sandbox" or https://<your-domain>.my.salesforce.com' };
    }
  },
};

export const configFlow: Check = {
  id: 'config.flow',
  title: 'Flow and host',
  needs: ['config.host'],
  run(ctx) {
    const { flow } = ctx.integration;
    const host = ctx.facts.host!;
    if (!ctx.integration.enabled) return { status: 'fail', detail: `integration "${ctx.integration.name}" is disabled`, fix: 'enable the integration' };
    if (flow === 'client_credentials' && !supportsClientCredentials(host)) {
      return {
        status: 'fail',
        detail: `the client_credentials flow is not served on ${host.url}`,
        fix: 'set the login host to your My Domain URL, https://<your-domain>.my.salesforce.com (Setup → My Domain shows it)',
      };
    }
    if ((flow === 'password' || flow === 'jwt_bearer') && !ctx.integration.username) {
      return { status: 'fail', detail: `the ${flow} flow needs the Salesforce username to act as`, fix: 'set the integration’s username' };
    }
    const missing = FLOW_SECRETS[flow].required.filter((k) => !ctx.integration.secretsSet.includes(k));
    if (missing.length) {
      return {
        status: 'fail',
        detail: `the ${flow} flow needs ${missing.join(', ')}, which is not stored`,
        fix: 'store it with the integration (secrets are read from a prompt or standard input)',
      };
    }
    if (flow === 'password' && !ctx.integration.secretsSet.includes('securityToken')) {
      return {
        status: 'warn',
        detail: 'no security token is stored',
        fix: 'logins from outside the org’s trusted IP ranges need the password followed by the security token: store the token (Salesforce: Settings → Reset My Security Token)',
      };
    }
    return { status: 'ok', detail: `${flow} on ${host.kind === 'loopback' ? host.url : `a ${host.kind} host`}` };
  },
};

export const configScopes: Check = {
  id: 'config.scopes',
  title: 'Requested scopes',
  run(ctx) {
    const { scopes, flow } = ctx.integration;
    const shown = scopes.join(' ');
    if (!scopes.some((s) => s === 'api' || s === 'full' || s === 'web')) {
      return {
        status: 'fail',
        detail: `scopes "${shown}" do not allow REST API calls`,
        fix: 'add the "api" scope (Manage user data via APIs) to the connected app’s Selected OAuth Scopes and to the integration',
      };
    }
    if (RENEWS_WITH_REFRESH_TOKEN.has(flow) && !grantsRefresh(scopes)) {
      return {
        status: 'fail',
        detail: `the ${flow} flow renews sessions with a refresh token, but scopes "${shown}" do not include refresh_token`,
        fix: 'add the refresh_token scope ("Perform requests at any time") on the connected app and to the integration’s scopes, then reconnect',
      };
    }
    return { status: 'ok', detail: shown };
  },
};

export const configCallback: Check = {
  id: 'config.callback',
  title: 'Callback URL',
  notApplicable: (ctx) => (ctx.integration.flow === 'authorization_code' ? undefined : `the ${ctx.integration.flow} flow has no callback`),
  run(ctx) {
    const raw = ctx.integration.callbackUrl;
    if (!raw) {
      return {
        status: 'fail',
        detail: 'the authorization-code flow needs a callback URL and none is set',
        fix: 'set the integration’s callback URL to exactly one of the connected app’s Callback URLs (e.g. http://localhost:1717/OauthRedirect for the CLI)',
      };
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return {
        status: 'fail',
        detail: `callback URL "${raw}" is not a URL`,
        fix: 'use an absolute URL such as https://hub.example.com/api/integrations/callback/salesforce',
      };
    }
    if (url.hash) return { status: 'fail', detail: 'the callback URL has a #fragment, which OAuth forbids', fix: `remove it: ${raw.split('#')[0]}` };
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      return {
        status: 'fail',
        detail: `Salesforce accepts http callbacks only on localhost (got ${url.protocol}//${url.host})`,
        fix: `use https://${url.host}${url.pathname}`,
      };
    }
    return { status: 'ok', detail: `${raw} (must match the connected app’s Callback URL exactly)` };
  },
};
