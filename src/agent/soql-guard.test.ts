import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { ForcebridgeError } from '../errors.js';
import { astSideEffects, blankStringLiterals, guardSoql, scanForSideEffects, SIDE_EFFECT_CLAUSES } from './soql-guard.js';

/** Places where a clause can sit; `{C}` is replaced by the clause. */
const PLACES = [
  'SELECT Id FROM Account {C}',
  'SELECT Id, Name FROM Account WHERE Name != null {C}',
  'SELECT Id FROM Account LIMIT 10 {C}',
  'SELECT Id FROM Account ORDER BY Name DESC NULLS LAST LIMIT 5 OFFSET 2 {C}',
  'SELECT Id, (SELECT Id FROM Contacts {C}) FROM Account',
  'SELECT Id, (SELECT Id, LastName FROM Contacts WHERE LastName != null LIMIT 3 {C}) FROM Account',
  'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact {C})',
  'SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity WHERE IsClosed = true {C}) LIMIT 1',
  "SELECT Id FROM Account WHERE Name = 'it\\'s FOR UPDATE' {C}",
  'SELECT Id FROM Account WITH SECURITY_ENFORCED {C}',
  "SELECT Title FROM FAQ__kav WHERE PublishStatus = 'online' {C}",
];

/** Case variants of a clause. */
function cases(clause: string): string[] {
  const alt = [...clause].map((ch, i) => (i % 2 ? ch.toLowerCase() : ch.toUpperCase())).join('');
  const alt2 = [...clause].map((ch, i) => (i % 2 ? ch.toUpperCase() : ch.toLowerCase())).join('');
  return [clause, clause.toLowerCase(), alt, alt2];
}

const SPACES = [' ', '   ', '\n', '\t', '\r\n', ' \n\t '];

function variants(): string[] {
  const out: string[] = [];
  for (const place of PLACES) {
    for (const clause of SIDE_EFFECT_CLAUSES) {
      for (const c of cases(clause)) {
        for (const sp of SPACES) {
          const [a, b] = c.split(' ') as [string, string];
          out.push(place.replace('{C}', `${sp}${a}${sp}${b}${sp}`));
        }
      }
    }
  }
  // Comment-looking text between or around the words (SOQL has no comments).
  for (const clause of SIDE_EFFECT_CLAUSES) {
    const [a, b] = clause.split(' ') as [string, string];
    for (const filler of ['/* x */', '/**/', '-- x\n', '//\n', '(', ')', ',']) {
      out.push(`SELECT Id FROM Account ${a}${filler}${b}`);
      out.push(`SELECT Id FROM Account ${a} ${filler} ${b}`);
      out.push(`SELECT Id FROM Account /* ${clause.toLowerCase()} */ ${clause}`);
    }
    // A literal that looks like it closes, then the real clause.
    out.push(`SELECT Id FROM Account WHERE Name = 'x\\\\' ${clause}`);
    out.push(`SELECT Id FROM Account WHERE Name IN ('a', 'b') ${clause}`);
    // A second statement.
    out.push(`SELECT Id FROM Account; SELECT Id FROM Account ${clause}`);
    // Nested twice: semi-join inside a child subquery.
    out.push(`SELECT Id, (SELECT Id FROM Contacts WHERE Id IN (SELECT WhoId FROM Task ${clause})) FROM Account`);
    // Unterminated literal before it.
    out.push(`SELECT Id FROM Account WHERE Name = 'x ${clause}`);
  }
  return out;
}

const NOT_SELECT = [
  "UPDATE Account SET Name = 'x'",
  'DELETE FROM Account',
  "INSERT INTO Account (Name) VALUES ('x')",
  'SELECT Id FROM Account; DELETE FROM Account',
  'FIND {Acme} RETURNING Account',
  '',
  '   \n\t ',
  'SELECT FROM Account',
  'SELECT Id FROM',
];

