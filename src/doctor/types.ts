/**
 * The doctor's shapes: a check is a small function over a context that answers one question
 * ("is the token valid?") with a status, what was seen, and — when something is wrong — the fix.
 * Checks hand facts to later ones through `ctx.facts` (the login host, a working session).
 */
import type { LoginHost } from '../auth/login-host.js';
import type { Connection, ConnectionsRepo } from '../connections/connections-repo.js';
import type { IntegrationSecrets } from '../connections/integration.js';
import type { Integration, IntegrationsRepo } from '../connections/integrations-repo.js';
import type { Refresher } from '../connections/refresher.js';
import type { Transport } from '../salesforce/transport.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

/** One line of the checklist. `fix` says what to do, present on `fail` and `warn`. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** What a check decides; the runner adds id and title. */
export interface Outcome {
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** The hub parts the doctor uses (a `Hub` fits). */
export interface DoctorDeps {
  transport: Transport;
  integrations: IntegrationsRepo;
  connections: ConnectionsRepo;
  refresher: Refresher;
}

export interface DoctorOptions {
  /**
   * The login URLs playing production and sandbox, for the wrong-host probe. Salesforce's by
   * default; tests point them at the emulator's login and sandbox listeners.
   */
  loginHosts?: { production: string; sandbox: string };
  /** REST API version the checks call (the client's default when absent). */
  apiVersion?: string;
  /** The object and fields the product needs: described and queried (default Account: Id, Name). */
  probe?: { object: string; fields: string[] };
}

/** A session good for REST calls (kept in memory only; never printed). */
export interface DoctorSession {
  accessToken: string;
  instanceUrl: string;
}

export interface DoctorContext {
  deps: DoctorDeps;
  tenantId: string;
  integration: Integration;
  /** For re-running grants in memory; never reaches a result. */
  secrets: IntegrationSecrets;
  /** Absent when the doctor was pointed at an integration without a connection. */
  connection: Connection | undefined;
  loginHosts: { production: string; sandbox: string };
  apiVersion: string;
  probe: { object: string; fields: string[] };
  facts: {
    host?: LoginHost;
    session?: DoctorSession;
    /** Who the session belongs to, for messages (username or user id). */
    who?: string;
  };
}

export interface Check {
  id: string;
  title: string | ((ctx: DoctorContext) => string);
  /** Checks that must pass (ok or warn) for this one to mean anything. */
  needs?: string[];
  /** A reason when the check does not apply (e.g. another flow); undefined when it does. */
  notApplicable?(ctx: DoctorContext): string | undefined;
  run(ctx: DoctorContext): Promise<Outcome> | Outcome;
}

export interface DoctorReport {
  target: { kind: 'connection' | 'integration'; id: string; name: string; integration: string; flow: string };
  results: CheckResult[];
  /** False when any check failed. */
  ok: boolean;
}
