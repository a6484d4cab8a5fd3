import type { ScheduleSpec } from '../commands/intent.js';
import { WEEKDAYS, type Schedule, type Weekday } from './model.js';
import { canonicalTimeZone } from '../time/zone-time.js';

/** A schedule, or what is wrong with the input in words a user can act on. */
export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; problem: string };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Turns the chat grammar's output (`schedule Apollo weekly on mon, thu at 7am Europe/Berlin`)
 * into a Schedule. A spec without a zone takes `defaultTimeZone` (for example the plan site's
 * zone); with neither, the user is asked for one rather than guessing UTC.
 */
export function scheduleFromSpec(spec: ScheduleSpec, defaultTimeZone?: string): ScheduleResult {
  if (spec.kind === 'off') return { ok: true, schedule: { kind: 'on-demand' } };
  const timeZone = spec.kind === 'hourly' ? defaultTimeZone ?? 'UTC' : spec.timeZone ?? defaultTimeZone;
  if (timeZone === undefined) {
    return { ok: false, problem: 'Say which time zone, for example "daily at 09:00 Europe/Berlin".' };
  }
  switch (spec.kind) {
    case 'hourly': return validateSchedule({ kind: 'hourly', minute: 0, timeZone });
    case 'daily': return validateSchedule({ kind: 'daily', time: spec.time, timeZone });
    case 'weekly': return validateSchedule({ kind: 'weekly', days: spec.days, time: spec.time, timeZone });
    case 'monthly': return validateSchedule({ kind: 'monthly', dayOfMonth: spec.dayOfMonth, time: spec.time, timeZone });
  }
}

/**
 * Checks a schedule from anywhere untrusted (a stored document, card input) and normalizes it:
 * canonical zone name, weekdays sorted Monday first without repeats.
 */
export function validateSchedule(input: unknown): ScheduleResult {
  if (typeof input !== 'object' || input === null) return { ok: false, problem: 'A schedule is missing.' };
  const s = input as Record<string, unknown>;
  if (s.kind === 'on-demand') return { ok: true, schedule: { kind: 'on-demand' } };
  const kinds = ['hourly', 'daily', 'weekly', 'monthly'];
  if (typeof s.kind !== 'string' || !kinds.includes(s.kind)) {
    return { ok: false, problem: `A schedule is on demand, hourly, daily, weekly or monthly; "${String(s.kind)}" is none of them.` };
  }
  const timeZone = typeof s.timeZone === 'string' ? canonicalTimeZone(s.timeZone) : undefined;
  if (timeZone === undefined) {
    return { ok: false, problem: `"${String(s.timeZone)}" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.` };
  }
  if (s.kind === 'hourly') {
    const minute = s.minute ?? 0;
    if (typeof minute !== 'number' || !Number.isInteger(minute) || minute < 0 || minute > 59) {
      return { ok: false, problem: 'An hourly schedule runs at a minute from 0 to 59 past the hour.' };
    }
    return { ok: true, schedule: { kind: 'hourly', minute, timeZone } };
  }
  if (typeof s.time !== 'string' || !TIME.test(s.time)) {
    return { ok: false, problem: `"${String(s.time)}" is not a time; use 24-hour HH:MM such as 09:00.` };
  }
  const time = s.time;
  if (s.kind === 'daily') return { ok: true, schedule: { kind: 'daily', time, timeZone } };
  if (s.kind === 'weekly') {
    const days = Array.isArray(s.days) ? s.days : [];
    const unknown = days.filter((d) => !WEEKDAYS.includes(d as Weekday));
    if (unknown.length > 0) return { ok: false, problem: `"${unknown.map(String).join(', ')}" is not a weekday; use mon, tue, wed, thu, fri, sat or sun.` };
    if (days.length === 0) return { ok: false, problem: 'A weekly schedule needs at least one day, for example "weekly on mon, thu at 09:00".' };
    return { ok: true, schedule: { kind: 'weekly', days: WEEKDAYS.filter((d) => days.includes(d)), time, timeZone } };
  }
  const day = s.dayOfMonth;
  if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > 31) {
    return { ok: false, problem: 'A monthly schedule runs on a day from 1 to 31 (months without that day run on their last day).' };
  }
  return { ok: true, schedule: { kind: 'monthly', dayOfMonth: day, time, timeZone } };
}
