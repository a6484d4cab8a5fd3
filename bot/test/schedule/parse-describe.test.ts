import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { daysBetween, isCalendarDate } from '../../src/time/zone-time.js';
import { describeSchedule, describeWithNextRun, scheduleFromSpec, validateSchedule, type ScheduleResult } from '../../src/schedule/index.js';

/** What a user typing `schedule ...` ends up with. */
function fromChat(text: string, defaultTimeZone?: string): ScheduleResult {
  const intent = parseCommand(text);
  if (intent.kind !== 'schedule') throw new Error(`"${text}" did not parse as a schedule: ${JSON.stringify(intent)}`);
  return scheduleFromSpec(intent.schedule, defaultTimeZone);
}

describe('schedules from the chat grammar', () => {
  it('turns each kind into a schedule in its time zone', () => {
    expect(fromChat('schedule Apollo daily at 09:00 Europe/Berlin')).toEqual({ ok: true, schedule: { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' } });
    expect(fromChat('schedule Apollo weekly on thu, mon at 7am Asia/Kolkata')).toEqual({ ok: true, schedule: { kind: 'weekly', days: ['mon', 'thu'], time: '07:00', timeZone: 'Asia/Kolkata' } });
    expect(fromChat('schedule Apollo monthly on the 15th at 18:30 America/Los_Angeles')).toEqual({ ok: true, schedule: { kind: 'monthly', dayOfMonth: 15, time: '18:30', timeZone: 'America/Los_Angeles' } });
    expect(fromChat('schedule Apollo hourly', 'Pacific/Auckland')).toEqual({ ok: true, schedule: { kind: 'hourly', minute: 0, timeZone: 'Pacific/Auckland' } });
    expect(fromChat('schedule Apollo off')).toEqual({ ok: true, schedule: { kind: 'on-demand' } });
  });

  it('takes the default zone when none is typed, and asks for one when there is no default', () => {
    expect(fromChat('schedule Apollo daily at 09:00', 'Europe/Berlin')).toMatchObject({ ok: true, schedule: { timeZone: 'Europe/Berlin' } });
    expect(fromChat('schedule Apollo daily at 09:00')).toEqual({ ok: false, problem: 'Say which time zone, for example "daily at 09:00 Europe/Berlin".' });
  });
});

describe('validateSchedule (stored documents and card input)', () => {
  it('normalizes zone names and weekday order', () => {
    expect(validateSchedule({ kind: 'weekly', days: ['fri', 'mon', 'fri'], time: '09:00', timeZone: 'utc' })).toEqual({ ok: true, schedule: { kind: 'weekly', days: ['mon', 'fri'], time: '09:00', timeZone: 'UTC' } });
  });

  it.each([
    [{ kind: 'daily', time: '9:00', timeZone: 'Europe/Berlin' }, '"9:00" is not a time; use 24-hour HH:MM such as 09:00.'],
    [{ kind: 'daily', time: '24:00', timeZone: 'Europe/Berlin' }, '"24:00" is not a time; use 24-hour HH:MM such as 09:00.'],
    [{ kind: 'daily', time: '09:00', timeZone: 'Mars/Olympus' }, '"Mars/Olympus" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.'],
    [{ kind: 'weekly', days: [], time: '09:00', timeZone: 'UTC' }, 'A weekly schedule needs at least one day, for example "weekly on mon, thu at 09:00".'],
    [{ kind: 'weekly', days: ['funday'], time: '09:00', timeZone: 'UTC' }, '"funday" is not a weekday; use mon, tue, wed, thu, fri, sat or sun.'],
    [{ kind: 'monthly', dayOfMonth: 32, time: '09:00', timeZone: 'UTC' }, 'A monthly schedule runs on a day from 1 to 31 (months without that day run on their last day).'],
    [{ kind: 'hourly', minute: 60, timeZone: 'UTC' }, 'An hourly schedule runs at a minute from 0 to 59 past the hour.'],
    [{ kind: 'fortnightly', timeZone: 'UTC' }, 'A schedule is on demand, hourly, daily, weekly or monthly; "fortnightly" is none of them.'],
    [null, 'A schedule is missing.'],
  ])('refuses %j with a message saying what to do', (input, problem) => {
    expect(validateSchedule(input)).toEqual({ ok: false, problem });
  });
});

describe('descriptions for cards', () => {
  const now = new Date('2025-11-23T12:00:00Z'); // a Sunday
  it('names the kind, time, zone and next run in that zone', () => {
    expect(describeWithNextRun({ kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' }, now)).toBe('Daily at 09:00 (Europe/Berlin), next run Mon 24 Nov 09:00');
    expect(describeWithNextRun({ kind: 'weekly', days: ['mon', 'thu'], time: '07:00', timeZone: 'Asia/Kolkata' }, now)).toBe('Weekly on Mon, Thu at 07:00 (Asia/Kolkata), next run Mon 24 Nov 07:00');
    expect(describeWithNextRun({ kind: 'monthly', dayOfMonth: 31, time: '09:00', timeZone: 'Pacific/Auckland' }, new Date('2025-12-31T00:00:00Z')))
      .toBe('Monthly on the 31st, or the last day of shorter months at 09:00 (Pacific/Auckland), next run Sat 31 Jan 2026 09:00');
    expect(describeWithNextRun({ kind: 'hourly', minute: 0, timeZone: 'Asia/Kolkata' }, now)).toBe('Hourly at :00 (Asia/Kolkata), next run Sun 23 Nov 18:00');
    expect(describeWithNextRun({ kind: 'on-demand' }, now)).toBe('On demand only');
    expect(describeWithNextRun({ kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' }, now, true)).toBe('Daily at 09:00 (Europe/Berlin), paused');
  });

  it('says weekdays and every day plainly, and uses ordinals', () => {
    expect(describeSchedule({ kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '09:00', timeZone: 'UTC' })).toBe('Weekly on Mon-Fri at 09:00 (UTC)');
    expect(describeSchedule({ kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '09:00', timeZone: 'UTC' })).toBe('Every day at 09:00 (UTC)');
    expect(['1st', '2nd', '3rd', '11th', '12th', '13th', '21st', '22nd'].map((o) => describeSchedule({ kind: 'monthly', dayOfMonth: parseInt(o, 10), time: '09:00', timeZone: 'UTC' })))
      .toEqual(['1st', '2nd', '3rd', '11th', '12th', '13th', '21st', '22nd'].map((o) => `Monthly on the ${o} at 09:00 (UTC)`));
  });

  it('shows the run the clocks jump to on a spring-forward day', () => {
    expect(describeWithNextRun({ kind: 'daily', time: '02:30', timeZone: 'Europe/Berlin' }, new Date('2025-03-29T12:00:00Z'))).toBe('Daily at 02:30 (Europe/Berlin), next run Sun 30 Mar 03:00');
  });
});

describe('time zone names', () => {
  it('shows current IANA names even where ICU canonicalizes to a retired one', () => {
    expect(validateSchedule({ kind: 'daily', time: '09:00', timeZone: 'asia/kolkata' })).toMatchObject({ schedule: { timeZone: 'Asia/Kolkata' } });
    expect(validateSchedule({ kind: 'daily', time: '09:00', timeZone: 'Europe/Kiev' })).toMatchObject({ schedule: { timeZone: 'Europe/Kyiv' } });
    expect(validateSchedule({ kind: 'daily', time: '09:00', timeZone: 'america/los_angeles' })).toMatchObject({ schedule: { timeZone: 'America/Los_Angeles' } });
  });
});

describe('calendar dates', () => {
  it('refuses days that do not exist, which Date.parse would roll into the next month', () => {
    expect(isCalendarDate('2025-02-31')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-2-1')).toBe(false);
    expect(daysBetween('2025-12-31', '2026-01-02')).toBe(2);
    expect(daysBetween('2026-03-30', '2026-03-28')).toBe(-2);
  });
});
