import { describe, expect, it } from 'vitest';
import { eventLinkId, planEvents, tasksChangedSince, type ExistingEvent } from '../../src/events/index.js';
import { DEMO_PEOPLE, task } from './support.js';

/** The synchronization start date for Outlook events: only creates of old, event-less tasks are held back. */
describe('tasksChangedSince', () => {
  const since = '2026-02-01T00:00:00.000Z';
  const options = (withEvent: string[] = []) => ({ since, timeZone: 'Europe/Berlin', hasEvent: (id: string) => withEvent.includes(id) });

  it('leaves out flagged tasks without an event unchanged since the date, and counts them', () => {
    const tasks = [task('old', { modified: '2026-01-15T10:00:00' }), task('new', { modified: '2026-02-03T10:00:00' }), task('unknown')];
    const changed = tasksChangedSince(tasks, options())!;
    expect(changed.tasks.map((t) => t.id)).toEqual(['new', 'unknown']);
    expect(changed.leftOut).toEqual({ since, tasks: 1 });
  });

  it('reads the modified time in the site zone: 00:30 in Berlin on 1 February is still January in UTC', () => {
    expect(tasksChangedSince([task('edge', { modified: '2026-02-01T00:30:00' })], options())!.tasks).toHaveLength(0);
    expect(tasksChangedSince([task('edge', { modified: '2026-02-01T01:30:00' })], options())!.tasks).toHaveLength(1);
  });

  it('always keeps a task that has an event, so its update or proposed cancel is never hidden', () => {
    const unflagged = task('was-flagged', { modified: '2026-01-15T10:00:00', customFields: { 'Create event': false } });
    const changed = tasksChangedSince([unflagged], options(['was-flagged']))!;
    expect(changed.tasks).toHaveLength(1);
    expect(changed.leftOut.tasks).toBe(0);
    const event: ExistingEvent = {
      id: 'evt-1', etag: null, subject: 'Task was-flagged', body: '', bodyType: 'text', start: '2026-03-10T09:00:00', end: '2026-03-10T11:00:00',
      isAllDay: false, attendees: [], linkId: eventLinkId('i-1', 'was-flagged'), webLink: null,
    };
    const plan = planEvents(changed.tasks, [], [event], { integrationId: 'i-1', timeZone: 'Europe/Berlin', people: DEMO_PEOPLE });
    // Cancelled because the flag was cleared, not because the task was "deleted".
    expect(plan.ops).toMatchObject([{ kind: 'cancel', reason: 'flag-cleared', taskId: 'was-flagged' }]);
  });

  it('counts only flagged tasks as left out, and leaves nothing out for an unreadable date', () => {
    const quiet = task('plain', { modified: '2026-01-15T10:00:00', customFields: {} });
    expect(tasksChangedSince([quiet], options())!.leftOut.tasks).toBe(0);
    expect(tasksChangedSince([quiet], { ...options(), since: 'not a date' })).toBeNull();
  });
});
