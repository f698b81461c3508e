import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SfHttpError } from '../http/respond.js';
import { compileTerms, phoneTokens, tokenize } from './match.js';
import { parseSosl, parseTermExpression, WILD_MANY } from './parse.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof SfHttpError ? e.errors[0]?.errorCode : 'other';
  }
  return 'none';
};

describe('parseSosl', () => {
  it('parseSosl + clauses in any case with RETURNING sub-clauses', () => {
    const q = parseSosl(
      "find {Acme*} in name fields returning Account(Id, Name where Industry = 'Energy' order by Name desc limit 5 offset 2), Contact limit 10",
    );
    assert.equal(q.in, 'NAME');
    assert.equal(q.limit, 10);
    assert.deepEqual(q.search, { kind: 'term', text: `Acme${WILD_MANY}`, phrase: false });
    assert.deepEqual(q.returning[0], {
      object: 'Account',
      fields: ['Id', 'Name'],
      where: "Industry = 'Energy'",
      orderBy: [{ field: 'Name', descending: true, nullsLast: true }],
      limit: 5,
      offset: 2,
    });
    assert.deepEqual(q.returning[1], { object: 'Contact', fields: [], orderBy: [] });
  });

  it('parseSosl + a keyword inside a WHERE string stays in the string', () => {
    const q = parseSosl("FIND {x1} RETURNING Account(Id WHERE Name = 'LIMIT 3')");
    assert.equal(q.returning[0]!.where, "Name = 'LIMIT 3'");
    assert.equal(q.returning[0]!.limit, undefined);
  });

  it('parseSosl + malformed input is MALFORMED_SEARCH', () => {
    for (const s of [
      'FIND acme',
      'FIND {acme',
      'FIND {acme} IN BOGUS FIELDS',
      'FIND {acme} RETURNING Account(',
      'FIND {(acme}',
      'FIND {acme OR}',
      'FIND {a}',
    ]) {
      assert.equal(
        code(() => parseSosl(s)),
        'MALFORMED_SEARCH',
        s,
      );
    }
  });
});

describe('compileTerms', () => {
  const doc = (...texts: string[]) => texts.map(tokenize);
  const m = (expr: string, d: string[][]) => compileTerms(parseTermExpression(expr))(d);

  it('compileTerms + words match whole tokens, case-insensitively', () => {
    assert.equal(m('ACME', doc('Acme Corp')), true);
    assert.equal(m('acm', doc('Acme Corp')), false);
    assert.equal(m('acm*', doc('Acme Corp')), true);
    assert.equal(m('ac?e', doc('Acme Corp')), true);
  });

  it('compileTerms + phrases are consecutive within one field; AND spans fields', () => {
    assert.equal(m('"acme corp"', doc('Acme Corp')), true);
    assert.equal(m('"corp acme"', doc('Acme Corp')), false);
    assert.equal(m('"acme ada"', doc('Acme', 'Ada')), false);
    assert.equal(m('acme ada', doc('Acme', 'Ada')), true);
    assert.equal(m('acme AND NOT ada', doc('Acme', 'Ada')), false);
    assert.equal(m('(zed OR ada) AND acme', doc('Acme', 'Ada')), true);
  });

  it('compileTerms + escaped wildcards are literal', () => {
    assert.equal(m('acme\\*', doc('Acme Corp')), true);
    assert.equal(m('acme\\*', doc('Acmeco')), false);
  });

  it('phoneTokens + digits run together', () => {
    assert.deepEqual(phoneTokens('(415) 555-0199'), ['415', '555', '0199', '4155550199']);
  });
});
