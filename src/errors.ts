/**
 * forcebridge's one error family. Every error has a stable string `code` (for programs, logs and
 * API answers), a `kind` saying who is at fault, a message safe to show (never a secret), and,
 * where one exists, the fix. Salesforce's own `errorCode` travels beside ours.
 */

/** Who is at fault: the caller, the remote (it misbehaved or answered with an error), or us. */
export type ErrorKind =
  /** Bad input or configuration from the caller; the message names the field and the fix. */
  | 'invalid_input'
  /** The caller is not allowed (no credentials, wrong tenant, step-up needed). */
  | 'forbidden'
  /** Something named does not exist. */
  | 'not_found'
  /** The request conflicts with current state (stale record, duplicate name). */
  | 'conflict'
  /** Salesforce (or another remote) answered with an error. */
  | 'remote_error'
  /** The remote answered something that breaks its own protocol (unparseable, missing fields). */
  | 'remote_protocol'
  /** The remote could not be reached or timed out. */
  | 'unavailable'
  /** A bug or an unexpected state on our side. */
  | 'internal';

/** Salesforce's side of an error, when it answered with one. */
export interface SalesforceErrorInfo {
  /** Salesforce's `errorCode` (REST) or `error` (OAuth). */
  errorCode: string;
  /** Salesforce's message or `error_description`. */
  message?: string;
  status?: number;
  fields?: string[];
}

export interface ErrorOptions {
  /** What to do about it, in one sentence. */
  hint?: string;
  /** The input field at fault (config key, CLI flag, API body property). */
  field?: string;
  salesforce?: SalesforceErrorInfo;
  /** Extra non-secret facts for logs and API answers. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class ForcebridgeError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly field: string | undefined;
  readonly salesforce: SalesforceErrorInfo | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, kind: ErrorKind, message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ForcebridgeError';
    this.code = code;
    this.kind = kind;
    this.hint = opts.hint;
    this.field = opts.field;
    this.salesforce = opts.salesforce;
    this.details = opts.details;
  }

  /** A plain object for API answers and logs (no stack, no cause). */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      kind: this.kind,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.field ? { field: this.field } : {}),
      ...(this.salesforce ? { salesforce: this.salesforce } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** A caller mistake naming the field and the fix. */
export function invalidInput(code: string, field: string, message: string, hint?: string): ForcebridgeError {
  return new ForcebridgeError(code, 'invalid_input', message, { field, ...(hint ? { hint } : {}) });
}

/** The remote broke its protocol: `what` names the bad part (e.g. `token response "instance_url"`). */
export function remoteProtocol(code: string, message: string, details?: Record<string, unknown>): ForcebridgeError {
  return new ForcebridgeError(code, 'remote_protocol', message, details ? { details } : {});
}

export function isForcebridgeError(e: unknown): e is ForcebridgeError {
  return e instanceof ForcebridgeError;
}
