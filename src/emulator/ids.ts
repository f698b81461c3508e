/**
 * Salesforce record ids: 15-char case-sensitive ids and their 18-char case-insensitive form.
 *
 * The 3-char checksum: split the 15 chars into three 5-char chunks; for each chunk build a 5-bit
 * number whose bit i is set when char i of the chunk is an upper-case letter; map it through
 * `ABCDEFGHIJKLMNOPQRSTUVWXYZ012345`. See shared/reference/salesforce-wire.md §4.
 */

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 3-char suffix that turns a 15-char id into its 18-char form. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[A-Za-z0-5]{3})?$/;

/** True when `id` looks like a 15- or 18-char Salesforce id with a valid checksum. */
export function isValidId(id: string): boolean {
  if (!ID_SHAPE.test(id)) return false;
  if (id.length === 18) return idChecksum(id.slice(0, 15)) === id.slice(15).toUpperCase();
  return true;
}

/**
 * Normalises a 15- or 18-char id to the canonical 18-char form (the checksum upper-cased).
 * Returns undefined when the id is malformed.
 */
export function to18(id: string): string | undefined {
  if (!isValidId(id)) return undefined;
  const id15 = id.slice(0, 15);
  return id15 + idChecksum(id15);
}

/**
 * Makes ids for one org: `{prefix}{pod}0{counter base62, 9 chars}` + checksum. Counters are per
 * key prefix so ids are deterministic for a seeded generator regardless of object order.
 */
export class IdFactory {
  private readonly counters = new Map<string, number>();
  constructor(private readonly pod = 'Dn') {}

  /** Forgets all counters (org reset: ids repeat for the same seed). */
  reset(): void {
    this.counters.clear();
  }

  next(keyPrefix: string): string {
    if (!/^[a-zA-Z0-9]{3}$/.test(keyPrefix)) throw new Error(`key prefix "${keyPrefix}" must be 3 alphanumerics`);
    const n = (this.counters.get(keyPrefix) ?? 0) + 1;
    this.counters.set(keyPrefix, n);
    return IdFactory.make(keyPrefix, this.pod, n);
  }

  /** The id `next(keyPrefix)` would return, without consuming it. */
  peek(keyPrefix: string): string {
    return IdFactory.make(keyPrefix, this.pod, (this.counters.get(keyPrefix) ?? 0) + 1);
  }

  static make(keyPrefix: string, pod: string, n: number): string {
    let s = '';
    let v = n;
    while (v > 0) {
      s = BASE62[v % 62] + s;
      v = Math.floor(v / 62);
    }
    const id15 = keyPrefix + pod + '0' + s.padStart(9, '0');
    return id15 + idChecksum(id15);
  }
}
