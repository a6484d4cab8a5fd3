import type { GraphClient } from './client.js';
import { normalizeName } from '../../sync/mapping/identity.js';

/**
 * Directory look-ups for attendees, the People card pattern: an exact e-mail match first (mail or
 * UPN), then a display name that only one user has. Two users with the name, or none, leave the
 * resource unmatched, and the preview names it. A user without a mail address has no mailbox to
 * invite. Needs User.ReadBasic.All (delegated) or User.Read.All (application).
 */
export interface DirectoryPerson {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
}

export type PersonMatch =
  | { how: 'email' | 'name'; user: DirectoryPerson; address: string }
  | { how: 'ambiguous'; candidates: number }
  | { how: 'no-mailbox'; user: DirectoryPerson }
  | { how: 'none' };

/** A plan resource as the lookup takes it. */
export interface PersonQuery {
  name: string;
  email: string | null;
}

const SELECT = 'id,displayName,mail,userPrincipalName';
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function person(raw: Record<string, unknown>): DirectoryPerson {
  return {
    id: String(raw.id), displayName: String(raw.displayName ?? raw.userPrincipalName ?? ''),
    mail: typeof raw.mail === 'string' && raw.mail ? raw.mail : null, userPrincipalName: String(raw.userPrincipalName ?? ''),
  };
}

async function users(client: GraphClient, filter: string): Promise<DirectoryPerson[]> {
  const rows = await client.all({ path: '/users', query: { $filter: filter, $select: SELECT }, context: { directory: true } });
  return (rows as Record<string, unknown>[]).map(person);
}

function matched(how: 'email' | 'name', user: DirectoryPerson): PersonMatch {
  return user.mail ? { how, user, address: user.mail } : { how: 'no-mailbox', user };
}

export async function findPerson(client: GraphClient, query: PersonQuery): Promise<PersonMatch> {
  const email = query.email?.trim();
  if (email) {
    const found = await users(client, `mail eq ${literal(email)} or userPrincipalName eq ${literal(email)}`);
    if (found.length === 1) return matched('email', found[0]!);
  }
  const name = query.name.trim();
  if (!name) return { how: 'none' };
  // startswith, then an exact comparison here: directory `eq` on names is not case-insensitive everywhere.
  const byName = (await users(client, `startswith(displayName, ${literal(name)})`)).filter((u) => normalizeName(u.displayName) === normalizeName(name));
  if (byName.length === 1) return matched('name', byName[0]!);
  return byName.length > 1 ? { how: 'ambiguous', candidates: byName.length } : { how: 'none' };
}

/** Each distinct resource looked up once (in flight as the client's gate allows); keyed by `personKey`. */
export async function findPeople(client: GraphClient, queries: readonly PersonQuery[]): Promise<Map<string, PersonMatch>> {
  const distinct = new Map<string, PersonQuery>();
  for (const q of queries) distinct.set(personKey(q), q);
  const entries = await Promise.all([...distinct].map(async ([key, q]) => [key, await findPerson(client, q)] as const));
  return new Map(entries);
}

/** How look-ups are keyed: the e-mail when there is one, else the normalised name. */
export function personKey(q: PersonQuery): string {
  return q.email?.trim() ? `email:${q.email.trim().toLowerCase()}` : `name:${normalizeName(q.name)}`;
}
