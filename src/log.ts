/**
 * The hub's logger (pino). Secrets never reach logs: known secret keys are redacted wherever they
 * appear, and `redactText` masks token-shaped strings in free text (error messages from elsewhere).
 */
import pino, { type DestinationStream, type Logger } from 'pino';

/** Keys whose values are secrets, at any depth of a logged object. */
export const SECRET_KEYS = [
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'client_secret',
  'clientSecret',
  'password',
  'securityToken',
  'privateKeyPem',
  'assertion',
  'code',
  'code_verifier',
  'codeVerifier',
  'authorization',
  'Authorization',
  'apiKey',
  'token',
  'masterKey',
];

const paths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`, `headers.${k.toLowerCase()}`]);

export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env.FORCEBRIDGE_LOG_LEVEL ?? 'info',
      redact: { paths, censor: '[redacted]' },
      base: { app: 'forcebridge' },
    },
    opts.destination ?? pino.destination(2),
  );
}

/** Salesforce access tokens (`00D…!…`), refresh tokens (`5Aep…`), Bearer values, our ciphertext and our API keys (`fb_…`). */
const TOKEN_PATTERNS = [
  /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}/g,
  /5Aep[A-Za-z0-9._]{20,}/g,
  /Bearer\s+[A-Za-z0-9._!-]{10,}/gi,
  /fbv1:[A-Za-z0-9_-]+:[A-Za-z0-9_:-]{20,}/g,
  /fb_[A-Za-z0-9_-]{30,}/g,
];

export function redactText(text: string): string {
  let out = text;
  for (const re of TOKEN_PATTERNS) out = out.replace(re, '[redacted]');
  return out;
}
