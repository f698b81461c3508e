/**
 * The agent HTTP API: one endpoint per tool (in the OpenAPI document), the tool listing with JSON
 * Schemas, input errors naming the field, other users' connections answering 404, refused SOQL
 * answering 400 before anything reaches the emulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentTools } from '../agent/registry.js';
import { readTools } from '../agent/tools/index.js';
import { addAgentConnections, type AgentTestHub } from '../agent/test-support/agent-hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { openTestServer, type TestServer } from './test-support/server.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 30 } } });
});
after(() => em.close());

for (const backend of backends) {
  describe(`HTTP API: agent tools (${backend.name})`, { skip: backend.skip }, () => {
    let s: TestServer;
    let a: AgentTestHub;
    let samKey: string;
    let bobKey: string;

    before(async () => {
      s = await openTestServer(backend);
      a = await addAgentConnections(s.t, em);
      samKey = await s.keyFor(a.sam.email);
      bobKey = await s.keyFor(a.bob.email);
    });
    after(() => s.cleanup());

    it('GET /api/v1/agent/tools: every tool with JSON Schemas; reads read-only, prepares not destructive', async () => {
      const r = await s.call('GET', '/api/v1/agent/tools', { key: samKey });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        r.json.tools.map((x: { name: string }) => x.name),
        agentTools.map((x) => x.name),
      );
      for (const t of r.json.tools as { name: string; annotations: Record<string, boolean> }[]) {
        const read = readTools.some((x) => x.name === t.name);
        assert.equal(t.annotations.readOnlyHint, read, t.name);
        assert.equal(t.annotations.destructiveHint, false, t.name);
      }
      const q = r.json.tools.find((x: { name: string }) => x.name === 'query');
      assert.equal(q.inputSchema.type, 'object');
      assert.equal(q.inputSchema.properties.limit.maximum, 2000);
      assert.ok(q.outputSchema.properties.cursor);
      assert.deepEqual(q.annotations, { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
      assert.equal((await s.call('GET', '/api/v1/agent/tools')).status, 401);
    });

    it('the OpenAPI document has one operation per tool with its input and output', async () => {
      const doc = await s.call('GET', '/api/v1/openapi.json');
      for (const tool of agentTools) {
        const op = doc.json.paths[`/api/v1/agent/{connection}/${tool.name}`]?.post;
        assert.ok(op, tool.name);
        assert.ok(op.requestBody.content['application/json'].schema);
        assert.ok(op.responses['200'].content['application/json'].schema);
      }
    });

    it('POST /api/v1/agent/{connection}/{tool}: runs the tool as the connection’s Salesforce user', async () => {
      const list = await s.call('POST', `/api/v1/agent/${a.salesConnection}/list_objects`, { key: samKey, body: { filter: 'account' } });
      assert.equal(list.status, 200, list.text);
      assert.ok(list.json.objects.some((o: { name: string }) => o.name === 'Account'));
      const q = await s.call('POST', `/api/v1/agent/${a.salesConnection}/query`, {
        key: samKey,
        body: { soql: 'SELECT Id, Name FROM Account ORDER BY Name', limit: 2 },
      });
      assert.equal(q.status, 200, q.text);
      // Sharing: the Standard User sees only some accounts, but more than two.
      assert.ok(q.json.totalSize > 2, q.text);
      assert.equal(q.json.records.length, 2);
      assert.ok(q.json.cursor);
      const more = await s.call('POST', `/api/v1/agent/${a.salesConnection}/query`, { key: samKey, body: { cursor: q.json.cursor, limit: 2000 } });
      assert.equal(more.status, 200, more.text);
      const ids = [...q.json.records, ...more.json.records].map((r: { Id: string }) => r.Id);
      assert.equal(ids.length, q.json.totalSize);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(more.json.done, true);
      const d = await s.call('POST', `/api/v1/agent/${a.salesConnection}/describe_object`, { key: samKey, body: { object: 'Account' } });
      assert.equal(d.status, 200, d.text);
      assert.equal(
        d.json.fields.some((f: { name: string }) => f.name === 'AnnualRevenue'),
        false,
      );
    });

    it('errors: input names the field; refused SOQL is 400 and never sent; another user’s connection is 404', async () => {
      const bad = await s.call('POST', `/api/v1/agent/${a.salesConnection}/query`, { key: samKey, body: { soql: 'SELECT Id FROM Account', limit: 0 } });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.field, 'limit');
      const seq = em.org.requestLog.lastSeq;
      const refused = await s.call('POST', `/api/v1/agent/${a.salesConnection}/query`, { key: samKey, body: { soql: 'SELECT Id FROM Account FOR UPDATE' } });
      assert.equal(refused.status, 400);
      assert.equal(refused.json.error.code, 'agent.soql_refused');
      assert.equal(refused.json.error.field, 'soql');
      assert.equal(em.org.requestLog.since(seq).filter((r) => r.path.startsWith('/services/data/')).length, 0);
      const theirs = await s.call('POST', `/api/v1/agent/${a.salesConnection}/list_objects`, { key: bobKey, body: {} });
      assert.equal(theirs.status, 404);
      assert.equal(theirs.json.error.code, 'connection.not_found');
      const unknown = await s.call('POST', `/api/v1/agent/${a.salesConnection}/drop_everything`, { key: samKey, body: {} });
      assert.equal(unknown.status, 404);
    });
  });
}
