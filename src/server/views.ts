/**
 * What the API answers, as zod schemas (for the OpenAPI document) and the functions that build
 * those answers from domain objects. Views list which secrets are set, never their values, and
 * never carry a token.
 */
import { z } from 'zod';
import type { Connection } from '../connections/connections-repo.js';
import { FLOWS } from '../connections/integration.js';
import type { Integration } from '../connections/integrations-repo.js';
import type { HubUser } from '../connections/tenancy.js';
import { redactText } from '../log.js';
import type { ApiKeyInfo } from './api-keys.js';

export const SECRET_NAMES = ['clientSecret', 'password', 'securityToken', 'privateKeyPem', 'refreshToken'] as const;

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'stable error code, e.g. auth.step_up_required' }),
      kind: z.enum(['invalid_input', 'forbidden', 'not_found', 'conflict', 'remote_error', 'remote_protocol', 'unavailable', 'internal']),
      message: z.string(),
      hint: z.string().optional(),
      field: z.string().optional(),
      salesforce: z
        .object({ errorCode: z.string(), message: z.string().optional(), status: z.number().optional(), fields: z.array(z.string()).optional() })
        .optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const integrationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    environment: z.string(),
    group: z.string().nullable().meta({ description: 'the group this integration overrides the organization default for; null for the default' }),
    clientId: z.string(),
    loginHost: z.string(),
    flow: z.enum(FLOWS),
    scopes: z.array(z.string()),
    authTimeoutMs: z.number(),
    enabled: z.boolean(),
    callbackUrl: z.string().nullable(),
    username: z.string().nullable(),
    secretsSet: z.array(z.enum(SECRET_NAMES)).meta({ description: 'which secrets are stored (never their values)' }),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .meta({ id: 'Integration' });
export type IntegrationView = z.infer<typeof integrationSchema>;

export function integrationView(i: Integration, groupNames: Map<string, string>): IntegrationView {
  return {
    id: i.id,
    name: i.name,
    environment: i.environment,
    group: i.groupId ? (groupNames.get(i.groupId) ?? i.groupId) : null,
    clientId: i.clientId,
    loginHost: i.loginHost,
    flow: i.flow,
    scopes: i.scopes,
    authTimeoutMs: i.authTimeoutMs,
    enabled: i.enabled,
    callbackUrl: i.callbackUrl ?? null,
    username: i.username ?? null,
    secretsSet: i.secretsSet,
    createdAt: Number(i.createdAt),
    updatedAt: Number(i.updatedAt),
  };
}

export const connectionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['service', 'user']).meta({ description: 'service: shared (non-interactive flows); user: one person’s authorization' }),
    integration: z.object({ id: z.string(), name: z.string() }),
    ownerUserId: z.string().nullable(),
    instanceUrl: z.string().nullable(),
    orgId: z.string().nullable(),
    userId: z.string().nullable().meta({ description: 'the Salesforce user id' }),
    username: z.string().nullable(),
    scopes: z.array(z.string()),
    issuedAt: z.number().nullable(),
    state: z.enum(['active', 'needs_reconnect', 'disabled', 'error']),
    reason: z.string().nullable().meta({ description: 'why the state is not active, e.g. missing_refresh_scope, refresh_token_revoked' }),
    lastError: z.string().nullable(),
    hasRefreshToken: z.boolean(),
    apiUsage: z.object({ used: z.number(), max: z.number() }).nullable().meta({ description: 'the org’s API usage from the last Sforce-Limit-Info' }),
    updatedAt: z.number(),
  })
  .meta({ id: 'Connection' });
export type ConnectionView = z.infer<typeof connectionSchema>;

export function connectionView(c: Connection, integ: Pick<Integration, 'id' | 'name'>): ConnectionView {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    integration: { id: integ.id, name: integ.name },
    ownerUserId: c.ownerUserId,
    instanceUrl: c.instanceUrl,
    orgId: c.orgId,
    userId: c.userId,
    username: c.username,
    scopes: c.scopes,
    issuedAt: c.issuedAt === null ? null : Number(c.issuedAt),
    state: c.state,
    reason: c.reason,
    lastError: c.lastError === null ? null : redactText(c.lastError),
    hasRefreshToken: c.hasRefreshToken,
    apiUsage: c.apiUsed !== null && c.apiMax !== null ? { used: Number(c.apiUsed), max: Number(c.apiMax) } : null,
    updatedAt: Number(c.updatedAt),
  };
}

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    prefix: z.string().meta({ description: 'the first characters of the key, to tell keys apart' }),
    user: z.object({ id: z.string(), email: z.string(), isAdmin: z.boolean(), group: z.string().nullable() }),
    createdAt: z.number(),
    lastUsedAt: z.number().nullable(),
    revokedAt: z.number().nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyView = z.infer<typeof apiKeySchema>;

export function apiKeyView(k: ApiKeyInfo, user: HubUser, groupNames: Map<string, string>): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    user: { id: user.id, email: user.email, isAdmin: user.isAdmin, group: user.groupId ? (groupNames.get(user.groupId) ?? null) : null },
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}

/** Path parameter `{id}`: an id or a name. */
export const idParams = z.object({ id: z.string().min(1).max(200).meta({ description: 'id or name' }) });

/** Write-only secrets; each optional, which ones a flow needs is checked against the flow. */
export const secretsSchema = z
  .object({
    clientSecret: z.string().min(1).max(500).optional(),
    password: z.string().min(1).max(500).optional(),
    securityToken: z.string().min(1).max(200).optional(),
    privateKeyPem: z.string().min(1).max(20_000).optional(),
    refreshToken: z.string().min(1).max(2_000).optional(),
  })
  .strict()
  .meta({ id: 'IntegrationSecrets', description: 'write-only: never returned' });
