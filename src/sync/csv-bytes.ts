/**
 * A Bulk CSV page read from its bytes as one-byte text. Decoding a page as UTF-8 makes the whole
 * page a two-byte string as soon as one character is not ASCII (one "São Paulo" in 10,000 rows
 * will do), and with it every cell sliced from it: twice the memory, and every string bound to
 * SQLite is then encoded to UTF-8 the slow way. Read as latin1 instead, character i is byte i, so
 * the page stays one-byte; the few cells holding non-ASCII bytes are found by position (WideBytes)
 * and only those are decoded as UTF-8 — the same text a whole-page decode gives them, because a
 * UTF-8 sequence never contains the ASCII bytes that delimit cells.
 */
import { isAscii } from 'node:buffer';

/** The positions of a page's non-ASCII bytes, walked forward as its cells are parsed. */
export class WideBytes {
  private k = 0;

  private constructor(private readonly at: Int32Array) {}

  /** The non-ASCII positions of `bytes`, or undefined when it is all ASCII (one native check). */
  static of(bytes: Uint8Array): WideBytes | undefined {
    if (isAscii(bytes)) return undefined;
    let at = new Int32Array(64);
    let n = 0;
    const add = (i: number) => {
      if (n === at.length) {
        const grown = new Int32Array(n * 2);
        grown.set(at);
        at = grown;
      }
      at[n++] = i;
    };
    // Four bytes at a time where aligned (a quarter of the steps of a byte loop), bytes at the ends.
    const len = bytes.length;
    const head = Math.min(len, (4 - (bytes.byteOffset & 3)) & 3);
    const words = (len - head) >>> 2;
    const tail = head + words * 4;
    for (let i = 0; i < head; i++) if (bytes[i]! >= 0x80) add(i);
    const w32 = new Uint32Array(bytes.buffer, bytes.byteOffset + head, words);
    for (let w = 0; w < words; w++) {
      if ((w32[w]! & 0x80808080) === 0) continue;
      for (let i = head + w * 4, end = i + 4; i < end; i++) if (bytes[i]! >= 0x80) add(i);
    }
    for (let i = tail; i < len; i++) if (bytes[i]! >= 0x80) add(i);
    return new WideBytes(at.subarray(0, n));
  }

  /** The first non-ASCII position at or after `from` (Infinity when none). */
  from(from: number): number {
    const at = this.at;
    // Parsing moves forward; a restart further back (a re-read row) searches again from the start.
    if (this.k > 0 && at[this.k - 1]! >= from) this.k = 0;
    while (this.k < at.length && at[this.k]! < from) this.k++;
    return this.k < at.length ? at[this.k]! : Infinity;
  }
}

/** A cell read as latin1 (one character per byte) → its UTF-8 text. */
export const utf8Cell = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('utf8');

/** A page's bytes as text for the CSV parser: one-byte, with where non-ASCII bytes are. */
export interface PageText {
  text: string;
  /** Where the CSV starts (after a byte-order mark). */
  start: number;
  /** Non-ASCII positions when `text` is latin1 read from bytes that are not all ASCII. */
  wide?: WideBytes;
  /** The text from `pos` on, decoded properly (for the general parser). */
  rest(pos: number): string;
}

/** A page body (text, or bytes read as described above) for the CSV parser. */
export function pageText(body: string | Uint8Array): PageText {
  if (typeof body === 'string') return { text: body, start: body.charCodeAt(0) === 0xfeff ? 1 : 0, rest: (pos) => body.slice(pos) };
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const wide = WideBytes.of(bytes);
  return { text: bytes.toString('latin1'), start, ...(wide ? { wide } : {}), rest: (pos) => bytes.toString('utf8', pos) };
}
