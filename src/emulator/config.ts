/**
 * Emulator configuration as data, validated at load with one zod schema that also gives the type.
 * `forcebridge emulator --config file.json` merges a file over these defaults: extra connected
 * apps, users, profiles, custom objects/fields and settings.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const picklistOrValues = z.array(z.string());

export const customFieldSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, 'custom field names end in __c'),
  label: z.string().optional(),
  type: z.enum([
    'string',
    'textarea',
    'picklist',
    'multipicklist',
    'boolean',
    'int',
    'double',
    'currency',
    'percent',
    'date',
    'datetime',
    'email',
    'phone',
    'url',
    'reference',
  ]),
  length: z.number().int().positive().optional(),
  precision: z.number().int().positive().optional(),
  scale: z.number().int().min(0).optional(),
  required: z.boolean().default(false),
  unique: z.boolean().default(false),
  externalId: z.boolean().default(false),
  picklistValues: picklistOrValues.optional(),
  restrictedPicklist: z.boolean().default(false),
  referenceTo: z.string().optional(),
  relationshipName: z.string().optional(),
  childRelationshipName: z.string().optional(),
  /** A formula: another field name whose value is copied (enough for freshness tests) or a JS-free template. */
  formula: z.string().optional(),
});
export type CustomFieldConfig = z.infer<typeof customFieldSchema>;

export const customObjectSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, 'custom object names end in __c'),
  label: z.string().optional(),
  labelPlural: z.string().optional(),
  keyPrefix: z
    .string()
    .regex(/^a[0-9A-Za-z]{2}$/, 'custom key prefixes look like a01')
    .optional(),
  sharingModel: z.enum(['Private', 'Read', 'ReadWrite']).default('ReadWrite'),
  fields: z.array(customFieldSchema).default([]),
});
export type CustomObjectConfig = z.infer<typeof customObjectSchema>;

export const connectedAppSchema = z.object({
  name: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  callbackUrls: z.array(z.string().url()).default([]),
  scopes: z.array(z.string()).default(['api', 'refresh_token', 'offline_access', 'openid', 'id', 'profile', 'email', 'web', 'full']),
  /** Web-server flow must present the secret (Salesforce's "Require Secret for Web Server Flow"). */
  requireSecretForWebServerFlow: z.boolean().default(false),
  /** Reject authorize requests without a code_challenge. */
  pkceRequired: z.boolean().default(false),
  /** Issue a new refresh token on every refresh_token grant. */
  refreshTokenRotation: z.boolean().default(false),
  /** Username of the client-credentials "Run As" user; absent disables that flow. */
  clientCredentialsUser: z.string().optional(),
  deviceFlowEnabled: z.boolean().default(false),
  usernamePasswordEnabled: z.boolean().default(true),
  /** PEM of the uploaded certificate or public key for JWT bearer; absent disables that flow. */
  jwtCertificate: z.string().optional(),
  /** "Admin approved users are pre-authorized": only users whose profile is listed may use the app. */
  adminApprovedOnly: z.boolean().default(false),
  preAuthorizedProfiles: z.array(z.string()).default([]),
  /** Usernames that already approved the app (JWT bearer needs prior approval unless admin-approved). */
  approvedUsers: z.array(z.string()).default([]),
  /**
   * IP relaxation policy: `enforce` (absent) applies the users' profile Login IP Ranges to this
   * app's logins; `relax` lets them through (Salesforce's "Relax IP restrictions").
   */
  ipRelaxation: z.enum(['enforce', 'relax']).optional(),
});
export type ConnectedAppConfig = z.infer<typeof connectedAppSchema>;

export const userSchema = z.object({
  username: z.string().email(),
  password: z.string().min(1),
  securityToken: z.string().min(1),
  profile: z.string().min(1),
  firstName: z.string().default('Demo'),
  lastName: z.string().min(1),
  email: z.string().email(),
  active: z.boolean().default(true),
  /** When true the password grant needs no security token (trusted IP range). */
  trustedIp: z.boolean().default(false),
  /**
   * The caller is outside the Login IP Ranges of this user's profile: API logins answer
   * `invalid_grant` "ip restricted or invalid login hours" unless the app relaxes IP restrictions.
   */
  loginIpRestricted: z.boolean().optional(),
  /**
   * The user exists only in the sandbox copy of the org (usernames such as `user@acme.com.uat`):
   * the production login host does not know it, as login.salesforce.com does not know sandbox users.
   */
  sandboxOnly: z.boolean().optional(),
});
export type UserConfig = z.infer<typeof userSchema>;

export const objectPermsSchema = z.object({
  read: z.boolean(),
  create: z.boolean(),
  edit: z.boolean(),
  delete: z.boolean(),
  viewAll: z.boolean().default(false),
  modifyAll: z.boolean().default(false),
});

