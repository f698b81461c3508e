import { address, email, object, owner, phone, picklist, ref, text, textarea, date } from '../define.js';
import type { ObjectDef } from '../types.js';

export function contact(): ObjectDef {
  return object({
    name: 'Contact',
    keyPrefix: '003',
    sharingModel: 'ControlledByParent',
    sharingParentField: 'AccountId',
    fields: [
      ref('AccountId', ['Account'], { label: 'Account ID', childRelationshipName: 'Contacts' }),
      text('LastName', 80, { label: 'Last Name', nillable: false }),
      text('FirstName', 40, { label: 'First Name' }),
      picklist('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      text('Name', 121, { label: 'Full Name', nameField: true, createable: false, updateable: false }),
      ...address('Mailing'),
      phone('Phone', { label: 'Business Phone' }),
      phone('MobilePhone', { label: 'Mobile Phone' }),
      email('Email', { idLookup: true }),
      text('Title', 128),
      text('Department', 80),
      date('Birthdate'),
      textarea('Description', 32000, { label: 'Contact Description' }),
      owner(),
    ],
  });
}
