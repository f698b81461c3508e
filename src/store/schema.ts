/**
 * Table types of the hub's own database (Kysely). Timestamps are epoch-ms integers and flags are
 * 0/1 integers in both dialects, so rows read the same from SQLite and PostgreSQL. Columns ending in
 * `_enc` hold vault ciphertext (`fbv1:{keyId}:...`), never plaintext.
 */

export interface TenantsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface GroupsTable {
  id: string;
  tenant_id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  group_id: string | null;
  email: string;
  is_admin: number;
  /** scrypt hash for step-up re-authentication (`scrypt$N$salt$hash`). */
  password_hash: string | null;
  created_at: number;
}

export interface IntegrationsTable {
  id: string;
  tenant_id: string;
  /** null: the tenant-wide default; set: an override for that group. */
  group_id: string | null;
  name: string;
  environment: string;
  client_id: string;
  client_secret_enc: string | null;
  login_host: string;
  flow: string;
  scopes: string;
  auth_timeout_ms: number;
  enabled: number;
  /** Flow-specific settings as JSON (callback URL, username, JWT key reference...); secrets go to *_enc columns. */
  settings_json: string;
  /** Flow-specific secrets as vault ciphertext of a JSON object (password, security token, JWT private key). */
  credentials_enc: string | null;
  created_at: number;
  updated_at: number;
}

export interface ConnectionsTable {
  id: string;
  tenant_id: string;
  integration_id: string;
  /** 'service' (client credentials, password, JWT, admin-supplied refresh token) or 'user'. */
  kind: string;
  /** For per-user connections: the hub user who owns it. */
  owner_user_id: string | null;
  name: string;
  instance_url: string | null;
  sf_org_id: string | null;
  sf_user_id: string | null;
  sf_username: string | null;
  identity_url: string | null;
  scopes: string;
  issued_at: number | null;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  /** Bumped on every token change; refreshers compare it after taking the lock. */
  token_version: number;
  state: string;
  reason: string | null;
  last_error: string | null;
  api_used: number | null;
  api_max: number | null;
  created_at: number;
  updated_at: number;
}

export interface OAuthStatesTable {
  /** SHA-256 of the state value (the value itself is only in the browser's URL). */
  state_hash: string;
  tenant_id: string;
  user_id: string;
  integration_id: string;
  code_verifier_enc: string;
  redirect_uri: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  user_id: string;
  /** SHA-256 of the key; the key is shown once. */
  key_hash: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** A label for people ("CI", "bootstrap"); added by 0002. */
  name: string | null;
  /** When this key's holder last re-authenticated with a password (step-up); added by 0002. */
  step_up_at: number | null;
}

/** A device flow started through the HTTP API, polled by its starter (0002). */
export interface DeviceFlowsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  integration_id: string;
  /** Vault ciphertext: the device code lets whoever holds it collect the tokens. */
  device_code_enc: string;
  user_code: string;
  verification_uri: string;
  interval_s: number;
  /** Set once the flow produced a connection. */
  connection_id: string | null;
  created_at: number;
  expires_at: number;
}

export interface LocksTable {
  name: string;
  owner: string | null;
  expires_at: number;
}

export interface SyncObjectsTable {
  connection_id: string;
  object: string;
  table_name: string;
  cursor_at: string | null;
  cursor_id: string | null;
  /** idle | running | paused_quota | error */
  state: string;
  last_error: string | null;
  rows: number;
  full_synced_at: number | null;
  deletes_checked_at: number | null;
  reconciled_at: number | null;
  formulas_refreshed_at: number | null;
  /** The filter the cursor was built under (0005); a change forces a whole re-read. */
  filter_key?: string | null;
  /** When describe last ran for this object (0006, schema drift check), epoch ms. */
  described_at?: number | null;
  /** describe's `replicateable` (0006): 1/0, null before the first describe. */
  replicateable?: number | null;
  updated_at: number;
}

export interface SyncFieldsTable {
  connection_id: string;
  object: string;
  field: string;
  column_name: string;
  sf_type: string;
  kind: string;
  calculated: number;
  added_at: number;
  removed_at: number | null;
}

/** Feed entries in runs (sync/feed-runs.ts): seqs `seq - n + 1 … seq` of one op. */
export interface SyncChangesTable {
  connection_id: string;
  /** The run's last seq. */
  seq: number;
  object: string;
  /** The run's first record id. */
  record_id: string;
  /** insert | update | delete */
  op: string;
  at: number;
  /** Entries in the run (default 1). */
  n: number;
  /** The run's ids, comma-separated; null for a run of one. */
  ids: string | null;
}

export interface SyncRunsTable {
  id: string;
  connection_id: string;
  started_at: number;
  finished_at: number | null;
  status: string;
  summary_json: string;
}

/** A webhook subscription (0004): events of one tenant, optionally one connection. */
export interface WebhooksTable {
  id: string;
  tenant_id: string;
  /** null: every connection of the tenant. */
  connection_id: string | null;
  url: string;
  /** JSON array of event names. */
  events: string;
  /** HMAC signing secret as vault ciphertext (AAD `webhooks.secret:{id}`). */
  secret_enc: string;
  created_by: string;
  created_at: number;
}

/** One delivery of one event to one webhook, with its attempts (0004). */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  connection_id: string;
  run_id: string;
  payload: string;
  /** pending | delivered | failed */
  status: string;
  attempts: number;
  /** When the next attempt is due (pending only). */
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** A write the agent proposed, waiting for (or past) a person's decision (0007). */
export interface AgentProposalsTable {
  id: string;
  tenant_id: string;
  connection_id: string;
  /** The hub user whose agent prepared it. */
  requested_by: string;
  /** pending | approved | executing | executed | rejected | stale | failed */
  status: string;
  /** create | update | upsert | delete | undelete */
  operation: string;
  object: string;
  record_id: string | null;
  external_id_field: string | null;
  external_id_value: string | null;
  /** JSON `[{field, old, new}]`. */
  changes_json: string;
  /** The record's LastModifiedDate (Salesforce ISO form) when prepared; null for creates. */
  last_modified_at: string | null;
  /** Why the agent wants this, in its words. */
  reason: string;
  result_json: string | null;
  error_json: string | null;
  decided_by: string | null;
  decided_at: number | null;
  /** The executed proposal this one undoes. */
  undo_of: string | null;
  created_at: number;
  updated_at: number;
}

/** One agent tool call or proposal transition (0007); inputs are summarised without secrets. */
export interface AgentAuditTable {
  id: string;
  tenant_id: string;
  user_id: string;
  connection_id: string | null;
  /** tool_call | proposal_transition */
  kind: string;
  /** Tool name or transition (`prepared`, `approved`, `executed`, …). */
  name: string;
  input_json: string;
  /** ok | error */
  outcome: string;
  error_code: string | null;
  proposal_id: string | null;
  at: number;
}

export interface HubDatabase {
  tenants: TenantsTable;
  groups: GroupsTable;
  users: UsersTable;
  integrations: IntegrationsTable;
  connections: ConnectionsTable;
  oauth_states: OAuthStatesTable;
  api_keys: ApiKeysTable;
  device_flows: DeviceFlowsTable;
  locks: LocksTable;
  sync_objects: SyncObjectsTable;
  sync_fields: SyncFieldsTable;
  sync_changes: SyncChangesTable;
  sync_feed_seq: { connection_id: string; last_seq: number };
  sync_runs: SyncRunsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  agent_proposals: AgentProposalsTable;
  agent_audit: AgentAuditTable;
  forcebridge_meta: { key: string; value: string };
}
