import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdFactory, idChecksum, isValidId, to18 } from './ids.js';

describe('idChecksum', () => {
  it('matches ids from Salesforce documentation', () => {
    assert.equal(idChecksum('001D000000IRFma'), 'IAH');
    assert.equal(idChecksum('a00D0000008pQRA'), 'IA2');
    assert.equal(idChecksum('750R0000000zlh9'), 'IAA');
  });
});

describe('to18', () => {
  it('extends 15-char ids and normalises the suffix case', () => {
    assert.equal(to18('001D000000IRFma'), '001D000000IRFmaIAH');
    assert.equal(to18('001D000000IRFmaiah'), '001D000000IRFmaIAH');
  });
  it('rejects malformed ids and wrong checksums', () => {
    assert.equal(to18('001D000000IRFm'), undefined);
    assert.equal(to18('001D000000IRFmaIAA'), undefined);
    assert.equal(isValidId('001D000000IRFma!!!'), false);
  });
});

describe('IdFactory.next', () => {
  it('mints valid, unique, per-prefix sequential ids', () => {
    const f = new IdFactory();
    const a = f.next('001');
    const b = f.next('001');
    const c = f.next('003');
    assert.ok(isValidId(a) && isValidId(b) && isValidId(c));
    assert.equal(a.length, 18);
    assert.notEqual(a, b);
    assert.ok(a.startsWith('001') && c.startsWith('003'));
    assert.equal(f.peek('001'), IdFactory.make('001', 'Dn', 3));
  });
});
