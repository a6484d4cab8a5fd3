import { OutlookError } from '../connectors/outlook/errors.js';
import type { OutlookEvent } from '../connectors/outlook/event-wire.js';
import { userMessage } from '../errors.js';
import { journaled, JournalUnavailable } from '../sync/journaled.js';
import { inPool } from '../sync/pool.js';
import type { EventLink, EventOp, EventPlan } from './model.js';
import type { EventJournalEntry, EventPorts } from './ports.js';

/**
 * Applies an approved event plan exactly once, even across crashes, so no attendee is invited
 * twice (../shared/notes/graph-outlook-events.md "Idempotency, tagging, lookup"):
 * - a create is journaled as an intent before it is sent, and carries the marker (the link id) and
 *   a transactionId made from it; a resumed run whose journal says "intended" first looks the
 *   marker up and adopts the event it finds, and even a lost journal meets the server's
 *   transactionId, which returns the earlier event instead of making a twin;
 * - an update is guarded by the event's etag; a 412 re-reads the event and counts as done when it
 *   already holds what was meant (our own earlier write), otherwise it is left for a fresh preview;
 * - a cancel is applied only when the person chose it, and a cancel of an event already gone is done.
 * Outlook allows 4 requests in flight per app, so ops run 4 at a time (the connector's gate caps it too).
 */
export const DEFAULT_EVENT_CONCURRENCY = 4;
export const DEFAULT_CANCEL_COMMENT = 'This event was cancelled in the project plan (PlanBridge).';

export interface EventApplyOptions {
  /** Same id when resuming a run; the journal is keyed by it. */
  runId: string;
  /** The cancel ops (by op id or link id) the person chose; every other cancel is left as proposed. */
  cancel?: ReadonlySet<string> | 'all';
  cancelComment?: string;
  concurrency?: number;
  /** Called as each op finishes, for a progress card. */
  onResult?: (result: EventResult) => void;
}

export type EventResultStatus = 'done' | 'skipped' | 'not-chosen' | 'skipped-stale' | 'failed';

export interface EventResult {
  opId: string;
  kind: EventOp['kind'];
  taskId: string | null;
  status: EventResultStatus;
  linkId?: string;
  eventId?: string;
  /** Opens the event in Outlook on the web, for the report. */
  webLink?: string | null;
  reason?: string;
}

/** What to store after the run: a link to save (create, update, adopt, cancel) or one to drop. */
export type EventLinkUpdate = { kind: 'save'; link: EventLink } | { kind: 'remove'; linkId: string; planTaskId: string };

export interface EventApplyOutcome {
  runId: string;
  results: EventResult[];
  linkUpdates: EventLinkUpdate[];
  counts: Record<EventResultStatus, number>;
  /** Usage records that could not be written (the writes themselves succeeded). */
  meterFailures: number;
}


const reason = (err: unknown): string => (err instanceof OutlookError ? err.message : userMessage(err));

