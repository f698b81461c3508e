/**
 * Host reachability: one GET to the login host's OAuth service without credentials. Any direct
 * answer proves the host is there and speaks HTTP; a redirect to another host means Salesforce
 * wants logins elsewhere (a renamed My Domain redirects to the new one; orgs that block
 * login.salesforce.com send people to their My Domain) — OAuth clients do not follow redirects,
 * so the integration must name the target host itself.
 */
import { ForcebridgeError } from '../../errors.js';
import { header } from '../../salesforce/transport.js';
import type { Check, Outcome } from '../types.js';

/** Fix text for network failures, by our transport's error codes. */
export function networkFix(e: ForcebridgeError, host: string): Outcome {
  switch (e.code) {
    case 'network.dns':
      return {
        status: 'fail',
        detail: e.message,
        fix: `My Domain name wrong? use https://<name>.my.salesforce.com (Setup → My Domain shows the name; sandboxes: https://<name>--<sandbox>.sandbox.my.salesforce.com)`,
      };
    case 'network.refused':
      return {
        status: 'fail',
        detail: e.message,
        fix: `nothing listens at ${host}: check the host and port, and any proxy or firewall between this server and Salesforce`,
      };
    case 'network.timeout':
      return {
        status: 'fail',
        detail: e.message,
        fix: 'check the network path to Salesforce (proxy, firewall, DNS), or raise the integration’s auth timeout if the network is slow',
      };
    default:
      return { status: 'fail', detail: e.message, fix: e.hint ?? 'check the host and the network' };
  }
}

export const hostReachable: Check = {
  id: 'host.reachable',
  title: 'Login host reachable',
  needs: ['config.host'],
  async run(ctx) {
    const host = ctx.facts.host!;
    const started = Date.now();
    let res;
    try {
      res = await ctx.deps.transport({ method: 'GET', url: `${host.url}/services/oauth2/userinfo`, timeoutMs: ctx.integration.authTimeoutMs });
    } catch (e) {
      if (e instanceof ForcebridgeError) return networkFix(e, host.url);
      throw e;
    }
    if (res.status >= 300 && res.status < 400) {
      const location = header(res, 'location');
      let target: URL | undefined;
      try {
        target = location ? new URL(location, host.url) : undefined;
      } catch {
        target = undefined;
      }
      if (target && target.origin.toLowerCase() !== host.url) {
        return {
          status: 'fail',
          detail: `${host.url} redirects to ${target.origin} (My Domain redirect or login policy); OAuth requests are not redirected`,
          fix: `use that host: set the integration’s login host to ${target.origin}`,
        };
      }
      return { status: 'warn', detail: `${host.url} answered a redirect (HTTP ${res.status}) to itself`, fix: 'check the login host' };
    }
    return { status: 'ok', detail: `${host.url} answered in ${Date.now() - started} ms` };
  },
};
