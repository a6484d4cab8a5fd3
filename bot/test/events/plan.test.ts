import { describe, expect, it } from 'vitest';
import { eventLinkId, MasterProjectRefused, peopleToLookUp, planEvents, textDigest, transactionIdFor, type EventLink, type ExistingEvent, type PlanEventsOptions } from '../../src/events/index.js';
import { DEMO_PEOPLE, task } from './support.js';

const INTEGRATION = 'int-apollo-outlook';
const options: PlanEventsOptions = { integrationId: INTEGRATION, timeZone: 'Europe/Berlin', people: DEMO_PEOPLE, organizer: 'pm@contoso.onmicrosoft.com' };
const linkOf = (taskId: string, eventId = `evt-${taskId}`, extra: Partial<EventLink> = {}): EventLink =>
  ({ linkId: eventLinkId(INTEGRATION, taskId), planTaskId: taskId, eventId, state: 'active', generation: 1, bodyDigest: textDigest(`Notes of ${taskId}`), ...extra });
/** The event as PlanBridge would have written it for the default task. */
const eventOf = (taskId: string, extra: Partial<ExistingEvent> = {}): ExistingEvent => ({
  id: `evt-${taskId}`, etag: 'W/"ck1"', subject: `Task ${taskId}`, body: `Notes of ${taskId}`, bodyType: 'text',
  start: '2026-03-10T09:00:00', end: '2026-03-10T11:00:00', isAllDay: false,
  attendees: [{ address: 'alice@contoso.example', name: 'Alice Kim', type: 'required' }], linkId: eventLinkId(INTEGRATION, taskId), webLink: null, ...extra,
});
const alice: Array<[string, string | null]> = [['Alice Kim', 'alice@contoso.example']];

