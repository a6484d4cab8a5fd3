import type { PersonMatch } from '../connectors/outlook/directory.js';
import type { EventChanges, EventDraft, OutlookEvent } from '../connectors/outlook/event-wire.js';

/**
 * The Outlook-events model: which plan task has which event (EventLink), the operations a preview
 * shows (EventOp) and the plan approval applies (EventPlan).
 */

/** What PlanBridge remembers about a task's event (stored like work-item links). */
export interface EventLink {
  /** The marker value on the event; deterministic from integration and task (ids.ts). */
  linkId: string;
  planTaskId: string;
  /** The event's id when last written; null once cancelled. */
  eventId: string | null;
  /** 'cancelled': the event was cancelled on purpose; a flag set again makes a new one. */
  state: 'active' | 'cancelled';
  /** How many events were made for the task (the transactionId's suffix). */
  generation: number;
  /** Digest of the notes last written into the body (ids.ts textDigest). */
  bodyDigest?: string;
}

/** The events PlanBridge found in the mailbox by marker prefix (OutlookConnector.listMarkedEvents). */
export type ExistingEvent = Pick<OutlookEvent, 'id' | 'etag' | 'subject' | 'body' | 'bodyType' | 'start' | 'end' | 'isAllDay' | 'attendees' | 'linkId' | 'webLink'> & { transactionId?: string | null };

/** A resource that did not become an attendee, named in the preview. */
export interface UnmatchedPerson {
  name: string;
  email: string | null;
  /** 'ambiguous': several directory users have the name; 'none': no user; 'no-mailbox': the user has no mail address; 'not-looked-up': the caller did not look them up. */
  reason: 'ambiguous' | 'none' | 'no-mailbox' | 'not-looked-up';
}

export type EventChange = 'subject' | 'dates' | 'attendees' | 'body';

export type EventOp =
  | { kind: 'create'; id: string; linkId: string; taskId: string; taskName: string; generation: number; transactionId: string; draft: EventDraft; unmatched: UnmatchedPerson[]; bodyDigest: string;
    /** The task had an event that was cancelled or deleted in Outlook; this makes a new one. */
    again?: 'cancelled' | 'deleted-in-outlook' }
  | { kind: 'update'; id: string; linkId: string; taskId: string; taskName: string; generation: number; eventId: string; etag: string | null; changed: EventChange[]; changes: EventChanges; draft: EventDraft; unmatched: UnmatchedPerson[]; bodyDigest: string; webLink: string | null }
  /** Never applied unless chosen (EventApplyOptions.cancel): clearing a flag or deleting a task only proposes it. */
  | { kind: 'cancel'; id: string; linkId: string; taskId: string | null; eventId: string; subject: string; reason: 'flag-cleared' | 'task-deleted';
    /** The link's generation, kept by a cancelled link so a new event gets a new transactionId. */
    generation: number }
  /** An event with the task's marker but no stored link (a run stopped before saving it): adopt it, nothing sent. */
  | { kind: 'link'; id: string; linkId: string; taskId: string; eventId: string; generation: number; bodyDigest: string; webLink: string | null }
  /** A stored link whose event is gone and whose task no longer asks for one: bookkeeping only. */
  | { kind: 'forget'; id: string; linkId: string; taskId: string }
  | { kind: 'skipped'; id: string; taskId: string; taskName: string; reason: string };

export type EventOpKind = EventOp['kind'];

export interface EventPlan {
  integrationId: string;
  ops: EventOp[];
  counts: Record<EventOpKind, number>;
  /** Each unmatched resource once, with the tasks it is assigned to. */
  unmatchedPeople: Array<UnmatchedPerson & { taskIds: string[] }>;
  /** Flagged tasks without an event left out by the synchronization start date (changes-since.ts). */
  leftOut?: { since: string; tasks: number };
}

export type { PersonMatch };
