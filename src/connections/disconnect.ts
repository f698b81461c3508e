/**
 * Disconnecting: revoke the connection's token at Salesforce (the refresh token when there is one,
 * which also ends its sessions), then delete the row. If Salesforce cannot be reached the
 * connection is kept — deleting it would leave a live token behind — unless `force` is set.
 */
import { normalizeLoginHost } from '../auth/login-host.js';
import { processRevokeResponse, revokeRequest } from '../auth/revoke.js';
import { ForcebridgeError } from '../errors.js';
import type { Transport } from '../salesforce/transport.js';
import type { ConnectionsRepo } from './connections-repo.js';
import type { IntegrationsRepo } from './integrations-repo.js';

export type RevokeOutcome = 'revoked' | 'already_invalid' | 'no_token' | 'skipped_after_error';

export async function disconnect(
  d: { connections: ConnectionsRepo; integrations: IntegrationsRepo; transport: Transport },
  tenantId: string,
  connectionId: string,
  o: { force?: boolean } = {},
): Promise<{ revoked: RevokeOutcome }> {
  const conn = await d.connections.get(tenantId, connectionId);
  const integ = await d.integrations.get(tenantId, conn.integrationId);
  const tokens = await d.connections.tokens(tenantId, conn.id);
  const token = tokens.refreshToken ?? tokens.accessToken;
  let revoked: RevokeOutcome = 'no_token';
  if (token) {
    try {
      const req = revokeRequest(normalizeLoginHost(integ.loginHost), token);
      const res = await d.transport({ method: 'POST', url: req.url, headers: req.headers, body: req.body.toString(), timeoutMs: integ.authTimeoutMs });
      revoked = processRevokeResponse(res);
    } catch (e) {
      if (!o.force) {
        const why = e instanceof ForcebridgeError ? e : undefined;
        throw new ForcebridgeError(
          'connection.revoke_failed',
          why?.kind === 'unavailable' ? 'unavailable' : 'remote_error',
          `could not revoke the token of connection "${conn.name}" at Salesforce${why ? `: ${why.message}` : ''}; the connection was kept`,
          { hint: 'retry later, or force the removal (the token then stays valid at Salesforce until it expires or is revoked there)', cause: e },
        );
      }
      revoked = 'skipped_after_error';
    }
  }
  await d.connections.remove(tenantId, conn.id);
  return { revoked };
}
