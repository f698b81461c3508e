/**
 * Result-page locators (`Sforce-Locator` header, `locator` query parameter). From API v49 a locator
 * is an opaque string — in practice the unpadded base64 of the row offset (`MTAwMDA` = "10000");
 * up to v48 it is the plain number. The last page carries the string `null`.
 * https://developer.salesforce.com/docs/atlas.ja-jp.228.0.api_bulk_v2.meta/api_bulk_v2/query_get_job_results.htm
 */

/** The locator value of the last page. */
export const LAST_PAGE = 'null';

function opaque(apiVersion: string): boolean {
  return Number.parseFloat(apiVersion) >= 49;
}

/** Locator for the page starting at row `offset`. */
export function encodeLocator(offset: number, apiVersion: string): string {
  const digits = String(offset);
  return opaque(apiVersion) ? Buffer.from(digits, 'utf8').toString('base64').replace(/=+$/, '') : digits;
}

/**
 * The row offset a locator stands for, or undefined when it is not one this job could have handed
 * out (not decodable, not a whole number, or past `total`).
 */
export function decodeLocator(locator: string, apiVersion: string, total: number): number | undefined {
  let digits = locator;
  if (opaque(apiVersion)) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(locator)) return undefined;
    digits = Buffer.from(locator, 'base64').toString('utf8');
  }
  if (!/^(0|[1-9]\d*)$/.test(digits)) return undefined;
  const offset = Number(digits);
  return offset <= total ? offset : undefined;
}
