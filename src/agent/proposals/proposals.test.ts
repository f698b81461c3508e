import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureGroup, ensureTenant, ensureUser, type HubUser } from '../../connections/tenancy.js';
import { demoIntegration, demoSecrets, openTestHub, type TestHub } from '../../connections/test-support/hub.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { api, control, startTestEmulator, tokenFor } from '../../emulator/test-support/harness.js';
import { ForcebridgeError } from '../../errors.js';
import { createTransport, type HttpRequest } from '../../salesforce/transport.js';
import { backends } from '../../store/test-support/stores.js';
import { listAudit } from '../audit.js';
import { openAgentContext, type AgentContext } from '../context.js';
import { approveProposal, rejectProposal, undoProposal } from './execute.js';
import { ProposalsRepo } from './repo.js';
import { prepareCreateTool, prepareDeleteTool, prepareUpdateTool, prepareUpsertTool, proposalTools } from './tools.js';

const RULE_MESSAGE = 'Account names may not be "Forbidden Name"';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({
    config: {
      settings: { records: 20 },
      customFields: { Account: [{ name: 'ERP_Id__c', type: 'string', length: 20, externalId: true, unique: true }] },
      validationRules: [
        {
          object: 'Account',
          name: 'No_Forbidden',
          errorMessage: RULE_MESSAGE,
          errorField: 'Name',
          when: [{ field: 'Name', op: 'equals', value: 'Forbidden Name' }],
        },
      ],
    },
  });
});
after(() => em.close());

const truth = (id: string) => control<Record<string, unknown>>(em, 'GET', `records/Account/${id}`);
async function newAccount(values: Record<string, unknown> = {}): Promise<string> {
  const r = await api(em, tokenFor(em, 'admin'), 'POST', '/sobjects/Account', { Name: 'Acme', Phone: '555-0100', ...values });
  assert.equal(r.status, 201, r.text);
  return r.json.id as string;
}

