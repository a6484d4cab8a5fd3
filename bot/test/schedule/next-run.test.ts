import { describe, expect, it } from 'vitest';
import { firstRunAt, nextRunAfter, type Schedule } from '../../src/schedule/index.js';

const next = (s: Schedule, after: string): string | undefined => nextRunAfter(s, new Date(after))?.toISOString();
/** Consecutive runs starting after `from`. */
function runs(s: Schedule, from: string, count: number): string[] {
  const out: string[] = [];
  let t = new Date(from);
  for (let i = 0; i < count; i++) {
    t = nextRunAfter(s, t)!;
    out.push(t.toISOString());
  }
  return out;
}

describe('nextRunAfter: every kind', () => {
  it('on demand never runs by itself', () => {
    expect(next({ kind: 'on-demand' }, '2025-06-01T00:00:00Z')).toBeUndefined();
    expect(firstRunAt({ kind: 'on-demand' }, new Date('2025-01-01'), new Date('2025-06-01'))).toBeUndefined();
  });

  it('hourly runs on the local minute, also in a half-hour zone', () => {
    expect(runs({ kind: 'hourly', minute: 0, timeZone: 'Asia/Kolkata' }, '2025-03-29T12:00:00Z', 3)).toEqual([
      '2025-03-29T12:30:00.000Z', '2025-03-29T13:30:00.000Z', '2025-03-29T14:30:00.000Z',
    ]);
    expect(next({ kind: 'hourly', minute: 15, timeZone: 'UTC' }, '2025-03-29T12:15:00Z')).toBe('2025-03-29T13:15:00.000Z');
    expect(next({ kind: 'hourly', minute: 15, timeZone: 'UTC' }, '2025-03-29T12:14:59.999Z')).toBe('2025-03-29T12:15:00.000Z');
  });

  it('daily runs at the local time, strictly after the given instant', () => {
    const berlin: Schedule = { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' };
    expect(next(berlin, '2025-11-24T07:59:00Z')).toBe('2025-11-24T08:00:00.000Z');
    expect(next(berlin, '2025-11-24T08:00:00Z')).toBe('2025-11-25T08:00:00.000Z');
    expect(next({ kind: 'daily', time: '09:00', timeZone: 'America/Los_Angeles' }, '2025-11-24T08:00:00Z')).toBe('2025-11-24T17:00:00.000Z');
    expect(next({ kind: 'daily', time: '09:00', timeZone: 'Pacific/Auckland' }, '2025-11-24T08:00:00Z')).toBe('2025-11-24T20:00:00.000Z');
    expect(next({ kind: 'daily', time: '09:00', timeZone: 'Asia/Kolkata' }, '2025-11-24T08:00:00Z')).toBe('2025-11-25T03:30:00.000Z');
  });

  it('daily just before local midnight on the other side of UTC picks the next local day', () => {
    // 23:30 in Auckland is 10:30Z the same UTC day; the next 23:45 local is 15 minutes later.
    expect(next({ kind: 'daily', time: '23:45', timeZone: 'Pacific/Auckland' }, '2025-07-01T11:30:00Z')).toBe('2025-07-01T11:45:00.000Z');
    expect(next({ kind: 'daily', time: '00:15', timeZone: 'America/Los_Angeles' }, '2025-07-02T06:30:00Z')).toBe('2025-07-02T07:15:00.000Z');
  });

  it('weekly runs only on the chosen local days', () => {
    const s: Schedule = { kind: 'weekly', days: ['mon', 'thu'], time: '07:00', timeZone: 'Asia/Kolkata' };
    // Mon 24 Nov 2025 07:00 IST = 01:30Z; then Thu 27, Mon 1 Dec.
    expect(runs(s, '2025-11-23T00:00:00Z', 3)).toEqual(['2025-11-24T01:30:00.000Z', '2025-11-27T01:30:00.000Z', '2025-12-01T01:30:00.000Z']);
    // Sunday evening in Los Angeles is already Monday in UTC: the Monday run is the local Monday.
    expect(next({ kind: 'weekly', days: ['mon'], time: '09:00', timeZone: 'America/Los_Angeles' }, '2025-11-24T03:00:00Z')).toBe('2025-11-24T17:00:00.000Z');
  });

  it('monthly clamps to the last day of shorter months', () => {
    const s: Schedule = { kind: 'monthly', dayOfMonth: 31, time: '09:00', timeZone: 'Europe/Berlin' };
    expect(runs(s, '2025-01-01T00:00:00Z', 4)).toEqual([
      '2025-01-31T08:00:00.000Z', '2025-02-28T08:00:00.000Z', '2025-03-31T07:00:00.000Z', '2025-04-30T07:00:00.000Z',
    ]);
    expect(next({ kind: 'monthly', dayOfMonth: 30, time: '09:00', timeZone: 'UTC' }, '2024-02-01T00:00:00Z')).toBe('2024-02-29T09:00:00.000Z');
    expect(next({ kind: 'monthly', dayOfMonth: 15, time: '09:00', timeZone: 'Pacific/Auckland' }, '2025-12-14T21:00:00Z')).toBe('2026-01-14T20:00:00.000Z');
  });
});

describe('nextRunAfter: daylight-saving days', () => {
  it('Berlin spring forward: 02:30 does not exist, it runs once at 03:00 CEST', () => {
    expect(runs({ kind: 'daily', time: '02:30', timeZone: 'Europe/Berlin' }, '2025-03-29T12:00:00Z', 3)).toEqual([
      '2025-03-30T01:00:00.000Z', '2025-03-31T00:30:00.000Z', '2025-04-01T00:30:00.000Z',
    ]);
  });

  it('Berlin fall back: 02:30 happens twice, it runs once at the first (CEST)', () => {
    expect(runs({ kind: 'daily', time: '02:30', timeZone: 'Europe/Berlin' }, '2025-10-25T12:00:00Z', 2)).toEqual([
      '2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z',
    ]);
  });

  it('Los Angeles spring forward and fall back', () => {
    expect(runs({ kind: 'daily', time: '02:15', timeZone: 'America/Los_Angeles' }, '2025-03-08T00:00:00Z', 3)).toEqual([
      '2025-03-08T10:15:00.000Z', '2025-03-09T10:00:00.000Z', '2025-03-10T09:15:00.000Z',
    ]);
    expect(runs({ kind: 'daily', time: '01:30', timeZone: 'America/Los_Angeles' }, '2025-11-01T12:00:00Z', 2)).toEqual([
      '2025-11-02T08:30:00.000Z', '2025-11-03T09:30:00.000Z',
    ]);
  });

  it('Auckland (southern hemisphere): fall back in April, spring forward in September', () => {
    const s: Schedule = { kind: 'daily', time: '02:30', timeZone: 'Pacific/Auckland' };
    // 6 Apr 2025: 03:00 NZDT -> 02:00 NZST; the first 02:30 is NZDT (+13).
    expect(runs(s, '2025-04-05T00:00:00Z', 2)).toEqual(['2025-04-05T13:30:00.000Z', '2025-04-06T14:30:00.000Z']);
    // 28 Sep 2025: 02:00 NZST -> 03:00 NZDT; 02:30 runs at the jump (14:00Z).
    expect(runs(s, '2025-09-27T00:00:00Z', 2)).toEqual(['2025-09-27T14:00:00.000Z', '2025-09-28T13:30:00.000Z']);
  });

  it('Santiago: the clocks jump at midnight, so 00:30 runs at 01:00', () => {
    expect(next({ kind: 'daily', time: '00:30', timeZone: 'America/Santiago' }, '2025-09-06T12:00:00Z')).toBe('2025-09-07T04:00:00.000Z');
  });

  it('Lord Howe: a half-hour daylight-saving shift', () => {
    expect(next({ kind: 'daily', time: '02:15', timeZone: 'Australia/Lord_Howe' }, '2025-10-04T00:00:00Z')).toBe('2025-10-04T15:30:00.000Z');
  });

  it('weekly and monthly runs on a transition day follow the same rules', () => {
    expect(next({ kind: 'weekly', days: ['sun'], time: '02:30', timeZone: 'Europe/Berlin' }, '2025-03-29T00:00:00Z')).toBe('2025-03-30T01:00:00.000Z');
    expect(next({ kind: 'monthly', dayOfMonth: 2, time: '01:30', timeZone: 'America/Los_Angeles' }, '2025-11-01T00:00:00Z')).toBe('2025-11-02T08:30:00.000Z');
  });

  it('hourly follows real hours: the skipped hour is skipped, the repeated hour runs twice', () => {
    expect(runs({ kind: 'hourly', minute: 0, timeZone: 'Europe/Berlin' }, '2025-03-29T23:30:00Z', 3)).toEqual([
      '2025-03-30T00:00:00.000Z', '2025-03-30T01:00:00.000Z', '2025-03-30T02:00:00.000Z', // 01:00 CET, 03:00 CEST, 04:00 CEST
    ]);
    expect(runs({ kind: 'hourly', minute: 30, timeZone: 'America/Los_Angeles' }, '2025-11-02T07:45:00Z', 3)).toEqual([
      '2025-11-02T08:30:00.000Z', '2025-11-02T09:30:00.000Z', '2025-11-02T10:30:00.000Z', // 01:30 PDT, 01:30 PST, 02:30 PST
    ]);
  });
});

describe('firstRunAt: synchronization start date', () => {
  const daily: Schedule = { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' };
  it('never runs before the start date', () => {
    expect(firstRunAt(daily, new Date('2025-12-01T00:00:00Z'), new Date('2025-11-24T12:00:00Z'))?.toISOString()).toBe('2025-12-01T08:00:00.000Z');
  });
  it('a start date in the past runs at the next slot from now, not a backlog', () => {
    expect(firstRunAt(daily, new Date('2025-01-01T00:00:00Z'), new Date('2025-11-24T12:00:00Z'))?.toISOString()).toBe('2025-11-25T08:00:00.000Z');
  });
  it('a start date exactly on a slot runs at that slot', () => {
    expect(firstRunAt(daily, new Date('2025-12-01T08:00:00Z'), new Date('2025-11-24T12:00:00Z'))?.toISOString()).toBe('2025-12-01T08:00:00.000Z');
  });
});
