import type { EventChanges, EventDraft, OutlookEvent } from '../connectors/outlook/event-wire.js';

/**
 * What applying an event plan needs. `EventCalendar` is the shape of OutlookConnector (pass the
 * connector itself); `EventJournal` is the write-ahead journal (journal.ts adapts the engine's
 * ApplyJournal, kept by the store); `meter` records usage after a successful write.
 */
export interface EventCalendar {
  createEvent(draft: EventDraft, marker: { linkId: string; transactionId: string }): Promise<OutlookEvent>;
  findEventByMarker(linkId: string): Promise<OutlookEvent | null>;
  updateEvent(id: string, changes: EventChanges, options?: { etag?: string | null }): Promise<OutlookEvent>;
  cancelEvent(id: string, comment: string): Promise<'cancelled' | 'already-gone'>;
}

export interface EventJournalEntry {
  opId: string;
  linkId: string;
  state: 'intended' | 'done';
  marker?: string;
  /** The event id, once done. */
  key?: string;
}

export interface EventJournal {
  /** Durable before the create is sent; a second intent for the op keeps the first. */
  recordIntent(runId: string, entry: { opId: string; linkId: string; marker: string }): Promise<void>;
  markDone(runId: string, entry: { opId: string; linkId: string; key: string }): Promise<void>;
  list(runId: string): Promise<EventJournalEntry[]>;
}

/** Counts a task transferred to an event (usage metering); must be idempotent per window. */
export type EventMeter = (item: { linkId: string; taskId: string }) => Promise<void>;

export interface EventPorts {
  calendar: EventCalendar;
  journal: EventJournal;
  meter?: EventMeter;
}
