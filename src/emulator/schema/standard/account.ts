/**
 * Account, as a real Enterprise org describes it (field names, order, nillability and
 * relationships from jsforce's org-generated standard-schema.d.ts; types, lengths and picklists
 * from Salesforce's Object Reference).
 */
import { address, bool, currency, date, datetime, int, object, owner, phone, picklist, ref, text, textarea, url } from '../define.js';
import type { ObjectDef } from '../types.js';
import { audit, LEAD_SOURCES, ro } from './common.js';

export const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
] as const;

export const ACCOUNT_TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
] as const;

export const RATINGS = ['Hot', 'Warm', 'Cold'] as const;

export function account(): ObjectDef {
  const a = audit('Account');
  return object({
    name: 'Account',
    keyPrefix: '001',
    sharingModel: 'ReadWrite',
    flags: { mergeable: true },
    noSystemFields: true,
    fields: [
      a.Id,
      a.IsDeleted,
      ref('MasterRecordId', ['Account'], { label: 'Master Record ID', relationshipName: 'MasterRecord', ...ro }),
      text('Name', 255, { label: 'Account Name', nillable: false, nameField: true }),
      picklist('Type', ACCOUNT_TYPES, { label: 'Account Type' }),
      ref('ParentId', ['Account'], { label: 'Parent Account ID', relationshipName: 'Parent', childRelationshipName: 'ChildAccounts' }),
      ...address('Billing'),
      ...address('Shipping'),
      phone('Phone', { label: 'Account Phone' }),
      phone('Fax', { label: 'Account Fax' }),
      text('AccountNumber', 40, { label: 'Account Number' }),
      url('Website'),
      url('PhotoUrl', { label: 'Photo URL', ...ro }),
      text('Sic', 20, { label: 'SIC Code' }),
      picklist('Industry', INDUSTRIES),
      currency('AnnualRevenue', 18, 0, { label: 'Annual Revenue' }),
      int('NumberOfEmployees', { label: 'Employees', digits: 8 }),
      picklist('Ownership', ['Public', 'Private', 'Subsidiary', 'Other']),
      text('TickerSymbol', 20, { label: 'Ticker Symbol' }),
      textarea('Description', 32000, { label: 'Account Description' }),
      picklist('Rating', RATINGS, { label: 'Account Rating' }),
      text('Site', 80, { label: 'Account Site' }),
      owner(),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      date('LastActivityDate', { label: 'Last Activity', ...ro }),
      datetime('LastViewedDate', { label: 'Last Viewed Date', ...ro }),
      datetime('LastReferencedDate', { label: 'Last Referenced Date', ...ro }),
      bool('IsCustomerPortal', false, { label: 'Customer Portal Account', ...ro }),
      text('Jigsaw', 20, { label: 'Data.com Key' }),
      text('JigsawCompanyId', 20, { label: 'Jigsaw Company ID', ...ro }),
      picklist('AccountSource', LEAD_SOURCES, { label: 'Account Source' }),
      text('SicDesc', 80, { label: 'SIC Description' }),
    ],
  });
}
