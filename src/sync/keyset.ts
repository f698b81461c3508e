/**
 * The exact incremental cursor: keyset on (cursor field, Id). Never a lookback guess — rows that
 * share a timestamp are ordered by Id, so a page boundary inside a tie loses nothing:
 * `WHERE (f > :t OR (f = :t AND Id > :id)) ORDER BY f, Id`.
 */
export interface Cursor {
  /** ISO-8601 UTC datetime of the last row committed (`2024-01-02T03:04:05.000Z`). */
  at: string;
  /** Id of the last row committed at `at`. */
  id: string;
}

/** A SOQL datetime literal (unquoted, UTC, Z). */
export function soqlDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`cursor datetime "${iso}" is not ISO-8601`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A quoted SOQL string literal. */
export function soqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface KeysetQuery {
  object: string;
  fields: string[];
  cursorField: string;
  cursor: Cursor | undefined;
  /** Extra condition ANDed in (already valid SOQL). */
  where?: string;
  /**
   * Read only rows stamped before this instant (exclusive): the start of the server's current
   * second. Rows of the current second may still gain siblings with smaller Ids (an older record
   * updated later in the same second); reading them next run keeps the keyset exact.
   */
  before?: string;
  limit?: number;
}

export function keysetSoql(q: KeysetQuery): string {
  const f = q.cursorField;
  const conds: string[] = [];
  if (q.cursor) {
    const t = soqlDateTime(q.cursor.at);
    conds.push(`(${f} > ${t} OR (${f} = ${t} AND Id > ${soqlString(q.cursor.id)}))`);
  }
  if (q.before) conds.push(`${f} < ${soqlDateTime(q.before)}`);
  if (q.where) conds.push(`(${q.where})`);
  const fields = [...new Set(['Id', f, ...q.fields])];
  return `SELECT ${fields.join(', ')} FROM ${q.object}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''} ORDER BY ${f} ASC, Id ASC${q.limit ? ` LIMIT ${q.limit}` : ''}`;
}

/** Compares two cursors (null-safe): negative when a < b. */
export function compareCursor(a: Cursor, b: Cursor): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
