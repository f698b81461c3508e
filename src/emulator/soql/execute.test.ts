import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SfHttpError } from '../http/respond.js';
import type { StoredRecord } from '../schema/types.js';
import type { RunningEmulator } from '../server.js';
import { startTestEmulator } from '../test-support/harness.js';
import { prepareQuery } from './execute.js';
import { compileWhere } from './where.js';
import { parseSoql } from './parse.js';

const NOW = Date.UTC(2024, 4, 15, 12, 0, 0); // Wednesday 2024-05-15 12:00 UTC
const DAY = 86_400_000;

let em: RunningEmulator;
let adminId: string;
let salesId: string;
const acc: Record<string, StoredRecord> = {};

function user(prefix: string): string {
  return [...em.org.users.values()].find((u) => u.config.username.startsWith(`${prefix}@`))!.id;
}

function run(soql: string, who = adminId, opts: { includeDeleted?: boolean; mode?: 'rest' | 'bulk' } = {}) {
  const q = prepareQuery(em.org, em.org.principal(who), soql, { includeDeleted: opts.includeDeleted ?? false, apiVersion: '66.0', mode: opts.mode ?? 'rest' });
  const records = q.countOnly ? [] : Array.from({ length: q.totalSize }, (_, i) => q.recordJson(i));
  return { q, records };
}

/** Names of the records a query returns, in order. */
function names(soql: string, who = adminId): string[] {
  return run(soql, who).records.map((r) => r.Name as string);
}

function fails(soql: string, errorCode: string, message?: string | RegExp, who = adminId, mode: 'rest' | 'bulk' = 'rest'): void {
  assert.throws(
    () => run(soql, who, { mode }),
    (e: unknown) => {
      assert.ok(e instanceof SfHttpError, `expected SfHttpError, got ${String(e)}`);
      assert.equal(e.errors[0]!.errorCode, errorCode, e.message);
      if (typeof message === 'string') assert.equal(e.errors[0]!.message, message);
      else if (message) assert.match(e.errors[0]!.message, message);
      return true;
    },
  );
}

before(async () => {
  em = await startTestEmulator({
    config: {
      settings: { records: 0 },
      customObjects: [
        {
          name: 'Secret__c',
          sharingModel: 'Private',
          fields: [
            { name: 'Score__c', type: 'double' },
            { name: 'Tags__c', type: 'multipicklist', picklistValues: ['red', 'green', 'blue'] },
            { name: 'Due__c', type: 'date' },
            { name: 'When__c', type: 'datetime' },
            { name: 'Flag__c', type: 'boolean' },
          ],
        },
      ],
    },
  });
  em.org.clock.pin(NOW);
  adminId = user('admin');
  salesId = user('sales');
  for (const t of ['Account', 'Contact', 'Secret__c']) em.org.data.table(t).rows.clear();
  const ins = (name: string, v: StoredRecord, owner = adminId, at = NOW - DAY) => {
    acc[name] = em.org.data.insert('Account', { Name: name, ...v }, owner, at);
  };
  ins('Acme', { Industry: 'Banking', AnnualRevenue: 1000, NumberOfEmployees: 10, Rating: 'Hot' }, adminId, NOW - 3 * DAY);
  ins('Beta', { Industry: 'Energy', AnnualRevenue: 500, NumberOfEmployees: 20 }, adminId, NOW - 40 * DAY);
  ins('Gamma', { Industry: 'Banking', AnnualRevenue: 250, Rating: 'Cold' }, salesId, NOW);
  ins('delta', { AnnualRevenue: 750, Website: 'https://delta.example' }, adminId, NOW - 400 * DAY);
  ins('Echo_1%', { Industry: 'Energy' }, adminId, NOW + DAY);
  em.org.data.update(acc.Beta!, { ParentId: acc.Acme!.Id as string }, adminId, NOW - 2 * DAY);
  em.org.data.insert(
    'Contact',
    { LastName: 'Smith', FirstName: 'Ann', Name: 'Ann Smith', AccountId: acc.Acme!.Id as string, Birthdate: '1990-05-15' },
    adminId,
  );
  em.org.data.insert('Contact', { LastName: 'Jones', Name: 'Jones', AccountId: acc.Acme!.Id as string, Birthdate: '2024-05-14' }, adminId);
  em.org.data.insert('Contact', { LastName: 'Brown', Name: 'Brown', AccountId: acc.Beta!.Id as string }, adminId);
  const gone = em.org.data.insert('Account', { Name: 'Zombie', Industry: 'Banking' }, adminId);
  em.org.data.softDelete(gone, adminId);
  em.org.data.insert('Secret__c', { Name: 'S-admin', Score__c: 1, Tags__c: 'red;green', Due__c: '2024-05-15', When__c: NOW - 2 * DAY }, adminId);
  em.org.data.insert('Secret__c', { Name: 'S-sales', Score__c: 2, Tags__c: 'blue', Due__c: '2024-04-01', When__c: NOW - 50 * DAY, Flag__c: true }, salesId);
});

