import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Vault } from '../connections/vault.js';
import { ForcebridgeError } from '../errors.js';
import { CURSOR_TTL_MS, decodeCursor, encodeCursor, type CursorState } from './cursor.js';

const vault = () => new Vault({ current: 'k1', keys: new Map([['k1', randomBytes(32)]]) });
const owner = { tenantId: 'ten_a', connectionId: 'con_a', userId: 'usr_a' };
const state: CursorState = { kind: 'locator', base: '/services/data/v62.0/query/01gD0000002HU6KIAW', at: 2500, totalSize: 9000 };
const fails = (f: () => unknown, code: string) => assert.throws(f, (e: unknown) => e instanceof ForcebridgeError && e.code === code && e.field === 'cursor');

describe('query cursors', () => {
  it('round-trip for their owner; opaque', () => {
    const v = vault();
    const c = encodeCursor(v, owner, state);
    assert.deepEqual(decodeCursor(v, owner, c), state);
    assert.equal(c.includes('01gD'), false);
  });

  it('refused for another tenant, connection or user, another vault, altered or expired', () => {
    const v = vault();
    const c = encodeCursor(v, owner, state, 1_000);
    for (const o of [
      { ...owner, tenantId: 'ten_b' },
      { ...owner, connectionId: 'con_b' },
      { ...owner, userId: 'usr_b' },
    ])
      fails(() => decodeCursor(v, o, c, 1_000), 'agent.cursor_invalid');
    fails(() => decodeCursor(vault(), owner, c, 1_000), 'agent.cursor_invalid');
    fails(() => decodeCursor(v, owner, c.slice(0, -3), 1_000), 'agent.cursor_invalid');
    fails(() => decodeCursor(v, owner, `x${c}`, 1_000), 'agent.cursor_invalid');
    fails(() => decodeCursor(v, owner, c, 1_000 + CURSOR_TTL_MS), 'agent.cursor_expired');
  });
});
