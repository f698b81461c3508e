/**
 * An integration: one Salesforce connected app for one environment ("Production", "UAT"), as data
 * validated at load with one zod schema that also gives the type. Least privilege by default:
 * scopes `api refresh_token`.
 */
import { z } from 'zod';
import { ForcebridgeError } from '../errors.js';
import { normalizeLoginHost } from '../auth/login-host.js';

export const FLOWS = ['authorization_code', 'refresh_token', 'password', 'client_credentials', 'jwt_bearer', 'device'] as const;
export type Flow = (typeof FLOWS)[number];

/** What a person gives (CLI flags, API body). Secrets are separate so they are never echoed back. */
export const integrationInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'name is required')
      .max(80)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'use letters, digits, spaces, dots, dashes and underscores'),
    environment: z.string().trim().min(1).max(40).default('Production'),
    clientId: z.string().trim().min(1, 'clientId (the connected app’s consumer key) is required'),
    loginHost: z.string().trim().min(1).default('production'),
    flow: z.enum(FLOWS).default('authorization_code'),
    scopes: z
      .array(z.string().regex(/^[a-z_]+$/, 'scopes are lower-case words such as api, refresh_token'))
      .min(1)
      .default(['api', 'refresh_token']),
    authTimeoutMs: z.number().int().min(1000).max(120_000).default(10_000),
    enabled: z.boolean().default(true),
    /** Group this integration overrides the tenant default for; absent = the tenant default. */
    group: z.string().trim().min(1).optional(),
    /** authorization_code: the exact callback URL registered on the connected app. */
    callbackUrl: z.string().url().optional(),
    /** password / jwt_bearer: the Salesforce username to act as. */
    username: z.string().trim().min(3).optional(),
  })
  .superRefine((v, ctx) => {
    try {
      normalizeLoginHost(v.loginHost);
    } catch (e) {
      const fe = e as ForcebridgeError;
      ctx.addIssue({ code: 'custom', path: ['loginHost'], message: `${fe.message}${fe.hint ? ` — ${fe.hint}` : ''}` });
    }
    if ((v.flow === 'password' || v.flow === 'jwt_bearer') && !v.username) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: `the ${v.flow} flow needs the Salesforce username to act as` });
    }
  });
export type IntegrationInput = z.infer<typeof integrationInputSchema>;

/** Secrets an integration may carry; each is optional depending on the flow. */
export interface IntegrationSecrets {
  clientSecret?: string;
  password?: string;
  securityToken?: string;
  privateKeyPem?: string;
  /** refresh_token flow: a refresh token an admin obtained elsewhere. */
  refreshToken?: string;
}

/** Which secrets each flow needs, and why, for clear errors and the wizard. */
export const FLOW_SECRETS: Record<Flow, { required: (keyof IntegrationSecrets)[]; optional: (keyof IntegrationSecrets)[] }> = {
  authorization_code: { required: [], optional: ['clientSecret'] },
  refresh_token: { required: ['refreshToken'], optional: ['clientSecret'] },
  password: { required: ['clientSecret', 'password'], optional: ['securityToken'] },
  client_credentials: { required: ['clientSecret'], optional: [] },
  jwt_bearer: { required: ['privateKeyPem'], optional: [] },
  device: { required: [], optional: ['clientSecret'] },
};

/** Parses input; throws one invalid_input error naming every bad field and its fix. */
export function parseIntegrationInput(raw: unknown): IntegrationInput {
  const r = integrationInputSchema.safeParse(raw);
  if (r.success) return { ...r.data, loginHost: normalizeLoginHost(r.data.loginHost).url };
  const first = r.error.issues[0]!;
  const field = first.path.join('.') || 'integration';
  const all = r.error.issues.map((i) => `${i.path.join('.') || 'integration'}: ${i.message}`).join('; ');
  throw new ForcebridgeError('integration.invalid', 'invalid_input', `integration is invalid — ${all}`, { field });
}

/** Checks the flow's required secrets are present. */
export function checkSecrets(flow: Flow, secrets: IntegrationSecrets): void {
  const missing = FLOW_SECRETS[flow].required.filter((k) => !secrets[k]);
  if (missing.length) {
    throw new ForcebridgeError('integration.secret_missing', 'invalid_input', `the ${flow} flow needs ${missing.join(', ')}`, {
      field: missing[0]!,
      hint: 'secrets are read from a prompt or standard input, never from command-line arguments',
    });
  }
}
