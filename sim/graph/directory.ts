import { ENTRA_DEMO } from '../entra/directory.js';

/**
 * The tenant's users as Graph sees them. `exchangeOnline` says whether the user has an Exchange
 * Online mailbox: calendar calls for a user without one fail with MailboxNotEnabledForRESTAPI
 * ("The syncing account needs an Exchange Online mailbox", notes).
 * People match the PWA simulator's demo resources by e-mail (alice@contoso.example, ...), so the
 * demo journey can turn assignments into attendees.
 */
export interface GraphUser {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userPrincipalName: string;
  jobTitle: string | null;
  exchangeOnline: boolean;
}

const user = (id: string, displayName: string, upn: string, mail: string | null, exchangeOnline = true, jobTitle: string | null = null): GraphUser => {
  const [givenName = null, ...rest] = displayName.split(' ');
  return { id, displayName, givenName, surname: rest.join(' ') || null, mail, userPrincipalName: upn, jobTitle, exchangeOnline };
};

/** The demo tenant (same tenant and sign-in accounts as the Entra simulator). */
export function demoUsers(): GraphUser[] {
  return [
    user(ENTRA_DEMO.user.objectId, ENTRA_DEMO.user.displayName, ENTRA_DEMO.user.username, ENTRA_DEMO.user.username, true, 'Project manager'),
    user(ENTRA_DEMO.viewer.objectId, ENTRA_DEMO.viewer.displayName, ENTRA_DEMO.viewer.username, ENTRA_DEMO.viewer.username),
    // Apollo's people (sim/pwa/seed.ts); mail differs from the UPN, as with a custom domain.
    user('1f6b2c8d-3a4e-4b5f-9c6d-7e8f9a0b1c2d', 'Alice Kim', 'alice.kim@contoso.onmicrosoft.com', 'alice@contoso.example', true, 'Business analyst'),
    user('2a7c3d9e-4b5f-4c6a-8d7e-8f9a0b1c2d3e', 'Bob Lee', 'bob.lee@contoso.onmicrosoft.com', 'bob@contoso.example', true, 'Developer'),
    // A second "Bob Lee…": startswith(displayName,'Bob Lee') finds two people.
    user('3b8d4e0f-5c6a-4d7b-9e8f-9a0b1c2d3e4f', 'Bob Leeds', 'bob.leeds@contoso.onmicrosoft.com', 'bob.leeds@contoso.example'),
    user('4c9e5f1a-6d7b-4e8c-8f9a-0b1c2d3e4f5a', 'Chen Wu', 'chen.wu@contoso.onmicrosoft.com', 'chen@contoso.example', true, 'Developer'),
    // Mailbox still on-premises (hybrid): the directory knows her, Graph calendar calls do not.
    user('5d0f6a2b-7e8c-4f9d-9a0b-1c2d3e4f5a6b', 'Dana Ruiz', 'dana.ruiz@contoso.onmicrosoft.com', 'dana@contoso.example', false, 'Designer'),
    // Orion's people (sim/pwa/seed-orion.ts). Gus has no licence: no mail, no mailbox.
    user('6e1a7b3c-8f9d-4a0e-8b1c-2d3e4f5a6b7c', 'Erin Park', 'erin.park@contoso.onmicrosoft.com', 'erin@contoso.example'),
    user('7f2b8c4d-9a0e-4b1f-9c2d-3e4f5a6b7c8d', 'Farid Haddad', 'farid.haddad@contoso.onmicrosoft.com', 'farid@contoso.example'),
    user('8a3c9d5e-0b1f-4c2a-8d3e-4f5a6b7c8d9e', 'Gus Olsen', 'gus.olsen@contoso.onmicrosoft.com', null, false),
  ];
}

export class Directory {
  constructor(readonly users: GraphUser[]) {}

  /** `/users/{id | userPrincipalName}`: ids and UPNs are case-insensitive. */
  find(idOrUpn: string): GraphUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
  }

  /** The user an address belongs to (mail or UPN), for attendee copies and policy groups. */
  byAddress(address: string): GraphUser | undefined {
    const key = address.toLowerCase();
    return this.users.find((u) => u.mail?.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
  }

  add(u: GraphUser): void {
    this.users.push(u);
  }
}

/** Default `user` properties Graph v1.0 returns without $select. */
export const USER_DEFAULT_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
/** What User.ReadBasic.All may read [guess: the documented basic profile]. */
export const USER_BASIC_PROPERTIES = ['displayName', 'givenName', 'mail', 'surname', 'userPrincipalName', 'id'];

export function userResource(u: GraphUser): Record<string, unknown> {
  return {
    businessPhones: [], displayName: u.displayName, givenName: u.givenName, jobTitle: u.jobTitle, mail: u.mail,
    mobilePhone: null, officeLocation: null, preferredLanguage: 'en-US', surname: u.surname, userPrincipalName: u.userPrincipalName, id: u.id,
  };
}
