/**
 * Salesforce's text forms of values → PostgreSQL's binary forms (what binary COPY carries), read
 * straight from the bytes of a CSV cell: each function checks the cell is in the form Salesforce
 * writes and returns NaN / -1 when it is not, so the caller can hand the row to the general path.
 */

/** How a CSV column's cells are written (encodeValue). */
export const Enc = {
  Text: 0,
  Bool: 1,
  Int4: 2,
  Int8: 3,
  Float8: 4,
  Date: 5,
  Timestamptz: 6,
  Time: 7,
} as const;

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TWO32 = 4294967296;

/** `v` as a big-endian int32 at `o` (bytes take their value modulo 256); returns `o + 4`. */
export function putI32(buf: Uint8Array, o: number, v: number): number {
  buf[o] = v >>> 24;
  buf[o + 1] = v >>> 16;
  buf[o + 2] = v >>> 8;
  buf[o + 3] = v;
  return o + 4;
}

/** A safe integer as a big-endian int64 at `o`; returns `o + 8`. */
export function putSafeInt64(buf: Uint8Array, o: number, v: number): number {
  const hi = Math.floor(v / TWO32);
  putI32(buf, o, hi);
  return putI32(buf, o + 4, v - hi * TWO32);
}

/**
 * `seconds * 1e6 + us` as a big-endian int64 at `o`, exactly: the product passes 2^53 for
 * instants ~285 years from 2000 (Salesforce takes 1700–4000), so it is built in 32-bit halves.
 */
export function putMicros(buf: Uint8Array, o: number, seconds: number, us: number): number {
  const sh = Math.floor(seconds / 65536);
  const sl = seconds - sh * 65536;
  const a = sh * 1e6;
  const ah = Math.floor(a / 65536);
  const rest = (a - ah * 65536) * 65536 + sl * 1e6 + us;
  const carry = Math.floor(rest / TWO32);
  putI32(buf, o, ah + carry);
  return putI32(buf, o + 4, rest - carry * TWO32);
}

/** `n` decimal digits at `at` as a number, NaN when one is not a digit. */
export function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = b[at + k]! - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days civilDays computed, by `y * 416 + m * 32 + d` (a direct-mapped table of 256): the rows of a
 * page share a few hundred days, and a row's datetimes take turns (created, modified, stamp).
 */
const DAY_KEYS = new Int32Array(256).fill(-1);
const DAY_VALUES = new Int32Array(256);

/** `yyyy-mm-dd` at `at` (separators checked by the caller) as days since 2000-01-01, NaN if no such day. */
export function civilDays(b: Uint8Array, at: number): number {
  let y = digits(b, at, 4);
  const m = digits(b, at + 5, 2);
  const d = digits(b, at + 8, 2);
  const key = y * 416 + m * 32 + d;
  const slot = (key ^ (key >>> 8)) & 255;
  if (DAY_KEYS[slot] === key) return DAY_VALUES[slot]!;
  if (!(y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!))) return Number.NaN;
  // Days from civil (H. Hinnant): a year starts in March, so leap days fall at its end.
  if (m <= 2) y--;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468 - 10957; // 0000-03-01 → 1970-01-01 → 2000-01-01
  DAY_KEYS[slot] = key;
  DAY_VALUES[slot] = days;
  return days;
}

