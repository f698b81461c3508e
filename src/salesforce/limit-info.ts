/**
 * `Sforce-Limit-Info: api-usage=18/5000[; per-app-api-usage=17/250(appName=x)]` → numbers.
 */
export interface ApiUsage {
  used: number;
  max: number;
}

export function parseLimitInfo(header: string | undefined): ApiUsage | undefined {
  if (!header) return undefined;
  const m = /api-usage=(\d+)\/(\d+)/.exec(header);
  if (!m) return undefined;
  return { used: Number(m[1]), max: Number(m[2]) };
}
