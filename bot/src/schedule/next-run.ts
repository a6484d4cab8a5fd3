import { WEEKDAYS, type Schedule, type TimedSchedule } from './model.js';
import { addDays, daysInMonth, instantOf, isoWeekdayIndex, localDateTime, offsetAt, type LocalDateTime } from '../time/zone-time.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * The first run strictly after `after`, or undefined for on-demand schedules.
 *
 * Daylight saving: a wall time that does not exist that day (clocks spring forward over it) runs
 * once, at the moment the clocks jump; a wall time that happens twice (clocks fall back) runs once,
 * at its first occurrence. Hourly schedules run every hour whose local minute matches, so they
 * follow real hours: the repeated hour runs twice, the skipped hour not at all.
 */
export function nextRunAfter(schedule: Schedule, after: Date): Date | undefined {
  if (schedule.kind === 'on-demand') return undefined;
  const t = after.getTime();
  if (!Number.isFinite(t)) throw new RangeError('nextRunAfter needs a valid date');
  return new Date(schedule.kind === 'hourly' ? nextHourly(schedule.minute, schedule.timeZone, t) : nextSlot(schedule, t));
}

/**
 * The first run of a schedule that starts at `startAt`: never before it, and never in the past.
 * A run exactly at `startAt` counts.
 */
export function firstRunAt(schedule: Schedule, startAt: Date, now: Date): Date | undefined {
  const from = Math.max(startAt.getTime(), now.getTime());
  return nextRunAfter(schedule, new Date(from - 1));
}

function nextHourly(minute: number, timeZone: string, t: number): number {
  // Instants whose local minute is `minute` sit at a fixed UTC minute for each offset in force;
  // try the offsets either side of any transition and keep the earliest that really matches.
  const start = Math.floor(t / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  let best = Number.POSITIVE_INFINITY;
  for (const offset of new Set([offsetAt(t, timeZone), offsetAt(t + 2 * HOUR_MS, timeZone)])) {
    const offsetMinutes = Math.round(offset / MINUTE_MS);
    const utcMinute = (((minute - offsetMinutes) % 60) + 60) % 60;
    const startMinute = new Date(start).getUTCMinutes();
    let c = start + (((utcMinute - startMinute) % 60) + 60) % 60 * MINUTE_MS;
    for (let i = 0; i < 3; i++, c += HOUR_MS) {
      if (c < best && localDateTime(c, timeZone).minute === minute) {
        best = c;
        break;
      }
    }
  }
  if (!Number.isFinite(best)) throw new Error(`no hourly slot found after ${new Date(t).toISOString()} in ${timeZone}`);
  return best;
}

function nextSlot(schedule: Exclude<TimedSchedule, { kind: 'hourly' }>, t: number): number {
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  // Start a day early: near midnight the local date of `t` may be past a slot that is still ahead.
  const today = localDateTime(t, schedule.timeZone);
  const candidates = schedule.kind === 'monthly' ? monthlyDates(today, schedule.dayOfMonth) : dailyDates(today, schedule);
  for (const date of candidates) {
    const at = instantOf({ ...date, hour, minute }, schedule.timeZone);
    if (at > t) return at;
  }
  throw new Error(`no run found after ${new Date(t).toISOString()} for a ${schedule.kind} schedule`);
}

function* dailyDates(today: LocalDateTime, schedule: { kind: 'daily' } | { kind: 'weekly'; days: readonly string[] }): Generator<LocalDateTime> {
  for (let d = -1; d <= 8; d++) {
    const date = addDays(today, d);
    if (schedule.kind === 'daily' || schedule.days.includes(WEEKDAYS[isoWeekdayIndex(date)]!)) yield date;
  }
}

function* monthlyDates(today: LocalDateTime, dayOfMonth: number): Generator<LocalDateTime> {
  for (let m = -1; m <= 2; m++) {
    const first = new Date(Date.UTC(today.year, today.month - 1 + m, 1));
    const year = first.getUTCFullYear();
    const month = first.getUTCMonth() + 1;
    yield { year, month, day: Math.min(dayOfMonth, daysInMonth(year, month)), hour: 0, minute: 0 };
  }
}
