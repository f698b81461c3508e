/**
 * Task and Event (activities). WhoId points at a person (Contact or Lead), WhatId at a business
 * record; both are polymorphic. AccountId is maintained by Salesforce from Who/What and is
 * read-only. Sharing is Private: owners and users with View All see an activity.
 */
import { bool, date, datetime, field, int, object, owner, picklist, ref, text, textarea, values } from '../define.js';
import type { FieldDef, ObjectDef } from '../types.js';
import { audit, ro } from './common.js';

export const ACTIVITY_WHO = ['Contact', 'Lead'] as const;
export const ACTIVITY_WHAT = ['Account', 'Case', 'Opportunity'] as const;

export const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] as const;
export const CLOSED_TASK_STATUSES: ReadonlySet<string> = new Set(['Completed']);
export const TASK_PRIORITIES = ['High', 'Normal', 'Low'] as const;
export const TASK_SUBTYPES = ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'] as const;

function subject(list: readonly string[]): FieldDef {
  return field('Subject', 'combobox', { length: 255, picklistValues: values(list) });
}

function whoWhat(childRelationshipName: string): FieldDef[] {
  return [
    ref('WhoId', [...ACTIVITY_WHO], { label: 'Name ID', relationshipName: 'Who', childRelationshipName }),
    ref('WhatId', [...ACTIVITY_WHAT], { label: 'Related To ID', relationshipName: 'What', childRelationshipName }),
  ];
}

export function task(): ObjectDef {
  const a = audit('Activity');
  return object({
    name: 'Task',
    keyPrefix: '00T',
    sharingModel: 'Private',
    noSystemFields: true,
    fields: [
      a.Id,
      ...whoWhat('Tasks'),
      subject(['Call', 'Send Letter', 'Send Quote', 'Other']),
      date('ActivityDate', { label: 'Due Date Only' }),
      picklist('Status', TASK_STATUSES, { nillable: false, default: 'Not Started' }),
      picklist('Priority', TASK_PRIORITIES, { nillable: false, default: 'Normal' }),
      bool('IsHighPriority', false, { label: 'High Priority', ...ro, compute: (r) => r.Priority === 'High' }),
      owner({ label: 'Assigned To ID' }),
      textarea('Description', 32000, { label: 'Description' }),
      a.IsDeleted,
      ref('AccountId', ['Account'], { label: 'Account ID', ...ro }),
      bool('IsClosed', false, { label: 'Closed', ...ro, compute: (r) => typeof r.Status === 'string' && CLOSED_TASK_STATUSES.has(r.Status) }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      bool('IsArchived', false, { label: 'Archived', ...ro }),
      int('CallDurationInSeconds', { label: 'Call Duration', digits: 8 }),
      picklist('CallType', ['Internal', 'Inbound', 'Outbound'], { label: 'Call Type' }),
      text('CallDisposition', 255, { label: 'Call Result' }),
      text('CallObject', 255, { label: 'Call Object Identifier' }),
      datetime('ReminderDateTime', { label: 'Reminder Date/Time' }),
      bool('IsReminderSet', false, { label: 'Reminder Set' }),
      ref('RecurrenceActivityId', ['Task'], { label: 'Recurrence Activity ID', ...ro, childRelationshipName: 'RecurringTasks' }),
      bool('IsRecurrence', false, { label: 'Create Recurring Series of Tasks' }),
      picklist('TaskSubtype', TASK_SUBTYPES, { label: 'Task Subtype', updateable: false }),
      datetime('CompletedDateTime', { label: 'Completed Date/Time', ...ro }),
    ],
  });
}

export function event(): ObjectDef {
  const a = audit('Activity');
  return object({
    name: 'Event',
    keyPrefix: '00U',
    sharingModel: 'Private',
    noSystemFields: true,
    fields: [
      a.Id,
      ...whoWhat('Events'),
      subject(['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other']),
      text('Location', 255),
      bool('IsAllDayEvent', false, { label: 'All-Day Event' }),
      datetime('ActivityDateTime', { label: 'Due Date Time' }),
      date('ActivityDate', { label: 'Due Date Only' }),
      int('DurationInMinutes', { label: 'Duration', digits: 8 }),
      datetime('StartDateTime', { label: 'Start Date Time' }),
      datetime('EndDateTime', { label: 'End Date Time' }),
      textarea('Description', 32000),
      ref('AccountId', ['Account'], { label: 'Account ID', ...ro }),
      owner({ label: 'Assigned To ID' }),
      bool('IsPrivate', false, { label: 'Private' }),
      picklist('ShowAs', ['Busy', 'OutOfOffice', 'Free'], { label: 'Show Time As', default: 'Busy' }),
      a.IsDeleted,
      bool('IsChild', false, { label: 'Is Child', ...ro }),
      bool('IsGroupEvent', false, { label: 'Group Event', ...ro }),
      picklist('GroupEventType', ['0', '1', '2'], { label: 'Group Event Type', ...ro }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      bool('IsArchived', false, { label: 'Archived', ...ro }),
      ref('RecurrenceActivityId', ['Event'], { label: 'Recurrence Activity ID', ...ro, childRelationshipName: 'RecurringEvents' }),
      bool('IsRecurrence', false, { label: 'Create Recurring Series of Events' }),
      datetime('ReminderDateTime', { label: 'Reminder Date/Time' }),
      bool('IsReminderSet', false, { label: 'Reminder Set' }),
      picklist('EventSubtype', ['Event'], { label: 'Event Subtype', updateable: false }),
    ],
  });
}
