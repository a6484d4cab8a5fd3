import { describe, expect, it } from 'vitest';
import { eventTimes } from '../../src/events/index.js';

describe('task dates as event times (site-local wall clock)', () => {
  it.each([
    ['a timed one-day task keeps its times', '2026-03-10T09:00:00', '2026-03-10T11:30:00', { start: '2026-03-10T09:00:00', end: '2026-03-10T11:30:00', isAllDay: false }],
    ['a task covering the working day is all-day', '2026-03-10T08:00:00', '2026-03-10T17:00:00', { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00', isAllDay: true }],
    ['midnight to 23:59 is all-day', '2026-03-10T00:00:00', '2026-03-10T23:59:00', { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00', isAllDay: true }],
    ['Mon..Wed ends Thursday 00:00 (exclusive end)', '2026-03-09T08:00:00', '2026-03-11T17:00:00', { start: '2026-03-09T00:00:00', end: '2026-03-12T00:00:00', isAllDay: true }],
    ['a finish at exactly midnight ends the day before', '2026-03-09T00:00:00', '2026-03-11T00:00:00', { start: '2026-03-09T00:00:00', end: '2026-03-11T00:00:00', isAllDay: true }],
    ['across a month end', '2026-03-30T08:00:00', '2026-04-01T12:00:00', { start: '2026-03-30T00:00:00', end: '2026-04-02T00:00:00', isAllDay: true }],
    ['a milestone is a point in time', '2026-03-10T17:00:00', '2026-03-10T17:00:00', { start: '2026-03-10T17:00:00', end: '2026-03-10T17:00:00', isAllDay: false }],
  ])('%s', (_name, start, finish, expected) => {
    expect(eventTimes(start, finish)).toEqual({ ok: true, ...expected });
  });

  it.each([
    [null, '2026-03-10T11:00:00', 'it has no start date'],
    ['2026-03-10T11:00:00', null, 'it has no finish date'],
    [null, null, 'it has no start or finish date'],
    ['2026-03-10T11:00:00', '2026-03-10T09:00:00', 'it finishes before it starts'],
  ])('refuses %s .. %s: %s', (start, finish, reason) => {
    expect(eventTimes(start, finish)).toEqual({ ok: false, reason });
  });

  it('takes the site\'s working day', () => {
    expect(eventTimes('2026-03-10T09:00:00', '2026-03-10T18:00:00', { start: '09:00', finish: '18:00' })).toMatchObject({ isAllDay: true });
  });
});