const ACCEPTED = [
  'SELECT Id, Name FROM Account',
  "SELECT Id, Name, Owner.Name, Parent.Parent.Name FROM Account WHERE Industry = 'Energy' ORDER BY Name LIMIT 10",
  'SELECT Id, (SELECT Id, LastName FROM Contacts ORDER BY LastName LIMIT 5) FROM Account',
  "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName LIKE 'S%')",
  'SELECT Industry, COUNT(Id) cnt FROM Account GROUP BY Industry HAVING COUNT(Id) > 1',
  'SELECT COUNT() FROM Account',
  'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:30',
  'SELECT Id FROM Opportunity WHERE CloseDate = THIS_QUARTER',
  'SELECT TYPEOF What WHEN Account THEN Phone, Name ELSE Name END FROM Task',
  'SELECT Id FROM Account ORDER BY Name ASC NULLS FIRST LIMIT 100 OFFSET 20',
  "SELECT Id FROM Account WHERE Name = 'FOR UPDATE'",
  "SELECT Id FROM Account WHERE Name LIKE '%for view%' OR Description = 'update tracking'",
  "SELECT Id FROM Account WHERE Name = 'it\\'s FOR VIEW'",
  'SELECT Id, LastViewedDate, LastReferencedDate FROM Account',
  'SELECT Id, Forecast__c, Update_Tracking__c FROM Thing__c',
  'SELECT Id FROM Account WITH SECURITY_ENFORCED',
  'select id from account where name != null limit 5',
  'SELECT Id FROM Account\nWHERE\tName != null\n LIMIT 5',
];

describe('guardSoql', () => {
  const all = [...variants(), ...NOT_SELECT];
  it(`refuses ${all.length} side-effect and non-SELECT variants (at least 500)`, () => {
    assert.ok(all.length >= 500, `only ${all.length} variants`);
    for (const q of all) {
      assert.throws(
        () => guardSoql(q),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'agent.soql_refused' && e.kind === 'invalid_input' && e.field === 'soql' && !!e.hint,
        `not refused: ${JSON.stringify(q)}`,
      );
    }
  });

  it('names the clause in the refusal', () => {
    for (const clause of SIDE_EFFECT_CLAUSES) {
      for (const q of [`SELECT Id FROM Account ${clause.toLowerCase()}`, `SELECT Id, (SELECT Id FROM Contacts ${clause}) FROM Account`]) {
        assert.throws(
          () => guardSoql(q),
          (e: unknown) => e instanceof ForcebridgeError && e.message.includes(clause) && e.details?.clause === clause,
        );
      }
    }
  });

  it('scanForSideEffects alone catches every clause variant (defence in depth)', () => {
    for (const q of variants()) assert.ok(scanForSideEffects(q), `scan missed: ${JSON.stringify(q)}`);
  });

  it('astSideEffects alone catches every variant the parser accepts', () => {
    let parsed = 0;
    for (const q of variants()) {
      let ast;
      try {
        ast = parseQuery(q);
      } catch {
        continue;
      }
      parsed++;
      assert.ok(astSideEffects(ast).length > 0, `AST check missed: ${JSON.stringify(q)}`);
    }
    // Most variants are valid SOQL, so the AST check is really exercised.
    assert.ok(parsed > 400, `only ${parsed} variants parsed`);
  });

  it('refuses unparseable text with the parser message', () => {
    assert.throws(
      () => guardSoql('SELECT Id FROM'),
      (e: unknown) => e instanceof ForcebridgeError && /does not parse: .+/.test(e.message),
    );
  });

  it(`accepts ${ACCEPTED.length} ordinary SELECTs`, () => {
    for (const q of ACCEPTED) {
      const g = guardSoql(q);
      assert.equal(g.soql, q);
      assert.ok(g.ast.sObject || g.ast.fields, q);
    }
  });

  it('blankStringLiterals: keeps quotes, blanks content and escapes', () => {
    assert.equal(blankStringLiterals("a 'FOR \\' UPDATE' b"), "a '             ' b");
    assert.equal(scanForSideEffects("WHERE Name = 'for update'"), undefined);
    assert.equal(scanForSideEffects('WHERE x = 1 FOR\nUPDATE'), 'FOR UPDATE');
  });
});
