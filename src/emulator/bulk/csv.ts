/**
 * Bulk 2.0 query results as CSV: a header row of the SELECT's column names, then one row per
 * record. Every value is quoted as in Salesforce's doc sample (`"Id","Name"`), quotes are doubled,
 * and a null is an empty *unquoted* cell, as real orgs emit it (shared/reference/salesforce-wire.md
 * §3). Every row, the last included, ends with the job's line ending.
 */

export interface CsvFormat {
  /** The delimiter character (already mapped from COMMA, TAB...). */
  delimiter: string;
  /** `\n` or `\r\n`. */
  lineEnding: string;
}

/** One cell: null → empty; anything else quoted with inner quotes doubled. */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  return `"${value.includes('"') ? value.replace(/"/g, '""') : value}"`;
}

/** One row including its line ending. */
export function csvRow(cells: readonly (string | null)[], fmt: CsvFormat): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += fmt.delimiter;
    out += csvCell(cells[i] ?? null);
  }
  return out + fmt.lineEnding;
}

export interface CsvPage {
  header: readonly string[];
  /** Cells of row `i` in header order. */
  row(i: number): readonly (string | null)[];
  /** Half-open row range `[from, to)`. */
  from: number;
  to: number;
}

/** Rows rendered per stream chunk: small enough to keep memory flat, big enough to be cheap. */
const ROWS_PER_CHUNK = 1000;

/**
 * The page as a byte stream rendered on demand (pull-based), so a 50,000-row page never sits in
 * memory as one string and a slow client applies back-pressure.
 */
export function csvPageStream(page: CsvPage, fmt: CsvFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = page.from;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let text = '';
      if (!headerSent) {
        text += csvRow(page.header, fmt);
        headerSent = true;
      }
      const end = Math.min(page.to, next + ROWS_PER_CHUNK);
      for (; next < end; next++) text += csvRow(page.row(next), fmt);
      if (text) controller.enqueue(encoder.encode(text));
      if (next >= page.to) controller.close();
    },
  });
}

/** The whole page as one string (tests and small pages). */
export function csvPageText(page: CsvPage, fmt: CsvFormat): string {
  let text = csvRow(page.header, fmt);
  for (let i = page.from; i < page.to; i++) text += csvRow(page.row(i), fmt);
  return text;
}
