import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDateTime, parseDate, parseDateTime } from './format.js';

describe('formatDateTime', () => {
  it('renders UTC with millis and a colon-less offset', () => {
    assert.equal(formatDateTime(Date.UTC(2013, 4, 20, 20, 49, 32)), '2013-05-20T20:49:32.000+0000');
  });
});

describe('parseDateTime', () => {
  it('accepts Z, ±hh:mm and ±hhmm offsets', () => {
    const want = Date.UTC(2024, 0, 2, 3, 4, 5);
    assert.equal(parseDateTime('2024-01-02T03:04:05Z'), want);
    assert.equal(parseDateTime('2024-01-02T03:04:05.000+0000'), want);
    assert.equal(parseDateTime('2024-01-02T05:04:05+02:00'), want);
  });
  it('rejects garbage', () => {
    assert.equal(parseDateTime('yesterday'), undefined);
  });
});

describe('parseDate', () => {
  it('validates calendar dates', () => {
    assert.equal(parseDate('2024-02-29'), '2024-02-29');
    assert.equal(parseDate('2023-02-29'), undefined);
  });
});
