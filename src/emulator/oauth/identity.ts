/**
 * The identity URL (`/id/{orgId}/{userId}`) and `/services/oauth2/userinfo`: who the token's user
 * is, with values read from the User record (wire reference §1.5). `version=NN.0|latest` fills
 * the `{version}` placeholder of `urls`; without it the literal `{version}` is returned.
 * See https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 */
import type { Context } from 'hono';
import type { EmuEnv } from '../http/env.js';
import { bearerToken } from '../http/middleware.js';
import { JSON_TYPE } from '../http/respond.js';
import { formatDateTime, formatDateTimeZ } from '../format.js';
import { to18 } from '../ids.js';
import type { Org, OrgUser } from '../org.js';
import { readValue } from '../rest/record-json.js';
import type { StoredValue } from '../schema/types.js';
import { IDENTITY_ERRORS } from './errors.js';
import type { AccessSession } from './tokens.js';

type IdentityError = keyof typeof IDENTITY_ERRORS;

function identityError(c: Context, key: IdentityError): Response {
  const e = IDENTITY_ERRORS[key];
  return c.body(e.body, e.status as 403, { 'Content-Type': 'text/plain;charset=UTF-8' });
}

/** The live session of an identity request: Bearer header or `oauth_token` parameter. */
function identitySession(c: Context<EmuEnv>, org: Org): AccessSession | IdentityError {
  const token = bearerToken(c.req.header('authorization')) ?? c.req.query('oauth_token');
  if (!token) return 'missingToken';
  const found = org.tokens.lookupAccess(token);
  if (!found.ok) return 'badToken';
  const user = org.users.get(found.session.userId);
  if (!user || !user.config.active) return 'badToken';
  return found.session;
}

/** A User field's value through the schema (so formula/default handling matches REST). */
function userValue(org: Org, user: OrgUser, field: string): StoredValue {
  const def = org.schema.get('User');
  const rec = org.data.table('User').rows.get(user.id);
  const f = def?.fields.find((x) => x.name === field);
  return rec && f ? readValue(f, rec) : null;
}

function str(v: StoredValue): string | null {
  return v === null ? null : String(v);
}

/** Current UTC offset of an IANA time zone in ms (Salesforce's `utcOffset`). */
export function utcOffsetMs(timeZone: string, at: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(at));
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    if (!m) return 0;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600_000 + Number(m[3]) * 60_000);
  } catch {
    return 0;
  }
}

/** The `urls` map; `version` undefined keeps the `{version}` placeholder. */
function identityUrls(org: Org, userId: string, version: string | undefined): Record<string, string> {
  const v = version ?? '{version}';
  const base = org.urls.mydomain;
  const data = `${base}/services/data/v${v}`;
  return {
    enterprise: `${base}/services/Soap/c/${v}/${org.orgId15}`,
    metadata: `${base}/services/Soap/m/${v}/${org.orgId15}`,
    partner: `${base}/services/Soap/u/${v}/${org.orgId15}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${base}/services/Soap/T/${v}/${org.orgId15}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${base}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: base,
  };
}

/** `version` parameter → a served version, `latest` → the newest; anything else keeps the placeholder. */
function versionParam(org: Org, raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw === 'latest') return org.settings.latestApiVersion;
  const m = /^v?(\d{2})(?:\.0)?$/.exec(raw);
  return m ? `${m[1]}.0` : undefined;
}

function photos(org: Org): { picture: string; thumbnail: string } {
  return { picture: `${org.urls.mydomain}/profilephoto/005/F`, thumbnail: `${org.urls.mydomain}/profilephoto/005/T` };
}

/** The identity URL document. */
export function identityDocument(org: Org, user: OrgUser, session: AccessSession, version: string | undefined): Record<string, unknown> {
  const u = (f: string) => str(userValue(org, user, f));
  const tz = u('TimeZoneSidKey') ?? 'America/Los_Angeles';
  const modified = userValue(org, user, 'LastModifiedDate');
  return {
    id: org.identityUrl(user.id, session.hostRole),
    asserted_user: true,
    user_id: user.id,
    organization_id: org.orgId,
    username: u('Username'),
    nick_name: u('CommunityNickname'),
    display_name: u('Name'),
    email: u('Email'),
    email_verified: true,
    first_name: u('FirstName'),
    last_name: u('LastName'),
    timezone: tz,
    photos: photos(org),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: identityUrls(org, user.id, version),
    active: userValue(org, user, 'IsActive') === true,
    user_type: (u('UserType') ?? 'Standard').toUpperCase(),
    language: u('LanguageLocaleKey'),
    locale: u('LocaleSidKey'),
    utcOffset: utcOffsetMs(tz, org.clock.now()),
    last_modified_date: typeof modified === 'number' ? formatDateTime(modified) : null,
    is_app_installed: true,
  };
}

/** The OpenID Connect userinfo document. */
export function userinfoDocument(org: Org, user: OrgUser, session: AccessSession, version: string | undefined): Record<string, unknown> {
  const u = (f: string) => str(userValue(org, user, f));
  const tz = u('TimeZoneSidKey') ?? 'America/Los_Angeles';
  const modified = userValue(org, user, 'LastModifiedDate');
  const pics = photos(org);
  return {
    sub: org.identityUrl(user.id, session.hostRole),
    user_id: user.id,
    organization_id: org.orgId,
    preferred_username: u('Username'),
    nickname: u('CommunityNickname'),
    name: u('Name'),
    email: u('Email'),
    email_verified: true,
    given_name: u('FirstName'),
    family_name: u('LastName'),
    zoneinfo: tz,
    photos: pics,
    profile: `${org.urls.mydomain}/${user.id}`,
    picture: pics.picture,
    address: {},
    is_salesforce_integration_user: false,
    urls: identityUrls(org, user.id, version),
    active: userValue(org, user, 'IsActive') === true,
    user_type: (u('UserType') ?? 'Standard').toUpperCase(),
    language: u('LanguageLocaleKey'),
    locale: u('LocaleSidKey'),
    utcOffset: utcOffsetMs(tz, org.clock.now()),
    updated_at: typeof modified === 'number' ? formatDateTimeZ(modified) : null,
    is_app_installed: true,
  };
}

function json(c: Context, body: unknown): Response {
  return c.body(JSON.stringify(body), 200, { 'Content-Type': JSON_TYPE });
}

/** `GET /id/{orgId}/{userId}`. */
export function identityEndpoint(c: Context<EmuEnv>, org: Org): Response {
  const session = identitySession(c, org);
  if (typeof session === 'string') return identityError(c, session);
  const orgId = to18(c.req.param('orgId') ?? '');
  const userId = to18(c.req.param('userId') ?? '');
  if (orgId !== org.orgId || !userId) return identityError(c, 'badId');
  const user = org.users.get(userId);
  if (!user) return identityError(c, 'badId');
  // A token speaks for its own user only.
  if (user.id !== session.userId) return identityError(c, 'otherUser');
  return json(c, identityDocument(org, user, session, versionParam(org, c.req.query('version'))));
}

/** `GET|POST /services/oauth2/userinfo`. */
export function userinfoEndpoint(c: Context<EmuEnv>, org: Org): Response {
  const session = identitySession(c, org);
  if (typeof session === 'string') return identityError(c, session);
  const user = org.users.get(session.userId)!;
  return json(c, userinfoDocument(org, user, session, versionParam(org, c.req.query('version'))));
}
