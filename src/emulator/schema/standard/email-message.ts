/**
 * EmailMessage: emails on cases (ParentId, child relationship Case.EmailMessages) and emails
 * related to other records through the polymorphic RelatedToId (child relationship "Emails").
 * No owner: sharing follows the parent Case.
 */
import { bool, datetime, email, object, picklist, ref, text, textarea } from '../define.js';
import type { ObjectDef } from '../types.js';
import { audit, ro } from './common.js';

/** Status values: the API values are digits, the labels words. */
export const EMAIL_STATUS = { New: '0', Read: '1', Replied: '2', Sent: '3', Forwarded: '4', Draft: '5' } as const;

/** Objects an email can be related to (RelatedToId). */
export const EMAIL_RELATED_TO = ['Account', 'Case', 'Opportunity'] as const;

export function emailMessage(): ObjectDef {
  const a = audit('Email Message');
  const status = picklist('Status', Object.values(EMAIL_STATUS), { nillable: false, restrictedPicklist: true, default: EMAIL_STATUS.New });
  status.picklistValues = Object.entries(EMAIL_STATUS).map(([label, value]) => ({ value, label, active: true, defaultValue: value === '0' }));
  return object({
    name: 'EmailMessage',
    label: 'Email Message',
    keyPrefix: '02s',
    sharingModel: 'ControlledByParent',
    sharingParentField: 'ParentId',
    flags: { feedEnabled: false, mergeable: false },
    noSystemFields: true,
    fields: [
      a.Id,
      ref('ParentId', ['Case'], { label: 'Case ID', relationshipName: 'Parent', childRelationshipName: 'EmailMessages' }),
      ref('ActivityId', ['Task'], { label: 'Activity ID', relationshipName: null }),
      a.CreatedById,
      a.CreatedDate,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      textarea('TextBody', 131072, { label: 'Text Body' }),
      textarea('HtmlBody', 131072, { label: 'HTML Body', htmlFormatted: true, extraTypeInfo: 'richtextarea' }),
      textarea('Headers', 32000),
      text('Subject', 3000),
      text('FromName', 1000, { label: 'From Name' }),
      email('FromAddress', { label: 'From Address', length: 1000 }),
      email('ValidatedFromAddress', { label: 'From', length: 1000 }),
      text('ToAddress', 4000, { label: 'To Address' }),
      text('CcAddress', 4000, { label: 'CC Address' }),
      text('BccAddress', 4000, { label: 'BCC Address' }),
      bool('Incoming', false, { label: 'Is Incoming', updateable: false }),
      bool('HasAttachment', false, { label: 'Has Attachment', ...ro }),
      status,
      datetime('MessageDate', { label: 'Message Date' }),
      a.IsDeleted,
      ref('ReplyToEmailMessageId', ['EmailMessage'], {
        label: 'Email Message ID',
        relationshipName: 'ReplyToEmailMessage',
        updateable: false,
      }),
      bool('IsPrivateDraft', false, { label: 'Is Private Draft', ...ro }),
      bool('IsExternallyVisible', false, { label: 'Is Externally Visible' }),
      text('MessageIdentifier', 998, { label: 'Message ID' }),
      text('ThreadIdentifier', 998, { label: 'Thread ID' }),
      bool('IsClientManaged', false, { label: 'Is Client Managed', updateable: false }),
      ref('RelatedToId', [...EMAIL_RELATED_TO], { label: 'Related To ID', relationshipName: 'RelatedTo', childRelationshipName: 'Emails' }),
    ],
  });
}