after(async () => {
  await em.close();
});

describe('prepareQuery field lists', () => {
  it('prepareQuery renders fields in SELECT order with canonical names and attributes', () => {
    const { records } = run("SELECT name, ID, industry FROM account WHERE Name = 'Acme'");
    assert.deepEqual(records, [
      {
        attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${acc.Acme!.Id}` },
        Name: 'Acme',
        Id: acc.Acme!.Id,
        Industry: 'Banking',
      },
    ]);
  });

  it('prepareQuery nests parent fields at any depth and renders empty lookups as null', () => {
    const { records } = run("SELECT Name, Parent.Name, Parent.Owner.Name, Owner.Username FROM Account WHERE Name IN ('Beta', 'Acme') ORDER BY Name");
    assert.equal(records[0]!.Parent, null);
    assert.deepEqual(records[1]!.Parent, {
      attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${acc.Acme!.Id}` },
      Name: 'Acme',
      Owner: { attributes: { type: 'User', url: `/services/data/v66.0/sobjects/User/${adminId}` }, Name: 'Ada Admin' },
    });
    assert.equal((records[1]!.Owner as Record<string, unknown>).Username, 'admin@forcebridge-demo.example');
  });

  it('prepareQuery renders child subqueries with WHERE/ORDER BY/LIMIT, null when empty', () => {
    const { records } = run(
      "SELECT Name, (SELECT LastName FROM Contacts c WHERE c.LastName != 'Nobody' ORDER BY LastName LIMIT 1) FROM Account WHERE Name IN ('Acme', 'Gamma') ORDER BY Name",
    );
    assert.deepEqual(records[0]!.Contacts, {
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: {
            type: 'Contact',
            url: `/services/data/v66.0/sobjects/Contact/${(records[0]!.Contacts as any).records[0].attributes.url.split('/').pop()}`,
          },
          LastName: 'Jones',
        },
      ],
    });
    assert.equal(records[1]!.Contacts, null);
  });

  it('prepareQuery expands FIELDS(STANDARD) and requires LIMIT ≤ 200 for FIELDS(ALL)', () => {
    const { q } = run("SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme'");
    assert.ok(q.columns.includes('Name') && q.columns.includes('BillingAddress') && q.columns.includes('SystemModstamp'));
    assert.equal(run('SELECT FIELDS(ALL) FROM Account LIMIT 200').q.totalSize, 5);
    fails('SELECT FIELDS(ALL) FROM Account', 'MALFORMED_QUERY', 'The SOQL FIELDS function must have a LIMIT of at most 200');
  });

  it('prepareQuery toLabel returns picklist labels', () => {
    const { records } = run("SELECT toLabel(Industry) FROM Account WHERE Name = 'Acme'");
    assert.equal(records[0]!.Industry, 'Banking');
  });

  it('prepareQuery refuses aliases on plain fields, duplicates and unsupported functions', () => {
    fails('SELECT Name n FROM Account', 'MALFORMED_QUERY', 'Only aggregate expressions use field aliasing');
    fails('SELECT Name, name FROM Account', 'MALFORMED_QUERY', 'duplicate field selected: Name');
    fails('SELECT FORMAT(AnnualRevenue) FROM Account', 'MALFORMED_QUERY', /FORMAT\(\) in SELECT is not supported/);
    fails('SELECT TYPEOF Owner WHEN User THEN Name END FROM Account', 'MALFORMED_QUERY', /TYPEOF is not supported/);
  });
});

