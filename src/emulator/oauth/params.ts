/**
 * Request parsing shared by the OAuth endpoints. Salesforce reads parameters from the query string
 * of a POST as well as from its body (vendor docs do the former with curl), accepts
 * `application/x-www-form-urlencoded` and `multipart/form-data` bodies, and takes client
 * credentials from the body or from HTTP Basic. Form decoding turns `+` into a space and `%XX`
 * into bytes, exactly as a form-encoding client expects.
 */
import type { Context } from 'hono';

/** Parameters of one OAuth request (body values win over query-string values). */
export class OAuthParams {
  constructor(private readonly values: Map<string, string>) {}

  /** A parameter's value; empty strings count as absent. */
  get(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** All parameters (for re-rendering forms). */
  entries(): [string, string][] {
    return [...this.values];
  }
}

/** Client credentials presented by the caller, from the body or `Authorization: Basic`. */
export interface ClientCredentials {
  clientId: string | undefined;
  clientSecret: string | undefined;
}

/** Reads the body as form fields: multipart via FormData, anything else as urlencoded text. */
async function bodyFields(c: Context): Promise<[string, string][]> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return [];
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.raw.formData();
    const out: [string, string][] = [];
    form.forEach((v, k) => {
      if (typeof v === 'string') out.push([k, v]);
    });
    return out;
  }
  // Salesforce treats a body without a content type as a form too (curl -d sends the right type).
  const text = await c.req.text();
  return [...new URLSearchParams(text)];
}

/** Merges query-string and body parameters of an OAuth request. */
export async function readOAuthParams(c: Context): Promise<OAuthParams> {
  const values = new Map<string, string>();
  for (const [k, v] of new URL(c.req.url).searchParams) values.set(k, v);
  for (const [k, v] of await bodyFields(c)) if (v !== '' || !values.has(k)) values.set(k, v);
  return new OAuthParams(values);
}

/** Decodes `Authorization: Basic base64(id:secret)`; undefined when absent or not Basic. */
export function basicCredentials(header: string | undefined): ClientCredentials | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { clientId: decoded || undefined, clientSecret: undefined };
  // Clients (simple-salesforce, curl -u) send the raw values, not RFC 6749's form-encoded ones.
  return { clientId: decoded.slice(0, colon) || undefined, clientSecret: decoded.slice(colon + 1) || undefined };
}

/** Client credentials: body parameters first, then HTTP Basic. */
export function clientCredentials(c: Context, params: OAuthParams): ClientCredentials {
  const basic = basicCredentials(c.req.header('authorization'));
  return {
    clientId: params.get('client_id') ?? basic?.clientId,
    clientSecret: params.get('client_secret') ?? basic?.clientSecret,
  };
}
