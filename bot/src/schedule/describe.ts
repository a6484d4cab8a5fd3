import { WEEKDAYS, type Schedule, type Weekday } from './model.js';
import { nextRunAfter } from './next-run.js';

const DAY_NAMES: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const WORKWEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** "Daily at 09:00 (Europe/Berlin)", "Weekly on Mon, Thu at 07:00 (Asia/Kolkata)", "On demand only". */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'on-demand': return 'On demand only';
    case 'hourly': return `Hourly at :${String(schedule.minute).padStart(2, '0')} (${schedule.timeZone})`;
    case 'daily': return `Daily at ${schedule.time} (${schedule.timeZone})`;
    case 'weekly': {
      if (sameDays(schedule.days, WEEKDAYS)) return `Every day at ${schedule.time} (${schedule.timeZone})`;
      const days = sameDays(schedule.days, WORKWEEK) ? 'Mon-Fri' : schedule.days.map((d) => DAY_NAMES[d]).join(', ');
      return `Weekly on ${days} at ${schedule.time} (${schedule.timeZone})`;
    }
    case 'monthly': {
      const lastDayNote = schedule.dayOfMonth > 28 ? ', or the last day of shorter months' : '';
      return `Monthly on the ${ordinal(schedule.dayOfMonth)}${lastDayNote} at ${schedule.time} (${schedule.timeZone})`;
    }
  }
}

/** The card line: "Daily at 09:00 (Europe/Berlin), next run Mon 24 Nov 09:00". */
export function describeWithNextRun(schedule: Schedule, now: Date, paused = false): string {
  const base = describeSchedule(schedule);
  if (paused) return `${base}, paused`;
  const next = nextRunAfter(schedule, now);
  return next ? `${base}, next run ${formatRunTime(next, schedule.kind === 'on-demand' ? 'UTC' : schedule.timeZone, now)}` : base;
}

/** "Mon 24 Nov 09:00" in the schedule's zone; the year is added when it is not the current one. */
export function formatRunTime(at: Date, timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const thisYear = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }).format(now);
  const year = get('year') !== thisYear ? ` ${get('year')}` : '';
  return `${get('weekday')} ${get('day')} ${get('month')}${year} ${get('hour')}:${get('minute')}`;
}

function sameDays(a: readonly Weekday[], b: readonly Weekday[]): boolean {
  return a.length === b.length && b.every((d) => a.includes(d));
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
