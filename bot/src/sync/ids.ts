/**
 * Deterministic identities for things the engine creates. Because a link id depends only on the
 * integration and the source item, re-planning after a crash yields the same link id, the same ADO
 * marker and the same new plan task id, which is what lets a rerun find its earlier work.
 */
import { createHash } from 'node:crypto';
import type { System } from './model.js';

const MARKER_PREFIX = 'planbridge:';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Link id for an item first seen on `side` (e.g. "pb-3f2a..."). */
export function linkIdFor(integrationId: string, side: System, key: string): string {
  return `pb-${sha256(`${integrationId}\u0000${side}\u0000${key}`).slice(0, 20)}`;
}

/** The ADO tag a created work item carries: "planbridge:<linkId>". */
export function markerFor(linkId: string): string {
  return `${MARKER_PREFIX}${linkId}`;
}

/** Link ids named by markers in an ADO tag list ("a; planbridge:pb-...; b"). */
export function markersIn(tags: unknown): string[] {
  if (typeof tags !== 'string' || !tags.includes(MARKER_PREFIX)) return [];
  return tags
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t.startsWith(MARKER_PREFIX))
    .map((t) => t.slice(MARKER_PREFIX.length));
}

/** The GUID a plan task created for `linkId` gets (PWA's Tasks/Add accepts the caller's Id). */
export function planKeyFor(linkId: string): string {
  const h = sha256(`plan-task\u0000${linkId}`);
  // RFC 4122 layout, version 5 style, variant 10xx.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
