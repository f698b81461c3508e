import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { pageRows } from './bulk-reader.js';
import { pageText, WideBytes } from './csv-bytes.js';

const rowsOf = (body: string | Uint8Array) => {
  const out: string[][] = [];
  let header: string[] | undefined;
  for (const b of pageRows(body, 2, 'test page')) {
    header = b.header;
    out.push(...b.rows);
  }
  return { header, rows: out };
};

/** The page's bytes at an odd offset of a larger buffer (so word-aligned scanning meets both ends). */
const oddBytes = (text: string): Uint8Array => {
  const b = Buffer.from(`xyz${text}`, 'utf8');
  return b.subarray(3);
};

const reference = (body: string) => parse(body, { bom: true, skip_empty_lines: true }) as string[][];

describe('Bulk CSV pages read from bytes', () => {
  const pages = {
    ascii: '"Id","Name"\n"001","Acme"\n"002",\n',
    accents: '"Id","City","Note"\n"001","São Paulo","plain"\n"002","Zürich","naïve ""quoted"" café"\n"003",,"x"\n',
    wide: '"Id","Name"\n"001","日本語の名前"\n"002","emoji 😀 at the end 😀"\n"003","ascii again"\n',
    unquoted: 'Id,Name\n001,Müller\n002,plain\n003,Ærø\n',
    multiline: '"Id","Note"\n"001","line one\nlíne two"\n"002","ok"\n',
    crlf: '"Id","Name"\r\n"001","Ørsted"\r\n"002","Łódź"\r\n',
    bom: '\ufeff"Id","Name"\n"001","Café"\n',
    nonAsciiHeader: '"Id","Nämé"\n"001","x"\n',
  };
  for (const [name, text] of Object.entries(pages)) {
    it(`reads the ${name} page as its decoded text reads`, () => {
      const fromBytes = rowsOf(oddBytes(text));
      const want = reference(text);
      assert.deepEqual(fromBytes.header, want[0]);
      assert.deepEqual(fromBytes.rows, want.slice(1));
      assert.deepEqual(fromBytes, rowsOf(text));
    });
  }

  it('gives bytes that are not UTF-8 the replacement character, as decoding the whole page does', () => {
    const bytes = Buffer.concat([Buffer.from('"Id","Name"\n"001","a'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('b"\n"002","ok"\n')]);
    assert.deepEqual(rowsOf(bytes), rowsOf(bytes.toString('utf8')));
    assert.equal(rowsOf(bytes).rows[0]![1], 'a\ufffd(\ufffdb');
  });

  it('finds every non-ASCII byte, at both unaligned ends and inside words', () => {
    for (let offset = 0; offset < 4; offset++) {
      const text = 'é'.padEnd(offset + 9, 'a') + 'ü' + 'b'.repeat(offset) + 'ñ';
      const bytes = Buffer.from(`${'-'.repeat(offset)}${text}`, 'utf8').subarray(offset);
      const wide = WideBytes.of(bytes)!;
      const want: number[] = [];
      bytes.forEach((b, i) => b >= 0x80 && want.push(i));
      const got: number[] = [];
      for (let at = wide.from(0); at !== Infinity; at = wide.from(at + 1)) got.push(at);
      assert.deepEqual(got, want);
      // Asking again from an earlier position finds the same bytes.
      assert.equal(wide.from(0), want[0]);
    }
    assert.equal(WideBytes.of(Buffer.from('all ascii')), undefined);
  });

  it('reads bytes as one character per byte, and the rest for the general parser as UTF-8', () => {
    const bytes = Buffer.from('\ufeffId\nSão\n', 'utf8');
    const page = pageText(bytes);
    assert.equal(page.start, 3);
    assert.equal(page.text.length, bytes.length);
    assert.equal(page.rest(page.text.indexOf('S')), 'São\n');
  });
});
