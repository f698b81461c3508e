/**
 * Case and CaseComment. Case.IsClosed follows Status (the default "Closed" status is the only
 * closed one); CaseNumber is an auto number. CaseComment has no owner: its sharing follows the
 * parent Case.
 *
 * Case.OwnerId references only User here: Salesforce lists `["Group","User"]` (queues), but the
 * emulator has no Group object and a reference to an object describeGlobal does not list would
 * send clients looking for it.
 */
import { bool, datetime, email, object, owner, phone, picklist, ref, text, textarea } from '../define.js';
import type { ObjectDef } from '../types.js';
import { audit, autoNumber, ro } from './common.js';

export const CASE_STATUSES = ['New', 'Working', 'Escalated', 'Closed'] as const;
/** Statuses whose "Closed" flag is set in the default support process. */
export const CLOSED_CASE_STATUSES: ReadonlySet<string> = new Set(['Closed']);
export const CASE_ORIGINS = ['Phone', 'Email', 'Web'] as const;
export const CASE_PRIORITIES = ['High', 'Medium', 'Low'] as const;
export const CASE_TYPES = ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'] as const;
export const CASE_REASONS = ['Installation', 'Equipment Complexity', 'Performance', 'Breakdown', 'Equipment Design', 'Feedback', 'Other'] as const;

export function caseObject(): ObjectDef {
  const a = audit('Case');
  return object({
    name: 'Case',
    keyPrefix: '500',
    sharingModel: 'Private',
    noSystemFields: true,
    fields: [
      a.Id,
      a.IsDeleted,
      autoNumber('CaseNumber', 'Case Number'),
      ref('ContactId', ['Contact'], { label: 'Contact ID', childRelationshipName: 'Cases' }),
      ref('AccountId', ['Account'], { label: 'Account ID', childRelationshipName: 'Cases', cascadeDelete: true }),
      ref('ParentId', ['Case'], { label: 'Parent Case ID', relationshipName: 'Parent', childRelationshipName: 'Cases' }),
      text('SuppliedName', 80, { label: 'Name' }),
      email('SuppliedEmail', { label: 'Email Address' }),
      phone('SuppliedPhone', { label: 'Phone' }),
      text('SuppliedCompany', 80, { label: 'Company' }),
      picklist('Type', CASE_TYPES, { label: 'Case Type' }),
      picklist('Status', CASE_STATUSES, { default: 'New' }),
      picklist('Reason', CASE_REASONS, { label: 'Case Reason' }),
      picklist('Origin', CASE_ORIGINS, { label: 'Case Origin' }),
      bool('IsVisibleInSelfService', true, { label: 'Visible in Self-Service Portal' }),
      text('Subject', 255),
      picklist('Priority', CASE_PRIORITIES, { default: 'Medium' }),
      textarea('Description', 32000),
      bool('IsClosed', false, {
        label: 'Closed',
        ...ro,
        compute: (r) => typeof r.Status === 'string' && CLOSED_CASE_STATUSES.has(r.Status),
      }),
      datetime('ClosedDate', { label: 'Closed Date', ...ro }),
      bool('IsEscalated', false, { label: 'Escalated' }),
      bool('HasCommentsUnreadByOwner', false, { label: 'Has Comments Unread By Owner', ...ro }),
      bool('HasSelfServiceComments', false, { label: 'Has Self-Service Comments', ...ro }),
      owner(),
      bool('IsClosedOnCreate', false, { label: 'Closed When Created', ...ro }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      textarea('Comments', 4000, { label: 'Internal Comments', updateable: false }),
      datetime('LastViewedDate', { label: 'Last Viewed Date', ...ro }),
      datetime('LastReferencedDate', { label: 'Last Referenced Date', ...ro }),
    ],
  });
}

export function caseComment(): ObjectDef {
  const a = audit('Case Comment');
  return object({
    name: 'CaseComment',
    label: 'Case Comment',
    keyPrefix: '00a',
    sharingModel: 'ControlledByParent',
    sharingParentField: 'ParentId',
    flags: { feedEnabled: false, mruEnabled: false, searchable: false, layoutable: false, undeletable: false },
    noSystemFields: true,
    fields: [
      a.Id,
      ref('ParentId', ['Case'], {
        label: 'Parent Case ID',
        relationshipName: 'Parent',
        childRelationshipName: 'CaseComments',
        nillable: false,
        updateable: false,
        cascadeDelete: true,
      }),
      bool('IsPublished', false, { label: 'Published' }),
      textarea('CommentBody', 4000, { label: 'Body' }),
      a.CreatedById,
      a.CreatedDate,
      a.SystemModstamp,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.IsDeleted,
    ],
  });
}