describe('planning Outlook events from plan tasks', () => {
  it('creates an event per flagged task: name, times in the site zone, notes, matched attendees; unmatched people named', () => {
    const plan = planEvents([
      task('1', {}, [['Alice Kim', 'alice@contoso.example'], ['Chen Wu', null], ['Bob Lee', null], ['Nobody', null], ['Temp', null]]),
      task('2', { customFields: { 'Create event': false } }),
      task('3', { customFields: {} }),
    ], [], [], options);
    expect(plan.counts).toMatchObject({ create: 1, update: 0, cancel: 0, skipped: 0 });
    const op = plan.ops[0]!;
    expect(op).toMatchObject({
      kind: 'create', taskId: '1', linkId: eventLinkId(INTEGRATION, '1'), generation: 1, transactionId: transactionIdFor(eventLinkId(INTEGRATION, '1'), 1),
      draft: { subject: 'Task 1', body: 'Notes of 1', start: '2026-03-10T09:00:00', end: '2026-03-10T11:00:00', timeZone: 'Europe/Berlin', isAllDay: false },
    });
    if (op.kind !== 'create') throw new Error('create expected');
    expect(op.draft.attendees.map((a) => a.address)).toEqual(['alice@contoso.example', 'chen@contoso.example']);
    expect(op.unmatched).toEqual([
      { name: 'Bob Lee', email: null, reason: 'ambiguous' }, { name: 'Nobody', email: null, reason: 'none' }, { name: 'Temp', email: null, reason: 'not-looked-up' },
    ]);
    expect(plan.unmatchedPeople.map((p) => [p.name, p.taskIds])).toEqual([['Bob Lee', ['1']], ['Nobody', ['1']], ['Temp', ['1']]]);
  });

  it('accepts "Yes" as the flag, and asks to look up only the people of flagged tasks', () => {
    const tasks = [task('1', { customFields: { 'Create event': 'Yes' } }, alice), task('2', { customFields: {} }, [['Chen Wu', null]])];
    expect(planEvents(tasks, [], [], options).counts.create).toBe(1);
    expect(peopleToLookUp(tasks)).toEqual([{ name: 'Alice Kim', email: 'alice@contoso.example' }]);
  });

  it('makes a task over whole days an all-day event, and leaves the organizer out of the attendees', () => {
    const plan = planEvents([task('1', { start: '2026-03-09T08:00:00', finish: '2026-03-11T17:00:00' }, [...alice, ['PM', 'pm@contoso.onmicrosoft.com']])],
      [], [], { ...options, people: new Map([...DEMO_PEOPLE, ['email:pm@contoso.onmicrosoft.com', { how: 'email', user: { id: 'pm', displayName: 'PM', mail: 'pm@contoso.onmicrosoft.com', userPrincipalName: 'pm@contoso.onmicrosoft.com' }, address: 'pm@contoso.onmicrosoft.com' }]]) });
    expect(plan.ops[0]).toMatchObject({ kind: 'create', draft: { start: '2026-03-09T00:00:00', end: '2026-03-12T00:00:00', isAllDay: true, attendees: [{ address: 'alice@contoso.example' }] } });
  });

  it('lists a flagged task without start or finish as skipped, with the reason', () => {
    const plan = planEvents([task('1', { finish: null }), task('2', { start: null, finish: null })], [], [], options);
    expect(plan.ops.map((o) => [o.kind, o.kind === 'skipped' ? o.reason : ''])).toEqual([
      ['skipped', '"Task 1" is flagged "Create event" but it has no finish date, so no event was planned.'],
      ['skipped', '"Task 2" is flagged "Create event" but it has no start or finish date, so no event was planned.'],
    ]);
  });

  it('refuses a master project with a clear message', () => {
    expect(() => planEvents([task('1')], [], [], { ...options, project: { name: 'Portfolio 2026', isMaster: true } })).toThrow(MasterProjectRefused);
    expect(() => planEvents([task('1')], [], [], { ...options, project: { name: 'Portfolio 2026', isMaster: true } })).toThrow(/Portfolio 2026 is a master project.*Link each subproject/);
  });

  it('proposes nothing when the event already holds what the task says', () => {
    expect(planEvents([task('1', {}, alice)], [linkOf('1')], [eventOf('1')], options).ops).toEqual([]);
  });

  it('updates only what changed: name, dates, attendees, notes', () => {
    const cases: Array<[Parameters<typeof task>[1], Array<[string, string | null]>, string[]]> = [
      [{ name: 'Renamed' }, alice, ['subject']],
      [{ finish: '2026-03-10T12:00:00' }, alice, ['dates']],
      [{}, [['Chen Wu', null]], ['attendees']],
      [{ notes: 'New notes' }, alice, ['body']],
      [{ name: 'Renamed', start: '2026-03-11T09:00:00', finish: '2026-03-11T11:00:00' }, [], ['subject', 'dates', 'attendees']],
    ];
    for (const [edit, people, changed] of cases) {
      const plan = planEvents([task('1', edit, people)], [linkOf('1')], [eventOf('1')], options);
      expect(plan.ops).toHaveLength(1);
      expect(plan.ops[0]).toMatchObject({ kind: 'update', eventId: 'evt-1', etag: 'W/"ck1"', changed });
    }
    const moved = planEvents([task('1', { finish: '2026-03-10T12:00:00' }, alice)], [linkOf('1')], [eventOf('1')], options).ops[0]!;
    expect(moved.kind === 'update' && moved.changes).toEqual({ start: '2026-03-10T09:00:00', end: '2026-03-10T12:00:00', isAllDay: false, timeZone: 'Europe/Berlin' });
  });

  it('proposes a cancel (never silent) when the flag is cleared or the task is deleted', () => {
    const cleared = planEvents([task('1', { customFields: { 'Create event': false } }, alice)], [linkOf('1')], [eventOf('1')], options);
    expect(cleared.ops).toEqual([expect.objectContaining({ kind: 'cancel', taskId: '1', eventId: 'evt-1', reason: 'flag-cleared', subject: 'Task 1' })]);
    const deleted = planEvents([], [linkOf('1')], [eventOf('1')], options);
    expect(deleted.ops).toEqual([expect.objectContaining({ kind: 'cancel', taskId: '1', eventId: 'evt-1', reason: 'task-deleted' })]);
  });

  it('forgets a link whose event is already gone when the task no longer wants one', () => {
    expect(planEvents([task('1', { customFields: {} })], [linkOf('1')], [], options).ops).toEqual([expect.objectContaining({ kind: 'forget', taskId: '1' })]);
    expect(planEvents([task('1', { customFields: {} })], [linkOf('1', 'x', { state: 'cancelled', eventId: null })], [], options).ops).toEqual([]);
  });

  it('adopts an event found by marker with no stored link (a run stopped before saving it)', () => {
    expect(planEvents([task('1', {}, alice)], [], [eventOf('1', { transactionId: `${eventLinkId(INTEGRATION, '1')}.3` })], options).ops)
      .toEqual([expect.objectContaining({ kind: 'link', taskId: '1', eventId: 'evt-1', generation: 3 })]);
  });

  it('makes a new event, with a new transactionId, for a task whose event was cancelled or deleted in Outlook', () => {
    const again = planEvents([task('1', {}, alice)], [linkOf('1', 'x', { state: 'cancelled', eventId: null, generation: 1 })], [], options).ops[0]!;
    expect(again).toMatchObject({ kind: 'create', generation: 2, again: 'cancelled', transactionId: transactionIdFor(eventLinkId(INTEGRATION, '1'), 2) });
    expect(planEvents([task('1', {}, alice)], [linkOf('1')], [], options).ops[0]).toMatchObject({ kind: 'create', generation: 2, again: 'deleted-in-outlook' });
  });

  it('gives each integration its own marker prefix', () => {
    expect(eventLinkId('a', '1').startsWith(eventLinkId('a', '2').slice(0, 17))).toBe(true);
    expect(eventLinkId('a', '1').slice(0, 17)).not.toBe(eventLinkId('b', '1').slice(0, 17));
    expect(eventLinkId('a', '1')).toMatch(/^[a-z0-9-]+$/);
  });
});
