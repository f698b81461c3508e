/**
 * The standard objects the emulator serves, in describeGlobal order. Each object lives in its own
 * file as data built with ../define.ts.
 */
import type { ObjectDef } from '../types.js';
import { account } from './account.js';
import { contact } from './contact.js';
import { organization, profile, user, userLicense, permissionSetLicense } from './users.js';

/** Fresh copies of the standard objects (callers may add fields at run time). */
export function standardObjects(): ObjectDef[] {
  return [account(), contact(), organization(), profile(), user(), userLicense(), permissionSetLicense()];
}
