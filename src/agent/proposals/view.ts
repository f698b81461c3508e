/**
 * How a proposal reads for people: a text diff, and how to review and decide it (the exact CLI
 * commands and HTTP endpoints). Used by the prepare tools, the CLI and the HTTP API alike.
 */
import type { Change, FieldValue, Proposal } from './repo.js';

function show(v: FieldValue): string {
  return v === null ? '(empty)' : JSON.stringify(v);
}

/** One line per change: `Name: "Acme" → "Acme Corp"`, with unchanged values marked. */
export function changeLines(op: Proposal['operation'], changes: Change[]): string[] {
  return changes.map((c) => {
    if (op === 'create') return `  + ${c.field}: ${show(c.new)}`;
    if (op === 'delete') return `  - ${c.field}: ${show(c.old)}`;
    if (op === 'undelete') return `  + ${c.field}: ${show(c.new)} (restored)`;
    if (c.unchanged) return `    ${c.field}: ${show(c.old)} (unchanged, already this value)`;
    return `  ~ ${c.field}: ${show(c.old)} → ${show(c.new)}`;
  });
}

/** The target in words: `Account 001… `, `Account with External_Id__c = "X"`, `a new Account`. */
export function target(p: Pick<Proposal, 'operation' | 'object' | 'recordId' | 'externalIdField' | 'externalIdValue'>): string {
  if (p.operation === 'create') return `a new ${p.object}`;
  if (p.operation === 'upsert')
    return `${p.object} with ${p.externalIdField} = ${JSON.stringify(p.externalIdValue)}${p.recordId ? ` (exists: ${p.recordId})` : ' (none yet: creates it)'}`;
  return `${p.object} ${p.recordId}`;
}

/** The human-readable diff of a proposal. */
export function diffText(
  p: Pick<Proposal, 'operation' | 'object' | 'recordId' | 'externalIdField' | 'externalIdValue' | 'changes' | 'reason' | 'lastModifiedAt' | 'undoOf'>,
): string {
  const head = `${p.operation} ${target(p)}`;
  const lines = [head, `  reason: ${p.reason}`];
  if (p.undoOf) lines.push(`  undoes: ${p.undoOf}`);
  if (p.lastModifiedAt) lines.push(`  record last modified: ${p.lastModifiedAt} (refused at approval if it changed since)`);
  lines.push(...changeLines(p.operation, p.changes));
  return lines.join('\n');
}

export interface Review {
  show: string;
  approve: string;
  reject: string;
  http: { show: string; approve: string; reject: string };
  note: string;
}

/** How a person reviews and decides proposal `id`. */
export function reviewFor(id: string): Review {
  return {
    show: `forcebridge proposals show ${id}`,
    approve: `forcebridge proposals approve ${id}`,
    reject: `forcebridge proposals reject ${id}`,
    http: {
      show: `GET /api/v1/proposals/${id}`,
      approve: `POST /api/v1/proposals/${id}/approve`,
      reject: `POST /api/v1/proposals/${id}/reject`,
    },
    note: 'Nothing was written to Salesforce. A person who may use this connection must approve it; the agent cannot.',
  };
}

/** The API/CLI view of a proposal. */
export function proposalView(p: Proposal) {
  return {
    id: p.id,
    status: p.status,
    operation: p.operation,
    object: p.object,
    recordId: p.recordId,
    externalIdField: p.externalIdField,
    externalIdValue: p.externalIdValue,
    connectionId: p.connectionId,
    requestedBy: p.requestedBy,
    reason: p.reason,
    changes: p.changes,
    diff: diffText(p),
    lastModifiedAt: p.lastModifiedAt,
    result: p.result,
    error: p.error,
    decidedBy: p.decidedBy,
    decidedAt: p.decidedAt === null ? null : new Date(p.decidedAt).toISOString(),
    undoOf: p.undoOf,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
    review: reviewFor(p.id),
  };
}
export type ProposalView = ReturnType<typeof proposalView>;
