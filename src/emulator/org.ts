/**
 * One emulated Salesforce org: schema, records, users and profiles, connected apps, tokens, API
 * usage, faults and the request log. Everything the HTTP layer serves reads and writes through here.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Clock } from './clock.js';
import type { ConnectedAppConfig, EmulatorConfig, EmulatorSettings, UserConfig } from './config.js';
import { bootstrapOrg } from './data/bootstrap.js';
import { generateData } from './data/generator.js';
import { OrgData } from './data/org-data.js';
import { DEMO_APP, DEMO_USERS } from './defaults.js';
import { FaultSet } from './faults/faults.js';
import { RequestLog } from './http/request-log.js';
import { IdFactory } from './ids.js';
import type { Principal } from './perms/access.js';
import { DEFAULT_PROFILES, type ProfileDef } from './perms/profiles.js';
import { customField, customObject } from './schema/custom.js';
import { SchemaRegistry } from './schema/registry.js';
import type { ValidationRuleDef } from './schema/types.js';
import { standardObjects } from './schema/standard/index.js';
import { TokenStore, type HostRole } from './oauth/tokens.js';

export interface OrgUser {
  id: string;
  config: UserConfig;
  profile: ProfileDef;
}

export interface ConnectedApp extends ConnectedAppConfig {
  /** Private key matching `jwtCertificate` when the emulator generated the pair (demo app only). */
  jwtPrivateKeyPem?: string;
}

export interface OrgUrls {
  login: string;
  sandbox: string;
  mydomain: string;
}

export class Org {
  readonly settings: EmulatorSettings;
  readonly clock = new Clock();
  readonly ids = new IdFactory();
  readonly orgId: string;
  readonly orgId15: string;
  schema!: SchemaRegistry;
  data!: OrgData;
  readonly profiles = new Map<string, ProfileDef>();
  readonly users = new Map<string, OrgUser>();
  readonly usersByName = new Map<string, OrgUser>();
  readonly apps = new Map<string, ConnectedApp>();
  readonly tokens: TokenStore;
  readonly faults = new FaultSet();
  readonly requestLog = new RequestLog();
  readonly apiUsage = { used: 0 };
  /** Set once the listeners are up. */
  urls: OrgUrls = { login: '', sandbox: '', mydomain: '' };
  /** Whether the `/__emulator/` control API answers. */
  controlEnabled = false;

  constructor(readonly config: EmulatorConfig) {
    this.settings = config.settings;
    this.orgId = IdFactory.make('00D', 'Dn', 1);
    this.orgId15 = this.orgId.slice(0, 15);
    for (const p of [...DEFAULT_PROFILES, ...config.profiles]) this.profiles.set(p.name.toLowerCase(), p as ProfileDef);
    for (const a of [DEMO_APP, ...config.connectedApps]) this.apps.set(a.clientId, { ...a });
    const demo = this.apps.get(DEMO_APP.clientId)!;
    if (!demo.jwtCertificate) {
      // The demo app gets a fresh key pair; tests and the demo read the private key via the control API.
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      demo.jwtCertificate = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      demo.jwtPrivateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    }
    this.tokens = new TokenStore(
      this.orgId15,
      () => this.clock.nowPrecise(),
      () => this.settings.sessionTimeoutSeconds * 1000,
      () => this.settings.maxRefreshTokensPerUserApp,
    );
    this.reset();
  }

  /** Rebuilds schema and data from config and the seed; tokens stay valid. */
  reset(): void {
    this.ids.reset();
    const objects = standardObjects();
    this.config.customObjects.forEach((c, i) => objects.push(customObject(c, i)));
    this.schema = new SchemaRegistry(objects, this.clock.now());
    for (const [objectName, fields] of Object.entries(this.config.customFields)) {
      for (const f of fields) this.schema.addField(objectName, customField(f), this.clock.now());
    }
    for (const rule of this.config.validationRules) {
      const def = this.schema.get(rule.object);
      if (!def) throw new Error(`validation rule "${rule.name}": no object ${rule.object}`);
      const r: ValidationRuleDef = { name: rule.name, errorMessage: rule.errorMessage, when: rule.when, active: rule.active };
      if (rule.errorField) r.errorField = rule.errorField;
      def.validationRules = [...(def.validationRules ?? []).filter((x) => x.name !== r.name), r];
    }
    this.data = new OrgData(this.schema, this.ids, this.clock);
    this.users.clear();
    this.usersByName.clear();
    const userConfigs = [...DEMO_USERS.filter((u) => !this.config.users.some((c) => c.username === u.username)), ...this.config.users];
    bootstrapOrg(this, userConfigs);
    generateData(this);
    this.apiUsage.used = 0;
  }

  /** Registers an emulated user (called by bootstrap). */
  addUser(u: OrgUser): void {
    this.users.set(u.id, u);
    this.usersByName.set(u.config.username.toLowerCase(), u);
  }

  profile(name: string): ProfileDef {
    const p = this.profiles.get(name.toLowerCase());
    if (!p) throw new Error(`no profile named "${name}"`);
    return p;
  }

  principal(userId: string): Principal {
    const u = this.users.get(userId);
    if (!u) throw new Error(`no user ${userId}`);
    return { userId: u.id, username: u.config.username, profile: u.profile };
  }

  /** The login host's base URL for a host role (identity URLs use login/test, never My Domain). */
  identityBase(role: HostRole): string {
    return role === 'sandbox' ? this.urls.sandbox : this.urls.login;
  }

  /** Identity URL of a user: `{login host}/id/{orgId}/{userId}`. */
  identityUrl(userId: string, role: HostRole): string {
    return `${this.identityBase(role)}/id/${this.orgId}/${userId}`;
  }

  /** Counts one API call; false when the daily allocation is already spent. */
  countApiCall(): boolean {
    if (this.apiUsage.used >= this.settings.dailyApiLimit) return false;
    this.apiUsage.used++;
    return true;
  }

  /** `Sforce-Limit-Info` header value. */
  limitInfo(): string {
    return `api-usage=${this.apiUsage.used}/${this.settings.dailyApiLimit}`;
  }
}
