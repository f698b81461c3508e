import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { pageBatches, parseCsvRows } from './bulk-reader.js';

async function allRows(body: string, batchRows = 2): Promise<{ header: string[] | undefined; rows: string[][]; batches: number }> {
  let header: string[] | undefined;
  const rows: string[][] = [];
  let batches = 0;
  for await (const b of pageBatches(body, batchRows, 'test page')) {
    header = b.header;
    rows.push(...b.rows);
    batches++;
  }
  return { header, rows, batches };
}

const reference = (body: string) => parse(body, { bom: true, skip_empty_lines: true }) as string[][];

describe('Bulk CSV pages', () => {
  const pages = {
    quoted: '"Id","Name","Amount"\n"001","Acme, ""Inc""","5"\n"002","",\n"003","multi\nline\r\nvalue","7"\n',
    nulls: '"Id","A","B"\n"001",,\n"002","x",\n',
    noTrailingNewline: '"Id","A"\n"001","x"\n"002","y"',
    unquoted: 'Id,A\n001,x\n002,\n',
    bom: '\ufeff"Id","A"\n"001","x"\n',
    crlf: '"Id","A"\r\n"001","x"\r\n"002","y"\r\n',
    blankLineMidway: '"Id","A"\n"001","x"\n\n"002","y"\n"003","z"\n',
  };
  for (const [name, body] of Object.entries(pages)) {
    it(`reads the ${name} page as csv-parse does`, async () => {
      const want = reference(body);
      const got = await allRows(body);
      assert.deepEqual(got.header, want[0]);
      assert.deepEqual(got.rows, want.slice(1));
    });
  }

  it('batches rows and stops the fast parser at the first odd row', () => {
    const body = '"Id","A"\n"001","x"\n"002","y"\r\n"003","z"\n';
    const head = parseCsvRows(body, 0, 1, -1);
    assert.deepEqual(head.rows, [['Id', 'A']]);
    const r = parseCsvRows(body, head.next, 10, 2);
    assert.deepEqual(r.rows, [['001', 'x']]);
    assert.equal(body.slice(r.failedAt), '"002","y"\r\n"003","z"\n');
  });

  it('splits a page into batches of the asked size', async () => {
    const body = `"Id"\n${Array.from({ length: 7 }, (_, i) => `"${i}"\n`).join('')}`;
    const got = await allRows(body, 3);
    assert.equal(got.batches, 3);
    assert.equal(got.rows.length, 7);
  });

  it('rejects a row whose width differs from the header', async () => {
    await assert.rejects(allRows('"Id","A"\n"001"\n'), /bulk|cells|CSV/i);
  });
});
