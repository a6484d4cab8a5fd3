import type { ScheduleSpec, Weekday } from './intent.js';
import { isCalendarDate } from '../time/zone-time.js';
import { tokenize, type Token } from './normalize.js';

/** Words that begin a schedule, so "schedule Apollo Rollout daily ..." knows where the name ends. */
export const SCHEDULE_KEYWORDS = new Set(['off', 'pause', 'stop', 'never', 'hourly', 'daily', 'weekly', 'monthly', 'every']);

const WEEKDAYS: Record<string, Weekday> = {
  mon: 'mon', monday: 'mon', tue: 'tue', tues: 'tue', tuesday: 'tue', wed: 'wed', wednesday: 'wed',
  thu: 'thu', thur: 'thu', thurs: 'thu', thursday: 'thu', fri: 'fri', friday: 'fri',
  sat: 'sat', saturday: 'sat', sun: 'sun', sunday: 'sun',
};
const WORKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

export type ScheduleParse = { ok: true; schedule: ScheduleSpec } | { ok: false; problem: string };

/** Parses the part after the project name: "daily at 09:00 Europe/Berlin", "weekly on mon, thu at 7am", "off". */
export function parseScheduleSpec(tokens: Token[]): ScheduleParse {
  const words = tokens.map((t) => t.word);
  const first = words[0];
  if (first === undefined) return { ok: false, problem: 'Say how often, for example "daily at 09:00 Europe/Berlin" or "off".' };
  if (['off', 'pause', 'stop', 'never'].includes(first)) return { ok: true, schedule: { kind: 'off' } };
  if (first === 'hourly' || (first === 'every' && words[1] === 'hour')) return { ok: true, schedule: { kind: 'hourly' } };

  const time = findTime(tokens);
  if (!time.ok) return time;
  const timeZone = findTimeZone(tokens);
  if (timeZone && !timeZone.valid) {
    return { ok: false, problem: `"${timeZone.name}" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.` };
  }
  const tz = timeZone?.name;

  if (first === 'daily' || (first === 'every' && words[1] === 'day')) {
    return { ok: true, schedule: { kind: 'daily', time: time.value, timeZone: tz } };
  }
  if (first === 'weekly' || (first === 'every' && (words[1] === 'week' || WEEKDAYS[words[1] ?? ''] !== undefined || words[1] === 'weekday'))) {
    const days = words.includes('weekdays') || words.includes('weekday')
      ? WORKDAYS
      : [...new Set(words.flatMap((w) => w.split(',')).map((w) => WEEKDAYS[w]).filter((d): d is Weekday => d !== undefined))];
    if (days.length === 0) return { ok: false, problem: 'Say which days, for example "weekly on mon, thu at 09:00".' };
    return { ok: true, schedule: { kind: 'weekly', days, time: time.value, timeZone: tz } };
  }
  if (first === 'monthly' || (first === 'every' && words[1] === 'month')) {
    const dayWord = words.find((w) => /^\d{1,2}(st|nd|rd|th)?$/.test(w) && !w.includes(':'));
    const dayOfMonth = dayWord ? parseInt(dayWord, 10) : 1;
    if (dayOfMonth < 1 || dayOfMonth > 28) return { ok: false, problem: 'Monthly runs take a day from 1 to 28, so every month has it.' };
    return { ok: true, schedule: { kind: 'monthly', dayOfMonth, time: time.value, timeZone: tz } };
  }
  return { ok: false, problem: `I can schedule hourly, daily, weekly or monthly runs, or "off"; "${first}" is not one of them.` };
}

function findTime(tokens: Token[]): { ok: true; value: string } | { ok: false; problem: string } {
  const atIndex = tokens.findIndex((t) => t.word === 'at');
  const candidates = atIndex >= 0 ? tokens.slice(atIndex + 1, atIndex + 3) : tokens;
  for (let i = 0; i < candidates.length; i++) {
    const word = candidates[i]!.word;
    const suffix = candidates[i + 1]?.word;
    const m = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(word);
    if (!m || (m[2] === undefined && m[3] === undefined && suffix !== 'am' && suffix !== 'pm' && atIndex < 0)) continue;
    let hour = parseInt(m[1]!, 10);
    const minute = m[2] ? parseInt(m[2], 10) : 0;
    const meridiem = m[3] ?? (suffix === 'am' || suffix === 'pm' ? suffix : undefined);
    if (meridiem) {
      if (hour < 1 || hour > 12) return { ok: false, problem: `"${word}" is not a valid 12-hour time.` };
      hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
    }
    if (hour > 23 || minute > 59) return { ok: false, problem: `"${word}" is not a valid time; use 24-hour HH:MM like 09:00.` };
    return { ok: true, value: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
  }
  if (atIndex >= 0) return { ok: false, problem: 'Give the time as HH:MM, for example "at 09:00".' };
  return { ok: true, value: '09:00' };
}

function findTimeZone(tokens: Token[]): { name: string; valid: boolean } | undefined {
  const candidate = tokens.find((t) => t.text.includes('/') || /^(utc|gmt)$/i.test(t.text));
  if (!candidate) return undefined;
  const name = /^(utc|gmt)$/i.test(candidate.text) ? 'UTC' : candidate.text;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return { name: canonical, valid: true };
  } catch {
    return { name, valid: false };
  }
}

const START_WORDS = new Set(['starting', 'from', 'start', 'beginning']);

/** Takes "starting 2025-12-01" (or "from ...") off a schedule: the synchronization start date. */
export function splitStartDate(tokens: Token[]): { ok: true; rest: Token[]; startDate?: string } | { ok: false; problem: string } {
  const at = tokens.findIndex((t) => START_WORDS.has(t.word));
  if (at < 0) return { ok: true, rest: tokens };
  const date = tokens[at + 1]?.word;
  if (!date || !isCalendarDate(date)) {
    return { ok: false, problem: 'Give the start date as YYYY-MM-DD, for example "starting 2025-12-01".' };
  }
  return { ok: true, rest: [...tokens.slice(0, at), ...tokens.slice(at + 2)], startDate: date };
}

/** The schedule part alone, as typed into the schedule card: "weekly on mon, thu at 07:30 America/New_York". */
export function parseScheduleText(text: string): ScheduleParse {
  return parseScheduleSpec(tokenize(text.trim()));
}
