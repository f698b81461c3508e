/**
 * Request bodies for integrations, built from the one integration schema (connections/integration.ts)
 * so the API, the CLI and the OpenAPI document agree on every field.
 */
import { z } from 'zod';
import { integrationInputSchema } from '../../../../connections/integration.js';
import { secretsSchema } from '../../../views.js';

/** Create: the integration's settings plus optional write-only secrets. Unknown keys are refused so a misplaced secret is never silently dropped. */
export const integrationCreateSchema = integrationInputSchema
  .safeExtend({ secrets: secretsSchema.optional().meta({ description: 'write-only; saving secrets needs a fresh step-up' }) })
  .strict()
  .meta({ id: 'IntegrationCreate' });

const s = integrationInputSchema.shape;

/** Patch: any subset of the settings; `null` clears group (back to the organization default), callbackUrl or username. */
export const integrationPatchSchema = z
  .object({
    name: s.name.optional(),
    environment: s.environment.unwrap().optional(),
    clientId: s.clientId.optional(),
    loginHost: s.loginHost.unwrap().optional(),
    flow: s.flow.unwrap().optional(),
    scopes: s.scopes.unwrap().optional(),
    authTimeoutMs: s.authTimeoutMs.unwrap().optional(),
    enabled: s.enabled.unwrap().optional(),
    group: s.group.unwrap().nullable().optional(),
    callbackUrl: s.callbackUrl.unwrap().nullable().optional(),
    username: s.username.unwrap().nullable().optional(),
  })
  .strict()
  .meta({ id: 'IntegrationPatch' });
