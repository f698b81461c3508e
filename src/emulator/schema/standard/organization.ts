/**
 * Organization: the single read-only row describing the org. Its Default*Access fields report
 * the org-wide sharing defaults the emulator enforces, so they are derived from the object
 * definitions rather than stored.
 */
import { address, bool, datetime, email, int, object, phone, picklist, text } from '../define.js';
import type { ObjectDef, SharingModel, StoredValue } from '../types.js';
import { audit, PLAIN_ADDRESS_LABELS, relabel, ro } from './common.js';

/** Sharing models by object name, as standardObjects() builds them. */
export type SharingDefaults = Partial<Record<'Account' | 'Contact' | 'Opportunity' | 'Lead' | 'Case', SharingModel>>;

const ACCESS: Record<SharingModel, string> = {
  Private: 'None',
  Read: 'Read',
  ReadWrite: 'Edit',
  FullAccess: 'Edit',
  ControlledByParent: 'ControlledByParent',
};

export function organization(sharing: SharingDefaults = {}): ObjectDef {
  const a = audit('Organization');
  const access = (object: keyof SharingDefaults, list: string[], transfer = false) =>
    picklist(`Default${object}Access`, list, {
      ...ro,
      label: `Default ${object} Access`,
      compute: (): StoredValue => {
        const m = sharing[object];
        if (!m) return null;
        // Lead and Case defaults of "Public Read/Write" include transfer in Salesforce.
        return transfer && m === 'ReadWrite' ? 'ReadEditTransfer' : ACCESS[m];
      },
    });
  return object({
    name: 'Organization',
    keyPrefix: '00D',
    flags: {
      createable: false,
      updateable: false,
      deletable: false,
      undeletable: false,
      searchable: false,
      replicateable: false,
      feedEnabled: false,
      mruEnabled: false,
      layoutable: false,
      triggerable: false,
    },
    noSystemFields: true,
    fields: [
      a.Id,
      text('Name', 80, { ...ro, nillable: false, nameField: true }),
      text('Division', 80, ro),
      ...relabel(address(''), PLAIN_ADDRESS_LABELS).map((f) => ({ ...f, ...ro })),
      phone('Phone', ro),
      phone('Fax', ro),
      text('PrimaryContact', 80, { ...ro, label: 'Primary Contact' }),
      text('DefaultLocaleSidKey', 40, { ...ro, label: 'Locale', nillable: false, defaultedOnCreate: true, defaultValue: 'en_US' }),
      text('TimeZoneSidKey', 40, { ...ro, label: 'Time Zone', nillable: false, defaultedOnCreate: true, defaultValue: 'America/Los_Angeles' }),
      text('LanguageLocaleKey', 40, { ...ro, label: 'Language', nillable: false, defaultedOnCreate: true, defaultValue: 'en_US' }),
      bool('ReceivesInfoEmails', false, { ...ro, label: 'Info Emails' }),
      bool('ReceivesAdminInfoEmails', false, { ...ro, label: 'Info Emails Admin' }),
      int('FiscalYearStartMonth', { ...ro, label: 'Fiscal Year Starts In', digits: 2, defaultedOnCreate: true, defaultValue: 1 }),
      bool('UsesStartDateAsFiscalYearName', false, { ...ro, label: 'Fiscal Year Name by Start' }),
      access('Account', ['None', 'Read', 'Edit']),
      access('Contact', ['None', 'Read', 'Edit', 'ControlledByParent']),
      access('Opportunity', ['None', 'Read', 'Edit']),
      access('Lead', ['None', 'Read', 'Edit', 'ReadEditTransfer'], true),
      access('Case', ['None', 'Read', 'Edit', 'ReadEditTransfer'], true),
      a.SystemModstamp,
      email('ComplianceBccEmail', { ...ro, label: 'Compliance BCC Email' }),
      text('SignupCountryIsoCode', 2, { ...ro, label: 'Signup Country' }),
      datetime('TrialExpirationDate', { ...ro, label: 'Trial Expiration Date' }),
      picklist('OrganizationType', ['Team Edition', 'Professional Edition', 'Enterprise Edition', 'Developer Edition', 'Unlimited Edition'], {
        ...ro,
        label: 'Edition',
      }),
      text('NamespacePrefix', 15, { ...ro, label: 'Namespace Prefix' }),
      text('InstanceName', 5, { ...ro, label: 'Instance Name' }),
      bool('IsSandbox', false, { ...ro, label: 'Is Sandbox' }),
      text('WebToCaseDefaultOrigin', 40, { ...ro, label: 'Web to Cases Default Origin' }),
      bool('IsReadOnly', false, { ...ro, label: 'Is Read Only' }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
    ],
  });
}
