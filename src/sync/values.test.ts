import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syncFields } from './fields.js';
import { csvRowBuilder, isoDateTime, jsonText, rowFromRest } from './values.js';

describe('sync values', () => {
  it('isoDateTime keeps Salesforce forms without a Date round trip and normalises the rest', () => {
    assert.equal(isoDateTime('2024-01-02T03:04:05.000Z'), '2024-01-02T03:04:05.000Z');
    assert.equal(isoDateTime('2024-01-02T03:04:05.000+0000'), '2024-01-02T03:04:05.000Z');
    assert.equal(isoDateTime('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05.000Z');
    assert.equal(isoDateTime('2024-01-02T03:04:05.000-0700'), '2024-01-02T10:04:05.000Z');
    assert.throws(() => isoDateTime('2024-13-02T03:04:05.000Z'), /not a datetime/);
    assert.throws(() => isoDateTime('yesterday'), /not a datetime/);
  });

  it('a compound field from CSV cells is the JSON text JSON.stringify gives for its REST value', () => {
    const fields = syncFields([
      { name: 'Id', type: 'id' },
      { name: 'MailingStreet', type: 'textarea', compoundFieldName: 'MailingAddress' },
      { name: 'MailingCity', type: 'string', compoundFieldName: 'MailingAddress' },
      { name: 'MailingLatitude', type: 'double', compoundFieldName: 'MailingAddress' },
      { name: 'MailingAddress', type: 'address' },
    ]);
    const byName = new Map(fields.map((f) => [f.field.toLowerCase(), f]));
    const header = ['Id', 'MailingStreet', 'MailingCity', 'MailingLatitude'];
    const build = csvRowBuilder(fields, new Map(header.map((h, i) => [h.toLowerCase(), i])), byName);
    const at = fields.findIndex((f) => f.field === 'MailingAddress');
    const cases: [string[], Record<string, unknown>][] = [
      [['003A', '1 "Main" St\n\\2', 'Zürich', '47.5'], { MailingStreet: '1 "Main" St\n\\2', MailingCity: 'Zürich', MailingLatitude: 47.5 }],
      [['003B', '', 'Only', ''], { MailingStreet: null, MailingCity: 'Only', MailingLatitude: null }],
      [['003E', 'tab\there \u0001 😀', 'plain', '-0.5'], { MailingStreet: 'tab\there \u0001 😀', MailingCity: 'plain', MailingLatitude: -0.5 }],
      [['003C', '', '', 'not a number'], { MailingStreet: null, MailingCity: null, MailingLatitude: Number.NaN }],
    ];
    for (const [cells, rest] of cases) {
      const fromCsv = build(cells)[at]!;
      const fromRest = rowFromRest(fields, { Id: cells[0], MailingAddress: null, ...rest }, byName)[at]!;
      assert.equal(typeof fromCsv, 'string');
      assert.equal(fromCsv, jsonText(fromRest), cells.join('|'));
    }
    assert.equal(build(['003D', '', '', ''])[at], null, 'all components empty → null');
  });
});
