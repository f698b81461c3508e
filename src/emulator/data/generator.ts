/**
 * Deterministic demo data: `settings.records` business records spread over the standard objects
 * the way a real org looks (about 10% accounts; contacts, opportunities and cases under accounts;
 * emails threaded under cases; tasks and events on people and business records; a few leads;
 * some records in the recycle bin), extra users from the org's own domains and from a few outside
 * companies, then `settings.extraAccounts` lean Account rows for the 1M-row benchmark.
 *
 * Everything comes from seeded streams (prng.ts) and the org clock, so the same seed and clock
 * give the same ids and values. Timestamps are whole seconds within the org's lifetime (bootstrap
 * dates the org 90 days back); some records share a SystemModstamp, as bulk loads do.
 */
import type { Org } from '../org.js';
import { ACCOUNT_TYPES, INDUSTRIES, RATINGS } from '../schema/standard/account.js';
import { ACTIVITY_WHAT } from '../schema/standard/activities.js';
import { CASE_ORIGINS, CASE_REASONS, CASE_TYPES } from '../schema/standard/case.js';
import { LEAD_SOURCES, SALUTATIONS } from '../schema/standard/common.js';
import { EMAIL_STATUS } from '../schema/standard/email-message.js';
import { OPPORTUNITY_TYPES, STAGES } from '../schema/standard/opportunity.js';
import { TIME_ZONES } from '../schema/standard/users.js';
import type { StoredRecord } from '../schema/types.js';
import { refreshLicenseCounts } from './bootstrap.js';
import { Rng } from './prng.js';
import * as S from './sample-values.js';

const DAY = 86_400_000;
/** Business data is created within this many days before now (the org is 90 days old). */
const HISTORY_DAYS = 88;

/** Share of `settings.records` per object (sums to 1). */
export const PROPORTIONS = {
  Account: 0.1,
  Contact: 0.22,
  Lead: 0.07,
  Opportunity: 0.11,
  Case: 0.11,
  CaseComment: 0.05,
  EmailMessage: 0.14,
  Task: 0.13,
  Event: 0.07,
} as const;

type Rec = StoredRecord & { Id: string };

interface Ctx {
  org: Org;
  seed: number;
  now: number;
  /** Bulk-load instants: records touched by them share a SystemModstamp. */
  batchTimes: number[];
  adminId: string;
  owners: string[];
  userEmail: Map<string, { email: string; name: string }>;
  companyDomain: string;
}

/** Generates the demo data into `org` (after bootstrap). */
export function generateData(org: Org): void {
  const ctx = context(org);
  generateUsers(ctx, Rng.stream(ctx.seed, 'User'));
  ctx.owners = ownerPool(org);
  const business = businessData(ctx);
  recycleSome(ctx, business);
  licenseUsage(ctx);
  refreshLicenseCounts(org);
  generateExtraAccounts(org, org.settings.extraAccounts, ctx.owners, ctx.now);
}

function context(org: Org): Ctx {
  const now = org.clock.now();
  const seed = org.settings.seed;
  const r = Rng.stream(seed, 'batch');
  const batchTimes = Array.from({ length: 12 }, () => now - r.int(1, 60) * DAY - r.int(0, 86_399) * 1000);
  const admin = [...org.users.values()].find((u) => u.profile.modifyAllData) ?? [...org.users.values()][0];
  if (!admin) throw new Error('generateData: bootstrap created no users');
  return {
    org,
    seed,
    now,
    batchTimes,
    adminId: admin.id,
    owners: [],
    userEmail: new Map(),
    companyDomain: org.settings.companyDomains[0] ?? 'example.com',
  };
}

// ---------------------------------------------------------------------------------------------
// time

/** A whole-second instant `minDays`..`maxDays` before now. */
function ago(ctx: Ctx, r: Rng, minDays: number, maxDays: number): number {
  return ctx.now - r.int(Math.floor(minDays * 86_400), Math.floor(maxDays * 86_400)) * 1000;
}

/** A whole-second instant between `t` and now (skewed towards `t`: children follow parents). */
function after(ctx: Ctx, r: Rng, t: number, maxDays = HISTORY_DAYS): number {
  const span = Math.max(0, Math.min(ctx.now - t, maxDays * DAY));
  return t + Math.floor((Math.pow(r.next(), 2) * span) / 1000) * 1000;
}

