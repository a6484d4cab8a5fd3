import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphSimulator, type GraphSimulator } from '../../../sim/graph/server.js';
import type { OutlookConnector } from '../../src/connectors/outlook/index.js';
import type { PlanTask } from '../../src/connectors/ppm.js';
import {
  applyEventPlan, eventJournalFrom, markerPrefix, planEvents,
  type EventApplyOptions, type EventCalendar, type EventJournal, type EventLink, type EventLinkUpdate, type EventPlan,
} from '../../src/events/index.js';
import { connectorOn } from '../connectors/outlook/support.js';
import { MemoryJournal } from '../sync/support/memory-journal.js';
import { DEMO_PEOPLE, task } from './support.js';

/**
 * Applying event plans against the Graph simulator with the real connector, crashing at every step
 * (each calendar and journal call), optionally after the write landed (a reply lost on the wire).
 * However the run dies, a rerun leaves one event per task and one invitation per attendee, and a
 * plan after it is empty.
 */
const INTEGRATION = 'int-apollo-outlook';
const options = { integrationId: INTEGRATION, timeZone: 'Europe/Berlin', people: DEMO_PEOPLE, organizer: 'pm@contoso.onmicrosoft.com' };

class Crash extends Error {}

/** One process: every port call is a step; at `at` it dies (after the write, with landFirst), and stays dead. */
class Process {
  steps = 0;
  dead = false;
  constructor(private readonly at = Infinity, private readonly landFirst = false) {}
  async step<T>(write: () => Promise<T>): Promise<T> {
    if (this.dead) throw new Crash('process is down');
    this.steps += 1;
    if (this.steps === this.at) {
      this.dead = true;
      if (this.landFirst) await write();
      throw new Crash(`crashed at step ${this.steps}`);
    }
    return write();
  }
}

function crashingCalendar(c: OutlookConnector, p: Process): EventCalendar {
  return {
    createEvent: (d, m) => p.step(() => c.createEvent(d, m)),
    findEventByMarker: (id) => p.step(() => c.findEventByMarker(id)),
    updateEvent: (id, ch, o) => p.step(() => c.updateEvent(id, ch, o)),
    cancelEvent: (id, comment) => p.step(() => c.cancelEvent(id, comment)),
  };
}

function crashingJournal(j: EventJournal, p: Process): EventJournal {
  return {
    recordIntent: (runId, e) => p.step(() => j.recordIntent(runId, e)),
    markDone: (runId, e) => p.step(() => j.markDone(runId, e)),
    list: (runId) => p.step(() => j.list(runId)),
  };
}

function saveLinks(links: Map<string, EventLink>, updates: readonly EventLinkUpdate[]): void {
  for (const u of updates) {
    if (u.kind === 'save') links.set(u.link.planTaskId, u.link);
    else links.delete(u.planTaskId);
  }
}

const TASKS: PlanTask[] = [
  task('1', { name: 'Design review' }, [['Alice Kim', 'alice@contoso.example'], ['Bob Lee', 'bob@contoso.example']]),
  task('2', { name: 'Build', start: '2026-03-09T08:00:00', finish: '2026-03-13T17:00:00' }, [['Chen Wu', null]]),
  task('3', { name: 'Sign-off', start: '2026-03-16T14:00:00', finish: '2026-03-16T15:00:00' }),
];

