import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvCell, csvPageStream, csvPageText, csvRow, type CsvPage } from './csv.js';

const COMMA_LF = { delimiter: ',', lineEnding: '\n' };

function page(rows: (string | null)[][], from = 0, to = rows.length): CsvPage {
  return { header: ['Id', 'Name'], row: (i) => rows[i]!, from, to };
}

describe('csvCell', () => {
  it('csvCell quotes values and doubles inner quotes', () => {
    assert.equal(csvCell('Acme'), '"Acme"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell(''), '""');
  });

  it('csvCell renders null as an empty unquoted cell', () => {
    assert.equal(csvCell(null), '');
  });
});

describe('csvRow', () => {
  it('csvRow joins with the delimiter and ends with the line ending', () => {
    assert.equal(csvRow(['a', null, 'c'], { delimiter: '\t', lineEnding: '\r\n' }), '"a"\t\t"c"\r\n');
  });
});

describe('csvPageStream', () => {
  it('csvPageStream streams the same bytes as csvPageText over many chunks', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => [`id${i}`, i % 7 === 0 ? null : `Name, "${i}"\nline`]);
    const p = page(rows, 10, 2410);
    const text = await new Response(csvPageStream(p, COMMA_LF)).text();
    assert.equal(text, csvPageText(p, COMMA_LF));
    const parsed = parse(text, { columns: true }) as Record<string, string>[];
    assert.equal(parsed.length, 2400);
    assert.deepEqual(parsed[0], { Id: 'id10', Name: 'Name, "10"\nline' });
    assert.equal(parsed[4]!.Name, '', 'row 14 is null → empty string for csv-parse');
  });

  it('csvPageStream sends only the header for an empty page', async () => {
    const text = await new Response(csvPageStream(page([]), COMMA_LF)).text();
    assert.equal(text, '"Id","Name"\n');
  });
});
