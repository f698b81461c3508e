/**
 * Salesforce value formats on the wire (shared/reference/salesforce-wire.md §4).
 * Datetimes are held internally as epoch milliseconds (UTC) and rendered as
 * `2013-05-20T20:49:32.000+0000`; dates as `YYYY-MM-DD` strings.
 */

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2013-05-20T20:49:32.000+0000` */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

/** `2013-05-20T20:49:32.000Z` (Bulk CSV, identity `updated_at`). */
export function formatDateTimeZ(ms: number): string {
  return new Date(ms).toISOString();
}

/** `YYYY-MM-DD` of an epoch-ms instant, in UTC. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** HTTP-date, e.g. `Tue, 23 Mar 2015 00:00:00 GMT` (Last-Modified). */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses the datetime forms Salesforce accepts on input: `YYYY-MM-DDThh:mm:ss(.SSS)(Z|±hh:mm|±hhmm)`;
 * a bare date is midnight UTC. Returns undefined when malformed.
 */
export function parseDateTime(text: string): number | undefined {
  const m = DATETIME_RE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', tz] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (Number.isNaN(ms)) return undefined;
  if (tz && tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    ms -= sign * offset * 60_000;
  }
  const check = new Date(ms);
  if (Number.isNaN(check.getTime())) return undefined;
  return ms;
}

/** Validates a `YYYY-MM-DD` date; returns it normalised or undefined. */
export function parseDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:Z)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (formatDate(ms) !== `${m[1]}-${m[2]}-${m[3]}`) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Parses an HTTP-date header (If-Modified-Since etc.); undefined when invalid. */
export function parseHttpDate(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
