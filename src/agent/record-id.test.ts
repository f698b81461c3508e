import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idChecksum } from '../emulator/ids.js';
import { ForcebridgeError } from '../errors.js';
import { checkRecordId, idSuffix } from './record-id.js';

const refused = (id: string) =>
  assert.throws(
    () => checkRecordId(id),
    (e: unknown) => e instanceof ForcebridgeError && e.code === 'agent.invalid_id' && e.field === 'id',
  );

describe('checkRecordId', () => {
  it('idSuffix matches the emulator’s checksum for many ids', () => {
    const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let n = 0; n < 2000; n++) {
      let id = '001';
      for (let i = 0; i < 12; i++) id += chars[(n * 7 + i * 13 + ((n * i) % 31)) % chars.length];
      assert.equal(idSuffix(id), idChecksum(id), id);
    }
  });

  it('accepts 15- and 18-char ids (checksum case-insensitive) and returns the 18-char form', () => {
    assert.equal(checkRecordId('001D000000IqhSL'), '001D000000IqhSLIAZ');
    assert.equal(checkRecordId('001D000000IqhSLIAZ'), '001D000000IqhSLIAZ');
    assert.equal(checkRecordId('001D000000IqhSLiaz'), '001D000000IqhSLIAZ');
  });

  it('refuses wrong lengths, characters and checksums', () => {
    for (const id of ['', '001', '001D000000IqhS', '001D000000IqhSLI', '001D000000IqhSL-AZ', "001D000000IqhS'", '001D000000IqhSLAAA', '001d000000IqhSLIAZ'])
      refused(id);
  });
});
