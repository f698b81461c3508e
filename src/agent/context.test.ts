/**
 * openAgentContext shares the org's API budget with sync: once the org's daily allowance is spent
 * (seen in Sforce-Limit-Info or a REQUEST_LIMIT_EXCEEDED answer), agent tools stop with
 * `agent.api_budget_spent` and send nothing more to Salesforce.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { ForcebridgeError } from '../errors.js';
import { backends } from '../store/test-support/stores.js';
import { openSyncTestHub, type SyncTestHub } from '../sync/test-support/hub.js';
import { runAgentTool } from './registry.js';

const LIMIT = 1_000;
let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 10, dailyApiLimit: LIMIT } } });
});
after(() => em.close());

async function restCallsSince(seq: number): Promise<number> {
  const log = await control<{ path: string }[]>(em, 'GET', `requests?since=${seq}`);
  return log.filter((r) => r.path.startsWith('/services/data/')).length;
}

const soql = { soql: 'SELECT Id FROM Account LIMIT 1' };

for (const backend of backends) {
  describe(`agent API budget (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    before(async () => {
      t = await openSyncTestHub(backend, em);
    });
    after(() => t.cleanup());

    it('refuses once the org has spent its daily limit, without calling Salesforce again', async () => {
      await control(em, 'POST', 'api-usage', { used: 0 });
      await runAgentTool(t.hub, t.hub.admin, t.connection, 'query', soql);
      // Someone else (people, other integrations) spends the rest of the day's calls.
      await control(em, 'POST', 'api-usage', { used: LIMIT });
      const seq = (await control<{ seq: number }[]>(em, 'GET', 'requests')).at(-1)?.seq ?? 0;
      // Salesforce refuses the next call (403 REQUEST_LIMIT_EXCEEDED) → the budget error.
      await assert.rejects(runAgentTool(t.hub, t.hub.admin, t.connection, 'query', soql), (e: unknown) => {
        assert.ok(e instanceof ForcebridgeError);
        assert.equal(e.code, 'agent.api_budget_spent');
        assert.match(e.message, /API budget is spent/);
        return true;
      });
      // The stored usage now says the budget is spent: a new context refuses before any call.
      const before = await restCallsSince(seq);
      await assert.rejects(runAgentTool(t.hub, t.hub.admin, t.connection, 'query', soql), /API budget is spent/);
      assert.equal(await restCallsSince(seq), before, 'nothing more reached Salesforce');
      await control(em, 'POST', 'api-usage', { used: 0 });
    });
  });
}
