/**
 * PlanBridge's marker on an Outlook event: a single-value extended property holding the link id
 * ("Idempotency, tagging, lookup" in ../shared/notes/graph-outlook-events.md). Extended properties
 * can be filtered on their value (eq, startswith), unlike open extensions, which only test presence
 * and have a tighter limit, so they are the lookup key after a crash and for listing our events.
 * The name is case-sensitive; values compare case-insensitively, so link ids are lowercase hex.
 */

/** PlanBridge's own property set GUID ("make your own GUID"). Never change it: events carry it. */
export const PLANBRIDGE_PROPERTY_SET = 'b3e1c7a2-5d4f-4a8e-9c61-2f7d0e8a4b15';
export const LINK_PROPERTY_ID = `String {${PLANBRIDGE_PROPERTY_SET}} Name PlanBridgeLinkId`;

/** OData string literal: single quotes doubled. */
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** `$filter` for events whose marker is exactly `linkId`. */
export function markerEquals(linkId: string): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${literal(LINK_PROPERTY_ID)} and ep/value eq ${literal(linkId)})`;
}

/** `$filter` for events whose marker starts with `prefix` (one integration's events). */
export function markerStartsWith(prefix: string): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${literal(LINK_PROPERTY_ID)} and startswith(ep/value, ${literal(prefix)}))`;
}

/** `$expand` that reads the marker back with the event. */
export const EXPAND_MARKER = `singleValueExtendedProperties($filter=id eq ${literal(LINK_PROPERTY_ID)})`;

/** The marker property as a create body carries it. */
export function markerProperty(linkId: string): { id: string; value: string } {
  return { id: LINK_PROPERTY_ID, value: linkId };
}

/** The link id an event read with EXPAND_MARKER carries, or null. Graph may answer with the GUID and type in another case. */
export function markerOf(raw: { singleValueExtendedProperties?: Array<{ id?: unknown; value?: unknown }> }): string | null {
  const ours = (id: unknown): boolean => typeof id === 'string' && id.toLowerCase().includes(PLANBRIDGE_PROPERTY_SET) && id.endsWith(' Name PlanBridgeLinkId');
  const found = (raw.singleValueExtendedProperties ?? []).find((p) => ours(p.id));
  return typeof found?.value === 'string' ? found.value : null;
}