/** Asserts `p` rejects with a ForcebridgeError of this code (and field, when given). */
async function refused(p: Promise<unknown>, code: string, field?: string): Promise<ForcebridgeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ForcebridgeError, String(e));
    assert.equal(e.code, code, e.message);
    if (field) assert.equal(e.field, field, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

for (const backend of backends) {
  describe(`agent proposals (${backend.name})`, { skip: backend.skip }, () => {
    let t: TestHub;
    let admin: HubUser;
    let ctx: AgentContext;
    let viewerCtx: AgentContext;
    let salesCtx: AgentContext;
    let opsUser: HubUser;
    let otherTenantUser: HubUser;
    let groupConnection: string;

    /** Requests the hub sent, and an optional hook run just before one goes out (to race it). */
    const sent: HttpRequest[] = [];
    let beforeSend: ((r: HttpRequest) => Promise<void>) | undefined;
    before(async () => {
      const inner = createTransport();
      t = await openTestHub(backend, {
        transport: async (r) => {
          sent.push(r);
          await beforeSend?.(r);
          return inner(r);
        },
      });
      const { hub } = t;
      admin = hub.admin;
      const cc = await hub.integrations.create(hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
      ctx = await openAgentContext(hub, admin, (await hub.service.connectNonInteractive(hub.tenant.id, cc.name)).id);
      const byUser = async (name: string, prefix: string, groupId: string | null = null) => {
        const u = em.banner.users.find((x) => x.username.startsWith(`${prefix}@`))!;
        const integ = await hub.integrations.create(
          hub.tenant.id,
          demoIntegration(em, 'password', { name, username: u.username }),
          { clientSecret: em.banner.clientSecret, password: u.password, securityToken: u.securityToken },
          groupId,
        );
        return (await hub.service.connectNonInteractive(hub.tenant.id, integ.name)).id;
      };
      viewerCtx = await openAgentContext(hub, admin, await byUser('Viewer', 'viewer'));
      salesCtx = await openAgentContext(hub, admin, await byUser('Sales', 'sales'));
      const salesGroup = await ensureGroup(hub.store.db, hub.tenant.id, 'sales');
      const opsGroup = await ensureGroup(hub.store.db, hub.tenant.id, 'ops');
      groupConnection = await byUser('Sales group', 'sales', salesGroup);
      opsUser = await ensureUser(hub.store.db, hub.tenant.id, 'olga@example.com', { groupId: opsGroup });
      const other = await ensureTenant(hub.store.db, 'other-org');
      otherTenantUser = await ensureUser(hub.store.db, other.id, 'mallory@example.com', { isAdmin: true });
    });
    after(() => t.cleanup());

    it('proposalTools: four prepare tools, none read-only, none destructive', () => {
      assert.deepEqual(
        proposalTools.map((x) => x.name),
        ['prepare_create', 'prepare_update', 'prepare_upsert', 'prepare_delete'],
      );
      for (const tool of proposalTools) {
        assert.equal(tool.annotations.readOnlyHint, false);
        assert.equal(tool.annotations.destructiveHint, false);
      }
    });

    it('prepare_update → approve: the emulator record is updated; nothing is written before approval; audit rows for each transition', async () => {
      const id = await newAccount();
      const before = await truth(id);
      const out = await prepareUpdateTool.run(
        ctx,
        prepareUpdateTool.input.parse({ object: 'Account', recordId: id, fields: { Name: 'Acme Corp', Phone: '555-0100' }, reason: 'rename after merger' }),
      );
      assert.equal(out.status, 'pending');
      assert.deepEqual(out.changes, [
        { field: 'Name', old: 'Acme', new: 'Acme Corp' },
        { field: 'Phone', old: '555-0100', new: '555-0100', unchanged: true },
      ]);
      assert.match(out.diff, /~ Name: "Acme" → "Acme Corp"/);
      assert.match(out.diff, /Phone: "555-0100" \(unchanged, already this value\)/);
      assert.equal(out.review.approve, `forcebridge proposals approve ${out.proposalId}`);
      assert.equal(out.review.http.approve, `POST /api/v1/proposals/${out.proposalId}/approve`);
      assert.deepEqual(await truth(id), before, 'prepare wrote nothing');

      const done = await approveProposal(t.hub, admin, out.proposalId);
      assert.equal(done.status, 'executed', JSON.stringify(done.error));
      assert.equal(done.decidedBy, admin.id);
      assert.equal((await truth(id)).Name, 'Acme Corp');
      const audit = await listAudit(t.hub, admin.tenantId, { proposalId: out.proposalId });
      assert.deepEqual(
        audit.map((a) => a.name),
        ['prepared', 'approved', 'executing', 'executed'],
      );
      assert.ok(audit.every((a) => a.kind === 'proposal_transition' && a.outcome === 'ok'));
    });

    it('approve after someone else edited the record (control API, later timestamp): stale with what changed; nothing written', async () => {
      const id = await newAccount();
      const out = await prepareUpdateTool.run(
        ctx,
        prepareUpdateTool.input.parse({ object: 'Account', recordId: id, fields: { Phone: '555-0199' }, reason: 'new number' }),
      );
      await control(em, 'POST', 'records/Account/update', { ids: [id], values: { Phone: '555-7777' }, at: Date.now() + 5_000 });
      const p = await approveProposal(t.hub, admin, out.proposalId);
      assert.equal(p.status, 'stale');
      assert.equal(p.error?.code, 'proposal.stale');
      assert.deepEqual(p.error?.changed, [{ field: 'Phone', old: '555-0100', current: '555-7777' }]);
      assert.equal((await truth(id)).Phone, '555-7777', 'nothing written');
      await refused(approveProposal(t.hub, admin, out.proposalId), 'proposal.already_decided');
    });

    it('approve after another Salesforce user edited the same field through the API in the same second: stale', async () => {
      const id = await newAccount();
      const out = await prepareUpdateTool.run(
        ctx,
        prepareUpdateTool.input.parse({ object: 'Account', recordId: id, fields: { Name: 'Mine' }, reason: 'rename' }),
      );
      const edit = await api(em, tokenFor(em, 'sales'), 'PATCH', `/sobjects/Account/${id}`, { Name: 'Theirs' });
      assert.equal(edit.status, 204, edit.text);
      const p = await approveProposal(t.hub, admin, out.proposalId);
      assert.equal(p.status, 'stale');
      assert.equal((await truth(id)).Name, 'Theirs');
    });

    it('approve: the update goes with If-Unmodified-Since; an edit racing between the re-read and the PATCH is refused by Salesforce (412) → stale', async () => {
      const id = await newAccount();
      const a = await prepareUpdateTool.run(
        ctx,
        prepareUpdateTool.input.parse({ object: 'Account', recordId: id, fields: { Phone: '555-0111' }, reason: 'fix' }),
      );
      const prepared = await new ProposalsRepo(t.hub.store.db).get(admin.tenantId, a.proposalId);
      assert.ok(prepared.lastModifiedAt);
      const from = sent.length;
      assert.equal((await approveProposal(t.hub, admin, a.proposalId)).status, 'executed');
      const patch = sent.slice(from).find((r) => r.method === 'PATCH' && r.url.includes(`/sobjects/Account/${id}`));
      assert.equal(patch?.headers?.['If-Unmodified-Since'], new Date(Date.parse(prepared.lastModifiedAt)).toUTCString());

      const b = await prepareUpdateTool.run(ctx, { object: 'Account', recordId: id, fields: { Phone: '555-0222' }, reason: 'fix again' });
      beforeSend = async (r) => {
        if (r.method !== 'PATCH' || !r.url.includes(id)) return;
        beforeSend = undefined;
        await control(em, 'POST', 'records/Account/update', { ids: [id], values: { Phone: '555-9999' }, at: Date.now() + 10_000 });
      };
      const p = await approveProposal(t.hub, admin, b.proposalId);
      assert.equal(p.status, 'stale');
      assert.deepEqual(p.error?.changed, [{ field: 'Phone', old: '555-0111', current: '555-9999' }]);
      assert.equal((await truth(id)).Phone, '555-9999', 'the racing edit is kept');
    });

    it('reject: the record is untouched and the proposal cannot be approved afterwards', async () => {
      const id = await newAccount();
      const before = await truth(id);
      const out = await prepareDeleteTool.run(ctx, prepareDeleteTool.input.parse({ object: 'Account', recordId: id, reason: 'duplicate' }));
      const p = await rejectProposal(t.hub, admin, out.proposalId, 'not a duplicate');
      assert.equal(p.status, 'rejected');
      assert.deepEqual(p.result, { note: 'not a duplicate' });
      assert.deepEqual(await truth(id), before);
      await refused(approveProposal(t.hub, admin, out.proposalId), 'proposal.already_decided');
      const audit = await listAudit(t.hub, admin.tenantId, { proposalId: out.proposalId });
      assert.deepEqual(
        audit.map((a) => a.name),
        ['prepared', 'rejected'],
      );
    });

    it('undo of an executed update: a new pending proposal restoring the old values; approved, it restores them', async () => {
      const id = await newAccount();
      const out = await prepareUpdateTool.run(
        ctx,
        prepareUpdateTool.input.parse({ object: 'Account', recordId: id, fields: { Name: 'Renamed', Phone: '555-0100' }, reason: 'x' }),
      );
      assert.equal((await approveProposal(t.hub, admin, out.proposalId)).status, 'executed');
      const undo = await undoProposal(t.hub, admin, out.proposalId);
      assert.equal(undo.status, 'pending');
      assert.equal(undo.undoOf, out.proposalId);
      assert.deepEqual(undo.changes, [{ field: 'Name', old: 'Renamed', new: 'Acme' }]);
      assert.equal((await truth(id)).Name, 'Renamed', 'undo is only a proposal');
      assert.equal((await approveProposal(t.hub, admin, undo.id)).status, 'executed');
      assert.equal((await truth(id)).Name, 'Acme');
    });

    it('undo of an executed delete: a pending undelete; approved, the record is back (SOAP undelete)', async () => {
      const id = await newAccount();
      const out = await prepareDeleteTool.run(ctx, prepareDeleteTool.input.parse({ object: 'Account', recordId: id, reason: 'duplicate' }));
      assert.ok(out.changes.some((c) => c.field === 'Name' && c.old === 'Acme' && c.new === null));
      assert.equal((await approveProposal(t.hub, admin, out.proposalId)).status, 'executed');
      assert.equal((await truth(id)).IsDeleted, true);
      const undo = await undoProposal(t.hub, admin, out.proposalId, 'deleted by mistake');
      assert.equal(undo.operation, 'undelete');
      assert.equal(undo.status, 'pending');
      assert.equal((await truth(id)).IsDeleted, true, 'undo is only a proposal');
      const done = await approveProposal(t.hub, admin, undo.id);
      assert.equal(done.status, 'executed', JSON.stringify(done.error));
      assert.equal((await truth(id)).IsDeleted, false);
      await refused(undoProposal(t.hub, admin, undo.id), 'proposal.undo_unsupported');
    });

    it('delete: stale when the record changed after prepare', async () => {
      const id = await newAccount();
      const out = await prepareDeleteTool.run(ctx, prepareDeleteTool.input.parse({ object: 'Account', recordId: id, reason: 'cleanup' }));
      await control(em, 'POST', 'records/Account/update', { ids: [id], values: { Name: 'Still used' }, at: Date.now() + 5_000 });
      const p = await approveProposal(t.hub, admin, out.proposalId);
      assert.equal(p.status, 'stale');
      assert.deepEqual(p.error?.changed, [{ field: 'Name', old: 'Acme', current: 'Still used' }]);
      assert.equal((await truth(id)).IsDeleted, false);
    });

    it('a user whose profile lacks Edit on Account cannot prepare an update', async () => {
      const id = await newAccount();
      const e = await refused(
        prepareUpdateTool.run(viewerCtx, { object: 'Account', recordId: id, fields: { Name: 'X' }, reason: 'r' }),
        'agent.object_not_writable',
        'object',
      );
      assert.match(e.message, /cannot update Account/);
      assert.equal((await new ProposalsRepo(t.hub.store.db).list(admin.tenantId, { connectionIds: [viewerCtx.connection.id] })).length, 0);
    });

    it('field-level security: a hidden field and a read-only field are refused in prepare, naming each field', async () => {
      const id = await newAccount();
      const e = await refused(
        prepareUpdateTool.run(salesCtx, { object: 'Account', recordId: id, fields: { AnnualRevenue: 5, Rating: 'Hot' }, reason: 'r' }),
        'agent.invalid_fields',
        'fields.AnnualRevenue',
      );
      const problems = (e.details?.problems ?? []) as { field: string; message: string }[];
      assert.deepEqual(
        problems.map((p) => p.field),
        ['fields.AnnualRevenue', 'fields.Rating'],
      );
      assert.match(problems[0]!.message, /no field AnnualRevenue/);
      assert.match(problems[1]!.message, /cannot be updated/);
    });

    it('prepare validation: types, lengths, restricted picklists, required fields, ids, no-op updates', async () => {
      const id = await newAccount();
      await refused(prepareCreateTool.run(ctx, { object: 'Account', fields: { Phone: '1' }, reason: 'r' }), 'agent.invalid_fields', 'fields.Name');
      await refused(prepareCreateTool.run(ctx, { object: 'Account', fields: { Name: 'x'.repeat(256) }, reason: 'r' }), 'agent.invalid_fields', 'fields.Name');
      await refused(
        prepareCreateTool.run(ctx, { object: 'Account', fields: { Name: 'A', NumberOfEmployees: 'many' }, reason: 'r' }),
        'agent.invalid_fields',
        'fields.NumberOfEmployees',
      );
      await refused(
        prepareCreateTool.run(ctx, { object: 'Opportunity', fields: { Name: 'Deal', StageName: 'Dreaming', CloseDate: '2025-02-30' }, reason: 'r' }),
        'agent.invalid_fields',
        'fields.StageName',
      );
      await refused(
        prepareUpdateTool.run(ctx, { object: 'Account', recordId: '001000000000000', fields: { Name: 'A' }, reason: 'r' }),
        'agent.record_not_found',
      );
      await refused(
        prepareUpdateTool.run(ctx, { object: 'Account', recordId: `${id.slice(0, 15)}ZZZ`, fields: { Name: 'A' }, reason: 'r' }),
        'agent.invalid_fields',
        'recordId',
      );
      await refused(prepareUpdateTool.run(ctx, { object: 'Account', recordId: id, fields: { Name: 'Acme' }, reason: 'r' }), 'agent.no_change', 'fields');
      await refused(
        prepareUpdateTool.run(ctx, { object: 'NoSuchThing__c', recordId: id, fields: { Name: 'A' }, reason: 'r' }),
        'agent.object_not_found',
        'object',
      );
    });

    it('prepare_create → approve creates the record; undo proposes deleting it', async () => {
      const out = await prepareCreateTool.run(
        ctx,
        prepareCreateTool.input.parse({ object: 'Account', fields: { Name: 'Brand New', Rating: 'Hot' }, reason: 'new customer' }),
      );
      assert.match(out.diff, /\+ Name: "Brand New"/);
      const p = await approveProposal(t.hub, admin, out.proposalId);
      assert.equal(p.status, 'executed');
      const id = p.result?.id as string;
      assert.equal((await truth(id)).Name, 'Brand New');
      const undo = await undoProposal(t.hub, admin, out.proposalId);
      assert.equal(undo.operation, 'delete');
      assert.equal(undo.recordId, id);
    });

    it('prepare_upsert: no match → a create proposal; a match → an update showing current values; both execute', async () => {
      const erp = `ERP-${Date.now() % 1_000_000}`;
      const c = await prepareUpsertTool.run(
        ctx,
        prepareUpsertTool.input.parse({ object: 'Account', externalIdField: 'erp_id__c', externalIdValue: erp, fields: { Name: 'From ERP' }, reason: 'sync' }),
      );
      assert.equal(c.recordId, null);
      assert.deepEqual(c.changes, [
        { field: 'Name', old: null, new: 'From ERP' },
        { field: 'ERP_Id__c', old: null, new: erp },
      ]);
      const created = await approveProposal(t.hub, admin, c.proposalId);
      assert.equal(created.status, 'executed', JSON.stringify(created.error));
      assert.equal(created.result?.created, true);
      const id = created.result?.id as string;
      assert.equal((await truth(id)).ERP_Id__c, erp);

      const u = await prepareUpsertTool.run(ctx, {
        object: 'Account',
        externalIdField: 'ERP_Id__c',
        externalIdValue: erp,
        fields: { Name: 'From ERP v2' },
        reason: 'sync',
      });
      assert.equal(u.recordId, id);
      assert.deepEqual(u.changes, [{ field: 'Name', old: 'From ERP', new: 'From ERP v2' }]);
      const updated = await approveProposal(t.hub, admin, u.proposalId);
      assert.equal(updated.status, 'executed', JSON.stringify(updated.error));
      assert.equal((await truth(id)).Name, 'From ERP v2');

      const again = await prepareUpsertTool.run(ctx, {
        object: 'Account',
        externalIdField: 'ERP_Id__c',
        externalIdValue: `${erp}-new`,
        fields: { Name: 'Later' },
        reason: 'sync',
      });
      await api(em, tokenFor(em, 'admin'), 'POST', '/sobjects/Account', { Name: 'Raced', ERP_Id__c: `${erp}-new` });
      assert.equal((await approveProposal(t.hub, admin, again.proposalId)).status, 'stale');
      await refused(
        prepareUpsertTool.run(ctx, { object: 'Account', externalIdField: 'Name', externalIdValue: 'x', fields: { Phone: '1' }, reason: 'r' }),
        'agent.not_external_id',
        'externalIdField',
      );
    });

    it('Salesforce validation rule: the proposal fails with Salesforce’s error kept verbatim plus our explanation', async () => {
      const id = await newAccount();
      const out = await prepareUpdateTool.run(ctx, { object: 'Account', recordId: id, fields: { Name: 'Forbidden Name' }, reason: 'r' });
      const p = await approveProposal(t.hub, admin, out.proposalId);
      assert.equal(p.status, 'failed');
      assert.equal(p.error?.code, 'salesforce.field_custom_validation_exception');
      assert.deepEqual((p.error?.salesforce as { errors: unknown }).errors, [
        { message: RULE_MESSAGE, errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Name'] },
      ]);
      assert.match(String(p.error?.explanation), /validation rule/);
      assert.equal((await truth(id)).Name, 'Acme');
      const audit = await listAudit(t.hub, admin.tenantId, { proposalId: out.proposalId });
      assert.deepEqual(audit.at(-1)?.name, 'failed');
      assert.equal(audit.at(-1)?.errorCode, 'salesforce.field_custom_validation_exception');
    });

    it('cross-tenant and cross-connection approval is "not found"; the proposal stays pending', async () => {
      const id = await newAccount();
      const out = await prepareUpdateTool.run(ctx, { object: 'Account', recordId: id, fields: { Name: 'Z' }, reason: 'r' });
      await refused(approveProposal(t.hub, otherTenantUser, out.proposalId), 'proposal.not_found', 'id');
      await refused(rejectProposal(t.hub, otherTenantUser, out.proposalId), 'proposal.not_found', 'id');
      const groupCtx = await openAgentContext(t.hub, admin, groupConnection);
      const g = await prepareUpdateTool.run(groupCtx, { object: 'Account', recordId: id, fields: { Phone: '555-0142' }, reason: 'r' });
      await refused(approveProposal(t.hub, opsUser, g.proposalId), 'proposal.not_found', 'id');
      await refused(undoProposal(t.hub, opsUser, g.proposalId), 'proposal.not_found', 'id');
      const repo = new ProposalsRepo(t.hub.store.db);
      assert.equal((await repo.get(admin.tenantId, out.proposalId)).status, 'pending');
      assert.equal((await repo.get(admin.tenantId, g.proposalId)).status, 'pending');
      await refused(repo.get(otherTenantUser.tenantId, out.proposalId), 'proposal.not_found');
      assert.equal((await truth(id)).Name, 'Acme');
    });
  });
}
