/**
 * Acceptance: the SDK's own MCP client, over stdio (a spawned `forcebridge mcp`) and over
 * Streamable HTTP (`/mcp/{connection}` on a loopback listener), lists the hub's real agent tools
 * and runs each one against the emulator. The prepare tools leave the record as it was (a
 * proposal is stored, nothing is written), and every call leaves an audit row.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import type { RunningEmulator } from '../../emulator/server.js';
import { api, startTestEmulator, tokenFor } from '../../emulator/test-support/harness.js';
import { backends } from '../../store/test-support/stores.js';
import { openSyncTestHub, type SyncTestHub } from '../../sync/test-support/hub.js';
import { listAudit } from '../audit.js';
import { agentTools } from '../registry.js';
import type { AgentTool } from '../tool.js';
import { startHttpMcp, startStdioClient, type HttpMcp, type StdioClient } from './test-support/clients.js';
import { assertListedAsDefined, assertSuccess } from './test-support/expect.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({
    config: {
      settings: { records: 20 },
      customFields: { Account: [{ name: 'ERP_Id__c', type: 'string', length: 20, externalId: true, unique: true }] },
    },
  });
});
after(() => em.close());

const tool = (name: string): AgentTool => agentTools.find((t) => t.name === name)!;

/** Calls every tool once with a real input; returns the names called. */
async function runEvery(client: Client, account: { Id: string; Name: string }): Promise<string[]> {
  const called: string[] = [];
  const call = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> => {
    called.push(name);
    return assertSuccess<T>(await client.callTool({ name, arguments: args }), tool(name));
  };
  const objects = await call<{ objects: { name: string; queryable: boolean }[] }>('list_objects', { filter: 'account' });
  assert.ok(objects.objects.some((o) => o.name === 'Account' && o.queryable));
  const d = await call<{ fields: { name: string }[] }>('describe_object', { object: 'Account' });
  assert.ok(d.fields.some((f) => f.name === 'Name'));
  const word = account.Name.split(/\s+/)[0]!;
  const s = await call<{ hits: { id: string }[] }>('search', { term: word, objects: [{ name: 'Account' }] });
  assert.ok(
    s.hits.some((h) => h.id === account.Id),
    `search for "${word}" finds the account`,
  );
  const q = await call<{ records: { Id: string }[]; totalSize: number }>('query', { soql: `SELECT Id, Name FROM Account WHERE Id = '${account.Id}'` });
  assert.equal(q.records[0]?.Id, account.Id);
  const g = await call<{ record: { Name: string } }>('get_record', { object: 'Account', id: account.Id });
  assert.equal(g.record.Name, account.Name);
  const reason = 'MCP acceptance';
  for (const [name, args] of [
    ['prepare_create', { object: 'Account', fields: { Name: 'Proposed over MCP' }, reason }],
    ['prepare_update', { object: 'Account', recordId: account.Id, fields: { Name: `${account.Name} (renamed)` }, reason }],
    ['prepare_upsert', { object: 'Account', externalIdField: 'ERP_Id__c', externalIdValue: `MCP-${Date.now() % 1e9}`, fields: { Name: 'Upserted' }, reason }],
    ['prepare_delete', { object: 'Account', recordId: account.Id, reason }],
  ] as const) {
    const p = await call<{ proposalId: string; status: string; review: { approve: string } }>(name, args);
    assert.equal(p.status, 'pending');
    assert.match(p.review.approve, new RegExp(`forcebridge proposals approve ${p.proposalId}`));
  }
  return called;
}

for (const backend of backends) {
  describe(`every real agent tool over MCP (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    let stdio: StdioClient;
    let http: HttpMcp;
    let account: { Id: string; Name: string; LastModifiedDate: string };
    before(async () => {
      t = await openSyncTestHub(backend, em);
      stdio = await startStdioClient({ hub: t, connection: t.connection });
      http = await startHttpMcp(t);
      const r = await api<{ records: (typeof account)[] }>(
        em,
        tokenFor(em),
        'GET',
        `/query?q=${encodeURIComponent('SELECT Id, Name, LastModifiedDate FROM Account ORDER BY Name LIMIT 1')}`,
      );
      account = r.json.records[0]!;
    });
    after(async () => {
      await stdio.close();
      await http.close();
      await t.cleanup();
    });

    for (const surface of ['stdio', 'http'] as const) {
      it(`${surface}: lists the registry's tools as defined and runs each one; nothing is written to the org`, async () => {
        const client = surface === 'stdio' ? stdio.client : await http.connect(t.connection, http.adminKey);
        assertListedAsDefined((await client.listTools()).tools, agentTools);
        const called = await runEvery(client, account);
        assert.deepEqual([...called].sort(), agentTools.map((x) => x.name).sort());
        const now = await api<{ Name: string; LastModifiedDate: string }>(em, tokenFor(em), 'GET', `/sobjects/Account/${account.Id}`);
        assert.equal(now.json.Name, account.Name);
        assert.equal(now.json.LastModifiedDate, account.LastModifiedDate);
        const audited = await listAudit(t.hub, t.hub.tenant.id, { kind: 'tool_call' });
        for (const name of called)
          assert.ok(
            audited.some((a) => a.name === name && a.outcome === 'ok'),
            `${name} audited`,
          );
      });
    }
  });
}