describe('prepareQuery WHERE operators', () => {
  const cases: [string, string[]][] = [
    ["Name = 'acme'", ['Acme']],
    ["Name != 'Acme'", ['Beta', 'Gamma', 'delta', 'Echo_1%']],
    ["Name <> 'Acme'", ['Beta', 'Gamma', 'delta', 'Echo_1%']],
    ['AnnualRevenue < 500', ['Gamma']],
    ['AnnualRevenue <= 500', ['Beta', 'Gamma']],
    ['AnnualRevenue > 500', ['Acme', 'delta']],
    ['AnnualRevenue >= 750', ['Acme', 'delta']],
    ['AnnualRevenue = null', ['Echo_1%']],
    ['Industry != null', ['Acme', 'Beta', 'Gamma', 'Echo_1%']],
    ["Industry != 'Banking'", ['Beta', 'delta', 'Echo_1%']],
    ["Name LIKE 'a%'", ['Acme']],
    ["Name LIKE '%A'", ['Beta', 'Gamma', 'delta']],
    ["Name LIKE '_eta'", ['Beta']],
    ["Name LIKE 'Echo\\_1\\%'", ['Echo_1%']],
    ["Name LIKE 'Echo\\_2%'", []],
    ["Industry IN ('Banking', 'energy')", ['Acme', 'Beta', 'Gamma', 'Echo_1%']],
    ["Industry NOT IN ('Banking')", ['Beta', 'delta', 'Echo_1%']],
    ["Industry = 'Banking' AND AnnualRevenue > 300", ['Acme']],
    ["Industry = 'Energy' OR AnnualRevenue = 250", ['Beta', 'Gamma', 'Echo_1%']],
    ["(Industry = 'Energy' OR Industry = null) AND NOT Name LIKE 'E%'", ['Beta', 'delta']],
    ["NOT (Industry = 'Banking' OR Industry = 'Energy')", ['delta']],
    ['NumberOfEmployees IN (10, 20)', ['Acme', 'Beta']],
    ["Parent.Name = 'Acme'", ['Beta']],
    ["Owner.Username LIKE 'sales@%'", ['Gamma']],
    ["Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Brown')", ['Beta']],
    ['Id NOT IN (SELECT AccountId FROM Contact)', ['Gamma', 'delta', 'Echo_1%']],
    ['CreatedDate = TODAY', ['Gamma']],
    ['CreatedDate = YESTERDAY', []],
    ['CreatedDate = LAST_N_DAYS:3', ['Acme', 'Gamma']],
    ['CreatedDate < LAST_N_DAYS:3', ['Beta', 'delta']],
    ['CreatedDate > TODAY', ['Echo_1%']],
    ['CreatedDate = TOMORROW', ['Echo_1%']],
    ['CreatedDate = THIS_WEEK', ['Acme', 'Gamma', 'Echo_1%']],
    ['CreatedDate = LAST_MONTH', ['Beta']],
    ['CreatedDate = LAST_N_MONTHS:2', ['Beta']],
    ['CreatedDate = THIS_YEAR', ['Acme', 'Beta', 'Gamma', 'Echo_1%']],
    ['CreatedDate = LAST_YEAR', ['delta']],
    ['CreatedDate = N_DAYS_AGO:3', ['Acme']],
    ['CreatedDate = NEXT_N_DAYS:1', ['Echo_1%']],
    ['CreatedDate IN (TODAY, N_DAYS_AGO:40)', ['Beta', 'Gamma']],
    ['CreatedDate >= 2024-05-12T00:00:00Z AND CreatedDate < 2024-05-15T12:00:00Z', ['Acme']],
    ['CreatedDate > 2024-05-15T13:00:00+02:00', ['Gamma', 'Echo_1%']],
  ];
  for (const [where, want] of cases) {
    it(`prepareQuery WHERE ${where}`, () => {
      assert.deepEqual(names(`SELECT Name FROM Account WHERE ${where}`), want);
    });
  }

  it('prepareQuery WHERE on date fields compares dates and date literals as days', () => {
    const last = (w: string) => run(`SELECT LastName FROM Contact WHERE ${w} ORDER BY LastName`).records.map((r) => r.LastName);
    assert.deepEqual(last('Birthdate = YESTERDAY'), ['Jones']);
    assert.deepEqual(last('Birthdate < 2000-01-01'), ['Smith']);
    assert.deepEqual(last('Birthdate = null'), ['Brown']);
    assert.deepEqual(last('Birthdate = LAST_N_DAYS:1'), ['Jones']);
    fails('SELECT Id FROM Contact WHERE Birthdate = 2024-05-14T00:00:00Z', 'MALFORMED_QUERY', /must be of type date and should not be enclosed in quotes$/);
    fails('SELECT Id FROM Account WHERE CreatedDate = 2024-05-14', 'MALFORMED_QUERY', /must be of type dateTime/);
  });

  it('prepareQuery WHERE INCLUDES/EXCLUDES, booleans and mixed field types on multipicklists', () => {
    const secret = (w: string) => run(`SELECT Name FROM Secret__c WHERE ${w} ORDER BY Name`).records.map((r) => r.Name);
    assert.deepEqual(secret("Tags__c INCLUDES ('green')"), ['S-admin']);
    assert.deepEqual(secret("Tags__c INCLUDES ('red;blue', 'blue')"), ['S-sales']);
    assert.deepEqual(secret("Tags__c INCLUDES ('green;red')"), ['S-admin']);
    assert.deepEqual(secret("Tags__c EXCLUDES ('red')"), ['S-sales']);
    assert.deepEqual(secret("Tags__c = 'green;red'"), ['S-admin']);
    assert.deepEqual(secret('Flag__c = true'), ['S-sales']);
    assert.deepEqual(secret('Flag__c = false'), ['S-admin']);
    assert.deepEqual(secret('Due__c = THIS_MONTH'), ['S-admin']);
    assert.deepEqual(secret('When__c = LAST_90_DAYS'), ['S-admin', 'S-sales']);
    fails(
      "SELECT Id FROM Account WHERE Name INCLUDES ('x')",
      'INVALID_QUERY_FILTER_OPERATOR',
      /INCLUDES or EXCLUDES operator only valid on multipicklist field$/,
    );
  });

  it('prepareQuery WHERE rejects literals of the wrong type and bad ids', () => {
    fails(
      "SELECT Id FROM Account WHERE AnnualRevenue = 'x'",
      'MALFORMED_QUERY',
      /value of filter criterion for field 'AnnualRevenue' must be of type double and should not be enclosed in quotes$/,
    );
    fails('SELECT Id FROM Account WHERE Name = 5', 'MALFORMED_QUERY', /must be of type string and should be enclosed in quotes$/);
    fails("SELECT Id FROM Account WHERE Id = 'abc'", 'INVALID_QUERY_FILTER_OPERATOR', /invalid ID field: abc$/);
    fails("SELECT Id FROM Account WHERE Name = 'a' AND Industry = 'b' OR Name = 'c'", 'MALFORMED_QUERY', "unexpected token: 'OR'");
    fails("SELECT Id FROM Account WHERE BillingAddress = 'x'", 'INVALID_FIELD', /field 'BillingAddress' can not be filtered in a query call$/);
    fails('SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2024', 'MALFORMED_QUERY', /CALENDAR_YEAR\(CreatedDate\) in WHERE is not supported/);
  });

  it('prepareQuery WHERE matches 15-char ids', () => {
    assert.deepEqual(names(`SELECT Name FROM Account WHERE Id = '${(acc.Acme!.Id as string).slice(0, 15)}'`), ['Acme']);
  });
});

