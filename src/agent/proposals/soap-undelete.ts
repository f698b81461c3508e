/**
 * Restores records from the Recycle Bin. The REST API has no undelete; the SOAP API's
 * `undelete()` is Salesforce's call for it, authenticated by the OAuth access token in the
 * envelope's SessionHeader. The request is built in one function and the answer checked in
 * another, so nothing unchecked reaches the caller.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_undelete.htm
 */
import { ForcebridgeError, remoteProtocol } from '../../errors.js';
import type { ApiRequest } from '../../salesforce/client.js';
import type { HttpResponse } from '../../salesforce/transport.js';
import type { AgentContext } from '../context.js';

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The SOAP request for `undelete(ids)` (partner WSDL). */
export function undeleteRequest(apiVersion: string, sessionId: string, ids: string[]): ApiRequest {
  const body =
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">' +
    `<soapenv:Header><urn:SessionHeader><urn:sessionId>${xmlEscape(sessionId)}</urn:sessionId></urn:SessionHeader></soapenv:Header>` +
    `<soapenv:Body><urn:undelete>${ids.map((i) => `<urn:ids>${xmlEscape(i)}</urn:ids>`).join('')}</urn:undelete></soapenv:Body></soapenv:Envelope>`;
  return {
    method: 'POST',
    path: `/services/Soap/u/${apiVersion}`,
    body,
    headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml', SOAPAction: '""' },
  };
}

export type UndeleteOutcome = { ok: true; id: string } | { ok: false; errors: { statusCode: string; message: string }[] };

const text = (xml: string, local: string): string | undefined => new RegExp(`<(?:\\w+:)?${local}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${local}>`).exec(xml)?.[1];

/** Checks the answer for one id: a fault throws (INVALID_SESSION_ID keeps its code), a result is returned. */
export function processUndeleteResponse(res: HttpResponse): UndeleteOutcome {
  const faultCode = text(res.body, 'faultcode');
  if (faultCode !== undefined) {
    const errorCode = faultCode.replace(/^\w+:/, '');
    const message = text(res.body, 'faultstring') ?? '';
    throw new ForcebridgeError(`salesforce.${errorCode.toLowerCase()}`, 'remote_error', `SOAP undelete: ${message}`, {
      salesforce: { errorCode, message, status: res.status },
    });
  }
  if (res.status !== 200)
    throw remoteProtocol('salesforce.unexpected_status', `SOAP undelete: HTTP ${res.status} without a SOAP fault`, { status: res.status });
  const result = /<(?:\w+:)?result>([\s\S]*?)<\/(?:\w+:)?result>/.exec(res.body)?.[1];
  if (result === undefined) throw remoteProtocol('agent.undelete_unexpected', 'SOAP undelete: the answer has no <result>');
  const success = text(result, 'success');
  if (success === 'true') {
    const id = text(result, 'id');
    if (!id) throw remoteProtocol('agent.undelete_unexpected', 'SOAP undelete: a successful <result> has no <id>');
    return { ok: true, id };
  }
  if (success !== 'false') throw remoteProtocol('agent.undelete_unexpected', 'SOAP undelete: <success> is neither true nor false');
  const errors = [...result.matchAll(/<(?:\w+:)?errors>([\s\S]*?)<\/(?:\w+:)?errors>/g)].map((m) => ({
    statusCode: text(m[1]!, 'statusCode') ?? 'UNKNOWN',
    message: text(m[1]!, 'message') ?? '',
  }));
  return { ok: false, errors };
}

/** Undeletes one record as the connection's user; an expired session is renewed once. */
export async function soapUndelete(ctx: AgentContext, id: string): Promise<UndeleteOutcome> {
  const { tenantId } = ctx.user;
  let tokens = await ctx.hub.connections.tokens(tenantId, ctx.connection.id);
  let session = tokens.accessToken ?? (await ctx.hub.refresher.renew(tenantId, ctx.connection.id, -1)).accessToken;
  for (let attempt = 0; ; attempt++) {
    try {
      return processUndeleteResponse(await ctx.client.send(undeleteRequest(ctx.client.apiVersion, session, [id])));
    } catch (e) {
      if (attempt > 0 || !(e instanceof ForcebridgeError) || e.salesforce?.errorCode !== 'INVALID_SESSION_ID') throw e;
      session = (await ctx.hub.refresher.renew(tenantId, ctx.connection.id, tokens.version)).accessToken;
      tokens = await ctx.hub.connections.tokens(tenantId, ctx.connection.id);
    }
  }
}
