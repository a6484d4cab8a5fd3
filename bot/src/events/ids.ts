import { createHash } from 'node:crypto';

/**
 * Deterministic names of a task's event: the link id (the marker value on the event), the marker
 * prefix of an integration (to list its events), and the create's transactionId. Lowercase hex
 * only, because marker values compare case-insensitively in Graph filters
 * (../shared/notes/graph-outlook-events.md "Idempotency, tagging, lookup").
 */
const hex = (text: string, length: number): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);

/** `pbe-<integration>-`: every event of one integration starts with it. */
export function markerPrefix(integrationId: string): string {
  return `pbe-${hex(integrationId, 12)}-`;
}

/** The link id of a plan task's event in an integration, the same on every run. */
export function eventLinkId(integrationId: string, planTaskId: string): string {
  return `${markerPrefix(integrationId)}${hex(planTaskId, 24)}`;
}

/**
 * The create's transactionId: from the link id, plus the generation (1 for the first event of the
 * task, one more each time an event is made again after a cancel or a deletion in Outlook). A
 * transactionId "can't be changed later" and a repeat returns the earlier event, so a new event
 * for the same task needs a new one.
 */
export function transactionIdFor(linkId: string, generation: number): string {
  return `${linkId}.${generation}`;
}

/** Short stable digest of text PlanBridge wrote (the notes), kept in the link to notice changes. */
export function textDigest(text: string): string {
  return hex(text.replace(/\r\n/g, '\n').trim(), 16);
}