/** Audit timestamps for a record created at `created`. */
function stamps(ctx: Ctx, r: Rng, created: number): Pick<StoredRecord, 'CreatedDate' | 'LastModifiedDate' | 'SystemModstamp'> {
  let modified = r.chance(0.45) ? created : after(ctx, r, created);
  let system = modified;
  if (r.chance(0.05)) system = after(ctx, r, modified); // automation touched it later
  if (r.chance(0.08)) {
    const batch = r.pick(ctx.batchTimes);
    if (batch >= created) modified = system = batch;
  }
  return { CreatedDate: created, LastModifiedDate: modified, SystemModstamp: system };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// users

interface UserPlan {
  company: string;
  domain: string;
  internal: boolean;
}

function generateUsers(ctx: Ctx, r: Rng): void {
  const { org } = ctx;
  const profiles = new Map<string, string>();
  for (const p of org.data.table('Profile').live()) profiles.set(String(p.Name).toLowerCase(), p.Id as string);
  const profileId = (name: string) => profiles.get(name.toLowerCase()) ?? profiles.get('standard user') ?? [...profiles.values()][0]!;
  const taken = new Set<string>();
  for (const u of org.data.table('User').rows.values()) {
    taken.add(String(u.Username).toLowerCase());
    taken.add(String(u.CommunityNickname).toLowerCase());
    ctx.userEmail.set(u.Id as string, { email: String(u.Email), name: `${String(u.FirstName ?? '')} ${String(u.LastName)}`.trim() });
  }
  const count = Math.max(6, Math.min(200, Math.round(org.settings.records / 150)));
  const domains = org.settings.companyDomains.length ? org.settings.companyDomains : [ctx.companyDomain];
  let managerId: string | undefined;
  for (let i = 0; i < count; i++) {
    const internal = i % 4 !== 3; // a quarter of the extra users work for outside companies
    const outside = S.THIRD_PARTY_COMPANIES[i % S.THIRD_PARTY_COMPANIES.length]!;
    const plan: UserPlan = internal
      ? { company: org.settings.orgName, domain: domains[i % domains.length]!, internal }
      : { company: outside.name, domain: outside.domain, internal };
    const first = r.pick(S.FIRST_NAMES);
    const last = r.pick(S.LAST_NAMES);
    let local = `${first}.${last}`.toLowerCase();
    for (let n = 2; taken.has(`${local}@${plan.domain}`) || taken.has(local); n++) local = `${first}.${last}${n}`.toLowerCase();
    taken.add(`${local}@${plan.domain}`);
    taken.add(local);
    const active = !r.chance(0.15);
    const profile = internal
      ? r.weighted([
          ['Standard User', 70],
          ['System Administrator', 8],
          ['Read Only', 12],
          ['Minimum Access - Salesforce', 10],
        ] as const)
      : r.weighted([
          ['Standard User', 60],
          ['Read Only', 40],
        ] as const);
    const created = ago(ctx, r, 30, 89);
    const lastLogin = active
      ? r.weighted([
          [ago(ctx, r, 0, 14), 80],
          [ago(ctx, r, 30, 85), 12],
          [null, 8],
        ] as const)
      : r.chance(0.8)
        ? ago(ctx, r, 60, 89)
        : null;
    const email = `${local}@${plan.domain}`;
    const department = r.pick(S.DEPARTMENTS);
    const rec = org.data.insert(
      'User',
      {
        Username: email,
        FirstName: first,
        LastName: last,
        Alias: (first.slice(0, 1) + last).toLowerCase().slice(0, 8),
        Email: email,
        CommunityNickname: local,
        IsActive: active,
        ProfileId: profileId(profile),
        UserType: 'Standard',
        CompanyName: plan.company,
        Title: r.pick(S.TITLES),
        Department: department,
        TimeZoneSidKey: r.pick(TIME_ZONES),
        FederationIdentifier: internal && r.chance(0.7) ? email : null,
        EmployeeNumber: internal ? `E${r.int(10000, 99999)}` : null,
        ManagerId: internal && managerId ? managerId : null,
        UserPermissionsSupportUser: department === 'Support',
        LastLoginDate: lastLogin,
        LastPasswordChangeDate: created,
        ...stamps(ctx, r, created),
      },
      ctx.adminId,
      created,
    );
    if (internal && !managerId) managerId = rec.Id as string;
    ctx.userEmail.set(rec.Id as string, { email, name: `${first} ${last}` });
  }
}

/** Active users who can own records: Standard User and System Administrator profiles. */
function ownerPool(org: Org): string[] {
  const owning = new Set<string>();
  for (const p of org.data.table('Profile').live()) {
    if (p.Name === 'Standard User' || p.Name === 'System Administrator') owning.add(p.Id as string);
  }
  const ids: string[] = [];
  for (const u of org.data.table('User').rows.values()) if (u.IsActive === true && owning.has(u.ProfileId as string)) ids.push(u.Id as string);
  return ids;
}

// ---------------------------------------------------------------------------------------------
// business records

interface AccountInfo {
  rec: Rec;
  domain: string;
  contacts: Rec[];
  opportunities: Rec[];
  cases: Rec[];
}

interface Business {
  accounts: AccountInfo[];
  contacts: Rec[];
  leads: Rec[];
  opportunities: Rec[];
  cases: Rec[];
  tasks: Rec[];
  events: Rec[];
  /** Ids other records point at (never put in the recycle bin alone). */
  referenced: Set<string>;
  accountOf: Map<string, AccountInfo>;
}

function quota(ctx: Ctx, object: keyof typeof PROPORTIONS): number {
  const n = ctx.org.settings.records;
  if (n <= 0) return 0;
  return Math.max(object === 'Account' ? 1 : 0, Math.round(n * PROPORTIONS[object]));
}

function businessData(ctx: Ctx): Business {
  const b: Business = {
    accounts: [],
    contacts: [],
    leads: [],
    opportunities: [],
    cases: [],
    tasks: [],
    events: [],
    referenced: new Set(),
    accountOf: new Map(),
  };
  if (ctx.org.settings.records <= 0) return b;
  accounts(ctx, b);
  contacts(ctx, b);
  opportunities(ctx, b);
  leads(ctx, b);
  cases(ctx, b);
  caseComments(ctx, b);
  const emailTasks = emails(ctx, b);
  tasks(ctx, b, Math.max(0, quota(ctx, 'Task') - emailTasks));
  events(ctx, b);
  return b;
}

function insert(ctx: Ctx, object: string, values: StoredRecord, owner: string): Rec {
  return ctx.org.data.insert(object, { CreatedById: owner, LastModifiedById: owner, ...values }, owner) as Rec;
}

function phone(r: Rng, place: S.Place): string {
  return `+${place.country === 'United States' || place.country === 'Canada' ? '1' : '44'} ${place.area} 555 ${String(r.int(100, 9999)).padStart(4, '0')}`;
}

function companyName(r: Rng): string {
  const suffix = r.pick(S.COMPANY_SUFFIXES);
  return `${r.pick(S.COMPANY_PREFIXES)} ${r.pick(S.COMPANY_CORES)}${suffix ? ` ${suffix}` : ''}`;
}

function address(prefix: string, r: Rng, place: S.Place): StoredRecord {
  return {
    [`${prefix}Street`]: `${r.int(1, 2500)} ${r.pick(S.STREETS)}`,
    [`${prefix}City`]: place.city,
    [`${prefix}State`]: place.state,
    [`${prefix}PostalCode`]: `${place.postal}${r.int(10, 99)}`,
    [`${prefix}Country`]: place.country,
  };
}

function accounts(ctx: Ctx, b: Business): void {
  const r = Rng.stream(ctx.seed, 'Account');
  const names = new Set<string>();
  const n = quota(ctx, 'Account');
  for (let i = 0; i < n; i++) {
    let name = companyName(r);
    for (let k = 2; names.has(name); k++) name = `${companyName(r)}${k > 4 ? ` ${k}` : ''}`;
    names.add(name);
    const place = r.pick(S.PLACES);
    const domain = `${S.slug(name.replace(/ (Inc\.|LLC|Ltd\.|Corp\.|GmbH|S\.A\.|Co\.|PLC)$/, ''))}.example`;
    const size = r.weighted([
      ['small', 55],
      ['mid', 35],
      ['large', 10],
    ] as const);
    const employees = size === 'small' ? r.int(5, 200) : size === 'mid' ? r.int(200, 5000) : r.int(5000, 120_000);
    const billing = address('Billing', r, place);
    const parent = i > 10 && r.chance(0.05) ? b.accounts[r.int(0, b.accounts.length - 1)] : undefined;
    const owner = parent && r.chance(0.7) ? (parent.rec.OwnerId as string) : r.pick(ctx.owners);
    const created = ago(ctx, r, 1, HISTORY_DAYS);
    const type = r.weighted(ACCOUNT_TYPES.map((t, k) => [t, [30, 40, 10, 6, 4, 5, 5][k]!] as const));
    const rec = insert(
      ctx,
      'Account',
      {
        Name: name,
        Type: type,
        ParentId: parent ? parent.rec.Id : null,
        ...billing,
        ...(r.chance(0.6)
          ? Object.fromEntries(Object.entries(billing).map(([k, v]) => [k.replace('Billing', 'Shipping'), v]))
          : address('Shipping', r, r.pick(S.PLACES))),
        Phone: phone(r, place),
        Fax: r.chance(0.15) ? phone(r, place) : null,
        AccountNumber: `CD${r.int(100000, 999999)}`,
        Website: `https://www.${domain}`,
        Sic: String(r.int(1000, 9999)),
        Industry: r.pick(INDUSTRIES),
        AnnualRevenue: employees * r.int(80, 400) * 1000,
        NumberOfEmployees: employees,
        Ownership: size === 'large' ? 'Public' : r.pick(['Private', 'Private', 'Subsidiary', 'Other']),
        TickerSymbol: size === 'large' ? name.replace(/[^A-Z]/g, '').slice(0, 4) || null : null,
        Description: r.chance(0.3) ? `${name} is a ${size}-sized company based in ${place.city}.` : null,
        Rating: r.chance(0.7) ? r.pick(RATINGS) : null,
        Site: r.chance(0.2) ? place.city : null,
        AccountSource: r.chance(0.8) ? r.pick(LEAD_SOURCES) : null,
        OwnerId: owner,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    if (parent) b.referenced.add(parent.rec.Id as string);
    const info: AccountInfo = { rec, domain, contacts: [], opportunities: [], cases: [] };
    b.accounts.push(info);
    b.accountOf.set(rec.Id, info);
  }
}

function person(r: Rng): { first: string; last: string } {
  return { first: r.pick(S.FIRST_NAMES), last: r.pick(S.LAST_NAMES) };
}

function contacts(ctx: Ctx, b: Business): void {
  const r = Rng.stream(ctx.seed, 'Contact');
  const n = quota(ctx, 'Contact');
  const emails = new Set<string>();
  for (let i = 0; i < n; i++) {
    // A few contacts belong to no account (private contacts); the rest cluster on busy accounts.
    const acct = r.chance(0.04) ? undefined : b.accounts[r.skewedIndex(b.accounts.length)];
    const { first, last } = person(r);
    const domain = acct?.domain ?? `${r.pick(['gmail', 'outlook', 'proton'])}.example`;
    let email = `${first}.${last}@${domain}`.toLowerCase();
    for (let k = 2; emails.has(email); k++) email = `${first}.${last}${k}@${domain}`.toLowerCase();
    emails.add(email);
    const place = r.pick(S.PLACES);
    const owner = acct && r.chance(0.8) ? (acct.rec.OwnerId as string) : r.pick(ctx.owners);
    const created = acct ? after(ctx, r, acct.rec.CreatedDate as number) : ago(ctx, r, 1, HISTORY_DAYS);
    const mailing = acct
      ? Object.fromEntries(['Street', 'City', 'State', 'PostalCode', 'Country'].map((k) => [`Mailing${k}`, acct.rec[`Billing${k}`] ?? null]))
      : address('Mailing', r, place);
    const rec = insert(
      ctx,
      'Contact',
      {
        AccountId: acct ? acct.rec.Id : null,
        FirstName: first,
        LastName: last,
        Salutation: r.chance(0.5) ? r.pick(SALUTATIONS) : null,
        ...mailing,
        Phone: phone(r, place),
        MobilePhone: r.chance(0.5) ? phone(r, place) : null,
        Email: email,
        Title: r.pick(S.TITLES),
        Department: r.pick(S.DEPARTMENTS),
        LeadSource: r.chance(0.7) ? r.pick(LEAD_SOURCES) : null,
        Birthdate: r.chance(0.2) ? `${r.int(1960, 2000)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}` : null,
        HasOptedOutOfEmail: r.chance(0.08),
        DoNotCall: r.chance(0.05),
        OwnerId: owner,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    b.contacts.push(rec);
    if (acct) {
      acct.contacts.push(rec);
      b.referenced.add(acct.rec.Id);
    }
  }
}

function opportunities(ctx: Ctx, b: Business): void {
  const r = Rng.stream(ctx.seed, 'Opportunity');
  const n = quota(ctx, 'Opportunity');
  const open = STAGES.filter((s) => !s.closed);
  for (let i = 0; i < n; i++) {
    const acct = b.accounts[r.skewedIndex(b.accounts.length, 1.5)]!;
    const stage = r.weighted([
      ...open.map((s) => [s, 55 / open.length] as const),
      [STAGES.find((s) => s.won)!, 25],
      [STAGES.find((s) => s.closed && !s.won)!, 20],
    ]);
    const owner = r.chance(0.7) ? (acct.rec.OwnerId as string) : r.pick(ctx.owners);
    const created = after(ctx, r, acct.rec.CreatedDate as number);
    const closeDate = stage.closed ? isoDate(after(ctx, r, created)) : isoDate(ctx.now + r.int(3, 150) * DAY);
    const amount = r.chance(0.92) ? r.int(50, 5000) * 100 + (r.chance(0.2) ? r.int(1, 99) / 100 : 0) : null;
    const rec = insert(
      ctx,
      'Opportunity',
      {
        AccountId: acct.rec.Id,
        Name: `${String(acct.rec.Name)} - ${r.pick(S.PRODUCTS)}`,
        StageName: stage.name,
        Amount: amount,
        // Most keep the stage's default probability; some reps override it.
        ...(r.chance(0.1) && !stage.closed ? { Probability: Math.min(99, stage.probability + r.int(1, 3) * 5) } : {}),
        ...(!stage.closed && stage.probability >= 70 && r.chance(0.4) ? { ForecastCategoryName: r.pick(['Best Case', 'Commit']) } : {}),
        CloseDate: closeDate,
        Type: r.pick(OPPORTUNITY_TYPES),
        LeadSource: r.chance(0.7) ? r.pick(LEAD_SOURCES) : null,
        NextStep: !stage.closed && r.chance(0.5) ? r.pick(['Send proposal', 'Schedule demo', 'Legal review', 'Confirm budget']) : null,
        Description: r.chance(0.2) ? `Opportunity for ${String(acct.rec.Name)}.` : null,
        OwnerId: owner,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    b.opportunities.push(rec);
    acct.opportunities.push(rec);
    b.referenced.add(acct.rec.Id);
  }
}

function leads(ctx: Ctx, b: Business): void {
  const r = Rng.stream(ctx.seed, 'Lead');
  const n = quota(ctx, 'Lead');
  for (let i = 0; i < n; i++) {
    const { first, last } = person(r);
    const company = companyName(r);
    const place = r.pick(S.PLACES);
    const status = r.weighted([
      ['Open - Not Contacted', 35],
      ['Working - Contacted', 30],
      ['Closed - Not Converted', 20],
      ['Closed - Converted', 15],
    ] as const);
    const owner = r.pick(ctx.owners);
    const created = ago(ctx, r, 1, HISTORY_DAYS);
    const converted = status === 'Closed - Converted' && b.accounts.length > 0;
    const acct = converted ? b.accounts[r.int(0, b.accounts.length - 1)]! : undefined;
    const rec = insert(
      ctx,
      'Lead',
      {
        FirstName: first,
        LastName: last,
        Salutation: r.chance(0.4) ? r.pick(SALUTATIONS) : null,
        Title: r.pick(S.TITLES),
        Company: company,
        ...address('', r, place),
        Phone: phone(r, place),
        Email: `${first}.${last}@${S.slug(company.split(' ')[0]!)}-${r.int(1, 999)}.example`.toLowerCase(),
        LeadSource: r.pick(LEAD_SOURCES),
        Status: converted ? status : status === 'Closed - Converted' ? 'Closed - Not Converted' : status,
        Industry: r.chance(0.7) ? r.pick(INDUSTRIES) : null,
        Rating: r.chance(0.5) ? r.pick(RATINGS) : null,
        AnnualRevenue: r.chance(0.5) ? r.int(1, 500) * 100_000 : null,
        NumberOfEmployees: r.chance(0.6) ? r.int(5, 5000) : null,
        IsUnreadByOwner: r.chance(0.1),
        ...(acct
          ? {
              IsConverted: true,
              ConvertedDate: isoDate(after(ctx, r, created)),
              ConvertedAccountId: acct.rec.Id,
              ConvertedContactId: acct.contacts.length ? acct.contacts[r.int(0, acct.contacts.length - 1)]!.Id : null,
              ConvertedOpportunityId: acct.opportunities.length && r.chance(0.6) ? acct.opportunities[r.int(0, acct.opportunities.length - 1)]!.Id : null,
            }
          : {}),
        OwnerId: owner,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    b.leads.push(rec);
    for (const k of ['ConvertedAccountId', 'ConvertedContactId', 'ConvertedOpportunityId']) if (typeof rec[k] === 'string') b.referenced.add(rec[k]);
  }
}

function cases(ctx: Ctx, b: Business): void {
  const r = Rng.stream(ctx.seed, 'Case');
  const n = quota(ctx, 'Case');
  const withAccount = b.contacts.filter((c) => c.AccountId);
  for (let i = 0; i < n; i++) {
    const contact = withAccount.length && r.chance(0.85) ? withAccount[r.skewedIndex(withAccount.length, 1.4)] : undefined;
    const acct = contact ? b.accountOf.get(contact.AccountId as string)! : b.accounts[r.skewedIndex(b.accounts.length)]!;
    const status = r.weighted([
      ['New', 15],
      ['Working', 20],
      ['Escalated', 5],
      ['Closed', 60],
    ] as const);
    const origin = r.weighted(CASE_ORIGINS.map((o, k) => [o, [30, 45, 25][k]!] as const));
    const owner = r.pick(ctx.owners);
    const created = after(ctx, r, Math.max(acct.rec.CreatedDate as number, (contact?.CreatedDate as number | undefined) ?? 0));
    const subject = r.pick(S.CASE_SUBJECTS);
    const parent = acct.cases.length && r.chance(0.03) ? acct.cases[0] : undefined;
    const rec = insert(
      ctx,
      'Case',
      {
        ContactId: contact ? contact.Id : null,
        AccountId: acct.rec.Id,
        ParentId: parent ? parent.Id : null,
        SuppliedName: origin !== 'Phone' && contact ? `${String(contact.FirstName)} ${String(contact.LastName)}` : null,
        SuppliedEmail: origin !== 'Phone' && contact ? (contact.Email ?? null) : null,
        SuppliedCompany: origin === 'Web' ? (acct.rec.Name ?? null) : null,
        Type: r.chance(0.8) ? r.pick(CASE_TYPES) : null,
        Status: status,
        Reason: r.chance(0.7) ? r.pick(CASE_REASONS) : null,
        Origin: origin,
        Subject: subject,
        Priority: r.weighted([
          ['High', 20],
          ['Medium', 55],
          ['Low', 25],
        ] as const),
        Description: r.pick(S.CASE_DESCRIPTIONS),
        IsEscalated: status === 'Escalated' || r.chance(0.03),
        ClosedDate: status === 'Closed' ? after(ctx, r, created, 14) : null,
        OwnerId: owner,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    // A closed case was last modified when it closed (or later).
    if (typeof rec.ClosedDate === 'number' && (rec.LastModifiedDate as number) < rec.ClosedDate) {
      rec.LastModifiedDate = rec.ClosedDate;
      rec.SystemModstamp = Math.max(rec.SystemModstamp as number, rec.ClosedDate);
    }
    b.cases.push(rec);
    acct.cases.push(rec);
    b.referenced.add(acct.rec.Id);
    if (contact) b.referenced.add(contact.Id);
    if (parent) b.referenced.add(parent.Id);
  }
}

function caseComments(ctx: Ctx, b: Business): void {
  const r = Rng.stream(ctx.seed, 'CaseComment');
  const n = b.cases.length ? quota(ctx, 'CaseComment') : 0;
  for (let i = 0; i < n; i++) {
    const parent = b.cases[r.skewedIndex(b.cases.length, 1.3)]!;
    const author = r.chance(0.7) ? (parent.OwnerId as string) : r.pick(ctx.owners);
    const created = after(ctx, r, parent.CreatedDate as number, 20);
    insert(ctx, 'CaseComment', { ParentId: parent.Id, CommentBody: r.pick(S.COMMENTS), IsPublished: r.chance(0.4), ...stamps(ctx, r, created) }, author);
    b.referenced.add(parent.Id);
  }
}

function messageId(r: Rng, domain: string): string {
  let hex = '';
  for (let i = 0; i < 4; i++)
    hex += Math.floor(r.next() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return `<${hex}.${r.int(100000, 999999)}@${domain}>`;
}

/** Case email threads and sales emails (each sales email logged as a completed Task). Returns the tasks made. */
function emails(ctx: Ctx, b: Business): number {
  const r = Rng.stream(ctx.seed, 'EmailMessage');
  let left = quota(ctx, 'EmailMessage');
  let tasksMade = 0;
  const support = `support@${ctx.companyDomain}`;
  const emailCases = b.cases.filter((c) => c.Origin === 'Email' && c.SuppliedEmail);
  const salesTarget = Math.round(left * 0.25);
  // Case threads: the customer writes in, support answers, back and forth.
  while (left > salesTarget && b.cases.length) {
    const kase = emailCases.length && r.chance(0.75) ? r.pick(emailCases) : r.pick(b.cases);
    const customer = (kase.SuppliedEmail as string | null) ?? `customer${r.int(1, 999)}@${ctx.companyDomain.replace(/^[^.]+/, 'mail')}`;
    const customerName = (kase.SuppliedName as string | null) ?? 'Customer';
    const length = Math.min(left - salesTarget, r.int(1, 5));
    const root = messageId(r, customer.split('@')[1] ?? 'mail.example');
    let at = kase.CreatedDate as number;
    let previous: Rec | undefined;
    for (let k = 0; k < length; k++) {
      const incoming = k % 2 === 0;
      const id = k === 0 ? root : messageId(r, incoming ? (customer.split('@')[1] ?? 'mail.example') : ctx.companyDomain);
      const body = k === 0 ? String(kase.Description) : r.pick(S.EMAIL_REPLIES);
      const subject = k === 0 ? String(kase.Subject) : `RE: ${String(kase.Subject)}`;
      const owner = kase.OwnerId as string;
      const last = k === length - 1;
      const rec = insert(
        ctx,
        'EmailMessage',
        {
          ParentId: kase.Id,
          RelatedToId: kase.Id,
          TextBody: body,
          HtmlBody: `<html><body><p>${body}</p></body></html>`,
          Headers: incoming
            ? `Message-ID: ${id}\nFrom: ${customerName} <${customer}>\nTo: ${support}${previous ? `\nIn-Reply-To: ${String(previous.MessageIdentifier)}` : ''}`
            : null,
          Subject: subject,
          FromName: incoming ? customerName : (ctx.userEmail.get(owner)?.name ?? 'Support'),
          FromAddress: incoming ? customer : support,
          ValidatedFromAddress: incoming ? null : support,
          ToAddress: incoming ? support : customer,
          CcAddress: r.chance(0.1) ? `${r.pick(S.FIRST_NAMES).toLowerCase()}@${customer.split('@')[1] ?? 'mail.example'}` : null,
          Incoming: incoming,
          HasAttachment: r.chance(0.08),
          Status: incoming ? (last && kase.Status !== 'Closed' ? EMAIL_STATUS.New : last ? EMAIL_STATUS.Read : EMAIL_STATUS.Replied) : EMAIL_STATUS.Sent,
          MessageDate: at,
          ReplyToEmailMessageId: previous ? previous.Id : null,
          IsExternallyVisible: true,
          MessageIdentifier: id,
          ThreadIdentifier: root,
          ...stamps(ctx, r, at),
        },
        incoming ? ctx.adminId : owner,
      );
      if (previous) b.referenced.add(previous.Id);
      previous = rec;
      at = after(ctx, r, at, 3);
      left--;
    }
    b.referenced.add(kase.Id);
  }
  // Sales emails to contacts about opportunities (or their accounts), logged as completed tasks.
  const withContacts = b.accounts.filter((a) => a.contacts.length);
  while (left > 0 && withContacts.length) {
    const acct = r.pick(withContacts);
    const contact = r.pick(acct.contacts);
    const opp = acct.opportunities.length && r.chance(0.7) ? r.pick(acct.opportunities) : undefined;
    const what = opp ?? acct.rec;
    const owner = (what.OwnerId as string) ?? r.pick(ctx.owners);
    const from = ctx.userEmail.get(owner) ?? { email: `sales@${ctx.companyDomain}`, name: 'Sales' };
    const created = after(ctx, r, Math.max(what.CreatedDate as number, contact.CreatedDate as number));
    const subject = r.pick(S.SALES_EMAIL_SUBJECTS);
    const body = `Hi ${String(contact.FirstName)},\n\n${r.pick(S.EMAIL_REPLIES)}\n\nBest,\n${from.name}`;
    const logged = insert(
      ctx,
      'Task',
      {
        WhoId: contact.Id,
        WhatId: what.Id,
        AccountId: acct.rec.Id,
        Subject: `Email: ${subject}`,
        ActivityDate: isoDate(created),
        Status: 'Completed',
        Priority: 'Normal',
        TaskSubtype: 'Email',
        Description: body,
        CompletedDateTime: created,
        OwnerId: owner,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    tasksMade++;
    b.tasks.push(logged);
    const id = messageId(r, ctx.companyDomain);
    insert(
      ctx,
      'EmailMessage',
      {
        ActivityId: logged.Id,
        RelatedToId: what.Id,
        TextBody: body,
        HtmlBody: `<html><body><p>${body.replace(/\n/g, '<br>')}</p></body></html>`,
        Subject: subject,
        FromName: from.name,
        FromAddress: from.email,
        ValidatedFromAddress: from.email,
        ToAddress: String(contact.Email),
        Incoming: false,
        HasAttachment: r.chance(0.15),
        Status: EMAIL_STATUS.Sent,
        MessageDate: created,
        MessageIdentifier: id,
        ThreadIdentifier: id,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    b.referenced.add(logged.Id).add(contact.Id).add(what.Id);
    left--;
  }
  return tasksMade;
}

interface WhoWhat {
  who: Rec | undefined;
  what: Rec | undefined;
  account: AccountInfo | undefined;
}

/** Who/What for an activity: people at accounts with a related business record, leads, or records alone. */
function whoWhat(r: Rng, b: Business): WhoWhat {
  const kind = r.weighted([
    ['contact+what', 45],
    ['lead', 15],
    ['what', 25],
    ['contact', 15],
  ] as const);
  if (kind === 'lead' && b.leads.length) return { who: r.pick(b.leads), what: undefined, account: undefined };
  const acct = b.accounts[r.skewedIndex(b.accounts.length, 1.5)]!;
  const who = kind !== 'what' && acct.contacts.length ? r.pick(acct.contacts) : undefined;
  if (kind === 'contact' && who) return { who, what: undefined, account: acct };
  const whatType = r.pick(ACTIVITY_WHAT);
  const pool = whatType === 'Opportunity' ? acct.opportunities : whatType === 'Case' ? acct.cases : [];
  const what = pool.length ? r.pick(pool) : acct.rec;
  return { who, what, account: acct };
}

function tasks(ctx: Ctx, b: Business, n: number): void {
  const r = Rng.stream(ctx.seed, 'Task');
  for (let i = 0; i < n && b.accounts.length; i++) {
    const { who, what, account } = whoWhat(r, b);
    const owner = r.chance(0.6) ? (((what ?? who)?.OwnerId as string | undefined) ?? r.pick(ctx.owners)) : r.pick(ctx.owners);
    const created = after(
      ctx,
      r,
      Math.max((what?.CreatedDate as number | undefined) ?? 0, (who?.CreatedDate as number | undefined) ?? 0) || ago(ctx, r, 1, HISTORY_DAYS),
    );
    const due = created + r.int(0, 14) * DAY;
    const call = r.chance(0.35);
    const status =
      due < ctx.now && r.chance(0.75)
        ? 'Completed'
        : r.weighted([
            ['Not Started', 50],
            ['In Progress', 30],
            ['Waiting on someone else', 12],
            ['Deferred', 8],
          ] as const);
    const rec = insert(
      ctx,
      'Task',
      {
        WhoId: who ? who.Id : null,
        WhatId: what ? what.Id : null,
        AccountId: account ? account.rec.Id : null,
        Subject: call ? r.pick(S.CALL_SUBJECTS) : r.pick(S.TASK_SUBJECTS),
        ActivityDate: isoDate(due),
        Status: status,
        Priority: r.weighted([
          ['High', 15],
          ['Normal', 70],
          ['Low', 15],
        ] as const),
        Description: r.chance(0.3) ? r.pick(S.COMMENTS) : null,
        TaskSubtype: call ? 'Call' : 'Task',
        CallType: call ? r.pick(['Inbound', 'Outbound', 'Outbound']) : null,
        CallDurationInSeconds: call && status === 'Completed' ? r.int(30, 2400) : null,
        CallDisposition: call && status === 'Completed' ? r.pick(S.CALL_RESULTS) : null,
        CompletedDateTime: status === 'Completed' ? Math.min(ctx.now, Math.max(created, due)) : null,
        OwnerId: owner,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    b.tasks.push(rec);
    for (const x of [who, what]) if (x) b.referenced.add(x.Id);
  }
}

function events(ctx: Ctx, b: Business): void {
  const r = Rng.stream(ctx.seed, 'Event');
  const n = quota(ctx, 'Event');
  for (let i = 0; i < n && b.accounts.length; i++) {
    const { who, what, account } = whoWhat(r, b);
    const owner = r.chance(0.7) ? (((what ?? who)?.OwnerId as string | undefined) ?? r.pick(ctx.owners)) : r.pick(ctx.owners);
    const created = after(
      ctx,
      r,
      Math.max((what?.CreatedDate as number | undefined) ?? 0, (who?.CreatedDate as number | undefined) ?? 0) || ago(ctx, r, 1, HISTORY_DAYS),
    );
    const allDay = r.chance(0.05);
    const day = Math.floor(created / DAY) * DAY + r.int(1, 21) * DAY;
    const start = allDay ? day : day + (r.int(8, 17) * 60 + r.pick([0, 30])) * 60_000;
    const minutes = allDay ? 1440 : r.pick([30, 30, 45, 60, 60, 90, 120]);
    const rec = insert(
      ctx,
      'Event',
      {
        WhoId: who ? who.Id : null,
        WhatId: what ? what.Id : null,
        AccountId: account ? account.rec.Id : null,
        Subject: r.pick(S.EVENT_SUBJECTS),
        Location: r.chance(0.6) ? r.pick(S.MEETING_LOCATIONS) : null,
        IsAllDayEvent: allDay,
        ActivityDateTime: start,
        ActivityDate: isoDate(start),
        DurationInMinutes: minutes,
        StartDateTime: start,
        EndDateTime: start + minutes * 60_000,
        Description: r.chance(0.25) ? r.pick(S.COMMENTS) : null,
        IsPrivate: r.chance(0.03),
        ShowAs: 'Busy',
        EventSubtype: 'Event',
        OwnerId: owner,
        ...stamps(ctx, r, created),
      },
      owner,
    );
    b.events.push(rec);
    for (const x of [who, what]) if (x) b.referenced.add(x.Id);
  }
}

// ---------------------------------------------------------------------------------------------
// recycle bin, licenses

/**
 * Puts a few records in the recycle bin within the getDeleted window: only records nothing else
 * points at, so no live record is left referring to a deleted one.
 */
function recycleSome(ctx: Ctx, b: Business): void {
  const r = Rng.stream(ctx.seed, 'recycle');
  const plan: [Rec[], number][] = [
    [b.leads, 0.03],
    [b.tasks, 0.02],
    [b.events, 0.02],
    [b.opportunities, 0.015],
    [b.contacts, 0.015],
    [b.accounts.map((a) => a.rec), 0.05],
  ];
  for (const [list, share] of plan) {
    for (const rec of list) {
      if (b.referenced.has(rec.Id) || !r.chance(share)) continue;
      const at = Math.min(ctx.now, Math.max((rec.SystemModstamp as number) + 1000, ago(ctx, r, 0, 12)));
      ctx.org.data.softDelete(rec, (rec.OwnerId as string | undefined) ?? ctx.adminId, at);
    }
  }
}

/** Permission set licenses assigned to part of the staff. */
function licenseUsage(ctx: Ctx): void {
  const r = Rng.stream(ctx.seed, 'PermissionSetLicense');
  for (const l of ctx.org.data.table('PermissionSetLicense').live()) {
    const total = Number(l.TotalLicenses) || 0;
    l.UsedLicenses = Math.min(total, r.int(Math.floor(total / 3), total));
  }
}

// ---------------------------------------------------------------------------------------------
// extra accounts (benchmark scale)

/**
 * Adds `count` lean Account rows: few populated fields, values drawn from small pre-built pools
 * so rows share string instances (names, cities, picklist values, owner ids). About 1M rows in a
 * few seconds on a 2-core machine.
 */
export function generateExtraAccounts(org: Org, count: number, owners: readonly string[], now: number): void {
  if (count <= 0) return;
  if (owners.length === 0) throw new Error('generateExtraAccounts: no active users to own accounts');
  const r = Rng.stream(org.settings.seed, 'extraAccounts');
  const names: string[] = [];
  for (const p of S.COMPANY_PREFIXES) for (const c of S.COMPANY_CORES) for (const s of S.COMPANY_SUFFIXES) names.push(s ? `${p} ${c} ${s}` : `${p} ${c}`);
  const types = ACCOUNT_TYPES.slice(0, 3);
  const revenues = Array.from({ length: 64 }, (_, i) => (i + 1) * 250_000);
  const data = org.data;
  const span = HISTORY_DAYS * 86_400;
  for (let i = 0; i < count; i++) {
    const place = S.PLACES[Math.floor(r.next() * S.PLACES.length)]!;
    const owner = owners[Math.floor(r.next() * owners.length)]!;
    const created = now - Math.floor(r.next() * span) * 1000;
    // Modified at creation or later; every 64th row lands on a shared load instant (SystemModstamp ties).
    const modified = i % 64 === 0 ? now - 3_600_000 : r.next() < 0.5 ? created : created + Math.floor(r.next() * ((now - created) / 1000)) * 1000;
    data.insert(
      'Account',
      {
        Name: names[Math.floor(r.next() * names.length)]!,
        Type: types[Math.floor(r.next() * types.length)]!,
        Industry: INDUSTRIES[Math.floor(r.next() * INDUSTRIES.length)]!,
        BillingCity: place.city,
        BillingCountry: place.country,
        AnnualRevenue: revenues[Math.floor(r.next() * revenues.length)]!,
        NumberOfEmployees: 1 + Math.floor(r.next() * 5000),
        OwnerId: owner,
        CreatedById: owner,
        LastModifiedById: owner,
        CreatedDate: created,
        LastModifiedDate: Math.max(created, modified),
        SystemModstamp: Math.max(created, modified),
      },
      owner,
      created,
    );
  }
}
