/**
 * Plan resources <-> ADO identities. PWA lists a task's resources by name ("Alice Smith, Bob Jones");
 * ADO's Assigned To holds one identity, read by connectors as its uniqueName (or "Name <uniqueName>").
 * The integration's identity map (resource name -> uniqueName) joins them; only the first resource
 * is assigned, since a work item has one assignee.
 */
export type IdentityMap = Readonly<Record<string, string>>;

export function firstResource(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const first = value.split(/[,;]/)[0]?.trim() ?? '';
  return first === '' ? null : first;
}

/** "Alice <alice@contoso.com>" or "alice@contoso.com" -> "alice@contoso.com" (lower case). */
export function uniqueNameOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const bracketed = /<([^>]+)>\s*$/.exec(value);
  return (bracketed ? bracketed[1]! : value).trim().toLowerCase();
}

/** "  Dana   RUIZ " -> "dana ruiz" (also folds non-breaking and other Unicode spaces). */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** The identity for a resource; '' means "unassigned on purpose"; null means no one is mapped. */
export function identityForResource(map: IdentityMap, resource: string): string | null {
  const direct = map[resource];
  if (direct !== undefined) return direct;
  const key = normalizeName(resource);
  for (const [name, identity] of Object.entries(map)) if (normalizeName(name) === key) return identity;
  return null;
}

export function resourceForIdentity(map: IdentityMap, uniqueName: string): string | null {
  for (const [name, identity] of Object.entries(map)) if (identity !== '' && identity.toLowerCase() === uniqueName) return name;
  return null;
}
