/**
 * recoverProposal: a proposal left `executing` by a process that stopped is settled from what the
 * record shows — executed when the change is there, failed (`proposal.interrupted`) when it is
 * not — and nothing is written again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoIntegration, demoSecrets, openTestHub, type TestHub } from '../../connections/test-support/hub.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { api, control, startTestEmulator, tokenFor } from '../../emulator/test-support/harness.js';
import { ForcebridgeError } from '../../errors.js';
import { backends } from '../../store/test-support/stores.js';
import { openAgentContext, type AgentContext } from '../context.js';
import { EXECUTION_GRACE_MS, recoverProposal } from './recover.js';
import { ProposalsRepo } from './repo.js';
import { prepareCreateTool, prepareDeleteTool, prepareUpdateTool } from './tools.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 10 } } });
});
after(() => em.close());

const truth = (id: string) => control<Record<string, unknown>>(em, 'GET', `records/Account/${id}`);
async function newAccount(): Promise<string> {
  const r = await api(em, tokenFor(em, 'admin'), 'POST', '/sobjects/Account', { Name: 'Interrupted Co' });
  assert.equal(r.status, 201, r.text);
  return r.json.id as string;
}

for (const backend of backends) {
  describe(`recoverProposal (${backend.name})`, { skip: backend.skip }, () => {
    let t: TestHub;
    let ctx: AgentContext;
    before(async () => {
      t = await openTestHub(backend);
      const cc = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
      ctx = await openAgentContext(t.hub, t.hub.admin, (await t.hub.service.connectNonInteractive(t.hub.tenant.id, cc.name)).id);
    });
    after(() => t.cleanup());

    /** A proposal approved and then left `executing`, as a process killed mid-execution leaves it. */
    async function leftExecuting(proposalId: string): Promise<void> {
      const repo = new ProposalsRepo(t.hub.store.db);
      assert.ok(await repo.transition(t.hub.tenant.id, proposalId, 'pending', 'approved', { decidedBy: t.hub.admin.id }));
      assert.ok(await repo.transition(t.hub.tenant.id, proposalId, 'approved', 'executing'));
    }
    const later = () => Date.now() + EXECUTION_GRACE_MS + 1000;

    it('an update that did not happen → failed (interrupted), the record untouched; too early → refused', async () => {
      const id = await newAccount();
      const p = await prepareUpdateTool.run(
        ctx,
        prepareUpdateTool.input.parse({ object: 'Account', recordId: id, fields: { Name: 'Renamed' }, reason: 'test' }),
      );
      await leftExecuting(p.proposalId);
      await assert.rejects(
        recoverProposal(t.hub, t.hub.admin, p.proposalId),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'proposal.still_executing',
      );
      const before = await truth(id);
      const r = await recoverProposal(t.hub, t.hub.admin, p.proposalId, later());
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.code, 'proposal.interrupted');
      assert.deepEqual(r.error?.current, [{ field: 'Name', proposed: 'Renamed', current: 'Interrupted Co' }]);
      assert.deepEqual(await truth(id), before, 'nothing written');
      await assert.rejects(
        recoverProposal(t.hub, t.hub.admin, p.proposalId, later()),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'proposal.not_interrupted',
      );
    });

    it('an update and a delete that did happen → executed', async () => {
      const id = await newAccount();
      const u = await prepareUpdateTool.run(
        ctx,
        prepareUpdateTool.input.parse({ object: 'Account', recordId: id, fields: { Name: 'Renamed' }, reason: 'test' }),
      );
      await leftExecuting(u.proposalId);
      // The PATCH went out before the process died.
      assert.equal((await api(em, tokenFor(em, 'admin'), 'PATCH', `/sobjects/Account/${id}`, { Name: 'Renamed' })).status, 204);
      const r = await recoverProposal(t.hub, t.hub.admin, u.proposalId, later());
      assert.equal(r.status, 'executed');
      assert.equal(r.result?.recovered, true);

      const d = await prepareDeleteTool.run(ctx, prepareDeleteTool.input.parse({ object: 'Account', recordId: id, reason: 'test' }));
      await leftExecuting(d.proposalId);
      assert.equal((await api(em, tokenFor(em, 'admin'), 'DELETE', `/sobjects/Account/${id}`)).status, 204);
      assert.equal((await recoverProposal(t.hub, t.hub.admin, d.proposalId, later())).status, 'executed');
    });

    it('a create cannot be told: failed with how to check before preparing again', async () => {
      const c = await prepareCreateTool.run(ctx, prepareCreateTool.input.parse({ object: 'Account', fields: { Name: 'Maybe Created' }, reason: 'test' }));
      await leftExecuting(c.proposalId);
      const r = await recoverProposal(t.hub, t.hub.admin, c.proposalId, later());
      assert.equal(r.status, 'failed');
      assert.match(String(r.error?.explanation), /search for it/);
    });
  });
}
