/**
 * The authorization-code flow's callback, tested without a person: request the authorize URL the
 * hub would send a user to and read Salesforce's answer. It checks the client id and the
 * redirect_uri before showing its login page, and reports a mismatch on an error page (or a
 * redirect to its RemoteAccessErrorPage) instead — so a login page means both are accepted.
 */
import { authorizeUrl } from '../../auth/flows/authorization-code.js';
import { classifyOAuthError } from '../../auth/oauth-error.js';
import { codeChallengeS256, createCodeVerifier, createState } from '../../auth/pkce.js';
import { ForcebridgeError } from '../../errors.js';
import { header } from '../../salesforce/transport.js';
import type { Check, Outcome } from '../types.js';
import { networkFix } from './host.js';

/** Finds an OAuth `error=` in a redirect target or an error page's text. */
export function authorizeError(location: string | undefined, body: string): { error: string; description: string } | undefined {
  if (location) {
    try {
      const u = new URL(location, 'https://placeholder.invalid');
      const params = new URLSearchParams(u.hash.slice(1) || u.search);
      const error = params.get('error') ?? u.searchParams.get('error');
      if (error) return { error, description: params.get('error_description') ?? u.searchParams.get('error_description') ?? '' };
    } catch {
      // not a URL: fall through to the body
    }
  }
  const text = body.replace(/&amp;/g, '&');
  const m = /error=([a-z_]+)(?:&(?:amp;)?error_description=([^"<&\s]*))?/i.exec(text);
  if (!m) return undefined;
  let description = m[2] ?? '';
  try {
    description = decodeURIComponent(description.replace(/\+/g, ' '));
  } catch {
    // keep it raw
  }
  return { error: m[1]!, description };
}

/** The fix for an authorize-step error, naming the callback URL where it is the cause. */
export function authorizeErrorOutcome(error: string, description: string, callbackUrl: string, loginHost: string): Outcome {
  const detail = `Salesforce answered ${error}${description ? ` (${description})` : ''}`;
  if (error === 'redirect_uri_mismatch') {
    return {
      status: 'fail',
      detail: `${detail}: the callback URL ${callbackUrl} is not one of the connected app’s Callback URLs`,
      fix: `add ${callbackUrl} exactly (scheme, host, port and path) to the connected app’s Callback URL list (Setup → App Manager → Edit), or set the integration’s callback URL to one that is listed`,
    };
  }
  if (error === 'invalid_client_id') {
    return {
      status: 'fail',
      detail: `${detail}: ${loginHost} does not know this consumer key`,
      fix: classifyOAuthError(error, description).hint,
    };
  }
  return { status: 'fail', detail, fix: classifyOAuthError(error, description).hint };
}

export const oauthCallback: Check = {
  id: 'oauth.callback',
  title: 'Authorize URL and callback accepted',
  needs: ['host.reachable', 'config.callback'],
  notApplicable: (ctx) => (ctx.integration.flow === 'authorization_code' ? undefined : `the ${ctx.integration.flow} flow has no callback`),
  async run(ctx) {
    const host = ctx.facts.host!;
    const callbackUrl = ctx.integration.callbackUrl!;
    const url = authorizeUrl({
      host,
      clientId: ctx.integration.clientId,
      redirectUri: callbackUrl,
      scopes: ctx.integration.scopes,
      state: createState(),
      codeChallenge: codeChallengeS256(createCodeVerifier()),
    });
    let res;
    try {
      res = await ctx.deps.transport({ method: 'GET', url, headers: { Accept: 'text/html' }, timeoutMs: ctx.integration.authTimeoutMs });
    } catch (e) {
      if (e instanceof ForcebridgeError) return networkFix(e, host.url);
      throw e;
    }
    const found = authorizeError(header(res, 'location'), res.body);
    if (found) return authorizeErrorOutcome(found.error, found.description, callbackUrl, host.url);
    if (res.status >= 400)
      return {
        status: 'warn',
        detail: `the authorize page answered HTTP ${res.status}`,
        fix: 'open the authorize URL in a browser to see Salesforce’s message',
      };
    return { status: 'ok', detail: `the consumer key and ${callbackUrl} are accepted (Salesforce showed its login page)` };
  },
};
