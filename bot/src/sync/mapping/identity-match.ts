/**
 * Builds the identity map (plan resource name -> ADO uniqueName) from the people who can be
 * assigned in ADO. A resource matches a user by display name (case and spacing ignored) or, when
 * the resource is written as an e-mail address, by uniqueName. Two users with the same display
 * name are never guessed between. Overrides chosen by a person always win; an empty override
 * means "leave unassigned on purpose".
 */
import type { Item } from '../model.js';
import { normalizeName, uniqueNameOf, type IdentityMap } from './identity.js';

export { normalizeName };

export interface DirectoryUser {
  readonly displayName: string;
  readonly uniqueName: string;
}

/** manual: an override; name/email: found automatically; ambiguous: several users share the name. */
export type MatchHow = 'manual' | 'unassigned' | 'name' | 'email' | 'ambiguous' | 'none';

export interface PersonMatch {
  readonly resource: string;
  readonly how: MatchHow;
  readonly user: DirectoryUser | null;
  /** For 'ambiguous': how many users share the name. */
  readonly candidates?: number;
}

export interface PeopleMatch {
  readonly map: IdentityMap;
  readonly matches: readonly PersonMatch[];
}

const looksLikeEmail = (s: string): boolean => /^[^\s@<>]+@[^\s@<>]+$/.test(s);

/** Every resource named on the items' `fields` (PWA lists several as "A, B"), each once, in first-seen order. */
export function planResources(items: Iterable<Item>, fields: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const item of items) {
    for (const field of fields) {
      const value = item.fields[field];
      if (typeof value !== 'string') continue;
      for (const part of value.split(/[,;]/)) {
        const name = part.trim();
        if (name && !seen.has(normalizeName(name))) seen.set(normalizeName(name), name);
      }
    }
  }
  return [...seen.values()];
}

function autoMatch(resource: string, byName: Map<string, DirectoryUser[]>, byUnique: Map<string, DirectoryUser>): PersonMatch {
  const bracketed = /<[^>]+>\s*$/.test(resource);
  const mail = bracketed || looksLikeEmail(resource.trim()) ? uniqueNameOf(resource) : null;
  if (mail) {
    const user = byUnique.get(mail);
    if (user) return { resource, how: 'email', user };
  }
  const name = bracketed ? resource.replace(/<[^>]+>\s*$/, '') : resource;
  const same = byName.get(normalizeName(name)) ?? [];
  if (same.length === 1) return { resource, how: 'name', user: same[0]! };
  if (same.length > 1) return { resource, how: 'ambiguous', user: null, candidates: same.length };
  return { resource, how: 'none', user: null };
}

/** Matches each resource; the map holds automatic matches and every override (overrides win). */
export function matchPeople(resources: readonly string[], users: readonly DirectoryUser[], overrides: IdentityMap = {}): PeopleMatch {
  const byName = new Map<string, DirectoryUser[]>();
  const byUnique = new Map<string, DirectoryUser>();
  for (const u of users) {
    const key = normalizeName(u.displayName);
    byName.set(key, [...(byName.get(key) ?? []), u]);
    byUnique.set(u.uniqueName.toLowerCase(), u);
  }
  const manual = new Map(Object.entries(overrides).map(([name, unique]) => [normalizeName(name), unique]));
  const map: Record<string, string> = {};
  const matches = resources.map((resource): PersonMatch => {
    const chosen = manual.get(normalizeName(resource));
    if (chosen !== undefined) {
      map[resource] = chosen;
      if (chosen === '') return { resource, how: 'unassigned', user: null };
      return { resource, how: 'manual', user: byUnique.get(chosen.toLowerCase()) ?? { displayName: chosen, uniqueName: chosen } };
    }
    const found = autoMatch(resource, byName, byUnique);
    if (found.user) map[resource] = found.user.uniqueName;
    return found;
  });
  // Overrides for resources not in this plan still apply (e.g. a task added later).
  for (const [name, unique] of Object.entries(overrides)) if (!(name in map) && !resources.some((r) => normalizeName(r) === normalizeName(name))) map[name] = unique;
  return { map, matches };
}
