/**
 * Sends a token request and checks the answer.
 */
import type { Transport } from '../salesforce/transport.js';
import type { TokenRequest } from './token-request.js';
import { processTokenResponse, type RawResponse, type TokenSet } from './token-response.js';

export async function sendTokenRequest(transport: Transport, req: TokenRequest, timeoutMs?: number): Promise<RawResponse> {
  return transport({ method: 'POST', url: req.url, headers: req.headers, body: req.body.toString(), ...(timeoutMs ? { timeoutMs } : {}) });
}

/** Sends a token request and returns the checked token set (signature verified when the secret is given). */
export async function requestTokens(transport: Transport, req: TokenRequest, opts: { clientSecret?: string; timeoutMs?: number } = {}): Promise<TokenSet> {
  const res = await sendTokenRequest(transport, req, opts.timeoutMs);
  return processTokenResponse(res, opts.clientSecret ? { clientSecret: opts.clientSecret } : {});
}
