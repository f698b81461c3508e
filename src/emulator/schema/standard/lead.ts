/**
 * Lead: un-prefixed compound Address, derived Name, conversion fields (read-only; conversion is
 * not an API the emulator serves, the generator fills them for converted leads).
 */
import { address, bool, currency, date, datetime, email, int, object, owner, phone, picklist, ref, text, textarea, url } from '../define.js';
import type { ObjectDef } from '../types.js';
import { INDUSTRIES, RATINGS } from './account.js';
import { audit, LEAD_SOURCES, personName, PLAIN_ADDRESS_LABELS, relabel, ro, SALUTATIONS } from './common.js';

export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'] as const;

export function lead(): ObjectDef {
  const a = audit('Lead');
  return object({
    name: 'Lead',
    keyPrefix: '00Q',
    sharingModel: 'ReadWrite',
    flags: { mergeable: true },
    noSystemFields: true,
    fields: [
      a.Id,
      a.IsDeleted,
      ref('MasterRecordId', ['Lead'], { label: 'Master Record ID', relationshipName: 'MasterRecord', ...ro }),
      text('LastName', 80, { label: 'Last Name', nillable: false }),
      text('FirstName', 40, { label: 'First Name' }),
      picklist('Salutation', SALUTATIONS),
      personName(),
      text('Title', 128),
      text('Company', 255, { nillable: false }),
      ...relabel(address(''), PLAIN_ADDRESS_LABELS),
      phone('Phone'),
      phone('MobilePhone', { label: 'Mobile Phone' }),
      phone('Fax'),
      email('Email'),
      url('Website'),
      url('PhotoUrl', { label: 'Photo URL', ...ro }),
      textarea('Description', 32000),
      picklist('LeadSource', LEAD_SOURCES, { label: 'Lead Source' }),
      picklist('Status', LEAD_STATUSES, { label: 'Lead Status', nillable: false, default: 'Open - Not Contacted' }),
      picklist('Industry', INDUSTRIES),
      picklist('Rating', RATINGS),
      currency('AnnualRevenue', 18, 0, { label: 'Annual Revenue' }),
      int('NumberOfEmployees', { label: 'Employees', digits: 8 }),
      owner(),
      bool('HasOptedOutOfEmail', false, { label: 'Email Opt Out' }),
      bool('IsConverted', false, { label: 'Converted', updateable: false }),
      date('ConvertedDate', { label: 'Converted Date', ...ro }),
      ref('ConvertedAccountId', ['Account'], { label: 'Converted Account ID', relationshipName: 'ConvertedAccount', ...ro }),
      ref('ConvertedContactId', ['Contact'], { label: 'Converted Contact ID', relationshipName: 'ConvertedContact', ...ro }),
      ref('ConvertedOpportunityId', ['Opportunity'], { label: 'Converted Opportunity ID', relationshipName: 'ConvertedOpportunity', ...ro }),
      bool('IsUnreadByOwner', false, { label: 'Unread By Owner' }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      date('LastActivityDate', { label: 'Last Activity', ...ro }),
      datetime('LastViewedDate', { label: 'Last Viewed Date', ...ro }),
      datetime('LastReferencedDate', { label: 'Last Referenced Date', ...ro }),
      text('Jigsaw', 20, { label: 'Data.com Key' }),
      text('JigsawContactId', 20, { label: 'Jigsaw Contact ID', ...ro }),
      text('EmailBouncedReason', 255, { label: 'Email Bounced Reason' }),
      datetime('EmailBouncedDate', { label: 'Email Bounced Date' }),
    ],
  });
}