export const profileSchema = z.object({
  name: z.string().min(1),
  userLicense: z.string().default('Salesforce'),
  userType: z.enum(['Standard', 'PowerPartner', 'CsnOnly']).default('Standard'),
  apiEnabled: z.boolean().default(true),
  viewAllData: z.boolean().default(false),
  modifyAllData: z.boolean().default(false),
  defaultObjectAccess: objectPermsSchema,
  objects: z.record(z.string(), objectPermsSchema.partial()).default({}),
  fields: z.record(z.string(), z.enum(['hidden', 'readonly'])).default({}),
});

export const settingsSchema = z.object({
  orgName: z.string().default('forcebridge Demo Org'),
  /** My Domain name: the instance is reported as `{myDomain}.my.salesforce.com`-style on a loopback port. */
  myDomain: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('forcebridge-demo'),
  /** Inactivity timeout of access tokens, seconds (Salesforce's session timeout). */
  sessionTimeoutSeconds: z.number().int().positive().default(7200),
  /** Daily API request allocation (DailyApiRequests.Max). */
  dailyApiLimit: z.number().int().positive().default(100_000),
  /** Highest API version served; versions from 20.0 up to it are listed. */
  latestApiVersion: z
    .string()
    .regex(/^\d{2}\.0$/)
    .default('66.0'),
  /** Authorization codes expire after this many seconds. */
  authCodeTtlSeconds: z.number().int().positive().default(900),
  /** Device codes expire after this many seconds; the poll interval handed out. */
  deviceCodeTtlSeconds: z.number().int().positive().default(600),
  deviceInterval: z.number().int().positive().default(5),
  /** Refresh tokens per user per app kept alive (Salesforce keeps 5). */
  maxRefreshTokensPerUserApp: z.number().int().positive().default(5),
  /** Seed and size of generated data. */
  seed: z.number().int().default(42),
  records: z.number().int().min(0).default(3000),
  /** Extra Account rows on top of `records` (the 1M-row benchmark). */
  extraAccounts: z.number().int().min(0).default(0),
  /** Email domains of the org itself (users with other domains are third-party). */
  companyDomains: z.array(z.string()).default(['forcebridge-demo.example']),
  /** getDeleted window in days. */
  deletedWindowDays: z.number().int().positive().default(15),
  /** getUpdated window in days. */
  updatedWindowDays: z.number().int().positive().default(30),
  /** Bulk 2.0 query jobs: time from creation to JobComplete (ms), so clients really poll. */
  bulkProcessingDelayMs: z.number().int().min(0).default(100),
  /**
   * Bulk 2.0 results page size without `maxRecords`. Salesforce picks its own, observed to be very
   * large (UNCONFIRMED exact rule); large default pages also matter because jsforce 3.10 feeds every
   * page into one CSV parser and breaks on the second page's header (jsforce issues #1739/#1740).
   */
  bulkResultPageSize: z.number().int().positive().default(1_000_000),
});

/**
 * A validation rule as data: the record fails (FIELD_CUSTOM_VALIDATION_EXCEPTION with the rule's
 * message) when every condition holds for the record as it would be saved. Salesforce rules are
 * formulas; equality and blankness cover what clients need to see the error's shape.
 */
export const validationRuleSchema = z.object({
  object: z.string().min(1),
  name: z.string().min(1),
  errorMessage: z.string().min(1),
  /** The field the error is shown on; absent: at the top of the page (`fields: []`). */
  errorField: z.string().optional(),
  when: z
    .array(
      z.object({
        field: z.string().min(1),
        op: z.enum(['equals', 'notEquals', 'blank', 'notBlank']),
        value: z.union([z.string(), z.number(), z.boolean()]).optional(),
      }),
    )
    .min(1),
  active: z.boolean().default(true),
});
export type ValidationRuleConfig = z.infer<typeof validationRuleSchema>;

export const emulatorConfigSchema = z.object({
  settings: settingsSchema.default(settingsSchema.parse({})),
  connectedApps: z.array(connectedAppSchema).default([]),
  users: z.array(userSchema).default([]),
  profiles: z.array(profileSchema).default([]),
  customObjects: z.array(customObjectSchema).default([]),
  /** Custom fields added to standard objects, by object name. */
  customFields: z.record(z.string(), z.array(customFieldSchema)).default({}),
  validationRules: z.array(validationRuleSchema).default([]),
});
export type EmulatorConfig = z.infer<typeof emulatorConfigSchema>;
export type EmulatorSettings = z.infer<typeof settingsSchema>;

/** Formats zod issues as `path: message` lines naming the field to fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Parses a config object; throws an Error naming every bad field. */
export function parseEmulatorConfig(input: unknown, source = 'emulator config'): EmulatorConfig {
  const result = emulatorConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new Error(`${source} is invalid:\n${describeIssues(result.error)}`);
  return result.data;
}

/** Loads and validates a JSON config file. */
export function loadEmulatorConfig(path: string): EmulatorConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read emulator config ${path}: ${(e as Error).message}`);
  }
  return parseEmulatorConfig(raw, path);
}