describe('applying an event plan exactly once', () => {
  let sim: GraphSimulator;
  let connector: OutlookConnector;
  let journal: MemoryJournal;
  let links: Map<string, EventLink>;
  let metered: string[];

  beforeAll(async () => {
    sim = await startGraphSimulator({ seed: 'empty' });
    connector = connectorOn(sim).connector;
  });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => {
    sim.reset('empty');
    journal = new MemoryJournal();
    links = new Map();
    metered = [];
  });

  const plan = async (tasks: readonly PlanTask[]): Promise<EventPlan> =>
    planEvents(tasks, [...links.values()], await connector.listMarkedEvents(markerPrefix(INTEGRATION)), options);

  /** One process: plan, apply, and (if it lived) save the links. */
  async function run(tasks: readonly PlanTask[], runId: string, process = new Process(), extra: Partial<EventApplyOptions> = {}) {
    const p = await plan(tasks);
    try {
      const outcome = await applyEventPlan(p, {
        calendar: crashingCalendar(connector, process), journal: crashingJournal(eventJournalFrom(journal), process),
        meter: async ({ linkId }) => { metered.push(linkId); },
      }, { runId, concurrency: 1, ...extra });
      if (process.dead) return undefined; // died mid-way: nothing after the crash is saved
      saveLinks(links, outcome.linkUpdates);
      return outcome;
    } catch (err) {
      if (err instanceof Crash || process.dead) return undefined;
      throw err;
    }
  }

  const organizerEvents = () => sim.calendars.all().filter((e) => e.isOrganizer && e.folder === 'calendar');
  const requests = () => sim.invitations.filter((i) => i.kind === 'request');

  function expectConverged(): void {
    const events = organizerEvents();
    expect(events.map((e) => e.subject).sort()).toEqual(['Build', 'Design review', 'Sign-off']);
    // One invitation per attendee per event: no attendee was invited twice.
    const keys = requests().map((i) => `${i.iCalUId}|${i.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(requests().map((i) => i.to).sort()).toEqual(['alice@contoso.example', 'bob@contoso.example', 'chen@contoso.example']);
  }

  it('creates the events and converges: a second plan proposes nothing', async () => {
    const outcome = await run(TASKS, 'run-1');
    expect(outcome?.counts).toMatchObject({ done: 3, failed: 0 });
    expect(outcome?.results.every((r) => r.webLink)).toBe(true);
    expectConverged();
    const build = organizerEvents().find((e) => e.subject === 'Build')!;
    expect([build.isAllDay, build.start.zone]).toEqual([true, 'Europe/Berlin']);
    expect((await plan(TASKS)).ops).toEqual([]);
    expect(new Set(metered).size).toBe(3);
  });

  it('a crash at any step, before or after the write lands, never duplicates an event or an invitation', async () => {
    const clean = new Process();
    await run(TASKS, 'probe', clean);
    const total = clean.steps;
    expect(total).toBeGreaterThan(6);
    for (const resume of ['same run', 'new run'] as const) {
      for (let at = 1; at <= total; at += 1) {
        for (const landFirst of [false, true]) {
          sim.reset('empty');
          journal = new MemoryJournal();
          links = new Map();
          const crashed = await run(TASKS, 'run-a', new Process(at, landFirst));
          expect(crashed, `step ${at}`).toBeUndefined();
          const rerun = await run(TASKS, resume === 'same run' ? 'run-a' : 'run-b');
          expect(rerun?.counts.failed, `${resume}, step ${at}, landFirst ${landFirst}`).toBe(0);
          expectConverged();
          expect((await plan(TASKS)).ops, `${resume}, step ${at}, landFirst ${landFirst}`).toEqual([]);
        }
      }
    }
  });

  it('even without the journal, the transactionId keeps a retried create from doubling', async () => {
    const p = await plan(TASKS);
    const noJournal: EventJournal = { recordIntent: async () => {}, markDone: async () => {}, list: async () => [] };
    await applyEventPlan(p, { calendar: connector, journal: noJournal }, { runId: 'x' });
    await applyEventPlan(p, { calendar: connector, journal: noJournal }, { runId: 'y' });
    expectConverged();
  });

  it('updates changed tasks: dates, name, attendees, sending updates only to those kept', async () => {
    await run(TASKS, 'run-1');
    sim.invitations.length = 0;
    const edited = [
      task('1', { name: 'Design review (final)', start: '2026-03-10T10:00:00', finish: '2026-03-10T12:00:00' }, [['Alice Kim', 'alice@contoso.example'], ['Chen Wu', null]]),
      TASKS[1]!, TASKS[2]!,
    ];
    const p = await plan(edited);
    expect(p.ops).toEqual([expect.objectContaining({ kind: 'update', taskId: '1', changed: ['subject', 'dates', 'attendees'] })]);
    const outcome = await run(edited, 'run-2');
    expect(outcome?.counts.done).toBe(1);
    expect(sim.invitations.map((i) => [i.kind, i.to]).sort()).toEqual([['cancel', 'bob@contoso.example'], ['request', 'chen@contoso.example'], ['update', 'alice@contoso.example']]);
    const event = organizerEvents().find((e) => e.subject === 'Design review (final)')!;
    expect(event.start.local).toMatchObject({ hour: 10 });
    expect((await plan(edited)).ops).toEqual([]);
  });

  it('an update whose etag went stale after our own write counts as done', async () => {
    await run(TASKS, 'run-1');
    const edited = [task('1', { name: 'Renamed' }, [['Alice Kim', 'alice@contoso.example'], ['Bob Lee', 'bob@contoso.example']]), TASKS[1]!, TASKS[2]!];
    const p = await plan(edited);
    // The first attempt landed, its reply was lost (landFirst on the update, step 2 after list).
    await run(edited, 'run-2', new Process(2, true));
    const outcome = await applyEventPlan(p, { calendar: connector, journal: eventJournalFrom(journal) }, { runId: 'run-2' });
    expect(outcome.results).toEqual([expect.objectContaining({ kind: 'update', status: 'done' })]);
    expect(sim.invitations.filter((i) => i.kind === 'update')).toHaveLength(2);
  });

  it('proposes a cancel when the flag is cleared or the task deleted, and applies it only when chosen', async () => {
    await run(TASKS, 'run-1');
    const unflagged = [task('1', { name: 'Design review', customFields: { 'Create event': false } }), TASKS[1]!];
    const p = await plan(unflagged);
    expect(p.ops.map((o) => [o.kind, o.kind === 'cancel' ? o.reason : ''])).toEqual([['cancel', 'flag-cleared'], ['cancel', 'task-deleted']]);
    const notChosen = await run(unflagged, 'run-2');
    expect(notChosen?.counts).toMatchObject({ 'not-chosen': 2, done: 0 });
    expect(organizerEvents()).toHaveLength(3);
    expect(sim.invitations.filter((i) => i.kind === 'cancel')).toHaveLength(0);

    const flagCleared = p.ops.find((o) => o.kind === 'cancel' && o.reason === 'flag-cleared')!;
    const chosen = await run(unflagged, 'run-3', new Process(), { cancel: new Set([flagCleared.id]), cancelComment: 'Taken off the plan.' });
    expect(chosen?.counts).toMatchObject({ done: 1, 'not-chosen': 1 });
    expect(sim.invitations.filter((i) => i.kind === 'cancel').map((i) => [i.to, i.comment]).sort()).toEqual([['alice@contoso.example', 'Taken off the plan.'], ['bob@contoso.example', 'Taken off the plan.']]);
    expect(links.get('1')).toMatchObject({ state: 'cancelled', eventId: null, generation: 1 });

    await run(unflagged, 'run-4', new Process(), { cancel: 'all' });
    expect(organizerEvents().map((e) => e.subject)).toEqual(['Build']);
    expect((await plan(unflagged)).ops).toEqual([]);

    // Flagged again: a new event, with a new transactionId, and a new invitation.
    const p2 = await plan([task('1', { name: 'Design review' }, [['Alice Kim', 'alice@contoso.example']]), TASKS[1]!]);
    expect(p2.ops).toEqual([expect.objectContaining({ kind: 'create', generation: 2, again: 'cancelled' })]);
    await run([task('1', { name: 'Design review' }, [['Alice Kim', 'alice@contoso.example']]), TASKS[1]!], 'run-5');
    expect(organizerEvents().map((e) => e.subject).sort()).toEqual(['Build', 'Design review']);
  });

  it('recreates an event deleted in Outlook, in a fresh preview', async () => {
    await run(TASKS, 'run-1');
    const sign = organizerEvents().find((e) => e.subject === 'Sign-off')!;
    await connector.deleteEvent(sign.id);
    const p = await plan(TASKS);
    expect(p.ops).toEqual([expect.objectContaining({ kind: 'create', taskId: '3', again: 'deleted-in-outlook', generation: 2 })]);
    await run(TASKS, 'run-2');
    expect(organizerEvents()).toHaveLength(3);
    expect((await plan(TASKS)).ops).toEqual([]);
  });
});
