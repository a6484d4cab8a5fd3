import { describe, expect, it } from 'vitest';
import { afterRun, changesSince, pause, resume, scheduleState, syncStartDate, type Schedule } from '../../src/schedule/index.js';

const daily: Schedule = { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' };

describe('schedule state', () => {
  it('remembers a start date someone gave (changesFrom), but not one that defaulted to now, and keeps it across changes', () => {
    const now = new Date('2025-11-24T12:00:00Z');
    expect(scheduleState(daily, now, now).changesFrom).toBeUndefined();
    const given = scheduleState(daily, new Date('2025-12-01T00:00:00Z'), now);
    expect(given.changesFrom).toBe('2025-12-01T00:00:00.000Z');
    expect(syncStartDate({ ...given })).toBe('2025-12-01T00:00:00.000Z');
    // Re-scheduled without a date: the previous start is passed back, and stays the start date.
    const later = new Date('2025-12-05T12:00:00Z');
    const kept = scheduleState({ ...daily, time: '10:00' }, new Date(given.startAt), later, given);
    expect(kept.changesFrom).toBe('2025-12-01T00:00:00.000Z');
    expect(afterRun(kept, { slot: kept.nextRunAt!, startedAt: later, finishedAt: later, outcome: 'succeeded' }).changesFrom).toBe('2025-12-01T00:00:00.000Z');
    expect(pause(kept).changesFrom).toBe('2025-12-01T00:00:00.000Z');
    const defaulted = scheduleState(daily, now, now);
    expect(scheduleState(daily, new Date(defaulted.startAt), later, defaulted).changesFrom).toBeUndefined();
    expect(syncStartDate(undefined)).toBeUndefined();
    expect(syncStartDate({ changesFrom: 'garbage' })).toBeUndefined();
  });

  it('the first run waits for the start date and considers only changes after it', () => {
    const state = scheduleState(daily, new Date('2025-12-01T00:00:00Z'), new Date('2025-11-24T12:00:00Z'));
    expect(state.nextRunAt).toBe('2025-12-01T08:00:00.000Z');
    expect(changesSince(state)).toBe('2025-12-01T00:00:00.000Z');
  });

  it('after a success the next run considers changes since that run started; after a failure they are considered again', () => {
    const first = scheduleState(daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-24T12:00:00Z'));
    const ok = afterRun(first, { slot: first.nextRunAt!, startedAt: new Date('2025-11-25T08:00:01Z'), finishedAt: new Date('2025-11-25T08:01:00Z'), outcome: 'succeeded' });
    expect(ok.nextRunAt).toBe('2025-11-26T08:00:00.000Z');
    expect(changesSince(ok)).toBe('2025-11-25T08:00:01.000Z');
    const failed = afterRun(ok, { slot: ok.nextRunAt!, startedAt: new Date('2025-11-26T08:00:01Z'), finishedAt: new Date('2025-11-26T08:00:30Z'), outcome: 'failed' });
    expect(changesSince(failed)).toBe('2025-11-25T08:00:01.000Z');
    expect(failed.lastRun?.outcome).toBe('failed');
  });

  it('a run that overran or a scheduler that was down runs once, not a backlog', () => {
    const state = scheduleState(daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-20T12:00:00Z'));
    const late = afterRun(state, { slot: state.nextRunAt!, startedAt: new Date('2025-11-24T10:00:00Z'), finishedAt: new Date('2025-11-24T10:05:00Z'), outcome: 'succeeded' });
    expect(late.nextRunAt).toBe('2025-11-25T08:00:00.000Z');
  });

  it('pausing clears the due time; resuming picks the next slot from now', () => {
    const state = scheduleState(daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-20T12:00:00Z'));
    const paused = pause(state);
    expect(paused.nextRunAt).toBeUndefined();
    expect(afterRun(paused, { slot: state.nextRunAt!, startedAt: new Date('2025-11-21T08:00:00Z'), finishedAt: new Date('2025-11-21T08:01:00Z'), outcome: 'succeeded' }).nextRunAt).toBeUndefined();
    expect(resume(paused, new Date('2025-11-24T12:00:00Z')).nextRunAt).toBe('2025-11-25T08:00:00.000Z');
  });
});
