import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../server.js';
import { api, control, startTestEmulator, tokenFor } from '../test-support/harness.js';

function undeleteEnvelope(sessionId: string, ids: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><soapenv:Header><urn:SessionHeader><urn:sessionId>${sessionId}</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body><urn:undelete>${ids.map((i) => `<urn:ids>${i}</urn:ids>`).join('')}</urn:undelete></soapenv:Body></soapenv:Envelope>`;
}

describe('SOAP undelete()', () => {
  let em: RunningEmulator;
  let token: string;
  before(async () => {
    em = await startTestEmulator({
      config: {
        settings: { records: 10 },
        validationRules: [
          {
            object: 'Account',
            name: 'No_Test_Names',
            errorMessage: 'Name must not be TEST',
            errorField: 'Name',
            when: [{ field: 'Name', op: 'equals', value: 'TEST' }],
          },
        ],
      },
    });
    token = tokenFor(em, 'admin');
  });
  after(() => em.close());
  const soap = (body: string) => api(em, undefined, 'POST', '/services/Soap/u/62.0', body, { 'Content-Type': 'text/xml', SOAPAction: '""' });

  it('undelete: restores a deleted Account with its cascade-deleted contacts; a live record fails UNDELETE_FAILED', async () => {
    const acc = await api(em, token, 'POST', '/sobjects/Account', { Name: 'Restore Me' });
    assert.equal(acc.status, 201, acc.text);
    const con = await api(em, token, 'POST', '/sobjects/Contact', { LastName: 'Child', AccountId: acc.json.id });
    assert.equal(con.status, 201, con.text);
    assert.equal((await api(em, token, 'DELETE', `/sobjects/Account/${acc.json.id}`)).status, 204);
    assert.equal((await api(em, token, 'GET', `/sobjects/Contact/${con.json.id}`)).status, 404);
    const r = await soap(undeleteEnvelope(token, [acc.json.id]));
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, new RegExp(`<result><id>${acc.json.id}</id><success>true</success></result>`));
    assert.equal((await control(em, 'GET', `records/Account/${acc.json.id}`)).IsDeleted, false);
    assert.equal((await api(em, token, 'GET', `/sobjects/Contact/${con.json.id}`)).status, 200);
    const again = await soap(undeleteEnvelope(token, [acc.json.id]));
    assert.match(again.text, /<statusCode>UNDELETE_FAILED<\/statusCode>.*<success>false<\/success>/);
  });

  it('undelete: a bad session is an INVALID_SESSION_ID fault (HTTP 500)', async () => {
    const r = await soap(undeleteEnvelope('not-a-session', ['001000000000000AAA']));
    assert.equal(r.status, 500);
    assert.match(r.text, /<faultcode[^>]*>sf:INVALID_SESSION_ID<\/faultcode>/);
  });

  it('validation rules: a matching save fails FIELD_CUSTOM_VALIDATION_EXCEPTION with the rule message and field', async () => {
    const r = await api(em, token, 'POST', '/sobjects/Account', { Name: 'TEST' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, [{ message: 'Name must not be TEST', errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Name'] }]);
    const ok = await api(em, token, 'POST', '/sobjects/Account', { Name: 'Fine' });
    assert.equal(ok.status, 201);
    const upd = await api(em, token, 'PATCH', `/sobjects/Account/${ok.json.id}`, { Name: 'TEST' });
    assert.equal(upd.status, 400);
    assert.equal(upd.json[0].errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
  });
});
