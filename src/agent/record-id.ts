/**
 * Salesforce record ids as agent input: 15 characters (case-sensitive) or 18 (case-insensitive,
 * the last 3 a checksum of the letter case of the first 15). Written here rather than imported
 * from the emulator, which hub code never imports.
 *
 * @see https://help.salesforce.com/s/articleView?id=000385008&type=1
 */
import { invalidInput } from '../errors.js';

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix of the 18-character form of a 15-character id. */
export function idSuffix(id15: string): string {
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

/**
 * Checks `id` and returns its 18-character form; anything else is `agent.invalid_id` naming
 * `field` (wrong length, characters outside 0-9A-Za-z, or an 18-char id whose checksum does not
 * match — usually a mistyped or case-mangled id).
 */
export function checkRecordId(id: string, field = 'id'): string {
  if (!/^[0-9A-Za-z]+$/.test(id) || (id.length !== 15 && id.length !== 18)) {
    throw invalidInput(
      'agent.invalid_id',
      field,
      `"${id}" is not a Salesforce record id (15 or 18 letters and digits)`,
      'copy the Id from a query or search result',
    );
  }
  const id15 = id.slice(0, 15);
  const suffix = idSuffix(id15);
  if (id.length === 18 && id.slice(15).toUpperCase() !== suffix) {
    throw invalidInput(
      'agent.invalid_id',
      field,
      `"${id}" has a wrong checksum (its last 3 characters should be ${suffix})`,
      'the id was mistyped or its letter case changed; copy it again from a query or search result',
    );
  }
  return id15 + suffix;
}
