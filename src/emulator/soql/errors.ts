/**
 * Salesforce's SOQL error bodies. Query errors that point at a place in the query carry the caret
 * preamble Salesforce prints (shared/reference/salesforce-wire.md §2.2):
 *
 * ```
 * \nSELECT Id, FROM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FROM'
 * ```
 *
 * Salesforce shows a window of the offending line; the emulator shows the whole line (simpler, and
 * clients only parse the code and the last line). The numbers follow the observed sample above:
 * `Column` is the token's 0-based offset in its line and the caret sits one place before the token.
 */
import { SfHttpError } from '../http/respond.js';

/** `\n{line}\n{caret}\nERROR at Row:r:Column:c\n` for a 0-based character offset into `soql`. */
export function caretPreamble(soql: string, offset: number): string {
  const at = Math.max(0, Math.min(offset, soql.length));
  const before = soql.slice(0, at);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', at) === -1 ? soql.length : soql.indexOf('\n', at);
  const col = at - lineStart;
  return `\n${soql.slice(lineStart, lineEnd)}\n${' '.repeat(Math.max(0, col - 1))}^\nERROR at Row:${row}:Column:${col}\n`;
}

/** Spans `[start, end)` of quoted string literals, so searches skip text inside them. */
function stringSpans(soql: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < soql.length; i++) {
    if (soql[i] !== "'") continue;
    const start = i;
    for (i++; i < soql.length && soql[i] !== "'"; i++) if (soql[i] === '\\') i++;
    spans.push([start, i + 1]);
  }
  return spans;
}

const WORD = /[A-Za-z0-9_]/;

/**
 * Offsets where `text` occurs in `soql` as a whole token (case-insensitive, outside string
 * literals), in order. Used to point the caret at a field or object named in an error.
 */
export function tokenOffsets(soql: string, text: string): number[] {
  if (!text) return [];
  const spans = stringSpans(soql);
  const hay = soql.toLowerCase();
  const needle = text.toLowerCase();
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + 1)) {
    if (spans.some(([s, e]) => i >= s && i < e)) continue;
    const prev = soql[i - 1] ?? ' ';
    const next = soql[i + needle.length] ?? ' ';
    if (WORD.test(needle[0]!) && (WORD.test(prev) || prev === '.')) continue;
    if (WORD.test(needle[needle.length - 1]!) && WORD.test(next)) continue;
    out.push(i);
  }
  return out;
}

/** A MALFORMED_QUERY error, with the caret preamble when the position is known. */
export function malformed(message: string, soql?: string, offset?: number): SfHttpError {
  const pre = soql !== undefined && offset !== undefined ? caretPreamble(soql, offset) : '';
  return SfHttpError.of(400, 'MALFORMED_QUERY', pre + message);
}

/** A feature of SOQL the emulator does not implement: refused, never answered wrongly. */
export function unsupported(what: string): SfHttpError {
  return SfHttpError.of(400, 'MALFORMED_QUERY', `${what} is not supported by the forcebridge emulator`);
}

/** An error with the caret at the first whole-token occurrence of `text` (or no caret). */
export function errorAt(errorCode: string, message: string, soql: string | undefined, text: string): SfHttpError {
  const at = soql === undefined ? undefined : tokenOffsets(soql, text)[0];
  return SfHttpError.of(400, errorCode, (soql !== undefined && at !== undefined ? caretPreamble(soql, at) : '') + message);
}

/** 400 INVALID_FIELD `No such column 'X' on entity 'Y'. ...` with the caret at the field. */
export function noSuchColumn(soql: string | undefined, raw: string, column: string, entity: string): SfHttpError {
  return errorAt(
    'INVALID_FIELD',
    `No such column '${column}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' ` +
      `after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    soql,
    raw,
  );
}

/** 400 INVALID_FIELD for an unknown relationship in a field path (`Foo.Name`). */
export function badRelationship(soql: string | undefined, raw: string, rel: string): SfHttpError {
  return errorAt(
    'INVALID_FIELD',
    `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to ` +
      `append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    soql,
    raw,
  );
}

/** 400 INVALID_TYPE `sObject type 'X' is not supported. ...` with the caret at the object. */
export function invalidType(soql: string | undefined, name: string): SfHttpError {
  return errorAt(
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' ` +
      `after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    soql,
    name,
  );
}
