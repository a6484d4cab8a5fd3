import { describe, expect, it } from 'vitest';
import type { OutlookEvent } from '../../../src/connectors/outlook/index.js';
import { JournalUnavailable } from '../../../src/sync/journaled.js';
import { applyEventPlan, planEvents, type EventCalendar, type EventJournal } from '../../../src/events/index.js';
import { DEMO_PEOPLE, task } from '../support.js';

/**
 * What the Outlook model test found (issue 18): when the journal failed, applyEventPlan rejected at
 * once while the other workers went on, so writes reached Graph after the run had been reported
 * failed, its calendar closed and its lease released (a later preview then went out of date with
 * nobody editing). A stopped run starts no further op and ends only when its ops in flight have.
 */
const options = { integrationId: 'int-stopped', timeZone: 'Europe/Berlin', people: DEMO_PEOPLE, organizer: 'pm@contoso.onmicrosoft.com' };

describe('an event run stopped by its journal', () => {
  it('starts no op after the failure and returns only once the ops in flight have finished', async () => {
    const plan = planEvents(Array.from({ length: 8 }, (_, n) => task(String(n + 1))), [], [], options);
    let inFlight = 0;
    const created: string[] = [];
    const calendar: EventCalendar = {
      async createEvent(draft, marker) {
        inFlight += 1;
        await new Promise((r) => setTimeout(r, 20));
        inFlight -= 1;
        created.push(marker.linkId);
        return { id: `e-${marker.linkId}`, etag: null, subject: draft.subject, body: draft.body, bodyType: 'text', start: draft.start, end: draft.end, timeZone: draft.timeZone, isAllDay: draft.isAllDay, attendees: draft.attendees, linkId: marker.linkId, transactionId: marker.transactionId, webLink: null, isCancelled: false, isOrganizer: true, organizer: null } satisfies OutlookEvent;
      },
      findEventByMarker: async () => null,
      updateEvent: async () => { throw new Error('no updates here'); },
      cancelEvent: async () => 'cancelled',
    };
    let intents = 0;
    // The second intent fails (a store outage for one request); later ones would succeed again.
    const journal: EventJournal = {
      recordIntent: async () => { if (++intents === 2) throw new Error('store unavailable'); },
      markDone: async () => undefined,
      list: async () => [],
    };
    await expect(applyEventPlan(plan, { calendar, journal }, { runId: 'r', concurrency: 4 })).rejects.toBeInstanceOf(JournalUnavailable);
    expect(inFlight).toBe(0);
    const createdWhenStopped = created.length;
    // The four ops started together (one failed before writing); none of the other four ever starts.
    expect(createdWhenStopped).toBe(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(created.length).toBe(createdWhenStopped);
  });
});
