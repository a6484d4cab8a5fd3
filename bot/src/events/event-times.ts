import type { SiteLocalDateTime } from '../connectors/ppm.js';

/**
 * A task's start and finish (wall-clock times in the plan site's zone) as an event's start, end and
 * all-day flag ("Time rules" in ../shared/notes/graph-outlook-events.md):
 * - a task over several calendar days is an all-day event from its first day's midnight to the
 *   midnight after its last day (end is exclusive); a finish at exactly 00:00 ends the day before;
 * - a one-day task that covers the working day (or runs midnight to midnight) is an all-day event
 *   of that day;
 * - any other one-day task keeps its times.
 * Times stay in the site's zone, so "2 March" stays 2 March for every attendee's calendar day.
 */
export interface WorkingDay {
  /** `HH:mm`, default 08:00 (Project's standard calendar). */
  start: string;
  /** `HH:mm`, default 17:00. */
  finish: string;
}

export const STANDARD_WORKING_DAY: WorkingDay = { start: '08:00', finish: '17:00' };

export type EventTimes =
  | { ok: true; start: string; end: string; isAllDay: boolean }
  | { ok: false; reason: string };

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?/;

function parts(value: SiteLocalDateTime): { date: string; time: string } | null {
  const m = LOCAL.exec(value);
  return m ? { date: m[1]!, time: `${m[2]}:${m[3] ?? '00'}` } : null;
}

function nextDay(date: string, days = 1): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function eventTimes(start: SiteLocalDateTime | null, finish: SiteLocalDateTime | null, workingDay: WorkingDay = STANDARD_WORKING_DAY): EventTimes {
  if (!start && !finish) return { ok: false, reason: 'it has no start or finish date' };
  if (!start) return { ok: false, reason: 'it has no start date' };
  if (!finish) return { ok: false, reason: 'it has no finish date' };
  const s = parts(start);
  const f = parts(finish);
  if (!s || !f) return { ok: false, reason: 'its start or finish is not a date and time' };
  if (`${f.date}T${f.time}` < `${s.date}T${s.time}`) return { ok: false, reason: 'it finishes before it starts' };
  const midnight = (t: string): boolean => t === '00:00:00';
  if (s.date !== f.date) {
    const lastDay = midnight(f.time) ? nextDay(f.date, -1) : f.date;
    return { ok: true, start: `${s.date}T00:00:00`, end: `${nextDay(lastDay < s.date ? s.date : lastDay)}T00:00:00`, isAllDay: true };
  }
  const coversWorkday = s.time <= `${workingDay.start}:00` && f.time >= `${workingDay.finish}:00`;
  const wholeDay = midnight(s.time) && f.time >= '23:59:00';
  if (coversWorkday || wholeDay) return { ok: true, start: `${s.date}T00:00:00`, end: `${nextDay(s.date)}T00:00:00`, isAllDay: true };
  return { ok: true, start: `${s.date}T${s.time}`, end: `${f.date}T${f.time}`, isAllDay: false };
}
