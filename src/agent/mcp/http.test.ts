import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { demoIntegration, demoSecrets } from '../../connections/test-support/hub.js';
import { ensureGroup } from '../../connections/tenancy.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { startTestEmulator, tokenFor } from '../../emulator/test-support/harness.js';
import { backends } from '../../store/test-support/stores.js';
import { openSyncTestHub, type SyncTestHub } from '../../sync/test-support/hub.js';
import { toolSet } from '../invoke.js';
import { startHttpMcp, type HttpMcp } from './test-support/clients.js';
import { assertListedAsDefined, assertSuccess, assertToolError } from './test-support/expect.js';
import { countRecords, draftNote, orgLimit, probeTools } from './test-support/probe-tools.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 25 } } });
});
after(() => em.close());

/** A raw MCP initialize POST, for the refusals (the SDK client hides statuses). */
const initialize = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    }),
  });

for (const backend of backends) {
  describe(`MCP over Streamable HTTP (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    let http: HttpMcp;
    let client: Client;
    let modern: Client;
    let salesConnection: string;
    let opsKey: string;
    before(async () => {
      t = await openSyncTestHub(backend, em);
      http = await startHttpMcp(t, toolSet(probeTools));
      // A service connection of the sales group only.
      const sales = await ensureGroup(t.hub.store.db, t.hub.tenant.id, 'sales');
      const ops = await ensureGroup(t.hub.store.db, t.hub.tenant.id, 'ops');
      const integ = await t.hub.integrations.create(
        t.hub.tenant.id,
        demoIntegration(em, 'client_credentials', { name: 'Emu sales' }),
        await demoSecrets(em, 'client_credentials'),
        sales,
      );
      salesConnection = (await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.name)).name;
      opsKey = await http.keyFor('olga@example.com', { groupId: ops });
      client = await http.connect(t.connection, http.adminKey);
      modern = await http.connect(t.connection, http.adminKey, 'modern');
    });
    after(async () => {
      await http.close();
      await t.cleanup();
    });

    it('lists each tool with its title, description, annotations, inputSchema and outputSchema', async () => {
      const { tools } = await client.listTools();
      assertListedAsDefined(tools, probeTools);
      const count = tools.find((x) => x.name === 'count_records')!;
      assert.deepEqual(count.inputSchema.required, ['object']);
      assert.equal((count.inputSchema.properties as Record<string, { description?: string }>).object!.description, 'object API name, e.g. Account');
      assert.equal(tools.find((x) => x.name === 'draft_note')!.annotations!.readOnlyHint, false);
    });

    it('calls each tool against the org: structuredContent plus the same JSON as text', async () => {
      const limit = assertSuccess<{ name: string; max: number; remaining: number }>(await client.callTool({ name: 'org_limit', arguments: {} }), orgLimit);
      assert.equal(limit.name, 'DailyApiRequests');
      assert.ok(limit.max > 0 && limit.remaining <= limit.max);
      const count = assertSuccess<{ count: number }>(await client.callTool({ name: 'count_records', arguments: { object: 'Account' } }), countRecords);
      assert.equal(count.count, em.org.data.table('Account').rows.size);
      const note = assertSuccess<{ org: string }>(
        await client.callTool({ name: 'draft_note', arguments: { recordId: '001000000000001', text: 'hi' } }),
        draftNote,
      );
      assert.match(note.org, /^00D/);
    });

    it('serves the 2026-07-28 revision too (stateless, per request)', async () => {
      assert.equal(modern.getNegotiatedProtocolVersion(), '2026-07-28');
      assert.equal(client.getNegotiatedProtocolVersion(), '2025-11-25');
      assertListedAsDefined((await modern.listTools()).tools, probeTools);
      const limit = assertSuccess<{ max: number }>(await modern.callTool({ name: 'org_limit', arguments: {} }), orgLimit);
      assert.ok(limit.max > 0);
      const err = assertToolError(await modern.callTool({ name: 'org_limit', arguments: { name: 42 } }));
      assert.equal(err.field, 'name');
    });

    it('answers invalid input with agent.invalid_input naming the field', async () => {
      const err = assertToolError(await client.callTool({ name: 'count_records', arguments: { object: 'Account; DELETE' } }));
      assert.equal(err.code, 'agent.invalid_input');
      assert.equal(err.field, 'object');
      assert.match(err.message, /"object": must be an object API name/);
      const nested = assertToolError(await client.callTool({ name: 'count_records', arguments: { object: 'Account', where: { field: 'Name' } } }));
      assert.equal(nested.field, 'where.equals');
    });

    it('answers a Salesforce error as a tool error with our code and Salesforce’s errorCode', async () => {
      const err = assertToolError(await client.callTool({ name: 'count_records', arguments: { object: 'NoSuchThing__c' } }));
      assert.equal(err.salesforceErrorCode, 'INVALID_TYPE');
      assert.match(err.code, /^salesforce\./);
    });

    it('refuses a request without a bearer, with a wrong key and with a Salesforce access token (401)', async () => {
      const url = http.url(t.connection);
      const none = await initialize(url);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'auth.api_key_missing');
      const wrong = await initialize(url, { Authorization: `Bearer fb_${'x'.repeat(43)}` });
      assert.equal(wrong.status, 401);
      assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'auth.api_key_invalid');
      const sfToken = tokenFor(em);
      const sf = await initialize(url, { Authorization: `Bearer ${sfToken}` });
      assert.equal(sf.status, 401);
      const text = await sf.text();
      assert.ok(!text.includes(sfToken), 'the token is not echoed');
      await assert.rejects(http.connect(t.connection, sfToken));
    });

    it('answers 404 for a connection the key’s user may not use, and for one that does not exist', async () => {
      const other = await initialize(http.url(salesConnection), { Authorization: `Bearer ${opsKey}` });
      assert.equal(other.status, 404);
      assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'connection.not_found');
      const missing = await initialize(http.url('no-such-connection'), { Authorization: `Bearer ${opsKey}` });
      assert.equal(missing.status, 404);
      assert.equal(await (await initialize(http.url(salesConnection), { Authorization: `Bearer ${http.adminKey}` })).status, 200);
    });

    it('serves a group member their group’s connection', async () => {
      const salesKey = await http.keyFor('sam@example.com', { groupId: await ensureGroup(t.hub.store.db, t.hub.tenant.id, 'sales') });
      const sam = await http.connect(salesConnection, salesKey);
      assertSuccess(await sam.callTool({ name: 'org_limit', arguments: {} }), orgLimit);
    });

    it('keeps keys and tokens out of the log', async () => {
      const all = http.logs.join('\n');
      assert.match(all, /"path":"\/mcp\//);
      assert.ok(!all.includes(http.adminKey) && !all.includes(opsKey), 'no API key in the log');
      assert.doesNotMatch(all, /00D[A-Za-z0-9]{12,15}![\w.]{20,}/, 'no access token in the log');
    });
  });
}
