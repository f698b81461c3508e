/**
 * The HTTP API and the CLI over proposals: tenant/connection scoping, status codes, the diff and
 * the outcome texts a person sees.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { proposalsCommand } from '../../cli/commands/proposals.js';
import type { CliIo } from '../../cli/io.js';
import { ensureGroup, ensureTenant } from '../../connections/tenancy.js';
import { demoIntegration, demoSecrets } from '../../connections/test-support/hub.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { api, control, startTestEmulator, tokenFor } from '../../emulator/test-support/harness.js';
import { openTestServer, type TestServer } from '../../server/test-support/server.js';
import { backends } from '../../store/test-support/stores.js';
import { recordToolCall } from '../audit.js';
import { openAgentContext, type AgentContext } from '../context.js';
import { prepareUpdateTool } from './tools.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 10 } } });
});
after(() => em.close());

const truth = (id: string) => control<Record<string, unknown>>(em, 'GET', `records/Account/${id}`);
async function newAccount(): Promise<string> {
  const r = await api(em, tokenFor(em, 'admin'), 'POST', '/sobjects/Account', { Name: 'Surface Co', Phone: '555-0100' });
  assert.equal(r.status, 201, r.text);
  return r.json.id as string;
}

for (const backend of backends) {
  describe(`proposals over HTTP and CLI (${backend.name})`, { skip: backend.skip }, () => {
    let s: TestServer;
    let ctx: AgentContext;
    let opsKey: string;
    let otherTenantKey: string;
    let io: CliIo;
    let out: string;

    before(async () => {
      s = await openTestServer(backend);
      const { hub } = s.t;
      const salesGroup = await ensureGroup(hub.store.db, hub.tenant.id, 'sales');
      const ops = await ensureGroup(hub.store.db, hub.tenant.id, 'ops');
      const integ = await hub.integrations.create(
        hub.tenant.id,
        demoIntegration(em, 'client_credentials'),
        await demoSecrets(em, 'client_credentials'),
        salesGroup,
      );
      const conn = await hub.service.connectNonInteractive(hub.tenant.id, integ.name);
      ctx = await openAgentContext(hub, hub.admin, conn.id);
      opsKey = await s.keyFor('olga@example.com', { groupId: ops });
      otherTenantKey = await s.keyFor('mallory@example.com', { tenantId: (await ensureTenant(hub.store.db, 'elsewhere')).id, isAdmin: true });
      io = {
        out: (t) => void (out += t),
        err: (t) => void (out += t),
        stdin: new PassThrough(),
        tty: false,
        env: { FORCEBRIDGE_DATABASE_URL: s.t.databaseUrl, FORCEBRIDGE_DATA_DIR: s.t.dataDir, FORCEBRIDGE_MASTER_KEY: s.t.masterKey },
      };
    });
    after(() => s.cleanup());

    const cli = async (...args: string[]) => {
      out = '';
      await proposalsCommand(io).parseAsync(args, { from: 'user' });
      return out;
    };

    it('GET /api/v1/proposals(/{id}): the caller sees proposals of connections they may use; others get empty lists and 404', async () => {
      const id = await newAccount();
      const prep = await prepareUpdateTool.run(ctx, { object: 'Account', recordId: id, fields: { Phone: '555-0123' }, reason: 'customer asked' });
      const list = await s.call('GET', '/api/v1/proposals?status=pending', { key: s.adminKey });
      assert.equal(list.status, 200, list.text);
      assert.ok(list.json.proposals.some((p: { id: string }) => p.id === prep.proposalId));
      const one = await s.call('GET', `/api/v1/proposals/${prep.proposalId}`, { key: s.adminKey });
      assert.equal(one.status, 200);
      assert.match(one.json.proposal.diff, /~ Phone: "555-0100" → "555-0123"/);
      for (const key of [opsKey, otherTenantKey]) {
        assert.deepEqual((await s.call('GET', '/api/v1/proposals', { key })).json.proposals, []);
        const r = await s.call('GET', `/api/v1/proposals/${prep.proposalId}`, { key });
        assert.equal(r.status, 404);
        assert.equal(r.json.error.code, 'proposal.not_found');
        const a = await s.call('POST', `/api/v1/proposals/${prep.proposalId}/approve`, { key });
        assert.equal(a.status, 404);
      }
      assert.equal((await truth(id)).Phone, '555-0100');

      const ok = await s.call('POST', `/api/v1/proposals/${prep.proposalId}/approve`, { key: s.adminKey });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.proposal.status, 'executed');
      assert.equal((await truth(id)).Phone, '555-0123');
      const again = await s.call('POST', `/api/v1/proposals/${prep.proposalId}/approve`, { key: s.adminKey });
      assert.equal(again.status, 409);
      assert.equal(again.json.error.code, 'proposal.already_decided');

      const undo = await s.call('POST', `/api/v1/proposals/${prep.proposalId}/undo`, { key: s.adminKey, body: {} });
      assert.equal(undo.status, 201, undo.text);
      assert.equal(undo.json.proposal.status, 'pending');
      const rej = await s.call('POST', `/api/v1/proposals/${undo.json.proposal.id}/reject`, { key: s.adminKey, body: { note: 'keep the new number' } });
      assert.equal(rej.status, 200);
      assert.equal(rej.json.proposal.status, 'rejected');
      assert.equal((await truth(id)).Phone, '555-0123');
    });

    it('GET /api/v1/audit: transitions and tool calls, scoped; secrets in tool input are redacted', async () => {
      await recordToolCall(s.t.hub, {
        tenantId: s.t.hub.tenant.id,
        userId: s.t.hub.admin.id,
        connectionId: ctx.connection.id,
        name: 'query',
        input: { soql: 'SELECT Id FROM Account', password: 'hunter2-secret' },
        outcome: 'ok',
      });
      const r = await s.call('GET', '/api/v1/audit', { key: s.adminKey });
      assert.equal(r.status, 200, r.text);
      const names = r.json.audit.map((a: { name: string }) => a.name);
      for (const n of ['prepared', 'approved', 'executing', 'executed', 'rejected', 'query']) assert.ok(names.includes(n), n);
      const call = r.json.audit.find((a: { kind: string }) => a.kind === 'tool_call');
      assert.deepEqual(call.input, { soql: 'SELECT Id FROM Account', password: '[redacted]' });
      assert.ok(!r.text.includes('hunter2-secret'));
      assert.deepEqual((await s.call('GET', '/api/v1/audit', { key: otherTenantKey })).json.audit, []);
      const spec = await s.call('GET', '/api/v1/openapi.json', { key: s.adminKey });
      for (const path of [
        '/api/v1/proposals',
        '/api/v1/proposals/{id}',
        '/api/v1/proposals/{id}/approve',
        '/api/v1/proposals/{id}/reject',
        '/api/v1/proposals/{id}/undo',
        '/api/v1/audit',
      ]) {
        assert.ok(spec.json.paths[path], path);
      }
    });

    it('CLI: show prints the diff; approve prints the result, or the stale explanation with what changed', async () => {
      const id = await newAccount();
      const a = await prepareUpdateTool.run(ctx, { object: 'Account', recordId: id, fields: { Name: 'CLI Co' }, reason: 'rename' });
      assert.match(await cli('show', a.proposalId), /~ Name: "Surface Co" → "CLI Co"[\s\S]*Pending\. Approve with `forcebridge proposals approve/);
      assert.match(await cli('list', '--status', 'pending'), new RegExp(a.proposalId));
      assert.match(await cli('approve', a.proposalId), /Executed: update Account/);
      assert.equal((await truth(id)).Name, 'CLI Co');

      const b = await prepareUpdateTool.run(ctx, { object: 'Account', recordId: id, fields: { Name: 'Later Co' }, reason: 'rename again' });
      await control(em, 'POST', 'records/Account/update', { ids: [id], values: { Name: 'Edited Elsewhere' }, at: Date.now() + 5_000 });
      const text = await cli('approve', b.proposalId);
      assert.match(text, /Stale: /);
      assert.match(text, /Name: "CLI Co" when prepared, now "Edited Elsewhere"/);
      assert.match(text, /Nothing was written/);
      assert.equal((await truth(id)).Name, 'Edited Elsewhere');
      const json = JSON.parse(await cli('show', b.proposalId, '--json'));
      assert.equal(json.status, 'stale');
    });
  });
}
