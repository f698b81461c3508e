import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForcebridgeError } from '../errors.js';
import { resolveIntegration, type Resolvable } from './resolve.js';

const def: Resolvable = { id: 'd', tenantId: 't1', groupId: null, enabled: true, name: 'Org default' };
const ovr: Resolvable = { id: 'o', tenantId: 't1', groupId: 'g1', enabled: true, name: 'Sales override' };
const otherTenant: Resolvable = { id: 'x', tenantId: 't2', groupId: null, enabled: true, name: 'Other tenant' };

describe('resolveIntegration', () => {
  it('uses the group override when it is enabled', () => {
    const r = resolveIntegration([def, ovr], { tenantId: 't1', groupId: 'g1' });
    assert.equal(r.integration.id, 'o');
    assert.equal(r.source, 'group_override');
  });

  it('falls back to the tenant default when the override is disabled', () => {
    const r = resolveIntegration([def, { ...ovr, enabled: false }], { tenantId: 't1', groupId: 'g1' });
    assert.equal(r.integration.id, 'd');
    assert.equal(r.fellBack, true);
  });

  it('uses the default for users without a group or in a group without an override', () => {
    assert.equal(resolveIntegration([def, ovr], { tenantId: 't1', groupId: null }).integration.id, 'd');
    assert.equal(resolveIntegration([def, ovr], { tenantId: 't1', groupId: 'g2' }).integration.id, 'd');
  });

  it('never picks another tenant’s integration', () => {
    assert.throws(
      () => resolveIntegration([otherTenant], { tenantId: 't1', groupId: null }),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'integration.none',
    );
    assert.equal(resolveIntegration([otherTenant, def], { tenantId: 't1', groupId: null }).integration.id, 'd');
  });

  it('explains a disabled default (and a disabled override)', () => {
    assert.throws(
      () =>
        resolveIntegration(
          [
            { ...def, enabled: false },
            { ...ovr, enabled: false },
          ],
          { tenantId: 't1', groupId: 'g1' },
        ),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'integration.disabled' && /override/.test(e.message),
    );
  });

  it('uses an enabled override even when the default is disabled', () => {
    assert.equal(resolveIntegration([{ ...def, enabled: false }, ovr], { tenantId: 't1', groupId: 'g1' }).integration.id, 'o');
  });
});