export async function applyEventPlan(plan: EventPlan, ports: EventPorts, options: EventApplyOptions): Promise<EventApplyOutcome> {
  const journal = new Map<string, EventJournalEntry>();
  for (const e of await journaled('Outlook events', () => ports.journal.list(options.runId))) journal.set(e.opId, e);
  const results: EventResult[] = [];
  const linkUpdates: EventLinkUpdate[] = [];
  let meterFailures = 0;
  const chosen = (op: Extract<EventOp, { kind: 'cancel' }>): boolean =>
    options.cancel === 'all' || (options.cancel !== undefined && (options.cancel.has(op.id) || options.cancel.has(op.linkId)));

  const record = (op: EventOp, status: EventResultStatus, extra: Partial<EventResult> = {}): void => {
    const result: EventResult = { opId: op.id, kind: op.kind, taskId: op.taskId, status, ...('linkId' in op ? { linkId: op.linkId } : {}), ...extra };
    results.push(result);
    options.onResult?.(result);
  };
  const markDone = (op: EventOp & { linkId: string }, key: string): Promise<void> =>
    journal.get(op.id)?.state === 'done' ? Promise.resolve() : journaled('Outlook events', () => ports.journal.markDone(options.runId, { opId: op.id, linkId: op.linkId, key }));
  const meter = async (linkId: string, taskId: string): Promise<void> => {
    if (!ports.meter) return;
    try {
      await ports.meter({ linkId, taskId });
    } catch {
      meterFailures += 1;
    }
  };
  const saved = async (op: Extract<EventOp, { kind: 'create' | 'update' | 'link' }>, event: Pick<OutlookEvent, 'id' | 'webLink'>): Promise<void> => {
    linkUpdates.push({ kind: 'save', link: { linkId: op.linkId, planTaskId: op.taskId, eventId: event.id, state: 'active', generation: op.generation, bodyDigest: op.bodyDigest } });
    record(op, 'done', { eventId: event.id, webLink: event.webLink });
    await meter(op.linkId, op.taskId);
  };

  async function create(op: Extract<EventOp, { kind: 'create' }>): Promise<void> {
    const entry = journal.get(op.id);
    if (entry?.state === 'done' && entry.key) return saved(op, { id: entry.key, webLink: null });
    if (entry?.state === 'intended') {
      // The crashed run may have created it: look for the marker before creating anything.
      let found: OutlookEvent | null;
      try {
        found = await ports.calendar.findEventByMarker(op.linkId);
      } catch (err) {
        return record(op, 'failed', { reason: `an earlier attempt may have created it and Outlook could not be searched for it (${reason(err)}); it was left for the next run` });
      }
      if (found) {
        await markDone(op, found.id);
        return saved(op, found);
      }
    } else {
      await journaled('Outlook events', () => ports.journal.recordIntent(options.runId, { opId: op.id, linkId: op.linkId, marker: op.linkId }));
    }
    let event: OutlookEvent;
    try {
      event = await ports.calendar.createEvent(op.draft, { linkId: op.linkId, transactionId: op.transactionId });
    } catch (err) {
      if (err instanceof JournalUnavailable) throw err;
      return record(op, 'failed', { reason: reason(err) });
    }
    await markDone(op, event.id);
    await saved(op, event);
  }

  async function update(op: Extract<EventOp, { kind: 'update' }>): Promise<void> {
    const entry = journal.get(op.id);
    if (entry?.state === 'done') return saved(op, { id: entry.key ?? op.eventId, webLink: op.webLink });
    let event: OutlookEvent;
    try {
      event = await ports.calendar.updateEvent(op.eventId, op.changes, { etag: op.etag });
    } catch (err) {
      if (err instanceof OutlookError && err.code === 'event-changed') return settleStale(op);
      if (err instanceof OutlookError && err.code === 'event-not-found') return record(op, 'failed', { reason: 'the event was deleted or moved in Outlook since the preview; a fresh preview proposes a new one' });
      return record(op, 'failed', { reason: reason(err) });
    }
    await markDone(op, event.id);
    await saved(op, event);
  }

  /** A stale etag is our own earlier write when the event already holds what the update meant. */
  async function settleStale(op: Extract<EventOp, { kind: 'update' }>): Promise<void> {
    let current: OutlookEvent | null;
    try {
      current = await ports.calendar.findEventByMarker(op.linkId);
    } catch (err) {
      return record(op, 'failed', { reason: reason(err) });
    }
    if (current && holds(current, op)) {
      await markDone(op, current.id);
      return saved(op, current);
    }
    record(op, 'skipped-stale', { reason: current ? 'the event changed in Outlook since the preview; it will show in a fresh preview' : 'the event is gone from Outlook; a fresh preview proposes a new one' });
  }

  async function cancel(op: Extract<EventOp, { kind: 'cancel' }>): Promise<void> {
    if (!chosen(op)) return record(op, 'not-chosen', { eventId: op.eventId, reason: 'cancelling was proposed, not chosen; the event stays' });
    if (journal.get(op.id)?.state !== 'done') {
      try {
        await ports.calendar.cancelEvent(op.eventId, options.cancelComment ?? DEFAULT_CANCEL_COMMENT);
      } catch (err) {
        return record(op, 'failed', { eventId: op.eventId, reason: reason(err) });
      }
      await markDone(op, op.eventId);
    }
    if (op.taskId !== null) {
      linkUpdates.push(op.reason === 'task-deleted'
        ? { kind: 'remove', linkId: op.linkId, planTaskId: op.taskId }
        : { kind: 'save', link: { linkId: op.linkId, planTaskId: op.taskId, eventId: null, state: 'cancelled', generation: op.generation } });
    }
    record(op, 'done', { eventId: op.eventId });
  }

  // A failure that stops the run (the journal, the lease's fence) starts no further op, and the run
  // ends only once the ops already in flight have: the caller closes the calendar and releases the
  // lease after this returns, so nothing of a stopped run may still be writing then.
  const stop: { error?: unknown; stopped: boolean } = { stopped: false };
  await inPool(plan.ops, options.concurrency ?? DEFAULT_EVENT_CONCURRENCY, async (op) => {
    if (stop.stopped) return;
    try {
      switch (op.kind) {
        case 'create': return await create(op);
        case 'update': return await update(op);
        case 'cancel': return await cancel(op);
        case 'link': return await saved(op, { id: op.eventId, webLink: op.webLink });
        case 'forget':
          linkUpdates.push({ kind: 'remove', linkId: op.linkId, planTaskId: op.taskId });
          return record(op, 'done');
        case 'skipped': return record(op, 'skipped', { reason: op.reason });
      }
    } catch (error) {
      if (!stop.stopped) Object.assign(stop, { stopped: true, error });
    }
  });
  if (stop.stopped) throw stop.error;

  const counts: Record<EventResultStatus, number> = { done: 0, skipped: 0, 'not-chosen': 0, 'skipped-stale': 0, failed: 0 };
  for (const r of results) counts[r.status] += 1;
  return { runId: options.runId, results, linkUpdates, counts, meterFailures };
}

/** Whether the event already holds every change the update meant to make. */
function holds(event: OutlookEvent, op: Extract<EventOp, { kind: 'update' }>): boolean {
  const d = op.draft;
  const addresses = (list: Array<{ address: string }>): string => list.map((a) => a.address.toLowerCase()).sort().join(';');
  return op.changed.every((c) => {
    switch (c) {
      case 'subject': return event.subject === d.subject;
      case 'dates': return event.start === d.start && event.end === d.end && event.isAllDay === d.isAllDay;
      case 'attendees': return addresses(event.attendees) === addresses(d.attendees);
      case 'body': return event.bodyType !== 'text' || event.body.trim() === d.body.trim();
    }
  });
}
