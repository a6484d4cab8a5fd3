import { isoSeconds } from './store.js';

/**
 * Calendar arithmetic for the simulated scheduling engine: the default Project for the web
 * calendar, Monday to Friday, 09:00-17:00 UTC (8 hours a day). Durations are in days [3P: msdyn_duration in days].
 */
const DAY = 86_400_000;
const isWeekday = (d: Date): boolean => d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
const dateOnly = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/** Working days a task spans: 0 for a milestone (finish = start), else weekdays from start's day to finish's day. */
export function workingDays(start: string, finish: string): number {
  const s = new Date(start);
  const f = new Date(finish);
  if (f.getTime() <= s.getTime()) return 0;
  let days = 0;
  for (let t = dateOnly(s); t <= dateOnly(f); t += DAY) if (isWeekday(new Date(t))) days += 1;
  return days;
}

/** The finish of a task of `days` working days starting at `start` (17:00 of the last day). */
export function finishAfter(start: string, days: number): string {
  const s = new Date(start);
  if (days <= 0) return isoSeconds(s);
  let t = dateOnly(s);
  let left = Math.ceil(days);
  for (;;) {
    if (isWeekday(new Date(t))) left -= 1;
    if (left <= 0) break;
    t += DAY;
  }
  return isoSeconds(new Date(t + 17 * 3_600_000));
}

/** The schedule range Project accepts: 2000-01-01 to 2149-12-31 [notes "Write rules"]. */
export function inScheduleRange(value: string): boolean {
  const t = new Date(value).getTime();
  return t >= Date.UTC(2000, 0, 1) && t < Date.UTC(2150, 0, 1);
}

/** A JSON DateTimeOffset: ISO 8601 with a zone, as the Web API requires for Edm.DateTimeOffset. */
export function parseDateTimeOffset(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : isoSeconds(d);
}