describe('prepareQuery ORDER BY, LIMIT, OFFSET', () => {
  it('prepareQuery ORDER BY defaults nulls first on ASC and last on DESC', () => {
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY AnnualRevenue'), ['Echo_1%', 'Gamma', 'Beta', 'delta', 'Acme']);
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY AnnualRevenue DESC'), ['Acme', 'delta', 'Beta', 'Gamma', 'Echo_1%']);
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY AnnualRevenue ASC NULLS LAST'), ['Gamma', 'Beta', 'delta', 'Acme', 'Echo_1%']);
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY AnnualRevenue DESC NULLS FIRST'), ['Echo_1%', 'Acme', 'delta', 'Beta', 'Gamma']);
  });

  it('prepareQuery ORDER BY several fields, case-insensitive text and relationship fields', () => {
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY Industry DESC, Name DESC'), ['Echo_1%', 'Beta', 'Gamma', 'Acme', 'delta']);
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY Name'), ['Acme', 'Beta', 'delta', 'Echo_1%', 'Gamma']);
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY Owner.Username DESC, Name LIMIT 2'), ['Gamma', 'Acme']);
  });

  it('prepareQuery LIMIT and OFFSET slice the sorted rows; OFFSET over 2000 is refused', () => {
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1'), ['Beta', 'delta']);
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY Name OFFSET 4'), ['Gamma']);
    fails('SELECT Name FROM Account OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
  });
});

describe('prepareQuery COUNT() and aggregates', () => {
  it('prepareQuery COUNT() answers totalSize without records', () => {
    const { q } = run("SELECT COUNT() FROM Account WHERE Industry = 'Banking'");
    assert.equal(q.countOnly, true);
    assert.equal(q.totalSize, 2);
    assert.equal(run('SELECT COUNT() FROM Account', adminId, { includeDeleted: true }).q.totalSize, 6);
  });

  it('prepareQuery aggregates with GROUP BY, aliases, exprN names, HAVING and ORDER BY', () => {
    const { q, records } = run(
      'SELECT Industry, COUNT(Id), SUM(AnnualRevenue) total, MAX(CreatedDate), AVG(AnnualRevenue), COUNT_DISTINCT(Rating) FROM Account GROUP BY Industry HAVING COUNT(Id) > 0 ORDER BY COUNT(Id) DESC, Industry NULLS LAST',
    );
    assert.equal(q.aggregate, true);
    assert.deepEqual(records, [
      { attributes: { type: 'AggregateResult' }, Industry: 'Banking', expr0: 2, total: 1250, expr1: '2024-05-15T12:00:00.000+0000', expr2: 625, expr3: 2 },
      { attributes: { type: 'AggregateResult' }, Industry: 'Energy', expr0: 2, total: 500, expr1: '2024-05-16T12:00:00.000+0000', expr2: 500, expr3: 0 },
      { attributes: { type: 'AggregateResult' }, Industry: null, expr0: 1, total: 750, expr1: '2023-04-11T12:00:00.000+0000', expr2: 750, expr3: 0 },
    ]);
    assert.deepEqual(run("SELECT Industry i, COUNT(Id) c FROM Account GROUP BY Industry HAVING COUNT(Id) > 1 AND Industry != 'Energy'").records, [
      { attributes: { type: 'AggregateResult' }, i: 'Banking', c: 2 },
    ]);
  });

  it('prepareQuery aggregates without GROUP BY give one row, also over no rows', () => {
    assert.deepEqual(run("SELECT COUNT(Id), MIN(Name) FROM Account WHERE Name = 'none'").records, [
      { attributes: { type: 'AggregateResult' }, expr0: 0, expr1: null },
    ]);
    assert.deepEqual(run('SELECT Owner.Name, COUNT(Id) n FROM Account GROUP BY Owner.Name ORDER BY Owner.Name').records, [
      { attributes: { type: 'AggregateResult' }, Name: 'Ada Admin', n: 4 },
      { attributes: { type: 'AggregateResult' }, Name: 'Sam Sales', n: 1 },
    ]);
  });

  it('prepareQuery refuses ungrouped fields and bad aggregate operands', () => {
    fails('SELECT Name, COUNT(Id) FROM Account GROUP BY Industry', 'MALFORMED_QUERY', 'Field must be grouped or aggregated: Name');
    fails('SELECT SUM(Name) FROM Account', 'MALFORMED_QUERY', /field Name does not support aggregate operator SUM$/);
    fails('SELECT Id, COUNT() FROM Account', 'MALFORMED_QUERY', 'COUNT() must be the only element in the SELECT list');
  });
});

describe('prepareQuery permissions and deleted rows', () => {
  it('prepareQuery skips soft-deleted rows unless includeDeleted', () => {
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name = 'Zombie'"), []);
    const { records } = run("SELECT Name, IsDeleted FROM Account WHERE Name = 'Zombie'", adminId, { includeDeleted: true });
    assert.deepEqual(
      records.map((r) => [r.Name, r.IsDeleted]),
      [['Zombie', true]],
    );
  });

  it('prepareQuery treats FLS-hidden fields as unknown (INVALID_FIELD)', () => {
    fails(
      'SELECT Id, AnnualRevenue FROM Account',
      'INVALID_FIELD',
      "\nSELECT Id, AnnualRevenue FROM Account\n          ^\nERROR at Row:1:Column:11\nNo such column 'AnnualRevenue' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
      salesId,
    );
    fails('SELECT Id FROM Account WHERE AnnualRevenue > 1', 'INVALID_FIELD', /No such column 'AnnualRevenue'/, salesId);
    fails('SELECT Name FROM Contact WHERE Account.AnnualRevenue > 1', 'INVALID_FIELD', /No such column 'AnnualRevenue' on entity 'Account'/, salesId);
  });

  it('prepareQuery shows a Standard User only own records of a Private object', () => {
    assert.deepEqual(names('SELECT Name FROM Secret__c ORDER BY Name', salesId), ['S-sales']);
    assert.deepEqual(names('SELECT Name FROM Secret__c ORDER BY Name'), ['S-admin', 'S-sales']);
    assert.deepEqual(names('SELECT Name FROM Secret__c USING SCOPE Mine'), ['S-admin']);
  });

  it('prepareQuery answers INVALID_TYPE for unknown objects and bad relationships', () => {
    fails('SELECT Id FROM Nope__c', 'INVALID_TYPE', /sObject type 'Nope__c' is not supported\./);
    fails('SELECT Foo.Name FROM Account', 'INVALID_FIELD', /Didn't understand relationship 'Foo' in field path/);
    fails('SELECT (SELECT Id FROM Nothings) FROM Account', 'INVALID_TYPE', /Didn't understand relationship 'Nothings'/);
  });
});

describe('prepareQuery bulk mode', () => {
  it('prepareQuery bulk mode refuses what Bulk 2.0 cannot serve', () => {
    fails('SELECT COUNT() FROM Account', 'API_ERROR', /Aggregate functions/, adminId, 'bulk');
    fails('SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry', 'API_ERROR', /GROUP BY/, adminId, 'bulk');
    fails('SELECT Id FROM Account OFFSET 5', 'API_ERROR', /OFFSET/, adminId, 'bulk');
    fails(
      'SELECT Id, (SELECT Id FROM Contacts) FROM Account',
      'API_ERROR',
      'Aggregate Relationships not supported in Bulk V2 Query with CSV content type.',
      adminId,
      'bulk',
    );
    fails('SELECT Id, BillingAddress FROM Account', 'API_ERROR', 'Selecting compound data not supported in Bulk Query', adminId, 'bulk');
  });

  it('prepareQuery bulk mode gives dotted columns and flat string cells', () => {
    const { q } = run(
      "SELECT Name, Parent.Name, CreatedDate, IsDeleted, AnnualRevenue, Industry FROM Account WHERE Name IN ('Beta', 'Echo_1%') ORDER BY Name",
      adminId,
      { mode: 'bulk' },
    );
    assert.deepEqual(q.columns, ['Name', 'Parent.Name', 'CreatedDate', 'IsDeleted', 'AnnualRevenue', 'Industry']);
    assert.deepEqual(q.flatRow(0), ['Beta', 'Acme', '2024-04-05T12:00:00.000Z', 'false', '500', 'Energy']);
    assert.deepEqual(q.flatRow(1), ['Echo_1%', null, '2024-05-16T12:00:00.000Z', 'false', null, 'Energy']);
  });
});

describe('compileWhere', () => {
  it('compileWhere compiles a reusable predicate for SOSL', () => {
    const where = parseSoql("SELECT Id FROM Account WHERE Industry = 'Banking' AND AnnualRevenue > 300").where!;
    const def = em.org.schema.get('Account')!;
    const pred = compileWhere(em.org, em.org.principal(adminId), def, where);
    assert.deepEqual(
      Object.keys(acc).filter((n) => pred(acc[n]!)),
      ['Acme'],
    );
  });
});

describe('parseSoql', () => {
  it('parseSoql reports parse errors in the caret format', () => {
    fails('SELECT Id, FROM Account', 'MALFORMED_QUERY', "\nSELECT Id, FROM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FROM'");
    fails('SELECT Id FROM Account WHERE', 'MALFORMED_QUERY', /unexpected token: '<EOF>'$/);
  });
});
