/**
 * `forcebridge proposals list|show|approve|reject|undo|recover`: a person reviewing what agents proposed.
 * The CLI acts as the local admin. `show` prints the diff; `approve` executes at once and prints
 * the result, or why nothing was written (stale: what changed; failed: Salesforce's message and
 * our explanation).
 */
import { Command } from 'commander';
import { approveProposal, accessibleProposal, rejectProposal, undoProposal } from '../../agent/proposals/execute.js';
import { recoverProposal } from '../../agent/proposals/recover.js';
import { listProposalsFor } from '../../agent/proposals/listing.js';
import { PROPOSAL_STATUSES, type Proposal, type ProposalStatus } from '../../agent/proposals/repo.js';
import { diffText, proposalView, target } from '../../agent/proposals/view.js';
import { invalidInput } from '../../errors.js';
import { printJson, processIo, table, withHub, type CliIo } from '../io.js';

interface JsonOpt {
  json?: boolean;
}

/** What happened, in a few lines (the diff is printed separately). */
export function outcomeText(p: Proposal): string {
  const e = p.error ?? {};
  switch (p.status) {
    case 'executed':
      return `Executed: ${p.operation} ${target(p)}${typeof p.result?.id === 'string' ? ` (record ${p.result.id})` : ''}.\n`;
    case 'stale': {
      const changed = Array.isArray(e.changed) ? (e.changed as { field: string; old: unknown; current: unknown }[]) : [];
      const lines = changed.map((c) => `  ${c.field}: ${JSON.stringify(c.old)} when prepared, now ${JSON.stringify(c.current)}`);
      return (
        [
          `Stale: ${String(e.message ?? 'the record changed since the proposal was prepared')}`,
          ...lines,
          'Nothing was written. Ask the agent to prepare a new proposal from the current record.',
        ].join('\n') + '\n'
      );
    }
    case 'failed':
      return `Failed: ${String(e.message ?? 'the write was refused')}\n  ${String(e.explanation ?? '')}\nNothing was written.\n`;
    case 'rejected':
      return `Rejected${typeof p.result?.note === 'string' ? `: ${p.result.note}` : ''}. Salesforce was not called.\n`;
    case 'pending':
      return `Pending. Approve with \`forcebridge proposals approve ${p.id}\` or reject with \`forcebridge proposals reject ${p.id}\`.\n`;
    case 'executing':
      return `Executing since ${new Date(p.updatedAt).toISOString()}. If it stays so (the process stopped), settle it with \`forcebridge proposals recover ${p.id}\`.\n`;
    default:
      return `Status: ${p.status}\n`;
  }
}

function print(io: CliIo, p: Proposal, o: JsonOpt): void {
  if (o.json) return printJson(io, proposalView(p));
  io.out(`Proposal ${p.id} (${p.status})\n${diffText(p)}\n${outcomeText(p)}`);
}

function parseStatus(s: string | undefined): ProposalStatus | undefined {
  if (s === undefined) return undefined;
  if (!(PROPOSAL_STATUSES as readonly string[]).includes(s))
    throw invalidInput('cli.bad_status', '--status', `--status must be one of ${PROPOSAL_STATUSES.join(', ')}`);
  return s as ProposalStatus;
}

export async function listProposalsCli(io: CliIo, o: JsonOpt & { status?: string; connection?: string }): Promise<void> {
  await withHub(io, async (hub) => {
    const all = await listProposalsFor(hub, hub.admin, { status: parseStatus(o.status), connection: o.connection });
    if (o.json) return printJson(io, all.map(proposalView));
    if (!all.length) return io.out('No proposals.\n');
    io.out(
      table(
        ['ID', 'STATUS', 'OPERATION', 'TARGET', 'CHANGES', 'CREATED'],
        all.map((p) => [p.id, p.status, p.operation, target(p), String(p.changes.length), new Date(p.createdAt).toISOString()]),
      ),
    );
  });
}

export function proposalsCommand(io: CliIo = processIo()): Command {
  const cmd = new Command('proposals').description('Writes agents proposed: review, approve, reject, undo');
  cmd
    .command('list')
    .description('List proposals, newest first')
    .option('--status <status>', `only this status (${PROPOSAL_STATUSES.join('|')})`)
    .option('--connection <connection>', 'only this connection (id or name)')
    .option('--json', 'JSON output')
    .action((o: JsonOpt & { status?: string; connection?: string }) => listProposalsCli(io, o));
  cmd
    .command('show <id>')
    .description('Show a proposal: the diff, the reason, and what happened')
    .option('--json', 'JSON output')
    .action((id: string, o: JsonOpt) => withHub(io, async (hub) => print(io, await accessibleProposal(hub, hub.admin, id), o)));
  cmd
    .command('approve <id>')
    .description('Approve a pending proposal and execute it now')
    .option('--json', 'JSON output')
    .action((id: string, o: JsonOpt) => withHub(io, async (hub) => print(io, await approveProposal(hub, hub.admin, id), o)));
  cmd
    .command('reject <id>')
    .description('Reject a pending proposal (Salesforce is not called)')
    .option('--note <text>', 'why, for the record')
    .option('--json', 'JSON output')
    .action((id: string, o: JsonOpt & { note?: string }) => withHub(io, async (hub) => print(io, await rejectProposal(hub, hub.admin, id, o.note), o)));
  cmd
    .command('undo <id>')
    .description('Prepare a new pending proposal that undoes an executed one')
    .option('--reason <text>', 'why')
    .option('--json', 'JSON output')
    .action((id: string, o: JsonOpt & { reason?: string }) => withHub(io, async (hub) => print(io, await undoProposal(hub, hub.admin, id, o.reason), o)));
  cmd
    .command('recover <id>')
    .description('Settle a proposal left "executing" by a stopped process, from what the record shows (nothing is written)')
    .option('--json', 'JSON output')
    .action((id: string, o: JsonOpt) => withHub(io, async (hub) => print(io, await recoverProposal(hub, hub.admin, id), o)));
  return cmd;
}
