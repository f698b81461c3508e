import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Enc, encodeValue, parseDouble, putMicros, timestampMicros } from './pg-binary.js';

const EPOCH_2000 = Date.UTC(2000, 0, 1);

/** A cell encoded alone: its bytes after the length, or undefined when it is refused. */
function encode(enc: number, cell: string): Buffer | undefined {
  const b = Buffer.from(cell, 'latin1');
  const out = Buffer.alloc(16);
  const end = encodeValue(enc, b, 0, b.length, out, 0);
  if (end < 0) return undefined;
  assert.equal(out.readInt32BE(0), end - 4, 'the length says how many bytes follow');
  return out.subarray(4, end);
}

/** A deterministic pseudo-random sequence (the same cases every run). */
function* random(n: number, seed = 42): Generator<number> {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x / 2147483648;
  }
}

describe('PostgreSQL binary values from Salesforce cells', () => {
  it('datetimes: µs since 2000-01-01Z as an exact int64, also where µs pass 2^53 (years 1700 and 3999)', () => {
    for (const r of random(2000)) {
      const ms = Math.floor(Date.UTC(1700, 0, 1) + r * (Date.UTC(4000, 0, 1) - Date.UTC(1700, 0, 1)));
      const iso = new Date(ms).toISOString();
      const got = encode(Enc.Timestamptz, iso)!;
      assert.equal(got.readBigInt64BE(0), BigInt(ms - EPOCH_2000) * 1000n, iso);
      assert.deepEqual(encode(Enc.Timestamptz, `${iso.slice(0, 23)}+0000`), got, 'the REST form reads the same');
    }
    for (const bad of [
      '2024-02-30T00:00:00.000Z',
      '2024-01-01T23:60:00.000Z',
      '2024-01-01T10:00:00Z',
      '2024-01-01 10:00:00.000Z',
      '2024-01-01T10:00:00.000+0100',
    ])
      assert.equal(encode(Enc.Timestamptz, bad), undefined, bad);
  });

  it('putMicros writes seconds × 10^6 + µs exactly for negative and large seconds', () => {
    const buf = Buffer.alloc(8);
    for (const s of [0, 1, -1, 65535, 65536, -65537, 2 ** 37, -(2 ** 37), 9_000_000_000, -9_000_000_000]) {
      for (const us of [0, 1, 999_999]) {
        putMicros(buf, 0, s, us);
        assert.equal(buf.readBigInt64BE(0), BigInt(s) * 1_000_000n + BigInt(us), `${s} s ${us} µs`);
      }
    }
  });

  it('dates: days since 2000-01-01 for every day of four centuries (leap years included), nothing else', () => {
    for (let ms = Date.UTC(1800, 0, 1); ms < Date.UTC(2200, 0, 1); ms += 86_400_000) {
      const day = new Date(ms).toISOString().slice(0, 10);
      assert.equal(encode(Enc.Date, day)!.readInt32BE(0), (ms - EPOCH_2000) / 86_400_000, day);
    }
    for (const bad of ['2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-1-01', '0000-01-01']) assert.equal(encode(Enc.Date, bad), undefined, bad);
  });

  it('doubles: the value Number() reads (what strtod gives PostgreSQL), -0 as 0; other forms refused', () => {
    const cases = [
      '0',
      '1',
      '-1',
      '0.1',
      '0.30000000000000004',
      '123456.789',
      '-98765.4321',
      '9007199254740991',
      '9007199254740993',
      '1.7976931348623157e308',
      '5e-324',
      '2.5E+10',
    ];
    for (const r of random(3000, 7)) cases.push((r * 10 ** Math.floor(r * 20)).toFixed(Math.floor(r * 12)));
    for (const c of cases) {
      const got = encode(Enc.Float8, c)!;
      assert.ok(got, c);
      assert.equal(got.readDoubleBE(0), Number(c), c);
      assert.equal(parseDouble(Buffer.from(c), 0, c.length), Number(c), c);
    }
    assert.ok(Object.is(encode(Enc.Float8, '-0')!.readDoubleBE(0), 0));
    for (const bad of ['+1', '1.', '.5', '1e', '0x10', 'NaN', 'Infinity', '1e400', '1e-400', '1,5']) assert.equal(encode(Enc.Float8, bad), undefined, bad);
  });

  it('integers, bigints, booleans and times', () => {
    assert.equal(encode(Enc.Int4, '-2147483648')!.readInt32BE(0), -2147483648);
    assert.equal(encode(Enc.Int4, '2147483647')!.readInt32BE(0), 2147483647);
    for (const bad of ['2147483648', '1.0', '+1', '', '-', '1e3']) assert.equal(encode(Enc.Int4, bad), undefined, bad);
    assert.equal(encode(Enc.Int8, '-9007199254740991')!.readBigInt64BE(0), -9007199254740991n);
    assert.equal(encode(Enc.Int8, '9007199254740993'), undefined, 'past 2^53: the general path');
    assert.deepEqual([...encode(Enc.Bool, 'true')!, ...encode(Enc.Bool, 'false')!], [1, 0]);
    assert.equal(encode(Enc.Bool, 'TRUE'), undefined);
    assert.equal(encode(Enc.Time, '23:59:59.999Z')!.readBigInt64BE(0), 86_399_999_000n);
    assert.equal(encode(Enc.Time, '08:30:00.000')!.readBigInt64BE(0), 30_600_000_000n);
    for (const bad of ['24:00:00.000Z', '8:30:00.000Z', '08:30:00Z']) assert.equal(encode(Enc.Time, bad), undefined, bad);
  });

  it('orders cursor datetimes as the instants they name', () => {
    const at = (s: string) => timestampMicros(Buffer.from(s), 0, s.length);
    assert.ok(at('2024-03-01T10:00:00.001Z') > at('2024-03-01T10:00:00.000Z'));
    assert.equal(at('2024-03-01T10:00:00.000Z'), at('2024-03-01T10:00:00.000+0000'));
    assert.ok(at('3999-12-31T23:59:59.999Z') > at('3999-12-31T23:59:59.998Z'), 'a millisecond apart past 2^53 µs');
    assert.ok(Number.isNaN(at('2024-03-01')));
  });
});