/** Whole seconds since 2000-01-01Z of `yyyy-mm-ddThh:mm:ss.sssZ` (or `+0000`) at [from, to), NaN otherwise. */
export function timestampSeconds(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  const zone =
    n === 24
      ? b[from + 23] === 90 // Z
      : n === 28 && b[from + 23] === 43 && b[from + 24] === 48 && b[from + 25] === 48 && b[from + 26] === 48 && b[from + 27] === 48; // +0000
  if (!zone || b[from + 4] !== 45 || b[from + 7] !== 45 || b[from + 10] !== 84 || b[from + 13] !== 58 || b[from + 16] !== 58 || b[from + 19] !== 46)
    return Number.NaN;
  const days = civilDays(b, from);
  const h = digits(b, from + 11, 2);
  const mi = digits(b, from + 14, 2);
  const s = digits(b, from + 17, 2);
  if (!(h <= 23 && mi <= 59 && s <= 59) || Number.isNaN(digits(b, from + 20, 3))) return Number.NaN;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

/** µs since 2000-01-01Z of a canonical datetime cell (an exact order, not an exact value past 2^53), NaN otherwise. */
export function timestampMicros(b: Uint8Array, from: number, to: number): number {
  const s = timestampSeconds(b, from, to);
  return s * 1e6 + digits(b, from + 20, 3) * 1000;
}

/** `hh:mm:ss.sss` with an optional `Z` as µs since midnight, NaN otherwise. */
export function timeMicros(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if (!(n === 12 || (n === 13 && b[from + 12] === 90)) || b[from + 2] !== 58 || b[from + 5] !== 58 || b[from + 8] !== 46) return Number.NaN;
  const h = digits(b, from, 2);
  const m = digits(b, from + 3, 2);
  const s = digits(b, from + 6, 2);
  const ms = digits(b, from + 9, 3);
  if (!(h <= 23 && m <= 59 && s <= 59 && ms >= 0)) return Number.NaN;
  return ((h * 60 + m) * 60 + s) * 1e6 + ms * 1000;
}

/** `-?digits` (1 to `max` of them) as a number, NaN otherwise. */
export function parseInteger(b: Uint8Array, from: number, to: number, max: number): number {
  const neg = b[from] === 45;
  const start = neg ? from + 1 : from;
  const n = to - start;
  if (n < 1 || n > max) return Number.NaN;
  const v = digits(b, start, n);
  return neg ? -v : v;
}

/**
 * A JSON-form number as the double PostgreSQL's float8in would read: plain decimals with a
 * mantissa below 2^53 as mantissa ÷ 10^k (both exact, so the quotient is correctly rounded —
 * what strtod gives); anything else through Number(). NaN when the cell is not such a number or
 * its value is out of a double's range either way (the general path then decides). -0 reads 0,
 * as the general path's parameter does.
 */
export function parseDouble(b: Buffer, from: number, to: number): number {
  const neg = b[from] === 45;
  let i = neg ? from + 1 : from;
  let m = 0;
  let intDigits = 0;
  let fracDigits = 0;
  for (; i < to; i++, intDigits++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
  }
  if (i < to && b[i] === 46) {
    for (i++; i < to; i++, fracDigits++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      m = m * 10 + d;
    }
    if (fracDigits === 0) return Number.NaN;
  }
  if (intDigits > 0 && i === to && m < 2 ** 53 && fracDigits <= 22) {
    const v = fracDigits ? m / POW10[fracDigits]! : m;
    return neg && v !== 0 ? -v : v; // -0 is stored as 0, as the general path's parameter ('0') is
  }
  if (!isNumber(b, from, to)) return Number.NaN;
  const v = Number(b.toString('latin1', from, to));
  if (!Number.isFinite(v)) return Number.NaN;
  if (v === 0) {
    // An underflow to zero: left to the general path, whatever it makes of it.
    for (let k = from; k < to && b[k] !== 101 && b[k] !== 69; k++) if (b[k]! >= 49 && b[k]! <= 57) return Number.NaN;
    return 0;
  }
  return v;
}

/** A JSON number (`-?int(.frac)?(e[+-]?int)?`): what both PostgreSQL and JSON take as is. */
export function isNumber(b: Uint8Array, from: number, to: number): boolean {
  let i = from;
  if (b[i] === 45) i++; // -
  let s = i;
  while (i < to && b[i]! >= 48 && b[i]! <= 57) i++;
  if (i === s) return false;
  if (i < to && b[i] === 46) {
    s = ++i;
    while (i < to && b[i]! >= 48 && b[i]! <= 57) i++;
    if (i === s) return false;
  }
  if (i < to && (b[i] === 101 || b[i] === 69)) {
    i++;
    if (b[i] === 43 || b[i] === 45) i++;
    s = i;
    while (i < to && b[i]! >= 48 && b[i]! <= 57) i++;
    if (i === s) return false;
  }
  return i === to;
}

/** Whether the cell [from, to) of `b` reads `true`. */
export const isTrue = (b: Uint8Array, from: number, to: number) =>
  to - from === 4 && b[from] === 116 && b[from + 1] === 114 && b[from + 2] === 117 && b[from + 3] === 101;

/** Whether the cell [from, to) of `b` reads `false`. */
export const isFalse = (b: Uint8Array, from: number, to: number) =>
  to - from === 5 && b[from] === 102 && b[from + 1] === 97 && b[from + 2] === 108 && b[from + 3] === 115 && b[from + 4] === 101;

/**
 * A non-text cell [from, to) as length + value at `o` of `buf` (which has room for 12 bytes);
 * returns the offset after it, or -1 when the cell is not in the form Salesforce writes.
 */
export function encodeValue(enc: number, b: Buffer, from: number, to: number, buf: Buffer, o: number): number {
  switch (enc) {
    case Enc.Bool: {
      const v = isTrue(b, from, to) ? 1 : isFalse(b, from, to) ? 0 : -1;
      if (v < 0) return -1;
      putI32(buf, o, 1);
      buf[o + 4] = v;
      return o + 5;
    }
    case Enc.Int4: {
      const v = parseInteger(b, from, to, 10);
      if (!(v >= -2147483648 && v <= 2147483647)) return -1;
      putI32(buf, o, 4);
      return putI32(buf, o + 4, v);
    }
    case Enc.Int8: {
      const v = parseInteger(b, from, to, 16);
      if (!Number.isSafeInteger(v)) return -1; // past 2^53 the general path (numeric text) keeps it exact
      putI32(buf, o, 8);
      return putSafeInt64(buf, o + 4, v);
    }
    case Enc.Float8: {
      const v = parseDouble(b, from, to);
      if (Number.isNaN(v)) return -1;
      putI32(buf, o, 8);
      F64[0] = v;
      for (let k = 0; k < 8; k++) buf[o + 4 + k] = F64_BYTES[BIG_ENDIAN ? k : 7 - k]!;
      return o + 12;
    }
    case Enc.Date: {
      const d = to - from === 10 && b[from + 4] === 45 && b[from + 7] === 45 ? civilDays(b, from) : Number.NaN;
      if (Number.isNaN(d)) return -1;
      putI32(buf, o, 4);
      return putI32(buf, o + 4, d);
    }
    case Enc.Timestamptz: {
      const seconds = timestampSeconds(b, from, to);
      if (Number.isNaN(seconds)) return -1;
      putI32(buf, o, 8);
      return putMicros(buf, o + 4, seconds, digits(b, from + 20, 3) * 1000);
    }
    case Enc.Time: {
      const us = timeMicros(b, from, to);
      if (Number.isNaN(us)) return -1;
      putI32(buf, o, 8);
      return putSafeInt64(buf, o + 4, us);
    }
    default:
      return -1;
  }
}
