/**
 * Contact: sharing follows its Account (ControlledByParent). Facts as in account.ts.
 */
import { address, bool, date, datetime, email, object, owner, phone, picklist, ref, text, textarea, url } from '../define.js';
import type { ObjectDef } from '../types.js';
import { audit, LEAD_SOURCES, personName, ro, SALUTATIONS } from './common.js';

export function contact(): ObjectDef {
  const a = audit('Contact');
  return object({
    name: 'Contact',
    keyPrefix: '003',
    sharingModel: 'ControlledByParent',
    sharingParentField: 'AccountId',
    flags: { mergeable: true },
    noSystemFields: true,
    fields: [
      a.Id,
      a.IsDeleted,
      ref('MasterRecordId', ['Contact'], { label: 'Master Record ID', relationshipName: 'MasterRecord', ...ro }),
      ref('AccountId', ['Account'], { label: 'Account ID', childRelationshipName: 'Contacts', cascadeDelete: true }),
      text('LastName', 80, { label: 'Last Name', nillable: false }),
      text('FirstName', 40, { label: 'First Name' }),
      picklist('Salutation', SALUTATIONS),
      personName(),
      ...address('Other'),
      ...address('Mailing'),
      phone('Phone', { label: 'Business Phone' }),
      phone('Fax', { label: 'Business Fax' }),
      phone('MobilePhone', { label: 'Mobile Phone' }),
      phone('HomePhone', { label: 'Home Phone' }),
      phone('OtherPhone', { label: 'Other Phone' }),
      phone('AssistantPhone', { label: 'Asst. Phone' }),
      ref('ReportsToId', ['Contact'], { label: 'Reports To ID', relationshipName: 'ReportsTo' }),
      email('Email', { idLookup: true }),
      text('Title', 128),
      text('Department', 80),
      text('AssistantName', 40, { label: "Assistant's Name" }),
      picklist('LeadSource', LEAD_SOURCES, { label: 'Lead Source' }),
      date('Birthdate'),
      textarea('Description', 32000, { label: 'Contact Description' }),
      owner(),
      bool('HasOptedOutOfEmail', false, { label: 'Email Opt Out' }),
      bool('HasOptedOutOfFax', false, { label: 'Fax Opt Out' }),
      bool('DoNotCall', false, { label: 'Do Not Call' }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      date('LastActivityDate', { label: 'Last Activity', ...ro }),
      datetime('LastViewedDate', { label: 'Last Viewed Date', ...ro }),
      datetime('LastReferencedDate', { label: 'Last Referenced Date', ...ro }),
      text('EmailBouncedReason', 255, { label: 'Email Bounced Reason' }),
      datetime('EmailBouncedDate', { label: 'Email Bounced Date' }),
      bool('IsEmailBounced', false, { label: 'Is Email Bounced', ...ro }),
      url('PhotoUrl', { label: 'Photo URL', ...ro }),
      text('Jigsaw', 20, { label: 'Data.com Key' }),
      text('JigsawContactId', 20, { label: 'Jigsaw Contact ID', ...ro }),
    ],
  });
}
