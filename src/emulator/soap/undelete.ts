/**
 * SOAP API `undelete()` (`POST /services/Soap/u/{version}`, partner WSDL): the only API call that
 * restores records from the Recycle Bin — the REST API has no undelete. The session comes from the
 * envelope's `SessionHeader/sessionId` (an OAuth access token works there), as on Salesforce.
 * Only `undelete` is served; any other operation answers a fault, so a client cannot mistake this
 * for a full SOAP API. Cascade-deleted children come back with their parent.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_undelete.htm
 */
import type { Context, Hono } from 'hono';
import type { EmuEnv } from '../http/env.js';
import { isValidId, to18 } from '../ids.js';
import type { Org } from '../org.js';
import { canEditRecord, canReadRecord, type Principal } from '../perms/access.js';
import type { ObjectDef, StoredRecord } from '../schema/types.js';

const ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const PARTNER_NS = 'urn:partner.soap.sforce.com';
const XML_TYPE = 'text/xml;charset=UTF-8';

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Text of every element with this local name, whatever its namespace prefix. */
function elements(xml: string, local: string): string[] {
  const re = new RegExp(`<(?:[A-Za-z0-9_]+:)?${local}(?:\\s[^>]*)?>([^<]*)</(?:[A-Za-z0-9_]+:)?${local}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1]!.trim());
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENV_NS}" xmlns="${PARTNER_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

/** A SOAP fault (HTTP 500, as Salesforce answers faults). */
function fault(c: Context<EmuEnv>, code: string, message: string): Response {
  const body = `<soapenv:Fault><faultcode xmlns:sf="urn:fault.partner.soap.sforce.com">sf:${code}</faultcode><faultstring>${xmlEscape(`${code}: ${message}`)}</faultstring></soapenv:Fault>`;
  return c.body(envelope(body), 500, { 'Content-Type': XML_TYPE });
}

interface UndeleteResult {
  id: string | null;
  errors: { statusCode: string; message: string }[];
}

/** Deleted children that went with `parent` (cascade-delete lookups, same deletion time). */
function cascadeDeleted(org: Org, def: ObjectDef, parent: StoredRecord, at: number | undefined, out: StoredRecord[], depth = 0): void {
  if (depth > 5) return;
  for (const rel of org.schema.childRelationships(def.name)) {
    if (!rel.cascadeDelete) continue;
    const table = org.data.table(rel.childSObject);
    for (const child of table.rows.values()) {
      if (child.IsDeleted !== true || child[rel.field] !== parent.Id || out.includes(child)) continue;
      if (org.data.deletions.get(child.Id as string)?.deletedDate !== at) continue;
      out.push(child);
      cascadeDeleted(org, table.def, child, at, out, depth + 1);
    }
  }
}

function undeleteOne(org: Org, principal: Principal, id: string): UndeleteResult {
  const fail = (statusCode: string, message: string): UndeleteResult => ({ id: null, errors: [{ statusCode, message }] });
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) || !isValidId(id)) return fail('MALFORMED_ID', `malformed id ${id}`);
  const found = org.data.find(to18(id)!);
  if (!found) return fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  const { def } = found.table;
  const rec = found.record;
  if (!def.flags.undeletable) return fail('UNDELETE_FAILED', `${def.label} records cannot be undeleted`);
  if (rec.IsDeleted !== true) return fail('UNDELETE_FAILED', 'Entity is not in the recycle bin');
  const deletion = org.data.deletions.get(rec.Id as string);
  if (deletion?.purged) return fail('ENTITY_IS_DELETED', 'entity is deleted');
  if (!canReadRecord(principal, def, { ...rec, IsDeleted: false }, org.data) || !canEditRecord(principal, def, rec, org.data, 'delete')) {
    return fail('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
  }
  const children: StoredRecord[] = [];
  cascadeDeleted(org, def, rec, deletion?.deletedDate, children);
  const now = org.clock.now();
  for (const r of [rec, ...children]) org.data.undelete(r, principal.userId, now);
  return { id: rec.Id as string, errors: [] };
}

function resultXml(r: UndeleteResult): string {
  const errors = r.errors.map((e) => `<errors><message>${xmlEscape(e.message)}</message><statusCode>${e.statusCode}</statusCode></errors>`).join('');
  const id = r.id ? `<id>${r.id}</id>` : '<id xsi:nil="true"/>';
  return `<result>${errors}${id}<success>${r.errors.length === 0}</success></result>`;
}

export function registerSoapUndelete(app: Hono<EmuEnv>, org: Org): void {
  app.post('/services/Soap/u/:version', async (c) => {
    const xml = await c.req.text();
    const sessionId = elements(xml, 'sessionId')[0];
    const found = sessionId ? org.tokens.lookupAccess(sessionId) : undefined;
    const user = found?.ok ? org.users.get(found.session.userId) : undefined;
    if (!found?.ok || !user || !user.config.active) return fault(c, 'INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
    if (!user.profile.apiEnabled) return fault(c, 'API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner');
    if (!/<(?:[A-Za-z0-9_]+:)?undelete[\s>]/.test(xml)) return fault(c, 'UNSUPPORTED_API_VERSION', 'the emulator serves only the undelete() SOAP call');
    if (!org.countApiCall()) return fault(c, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    c.set('counted', true);
    const ids = elements(xml, 'ids');
    if (ids.length === 0 || ids.length > 200) return fault(c, 'INVALID_BATCH_SIZE', 'undelete takes 1 to 200 ids');
    const principal = org.principal(user.id);
    const results = ids.map((id) => undeleteOne(org, principal, id));
    return c.body(envelope(`<undeleteResponse>${results.map(resultXml).join('')}</undeleteResponse>`), 200, { 'Content-Type': XML_TYPE });
  });
}
