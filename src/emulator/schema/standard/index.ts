/**
 * The standard objects the emulator serves, in describeGlobal order (alphabetical, as Salesforce
 * lists them). Each object lives in its own file as data built with ../define.ts.
 */
import type { ObjectDef } from '../types.js';
import { account } from './account.js';
import { event, task } from './activities.js';
import { caseComment, caseObject } from './case.js';
import { contact } from './contact.js';
import { emailMessage } from './email-message.js';
import { lead } from './lead.js';
import { opportunity } from './opportunity.js';
import { organization, permissionSetLicense, profile, user, userLicense } from './users.js';

/** Fresh copies of the standard objects (callers may add fields at run time). */
export function standardObjects(): ObjectDef[] {
  const objects = [account(), caseObject(), caseComment(), contact(), emailMessage(), event(), lead(), opportunity()];
  const sharing = Object.fromEntries(objects.map((o) => [o.name, o.sharingModel]));
  objects.push(organization(sharing), permissionSetLicense(), profile(), task(), user(), userLicense());
  return objects;
}
