import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '../../emulator/server.js';
import { startTestEmulator } from '../../emulator/test-support/harness.js';
import { backends } from '../../store/test-support/stores.js';
import { openSyncTestHub, type SyncTestHub } from '../../sync/test-support/hub.js';
import { agentTools } from '../registry.js';
import { hubEnv, startStdioClient, stdioCommand, type StdioClient } from './test-support/clients.js';
import { assertListedAsDefined, assertSuccess, assertToolError } from './test-support/expect.js';
import { countRecords, draftNote, orgLimit, probeTools } from './test-support/probe-tools.js';

const PROBES = { path: fileURLToPath(new URL('./test-support/probe-tools.ts', import.meta.url)), exportName: 'probeTools' };

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 25 } } });
});
after(() => em.close());

for (const backend of backends) {
  describe(`forcebridge mcp over stdio (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    let stdio: StdioClient;
    before(async () => {
      t = await openSyncTestHub(backend, em);
      stdio = await startStdioClient({ hub: t, connection: t.connection, tools: PROBES });
    });
    after(async () => {
      await stdio.close();
      await t.cleanup();
    });

    it('lists each tool with its title, description, annotations, inputSchema and outputSchema', async () => {
      assertListedAsDefined((await stdio.client.listTools()).tools, probeTools);
      assert.match(stdio.client.getInstructions() ?? '', new RegExp(`connection "${t.connection}".*none of them writes to Salesforce`));
    });

    it('calls each tool against the org as the local admin: structuredContent plus the same JSON as text', async () => {
      const limit = assertSuccess<{ max: number }>(await stdio.client.callTool({ name: 'org_limit', arguments: { name: 'DailyApiRequests' } }), orgLimit);
      assert.ok(limit.max > 0);
      const count = assertSuccess<{ count: number }>(
        await stdio.client.callTool({ name: 'count_records', arguments: { object: 'Contact', where: { field: 'LastName', equals: "O'Brien-nobody" } } }),
        countRecords,
      );
      assert.equal(count.count, 0);
      assertSuccess(await stdio.client.callTool({ name: 'draft_note', arguments: { recordId: '001000000000001AAA', text: 'call back' } }), draftNote);
    });

    it('answers invalid input and a tool’s own error as error results naming the field', async () => {
      const bad = assertToolError(await stdio.client.callTool({ name: 'draft_note', arguments: { recordId: 'nope', text: '' } }));
      assert.equal(bad.code, 'agent.invalid_input');
      assert.equal(bad.field, 'recordId');
      assert.match(bad.message, /"recordId": must be a 15- or 18-character Salesforce id; "text": /);
      const unknown = assertToolError(await stdio.client.callTool({ name: 'org_limit', arguments: { name: 'NoSuchLimit' } }));
      assert.deepEqual(unknown, { code: 'probe.unknown_limit', message: 'the org has no limit "NoSuchLimit"', field: 'name' });
    });

    it('serves the 2026-07-28 revision too', async () => {
      const modern = await startStdioClient({ hub: t, connection: t.connection, tools: PROBES, era: 'modern' });
      try {
        assert.equal(modern.client.getNegotiatedProtocolVersion(), '2026-07-28');
        assertListedAsDefined((await modern.client.listTools()).tools, probeTools);
        assertSuccess(await modern.client.callTool({ name: 'count_records', arguments: { object: 'Account' } }), countRecords);
      } finally {
        await modern.close();
      }
    });

    it('logs to stderr only, without secrets', () => {
      const err = stdio.stderr();
      assert.match(err, /"msg":"mcp server on stdio"/);
      assert.match(err, /"errorCode":"agent.invalid_input"/);
      assert.ok(!err.includes(t.masterKey), 'no master key in the log');
      assert.doesNotMatch(err, /00D[A-Za-z0-9]{12,15}![\w.]{20,}/, 'no access token in the log');
    });

    it('the real CLI writes nothing but JSON-RPC on stdout and serves the registry’s tools', async () => {
      const child = spawn(process.execPath, stdioCommand(t.connection), { env: hubEnv(t), stdio: ['pipe', 'pipe', 'pipe'] });
      const lines: string[] = [];
      const rl = createInterface({ input: child.stdout });
      const next = () => new Promise<string>((resolve) => rl.once('line', resolve));
      try {
        const send = (m: unknown) => child.stdin.write(JSON.stringify(m) + '\n');
        send({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
        });
        lines.push(await next());
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        lines.push(await next());
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.stdin.end();
        assert.equal(await exited, 0, 'exits once the client closes stdin');
        for (const l of lines) assert.equal(JSON.parse(l).jsonrpc, '2.0', `stdout line is JSON-RPC: ${l}`);
        const [init, list] = lines.map((l) => JSON.parse(l));
        assert.equal(init.result.serverInfo.name, 'forcebridge');
        assert.deepEqual(
          list.result.tools.map((x: { name: string }) => x.name),
          agentTools.map((x) => x.name),
        );
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it('refuses an unknown connection at start, on stderr, with nothing on stdout', () => {
      const r = spawnSync(process.execPath, stdioCommand('no-such-connection'), { env: hubEnv(t), input: '', encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /forcebridge: no connection "no-such-connection"/);
    });
  });
}
