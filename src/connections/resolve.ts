/**
 * Which integration applies to a user: the group's override when it exists and is enabled,
 * otherwise the tenant-wide default. One pure function so every case is tested.
 */
import { ForcebridgeError } from '../errors.js';

export interface Resolvable {
  id: string;
  tenantId: string;
  groupId: string | null;
  enabled: boolean;
  name: string;
}

export type Resolution<T extends Resolvable> = { integration: T; source: 'group_override' | 'tenant_default'; fellBack: boolean };

/**
 * @param candidates the tenant's integrations for one environment
 * @param user the user's tenant and group
 */
export function resolveIntegration<T extends Resolvable>(candidates: T[], user: { tenantId: string; groupId: string | null }): Resolution<T> {
  const mine = candidates.filter((c) => c.tenantId === user.tenantId);
  const override = user.groupId ? mine.find((c) => c.groupId === user.groupId) : undefined;
  if (override?.enabled) return { integration: override, source: 'group_override', fellBack: false };
  const def = mine.find((c) => c.groupId === null);
  if (def?.enabled) return { integration: def, source: 'tenant_default', fellBack: Boolean(override) };
  if (def && !def.enabled) {
    throw new ForcebridgeError(
      'integration.disabled',
      'invalid_input',
      `the organization's integration "${def.name}" is disabled${override ? ` and the group override "${override.name}" is disabled too` : ''}`,
      {
        hint: 'enable it with `forcebridge integrations enable`',
      },
    );
  }
  throw new ForcebridgeError('integration.none', 'not_found', 'no Salesforce integration is configured for this organization', {
    hint: 'add one with `forcebridge integrations add`',
  });
}
