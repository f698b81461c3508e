/**
 * The records every org has before any business data: its Organization row, user licenses,
 * permission set licenses, profiles and the configured users (with their login secrets kept
 * beside the User records, never in them).
 */
import type { UserConfig } from '../config.js';
import type { Org } from '../org.js';
import type { StoredRecord } from '../schema/types.js';

export const USER_LICENSES = [
  { key: 'SFDC', name: 'Salesforce', total: 50 },
  { key: 'AUL', name: 'Salesforce Platform', total: 25 },
  { key: 'PID_Customer_Community', name: 'Customer Community', total: 100 },
  { key: 'PID_Chatter', name: 'Chatter Free', total: 500 },
] as const;

export const PERMISSION_SET_LICENSES = [
  { key: 'SalesConsoleUser', label: 'Sales Console User', total: 20 },
  { key: 'ServiceCloudUser', label: 'Service Cloud User', total: 15 },
  { key: 'IntegrationUser', label: 'Salesforce API Integration', total: 5 },
] as const;

export function bootstrapOrg(org: Org, users: UserConfig[]): void {
  const data = org.data;
  // Every bootstrap record is "created by" the first user, as in a fresh org.
  const firstUserId = nextIdPreview(org);
  const t0 = org.clock.now() - 90 * 24 * 3600_000;

  const licenseIds = new Map<string, string>();
  for (const l of USER_LICENSES) {
    const rec = data.insert(
      'UserLicense',
      { LicenseDefinitionKey: l.key, Name: l.name, MasterLabel: l.name, TotalLicenses: l.total, UsedLicenses: 0, Status: 'Active' },
      firstUserId,
      t0,
    );
    licenseIds.set(l.name, rec.Id as string);
  }
  for (const l of PERMISSION_SET_LICENSES) {
    data.insert(
      'PermissionSetLicense',
      { DeveloperName: l.key, MasterLabel: l.label, PermissionSetLicenseKey: l.key, TotalLicenses: l.total, UsedLicenses: 0, Status: 'Active' },
      firstUserId,
      t0,
    );
  }
  const profileIds = new Map<string, string>();
  for (const p of org.profiles.values()) {
    const rec = data.insert(
      'Profile',
      {
        Name: p.name,
        UserLicenseId: licenseIds.get(p.userLicense) ?? licenseIds.get('Salesforce')!,
        UserType: p.userType,
        PermissionsApiEnabled: p.apiEnabled,
        PermissionsViewAllData: p.viewAllData,
        PermissionsModifyAllData: p.modifyAllData,
      },
      firstUserId,
      t0,
    );
    profileIds.set(p.name.toLowerCase(), rec.Id as string);
  }
  for (const u of users) {
    const profile = org.profile(u.profile);
    const rec = data.insert('User', userRecord(u, profileIds.get(profile.name.toLowerCase())!, profile.userType), firstUserId, t0);
    org.addUser({ id: rec.Id as string, config: u, profile });
  }
  data.insert(
    'Organization',
    {
      Id: org.orgId,
      Name: org.settings.orgName,
      Country: 'US',
      OrganizationType: 'Enterprise Edition',
      IsSandbox: false,
      InstanceName: 'EMU1',
      DefaultLocaleSidKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
    },
    firstUserId,
    t0,
  );
  refreshLicenseCounts(org);
}

/** The User record for a configured user. */
export function userRecord(u: UserConfig, profileId: string, userType: string): StoredRecord {
  return {
    Username: u.username,
    FirstName: u.firstName,
    LastName: u.lastName,
    Name: `${u.firstName} ${u.lastName}`.trim(),
    Alias: (u.firstName.slice(0, 1) + u.lastName).slice(0, 8).toLowerCase(),
    Email: u.email,
    CommunityNickname: u.username.split('@')[0]!,
    IsActive: u.active,
    ProfileId: profileId,
    UserType: userType,
    CompanyName: u.email.split('@')[1] ?? null,
  };
}

/** Recomputes UsedLicenses from active users' profiles. */
export function refreshLicenseCounts(org: Org): void {
  const data = org.data;
  const used = new Map<string, number>();
  const profileLicense = new Map<string, string>();
  for (const p of data.table('Profile').live()) profileLicense.set(p.Id as string, p.UserLicenseId as string);
  for (const u of data.table('User').live()) {
    if (u.IsActive !== true) continue;
    const lic = profileLicense.get(u.ProfileId as string);
    if (lic) used.set(lic, (used.get(lic) ?? 0) + 1);
  }
  for (const l of data.table('UserLicense').live()) l.UsedLicenses = used.get(l.Id as string) ?? 0;
}

function nextIdPreview(org: Org): string {
  // Users are the first '005' ids minted after a reset, so the first user's id is counter 1.
  return org.ids.peek('005');
}
